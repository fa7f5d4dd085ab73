/**
 * A mail body from the emulator outbox as plain text and its links, never as HTML: the body is parsed into an inert
 * document (DOMParser runs no script and loads nothing) and only its text and http(s) link targets are read.
 */
export function mailText(contentType: string | null | undefined, content: string | null | undefined) {
  if (!content) return { text: '', links: [] as string[] };
  if ((contentType ?? '').toLowerCase() !== 'html') return { text: content, links: linksIn(content) };
  const doc = new DOMParser().parseFromString(content, 'text/html');
  const links = [...doc.querySelectorAll('a[href]')]
    .map((a) => a.getAttribute('href') ?? '')
    .filter((href) => /^https?:\/\//i.test(href));
  return { text: (doc.body.textContent ?? '').replace(/\n\s*\n\s*/g, '\n\n').trim(), links: [...new Set(links)] };
}

function linksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"']+/g) ?? [])];
}
