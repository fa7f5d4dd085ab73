import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startScimDemoTargets } from '../../local/emulators/scim/scim-demo-targets';
import type { ScimTargetId } from '../../local/emulators/scim/targets';

/** Shared by the demo-*.test.ts files: the standalone demo targets and a small SCIM caller. */
export type DemoServer = Awaited<ReturnType<typeof startScimDemoTargets>>;

export const TOKENS: Record<ScimTargetId, string> = {
  'acme-crm': 'local-acme-crm-token',
  'globex-wiki': 'local-globex-wiki-token',
  'initech-hr': 'local-initech-hr-token',
};

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export function newDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'jml-scim-'));
}

export async function startDemo(dataDir = newDataDir()): Promise<DemoServer> {
  return startScimDemoTargets({ dataDir });
}

export interface ScimAnswer {
  status: number;
  headers: Headers;
  // SCIM JSON of many shapes, read by assertions only (the demo tests turn the no-unsafe-* rules off for it).
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A SCIM call to one target, with its token unless `token` says otherwise (null: no Authorization header). */
export async function scim(
  server: DemoServer,
  target: ScimTargetId,
  method: string,
  pathAndQuery: string,
  body?: unknown,
  options: { token?: string | null; headers?: Record<string, string> } = {},
): Promise<ScimAnswer> {
  const token = options.token === undefined ? TOKENS[target] : options.token;
  const response = await fetch(`${server.targetUrl(target)}${pathAndQuery}`, {
    method,
    headers: {
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
      ...options.headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

export async function admin(
  server: DemoServer,
  target: string,
  method: 'GET' | 'POST',
  action: string,
  body?: unknown,
): Promise<ScimAnswer> {
  const response = await fetch(`${server.baseUrl}/_local/scim/_admin/${target}/${action}`, {
    method,
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** RFC 7644 §3.3's example user (Barbara Jensen), with the enterprise extension. */
export function bjensen(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
    userName: 'bjensen',
    externalId: 'bjensen',
    name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
    active: true,
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    [ENTERPRISE_SCHEMA]: { employeeNumber: '701984', department: 'Tour Operations' },
    ...overrides,
  };
}
