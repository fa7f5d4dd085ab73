import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphEmulatorServer } from '../../local/emulators/graph/graph-emulator-extension';

/** The emulator's outage in time (faults.unavailableUntil / outageSeconds), as the chaos harness injects it. */
describe('Graph emulator: an outage for a stretch of time', () => {
  let server: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
  let token: string;
  const graph = (p: string, init: RequestInit = {}) =>
    fetch(`${server.baseUrl}/_local/graph/v1.0${p}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });
  const faults = async (body: unknown) =>
    (await (
      await fetch(`${server.baseUrl}/_local/graph/_admin/faults`, { method: 'POST', body: JSON.stringify(body) })
    ).json()) as Record<string, unknown>;
  const batch = () =>
    graph('/$batch', {
      method: 'POST',
      body: JSON.stringify({ requests: [{ id: '1', method: 'GET', url: '/users?$top=1' }] }),
    });

  beforeAll(async () => {
    server = await startGraphEmulatorServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'jml-outage-')) });
    const res = await fetch(`${server.baseUrl}/_local/entra/_admin/token`, {
      method: 'POST',
      body: JSON.stringify({ aud: 'https://graph.microsoft.com', roles: ['User.ReadWrite.All'] }),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  afterAll(async () => server?.close());
  beforeEach(() => {
    Object.assign(server.emulator.api.faults, {
      unavailableUntil: 0,
      unavailableStatus: 503,
      unavailableInBatchItems: false,
      throttleRetryAfterSeconds: 1,
    });
  });

  it('answers every request 503 with a non-zero Retry-After until the outage ends, then serves again', async () => {
    const set = await faults({ outageSeconds: 60, throttleRetryAfterSeconds: 0 });
    expect(set.unavailableUntil).toBeGreaterThan(Date.now() + 50_000);
    for (const res of [await graph('/users?$top=1'), await batch()]) {
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('serviceNotAvailable');
    }
    await faults({ unavailableUntil: Date.now() - 1 });
    expect((await graph('/users?$top=1')).status).toBe(200);
  });

  it('as a 429 storm inside $batch: the batch answers 200 and each item 429 with Retry-After', async () => {
    await faults({ outageSeconds: 60, unavailableStatus: 429, unavailableInBatchItems: true });
    const res = await batch();
    expect(res.status).toBe(200);
    const { responses } = (await res.json()) as { responses: { status: number; headers: Record<string, string> }[] };
    expect(responses).toEqual([expect.objectContaining({ status: 429 })]);
    expect(Number(responses[0]!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const direct = await graph('/users?$top=1');
    expect(direct.status).toBe(429);
  });

  it('ignores values of the wrong type (the outage stays off)', async () => {
    const set = await faults({ outageSeconds: '60', unavailableStatus: 500 });
    expect(set).toMatchObject({ unavailableUntil: 0, unavailableStatus: 503 });
  });
});

/** The "Graph timeout" fault through the admin API, as the harness sets it (hang-fault.ts). */
describe('Graph emulator: requests never answered', () => {
  let server: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
  let token: string;
  beforeAll(async () => {
    server = await startGraphEmulatorServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'jml-hang-')) });
    const res = await fetch(`${server.baseUrl}/_local/entra/_admin/token`, {
      method: 'POST',
      body: JSON.stringify({ aud: 'https://graph.microsoft.com', roles: ['User.ReadWrite.All'] }),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  afterAll(async () => server?.close());

  it('takes hangNext, hangApplied and hangMs from the admin API, ignoring values of the wrong type', async () => {
    const post = async (body: unknown) =>
      (await (
        await fetch(`${server.baseUrl}/_local/graph/_admin/faults`, { method: 'POST', body: JSON.stringify(body) })
      ).json()) as Record<string, unknown>;
    expect(await post({ hangNext: 2, hangApplied: true, hangMs: 5000 })).toMatchObject({
      hangNext: 2,
      hangApplied: true,
      hangMs: 5000,
    });
    expect(await post({ hangNext: '3', hangApplied: 'no', hangMs: -1 })).toMatchObject({ hangNext: 2, hangMs: 5000 });
  });

  it('holds a hung request open with no answer until the client gives up', async () => {
    Object.assign(server.emulator.api.faults, { hangNext: 1, hangApplied: false, hangMs: 60_000 });
    const res = await fetch(`${server.baseUrl}/_local/graph/v1.0/users?$top=1`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(500),
    }).catch((e: unknown) => e);
    expect((res as Error).name).toBe('TimeoutError');
    expect(server.emulator.api.faults.hangNext).toBe(0);
  });
});
