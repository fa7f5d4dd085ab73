import { ok, type EmulatorResponse } from './odata';

/**
 * Server-driven paging of directory collections (https://learn.microsoft.com/graph/paging): 100 objects per
 * page by default, `$top` up to 999, and an absolute `@odata.nextLink` carrying an opaque `$skiptoken` while
 * more remain. Graph may also answer fewer objects than `$top` asks ("the page size might be smaller"), which
 * `serverPageSize` reproduces so that callers are tested on following nextLink.
 */
const DEFAULT_PAGE_SIZE = 100;

export interface PageRequest {
  path: string;
  query: URLSearchParams;
  version: string;
  /** Absolute root that nextLinks start with (the emulator's own URL, or Graph's). */
  baseUrl?: string;
}

function encodeSkipToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

/** The offset a $skiptoken stands for; null when the token is not one the emulator issued. */
function decodeSkipToken(token: string | null): number | null {
  if (token === null) return 0;
  const m = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}

export function page(
  req: PageRequest,
  items: unknown[],
  options: { top: number | null; serverPageSize?: number; count?: boolean; context?: string },
): EmulatorResponse | null {
  const offset = decodeSkipToken(req.query.get('$skiptoken'));
  if (offset === null) return null;
  let size = options.top ?? DEFAULT_PAGE_SIZE;
  if (options.serverPageSize && options.serverPageSize > 0) size = Math.min(size, options.serverPageSize);
  const value = items.slice(offset, offset + size);
  const body: Record<string, unknown> = {};
  if (options.context) body['@odata.context'] = options.context;
  if (options.count) body['@odata.count'] = items.length;
  if (offset + size < items.length) {
    const next = new URLSearchParams(req.query);
    next.set('$skiptoken', encodeSkipToken(offset + size));
    const root = (req.baseUrl ?? `https://graph.microsoft.com/${req.version}`).replace(/\/+$/, '');
    // Like Graph's links: `$` kept literal in the option names, the values percent-encoded.
    const query = [...next].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    body['@odata.nextLink'] = `${root}${req.path}?${query}`;
  }
  body.value = value;
  return ok(body);
}
