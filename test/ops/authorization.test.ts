import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';

/**
 * The app behind App Service Authentication (WEBSITE_AUTH_ENABLED=True, as the platform sets it): every /api/ops call
 * needs a verified principal with an app role; no role is 401/403 with nothing done; JML.Reader reads, never acts.
 * Locally nothing strips a forged header, so this only shows what the app decides from the header Easy Auth injects.
 */
const repoRoot = path.resolve(__dirname, '../..');

const principal = (name: string, roles: string[]) =>
  Buffer.from(
    JSON.stringify({
      auth_typ: 'aad',
      name_typ: 'name',
      role_typ: 'roles',
      claims: [
        { typ: 'name', val: name },
        { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: `oid-${name}` },
        ...roles.map((val) => ({ typ: 'roles', val })),
      ],
    }),
  ).toString('base64');

describe('/api/ops behind Easy Auth', () => {
  let host: HostProcess;
  const call = (route: string, init: RequestInit & { as?: string } = {}) =>
    fetch(`${host.baseUrl}/api/${route}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.as ? { 'x-ms-client-principal': init.as } : {}) },
    });
  const admin = principal('alice', ['JML.Admin']);
  const reader = principal('rita', ['JML.Reader']);
  const nobody = principal('nora', []);
  const reevaluations = async () =>
    (
      (await (await call('ops/audit?limit=10000', { as: admin })).json()) as {
        value: { action: string; actor: string }[];
      }
    ).value.filter((r) => r.action === 'policy.reevaluate');

  beforeAll(async () => {
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: mkdtempSync(path.join(tmpdir(), 'jml-ops-auth-')),
      env: {
        HR_EVENTS_QUEUE: 'hr-events',
        ENTRA_JML_POLICY_FILE: path.join(repoRoot, 'policy/policy.yaml'),
        WEBSITE_AUTH_ENABLED: 'True',
      },
    });
  });
  afterAll(async () => host?.stop());

  it('no identity: 401 on every route, reads and writes alike', async () => {
    expect((await call('ops/people')).status).toBe(401);
    expect((await call('ops/openapi.json')).status).toBe(401);
    const write = await call('ops/reevaluate', { method: 'POST', body: JSON.stringify({ all: true }) });
    expect(write.status).toBe(401);
    expect(await reevaluations()).toEqual([]);
  });

  it('an identity without an app role: 403 and nothing done', async () => {
    expect((await call('ops/runs', { as: nobody })).status).toBe(403);
    const write = await call('ops/reevaluate', { as: nobody, method: 'POST', body: JSON.stringify({ all: true }) });
    expect(write.status).toBe(403);
    expect(await reevaluations()).toEqual([]);
  });

  it('JML.Reader reads but cannot act', async () => {
    expect((await call('ops/people?query=x', { as: reader })).status).toBe(200);
    expect((await call('ops/runs', { as: reader })).status).toBe(200);
    const write = await call('ops/reevaluate', { as: reader, method: 'POST', body: JSON.stringify({ all: true }) });
    expect(write.status).toBe(403);
    const terminate = await call('ops/runs/person-X/terminate', {
      as: reader,
      method: 'POST',
      body: JSON.stringify({ reason: 'r' }),
    });
    expect(terminate.status).toBe(403);
    expect(await reevaluations()).toEqual([]);
  });

  it('JML.Admin acts, and the audit names the principal', async () => {
    const write = await call('ops/reevaluate', { as: admin, method: 'POST', body: JSON.stringify({ all: true }) });
    expect(write.status).toBe(202);
    expect((await reevaluations()).map((r) => r.actor)).toEqual(['alice (oid-alice)']);
  });
});
