/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call
   -- SCIM JSON answers (demo-http.ts) */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../local/emulators/scim/faults';
import { admin, bjensen, ERROR_SCHEMA, scim, startDemo, type DemoServer } from './demo-http';

/** Switchable faults and the admin API of the SCIM demo targets (issue 19: prove retries and catch-up). */
describe('SCIM demo targets: faults and admin API', () => {
  let server: DemoServer;
  beforeAll(async () => {
    server = await startDemo();
  });
  afterAll(async () => server?.close());
  beforeEach(async () => {
    await admin(server, 'acme-crm', 'POST', 'reset');
    await admin(server, 'globex-wiki', 'POST', 'reset');
  });

  const statuses = async (target: 'acme-crm' | 'globex-wiki', n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await scim(server, target, 'GET', '/ServiceProviderConfig')).status);
    return out;
  };

  it('throttle: 429 with Retry-After and a SCIM error (RFC 6585 §4), for every request at rate 1', async () => {
    const set = await admin(server, 'acme-crm', 'POST', 'faults', { mode: 'throttle', retryAfterSeconds: 7 });
    expect(set.status).toBe(200);
    const answer = await scim(server, 'acme-crm', 'POST', '/Users', bjensen());
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(answer.body).toEqual(expect.objectContaining({ schemas: [ERROR_SCHEMA], status: '429' }));
    expect((await admin(server, 'acme-crm', 'GET', 'state')).body.users).toEqual([]);
  });

  it('throttle at rate 0.1 throttles exactly 1 request in 10, the same ones every run', async () => {
    await admin(server, 'acme-crm', 'POST', 'faults', { mode: 'throttle', rate: 0.1 });
    const seen = await statuses('acme-crm', 30);
    expect(seen.filter((s) => s === 429)).toHaveLength(3);
    expect(seen.map((s, i) => (s === 429 ? i + 1 : 0)).filter(Boolean)).toEqual([10, 20, 30]);
  });

  it('error500 answers 500; with globex-wiki in its own error shape', async () => {
    await admin(server, 'globex-wiki', 'POST', 'faults', { mode: 'error500' });
    const answer = await scim(server, 'globex-wiki', 'GET', '/Users');
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ error: expect.any(String), code: 500 });
  });

  it('slow delays the answer, which still succeeds', async () => {
    await admin(server, 'acme-crm', 'POST', 'faults', { mode: 'slow', slowMs: 50 });
    const answer = await scim(server, 'acme-crm', 'POST', '/Users', bjensen());
    expect(answer.status).toBe(201);
    const state = await admin(server, 'acme-crm', 'GET', 'state');
    expect(state.body.faults).toEqual(expect.objectContaining({ mode: 'slow', injected: 1 }));
  });

  it('down answers 503 to every request, then the target is back with nothing lost', async () => {
    const created = await scim(server, 'acme-crm', 'POST', '/Users', bjensen());
    await admin(server, 'acme-crm', 'POST', 'faults', { mode: 'down', retryAfterSeconds: 3 });
    expect(await statuses('acme-crm', 5)).toEqual([503, 503, 503, 503, 503]);
    const down = await scim(server, 'acme-crm', 'GET', `/Users/${created.body.id}`);
    expect(down.headers.get('retry-after')).toBe('3');
    await admin(server, 'acme-crm', 'POST', 'faults', { mode: 'none' });
    expect((await scim(server, 'acme-crm', 'GET', `/Users/${created.body.id}`)).status).toBe(200);
  });

  it('faults of one target leave the other alone', async () => {
    await admin(server, 'acme-crm', 'POST', 'faults', { mode: 'down' });
    expect(await statuses('globex-wiki', 2)).toEqual([200, 200]);
  });

  it('faults come before authentication, as a gateway throttles before the app checks tokens', async () => {
    await admin(server, 'acme-crm', 'POST', 'faults', { mode: 'throttle' });
    const answer = await scim(server, 'acme-crm', 'GET', '/Users', undefined, { token: null });
    expect(answer.status).toBe(429);
  });

  it('refuses a malformed fault setting with the field and the reason', async () => {
    const bad = await admin(server, 'acme-crm', 'POST', 'faults', { mode: 'throttle', rate: 2 });
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual([expect.objectContaining({ path: 'rate' })]);
    const unknownMode = await admin(server, 'acme-crm', 'POST', 'faults', { mode: 'flaky' });
    expect(unknownMode.status).toBe(400);
    const notJson = await fetch(`${server.baseUrl}/_local/scim/_admin/acme-crm/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect((await admin(server, 'nowhere', 'GET', 'state')).status).toBe(404);
  });

  it('state shows users, groups with their members, the request log and counts; reset empties it', async () => {
    const user = await scim(server, 'acme-crm', 'POST', '/Users', bjensen());
    await scim(server, 'acme-crm', 'POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Tour Guides',
      members: [{ value: user.body.id }],
    });
    await scim(server, 'acme-crm', 'GET', '/Users?count=5', undefined, { token: 'wrong' });
    const state = (await admin(server, 'acme-crm', 'GET', 'state')).body;
    expect(state.users).toEqual([expect.objectContaining({ id: user.body.id, userName: 'bjensen', active: true })]);
    expect(state.groups).toEqual([
      expect.objectContaining({ displayName: 'Tour Guides', members: [{ value: user.body.id, userName: 'bjensen' }] }),
    ]);
    expect(
      state.requests.map((r: { method: string; path: string; status: number }) => [r.method, r.path, r.status]),
    ).toEqual([
      ['POST', '/Users', 201],
      ['POST', '/Groups', 201],
      ['GET', '/Users?count=5', 401],
    ]);
    expect(state.counts).toEqual(
      expect.objectContaining({ users: 1, groups: 1, requests: 3, byStatus: { 201: 2, 401: 1 } }),
    );
    await admin(server, 'acme-crm', 'POST', 'reset');
    const after = (await admin(server, 'acme-crm', 'GET', 'state')).body;
    expect(after).toEqual(expect.objectContaining({ users: [], groups: [], requests: [] }));
    expect(after.faults.mode).toBe('none');
  });
});

describe('FaultInjector', () => {
  it('affects floor(n × rate) of the first n requests, for any rate', () => {
    for (const rate of [0, 0.1, 0.25, 1 / 3, 0.5, 0.7, 1]) {
      const faults = new FaultInjector();
      faults.configure({ mode: 'error500', rate });
      let affected = 0;
      for (let n = 1; n <= 300; n++) {
        if (faults.decide().kind !== 'none') affected++;
        expect({ rate, n, affected }).toEqual({ rate, n, affected: Math.floor(n * rate + 1e-9) });
      }
    }
  });
});
