import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Serving the built ops console (dist/console) from the app: the file for a request path, with its content type,
 * cache policy and security headers. Anything that is not a plain file name under the console folder is a 404:
 * `..`, `.` and empty segments, hidden files, backslashes, NUL, a symbolic link out of the folder, an extension
 * the console does not ship.
 */

/**
 * The console loads only its own script, stylesheet and JSON from its own origin: no inline script or style, no
 * framing (clickjacking of the approve and replay buttons), no <base> or plugin tricks.
 * https://www.w3.org/TR/CSP3/#directive-default-src, https://www.w3.org/TR/CSP3/#directive-frame-ancestors
 */
export const CONSOLE_CSP =
  "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'self'";

/** Headers on every console answer, files and refusals alike. */
export const CONSOLE_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** One year, the longest lifetime RFC 9111 caches are advised to honour; only for content-addressed URLs. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface StaticAnswer {
  status: number;
  headers: Record<string, string>;
  body?: Buffer | string;
}

/** The content hash index.html puts in each asset's `?v=` (scripts/build-console.mjs computes it the same way). */
export function assetVersion(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 12);
}

/** A request path the console may serve: plain names separated by `/`, no dot segments or hidden files. */
export function isSafeRelativePath(requested: string): boolean {
  if (requested.length > 256 || /[\\\0]/.test(requested)) return false;
  return requested.split('/').every((segment) => segment !== '' && !segment.startsWith('.'));
}

const notFound = (): StaticAnswer => ({
  status: 404,
  headers: { ...CONSOLE_SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  body: 'Not found',
});

/**
 * The answer for `requested` (the `{*path}` of /api/console/{*path}, already URL-decoded; empty for the shell),
 * read from `root`. `version` is the request's `?v=`: when it names the file's content, the file may be cached
 * for good, since a new build has a new URL; otherwise the browser revalidates with the ETag.
 */
export async function consoleFile(
  root: string,
  requested: string,
  version: string | null,
  ifNoneMatch: string | null = null,
): Promise<StaticAnswer> {
  const relative = requested === '' ? 'index.html' : requested;
  if (!isSafeRelativePath(relative)) return notFound();
  const contentType = CONTENT_TYPES[path.extname(relative).toLowerCase()];
  if (!contentType) return notFound();
  const base = path.resolve(root);
  const file = path.resolve(base, relative);
  if (!file.startsWith(base + path.sep)) return notFound();
  let content: Buffer;
  try {
    // A symbolic link inside the folder must not lead out of it.
    const [realBase, realFile] = await Promise.all([realpath(base), realpath(file)]);
    if (!realFile.startsWith(realBase + path.sep) || !(await stat(realFile)).isFile()) return notFound();
    content = await readFile(realFile);
  } catch {
    return notFound();
  }
  const hash = assetVersion(content);
  const etag = `"${hash}"`;
  const headers: Record<string, string> = {
    ...CONSOLE_SECURITY_HEADERS,
    'content-type': contentType,
    'cache-control': version === hash ? IMMUTABLE : 'no-cache',
    etag,
  };
  // RFC 9110 §13.1.2: a matching If-None-Match on a GET answers 304 without the content.
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag))
    return { status: 304, headers };
  return { status: 200, headers, body: content };
}
