import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the scripted server saw it. */
export interface SeenRequest {
  method: string;
  /** Path and query, without the /scim prefix. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

export interface ScriptedAnswer {
  status: number;
  /** JSON body (sent as application/scim+json), or `raw` text. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

export type Script = (request: SeenRequest) => ScriptedAnswer;

/**
 * A hand-written SCIM server whose every answer a test scripts: the quirks a real library will not produce
 * (429 with Retry-After, HTML error pages, 200 for a create, no PATCH, no filter, paging, "True" strings).
 */
export async function startScriptedServer(script: Script): Promise<{
  baseUrl: string;
  requests: SeenRequest[];
  script: { current: Script };
  close(): Promise<void>;
}> {
  const requests: SeenRequest[] = [];
  const current = { current: script };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const url = new URL(request.url ?? '/', 'http://localhost');
      const seen: SeenRequest = {
        method: request.method ?? 'GET',
        path: `${url.pathname.replace(/^\/scim/, '')}${url.search}`,
        query: url.searchParams,
        body: parseBody(text),
        headers: request.headers,
      };
      requests.push(seen);
      const answer = current.current(seen);
      const body = answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
      response.writeHead(answer.status, {
        ...(answer.raw === undefined && answer.body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
        ...answer.headers,
      });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/scim`,
    requests,
    script: current,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A ListResponse (RFC 7644 §3.4.2). */
export function listResponse(resources: unknown[], totalResults = resources.length, startIndex = 1): unknown {
  return {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
