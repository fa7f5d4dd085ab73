import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ScimSyncOutcome } from '../../shared/ports/scim-sync';
import { directoryUser, worker } from '../unit/domain/fixtures';
import { listResponse, startScriptedServer, type Script } from './client-scripted-server';
import { startScimmyServer, type ScimmyTestServer } from './client-scimmy-server';
import { policyWithTarget, syncWith, upsert } from './sync-support';

/**
 * ScimSync.syncMany, the round of a target's sender (issue 19): the same outcome per person as `sync`, with the
 * look-ups shared, one `or` filter for ten people, and the fall-backs when a target cannot take it.
 */
const people = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const id = `E${2000 + i}`;
    return {
      account: directoryUser({ id: `u-${id}`, employeeId: id, userPrincipalName: `p${i}@contoso.com` }),
      request: upsert({ employeeId: id, userId: `u-${id}`, record: worker({ employeeId: id }) }),
    };
  });

const lookups = (calls: ScimSyncOutcome['calls']) =>
  calls.filter((c) => c.method === 'GET' && c.path.startsWith('/Users?')).map((c) => c.path);

describe('syncMany against scimmy', () => {
  let server: ScimmyTestServer;
  beforeAll(async () => {
    server = await startScimmyServer();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  it('looks 25 people up in 3 requests, creates the new ones, adopts or updates the ones it had', async () => {
    const all = people(25);
    server.users.set('pre-name', { id: 'pre-name', userName: 'p3@contoso.com', active: true, meta: {} });
    // Ours by externalId (another userName): updated; a userName match without our externalId: adopted.
    server.users.set('pre-ext', { id: 'pre-ext', userName: 'someone@else.com', externalId: 'E2007', meta: {} });
    const sync = syncWith(
      policyWithTarget(server.baseUrl),
      all.map((p) => p.account),
    );
    const outcomes = await sync.syncMany(all.map((p) => p.request));
    expect(outcomes).toHaveLength(25);
    expect(outcomes.map((o) => (o.ok ? o.result : o.detail))).toEqual(
      all.map((_, i) => (i === 3 ? 'adopted' : i === 7 ? 'updated' : 'created')),
    );
    expect(outcomes[3]).toMatchObject({ scimId: 'pre-name' });
    expect(outcomes[7]).toMatchObject({ scimId: 'pre-ext' });
    expect(server.users.size).toBe(25);
    // Each outcome names the shared look-up it was decided by: 10 + 10 + 5 people.
    const shared = new Set(outcomes.flatMap((o) => lookups(o.calls)));
    expect(shared.size).toBe(3);
    const first = decodeURIComponent([...shared][0]!);
    expect(first).toContain('userName eq "p0@contoso.com" or externalId eq "E2000" or userName eq "p1@contoso.com"');
    expect(first.match(/ eq /g)).toHaveLength(20);
    // Nobody looked up alone.
    for (const outcome of outcomes) expect(lookups(outcome.calls)).toHaveLength(1);

    const again = await sync.syncMany(all.map((p) => p.request));
    expect(again.map((o) => o.ok && o.result)).toEqual(all.map(() => 'unchanged'));
  });

  it("one person's ambiguous match fails that person only", async () => {
    const all = people(4);
    server.users.set('a', { id: 'a', userName: 'x1@else.com', externalId: 'E2001', meta: {} });
    server.users.set('b', { id: 'b', userName: 'x2@else.com', externalId: 'E2001', meta: {} });
    const outcomes = await syncWith(
      policyWithTarget(server.baseUrl),
      all.map((p) => p.account),
    ).syncMany(all.map((p) => p.request));
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, true]);
    expect(outcomes[1]).toMatchObject({ retryable: false, detail: '2 users in the target match externalId E2001' });
  });
});

describe('syncMany against quirky targets', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());
  async function serve(script: Script) {
    const server = await startScriptedServer(script);
    close = () => server.close();
    return server;
  }
  const noDiscovery: Script = () => ({ status: 404, raw: 'Not Found' });
  const created = (body: unknown) => ({ ...(body as object), id: `id-${(body as { externalId: string }).externalId}` });

  it('a target refusing "or" gets one look-up per person and attribute', async () => {
    const server = await serve((r) => {
      if (!r.path.startsWith('/Users')) return noDiscovery(r);
      if (r.method === 'POST') return { status: 201, body: created(r.body) };
      if (/ or /.test(r.query.get('filter') ?? '')) return { status: 400, body: { scimType: 'invalidFilter' } };
      return { status: 200, body: listResponse([]) };
    });
    const all = people(3);
    const outcomes = await syncWith(
      policyWithTarget(server.baseUrl),
      all.map((p) => p.account),
    ).syncMany(all.map((p) => p.request));
    expect(outcomes.map((o) => o.ok && o.result)).toEqual(['created', 'created', 'created']);
    const filters = server.requests.flatMap((r) => (r.method === 'GET' ? [r.query.get('filter')] : []));
    expect(filters.filter((f) => f && / or /.test(f))).toHaveLength(1);
    expect(filters.filter((f) => f && !/ or /.test(f))).toHaveLength(6);
  });

  it('an answer that may be incomplete (totalResults above what came) leaves its people to look up alone', async () => {
    const server = await serve((r) => {
      if (!r.path.startsWith('/Users')) return noDiscovery(r);
      if (r.method === 'POST') return { status: 201, body: created(r.body) };
      const filter = r.query.get('filter') ?? '';
      if (/ or .* or /.test(filter)) return { status: 200, body: listResponse([], 500) };
      return { status: 200, body: listResponse([]) };
    });
    const all = people(2);
    const outcomes = await syncWith(
      policyWithTarget(server.baseUrl),
      all.map((p) => p.account),
    ).syncMany(all.map((p) => p.request));
    expect(outcomes.map((o) => o.ok && o.result)).toEqual(['created', 'created']);
    // The shared look-up, then each person's own (userName or externalId in one filter).
    expect(outcomes.map((o) => lookups(o.calls).length)).toEqual([2, 2]);
  });

  it('a throttled shared look-up fails each person of it with the Retry-After, and nothing is written', async () => {
    const server = await serve((r) => {
      if (!r.path.startsWith('/Users')) return noDiscovery(r);
      return { status: 429, headers: { 'retry-after': '7' }, body: { status: '429', detail: 'slow down' } };
    });
    const all = people(3);
    const before = Date.now();
    const outcomes = await syncWith(
      policyWithTarget(server.baseUrl),
      all.map((p) => p.account),
    ).syncMany(all.map((p) => p.request));
    const after = Date.now();
    // The Retry-After counts from the answer (RFC 9110 §10.2.3): its end is 7 s after a moment within the call.
    for (const outcome of outcomes) {
      const retryAt = Date.parse((!outcome.ok && outcome.retryAt) || '');
      expect(retryAt).toBeGreaterThanOrEqual(before + 7_000);
      expect(retryAt).toBeLessThanOrEqual(after + 7_000);
    }
    expect(outcomes.map((o) => !o.ok && [o.retryable, o.status, o.retryAfterSeconds])).toEqual([
      [true, 429, 7],
      [true, 429, 7],
      [true, 429, 7],
    ]);
    expect(server.requests.filter((r) => r.path.startsWith('/Users'))).toHaveLength(1);
  });
});
