import { createHash } from 'node:crypto';

/**
 * The Content-Security-Policy the HTML licence report is served with: nothing may load (`default-src 'none'`),
 * only the page's own inline scripts run (Chart.js and the chart drawing, by their SHA-256 hashes), inline styles
 * for the page's stylesheet and Chart.js's canvas sizing, and data: images (Chart.js legends)
 * (hash-source: https://www.w3.org/TR/CSP3/#grammardef-hash-source).
 */
export function licenceReportCsp(scriptHashes: string[]): string {
  return `default-src 'none'; script-src ${scriptHashes.join(' ')}; style-src 'unsafe-inline'; img-src data:`;
}

/**
 * The hashes of the executed inline scripts of a report page that was rendered earlier and kept (Blob storage, the
 * data folder): the `<script>` elements without attributes (the JSON data island has a type and does not run).
 * Their text ends at the first `</script`, which render-html.ts escapes inside them.
 */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    (match) => `'sha256-${createHash('sha256').update(match[1]!, 'utf8').digest('base64')}'`,
  );
}
