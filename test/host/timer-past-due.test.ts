import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostServices } from '../../local/host/extension';
import type { RegisteredFunction, RpcTypedData } from '../../local/host/function-registry';
import { createTimerTriggerExtension } from '../../local/host/timer/timer-trigger-extension';

/**
 * isPastDue after downtime (issue 15). With useMonitor (the default), the Functions host persists each timer's
 * schedule status; an occurrence that fell due while the host was down runs at start-up with isPastDue: true
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#usage). The extension runs
 * in-process against a recording host: no timing, only what the handler received.
 */
interface TimerInput {
  isPastDue: boolean;
  scheduleStatus: { last: string; next: string; lastUpdated: string };
}

// Once a year (1 January, 00:00): nothing falls due by schedule while a test runs.
const YEARLY = '0 0 0 1 1 *';

function timerFunction(name: string, trigger: Record<string, unknown> = {}): RegisteredFunction {
  return {
    metadata: { name },
    callback: () => undefined,
    triggerName: 'timer',
    trigger: { type: 'timerTrigger', direction: 'in', schedule: YEARLY, ...trigger },
  } as unknown as RegisteredFunction;
}

async function runHost(dataDir: string, fn: RegisteredFunction): Promise<TimerInput[]> {
  const received: TimerInput[] = [];
  const services = {
    dataDir,
    logger: { error: () => undefined, info: () => undefined, warn: () => undefined },
    functions: () => [fn],
    invoke: (_fn: RegisteredFunction, trigger: RpcTypedData) => {
      received.push(JSON.parse(String(trigger.json)) as TimerInput);
      return Promise.resolve({});
    },
  } as unknown as HostServices;
  const extension = createTimerTriggerExtension();
  await extension.start(services);
  await extension.stop();
  return received;
}

function saveStatus(dataDir: string, name: string, status: { last: string; next: string }): void {
  writeFileSync(
    path.join(dataDir, 'timer-status.json'),
    JSON.stringify({ [name]: { ...status, lastUpdated: status.last } }),
  );
}

describe('timer trigger after downtime', () => {
  const missed = { last: '2020-01-01T00:00:00.000Z', next: '2021-01-01T00:00:00.000Z' };

  it('runs the occurrence missed while the host was down, once, with isPastDue: true', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'jml-timer-'));
    saveStatus(dataDir, 'nightly', missed);
    const received = await runHost(dataDir, timerFunction('nightly'));
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ isPastDue: true, scheduleStatus: { last: missed.last } });
    // The missed occurrence is now the last one run: the next start-up does not run it again.
    const saved = JSON.parse(readFileSync(path.join(dataDir, 'timer-status.json'), 'utf8')) as Record<
      string,
      { last: string; next: string }
    >;
    expect(saved.nightly?.last).toBe(missed.next);
    expect(Date.parse(saved.nightly!.next)).toBeGreaterThan(Date.now());
    expect(await runHost(dataDir, timerFunction('nightly'))).toEqual([]);
  });

  it('runOnStartup without a missed occurrence: isPastDue is false', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'jml-timer-'));
    const received = await runHost(dataDir, timerFunction('nightly', { runOnStartup: true }));
    expect(received).toEqual([expect.objectContaining({ isPastDue: false })]);
  });

  it('useMonitor: false keeps no schedule status, so a missed occurrence is not run', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'jml-timer-'));
    saveStatus(dataDir, 'nightly', missed);
    expect(await runHost(dataDir, timerFunction('nightly', { useMonitor: false }))).toEqual([]);
  });
});
