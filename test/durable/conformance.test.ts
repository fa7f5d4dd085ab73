import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';

const appRoot = path.resolve(__dirname, '../fixtures/durable-samples-app');

async function start(
  host: HostProcess,
  name: string,
  input?: unknown,
  id?: string,
): Promise<{ id: string; statusQueryGetUri: string }> {
  const res = await fetch(`${host.baseUrl}/api/orchestrators/${name}${id ? `/${id}` : ''}`, {
    method: 'POST',
    body: input === undefined ? '' : JSON.stringify(input),
  });
  expect(res.status).toBe(202);
  return (await res.json()) as { id: string; statusQueryGetUri: string };
}

async function waitFor(
  host: HostProcess,
  id: string,
  timeoutMs = 15_000,
): Promise<{ runtimeStatus: string; output: unknown; customStatus: unknown }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${host.baseUrl}/api/status/${encodeURIComponent(id)}`);
    const status = (await res.json()) as { runtimeStatus: string; output: unknown; customStatus: unknown };
    if (['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus)) return status;
    if (Date.now() > deadline) throw new Error(`instance ${id} still ${status.runtimeStatus}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function raise(host: HostProcess, id: string, name: string): Promise<void> {
  const url = `${host.baseUrl}/runtime/webhooks/durabletask/instances/${id}/raiseEvent/${name}`;
  expect((await fetch(url, { method: 'POST', body: '{}' })).status).toBe(202);
}

/** Polls until the instance shows `customStatus` (or ends: then the caller's next assert says why). */
async function waitForCustomStatus(host: HostProcess, id: string, customStatus: unknown, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${host.baseUrl}/api/status/${encodeURIComponent(id)}`);
    const status = (await res.json()) as { runtimeStatus: string; customStatus: unknown };
    if (JSON.stringify(status.customStatus) === JSON.stringify(customStatus)) return;
    if (['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus)) return;
    if (Date.now() > deadline) throw new Error(`instance ${id} never showed ${JSON.stringify(customStatus)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('durable-functions documentation samples on the local host', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await startHostProcess({ appRoot, dataDir: mkdtempSync(path.join(tmpdir(), 'jml-durable-')) });
  });
  afterAll(async () => host?.stop());

  it('function chaining', async () => {
    const { id, statusQueryGetUri } = await start(host, 'chaining');
    expect(statusQueryGetUri).toContain(`/runtime/webhooks/durabletask/instances/${id}`);
    expect(await waitFor(host, id)).toMatchObject({
      runtimeStatus: 'Completed',
      output: ['Hello Tokyo!', 'Hello Seattle!', 'Hello London!'],
    });
  });

  it('fan-out / fan-in', async () => {
    const { id } = await start(host, 'fanOut', 50);
    expect((await waitFor(host, id)).output).toBe(2 * ((49 * 50) / 2));
  });

  it('human interaction: the event wins before the timeout', async () => {
    const { id } = await start(host, 'approval', { timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 200));
    expect((await fetch(`${host.baseUrl}/api/instances/${id}/approve`, { method: 'POST' })).status).toBe(202);
    expect((await waitFor(host, id)).output).toBe('approved: alice');
  });

  it('human interaction: the timer wins without an event', async () => {
    const { id } = await start(host, 'approval', { timeoutMs: 300 });
    expect((await waitFor(host, id)).output).toBe('escalated');
  });

  it('retries an activity and surfaces a final failure the orchestrator can catch', async () => {
    const { id } = await start(host, 'retrying');
    expect((await waitFor(host, id)).output).toEqual({ result: 'ok after 3', caught: true });
  });

  it('sub-orchestrations with and without instance ids', async () => {
    const { id } = await start(host, 'parent');
    expect((await waitFor(host, id)).output).toEqual({ a: ['Hello Tokyo!', 'Hello Seattle!', 'Hello London!'], b: 12 });
  });

  it('eternal orchestration with continueAsNew', async () => {
    const { id } = await start(host, 'counter', 0);
    expect(await waitFor(host, id)).toMatchObject({
      runtimeStatus: 'Completed',
      output: 3,
      customStatus: { count: 3 },
    });
  });

  it('continueAsNew discards raised events no wait consumed, as Durable Functions for Node does in Azure', async () => {
    const { id } = await start(host, 'generations', 0);
    await waitForCustomStatus(host, id, { generation: 0 });
    await raise(host, id, 'Ping');
    await raise(host, id, 'Go');
    await waitForCustomStatus(host, id, { generation: 1 });
    await raise(host, id, 'Done');
    expect(await waitFor(host, id)).toMatchObject({ runtimeStatus: 'Completed', output: 'Ping discarded' });
  });

  it('an unhandled activity failure fails the instance with the error', async () => {
    const { id } = await start(host, 'failing');
    const status = await waitFor(host, id);
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain('permanent failure');
  });

  it('a replay that schedules a different action than its history fails the instance (non-determinism)', async () => {
    const { id } = await start(host, 'nondeterministic');
    const status = await waitFor(host, id);
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain('Non-deterministic workflow detected');
  });

  it('refuses to start an instance id that is already running', async () => {
    await start(host, 'approval', { timeoutMs: 60_000 }, 'fixed-id');
    const again = await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/orchestrators/approval/fixed-id`, {
      method: 'POST',
      body: '{"timeoutMs":1}',
    });
    expect(again.status).toBe(409);
    expect(
      (
        await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/instances/fixed-id/terminate?reason=done`, {
          method: 'POST',
        })
      ).status,
    ).toBe(202);
    expect((await waitFor(host, 'fixed-id')).runtimeStatus).toBe('Terminated');
    expect(
      (
        await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/instances/fixed-id/raiseEvent/Approval`, {
          method: 'POST',
          body: '{}',
        })
      ).status,
    ).toBe(410);
  });
});
