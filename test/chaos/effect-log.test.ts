import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installEffectLog, readEffects, type CurrentRequest } from '../../local/chaos/effect-log';
import { GraphEmulator } from '../../local/emulators/graph/graph-emulator-extension';

const GROUP = 'a0000000-0000-4000-8000-000000000001';
const MANAGER = 'b0000000-0000-4000-8000-000000000001';

/** The emulator's effective changes, logged by triggers in the write's own transaction (chaos audit check). */
describe('chaos effect log', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'jml-effects-'));
  let emulator: GraphEmulator;
  let current: CurrentRequest = { request: null, requestId: null };
  const graph = (method: string, p: string, body?: unknown) => {
    current = { request: `${method} ${p}`, requestId: `rid-${method}-${p}` };
    const res = emulator.api.handle({ method, path: p, query: new URLSearchParams(), body, version: 'v1.0' });
    current = { request: null, requestId: null };
    return res;
  };

  beforeAll(async () => {
    emulator = await GraphEmulator.open(dataDir, () => 'http://127.0.0.1:1');
    installEffectLog(emulator.api.store.db, () => current);
  });
  afterAll(async () => emulator?.close());

  it('logs each write that changed something, once, and none for a write that changed nothing', () => {
    const created = graph('POST', '/users', {
      accountEnabled: false,
      displayName: 'Ana Núñez',
      mailNickname: 'ana.nunez',
      userPrincipalName: 'ana.nunez@contoso.com',
      employeeId: 'K0P1',
      department: 'Sales',
      passwordProfile: { password: 'Aa1!aaaaaaaaaaaaaaaa' },
    });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    graph('PATCH', `/users/${id}`, { department: 'Sales' }); // the same value: no change
    graph('PATCH', `/users/${id}`, { department: 'Finance' });
    graph('PATCH', `/users/${id}`, { accountEnabled: true });
    graph('PATCH', `/users/${id}`, { accountEnabled: true }); // already enabled
    const ref = { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` };
    graph('POST', `/groups/${GROUP}/members/$ref`, ref);
    graph('POST', `/groups/${GROUP}/members/$ref`, ref); // already a member (refused, no change)
    const manager = { '@odata.id': `https://graph.microsoft.com/v1.0/users/${MANAGER}` };
    graph('PUT', `/users/${id}/manager/$ref`, manager);
    graph('PUT', `/users/${id}/manager/$ref`, manager); // the same manager
    graph('DELETE', `/users/${id}`);

    const effects = readEffects(dataDir).filter((e) => e.employeeId === 'K0P1');
    expect(effects.map((e) => [e.kind, e.target, e.request])).toEqual([
      ['create', null, 'POST /users'],
      ['update', null, `PATCH /users/${id}`],
      ['enable', null, `PATCH /users/${id}`],
      ['group-add', GROUP, `POST /groups/${GROUP}/members/$ref`],
      ['manager-set', MANAGER, `PUT /users/${id}/manager/$ref`],
      ['group-remove', GROUP, `DELETE /users/${id}`],
      ['manager-remove', MANAGER, `DELETE /users/${id}`],
      ['delete', null, `DELETE /users/${id}`],
    ]);
    expect(effects[0]!.requestId).toBe('rid-POST-/users');
  });
});
