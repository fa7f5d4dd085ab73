import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHostProcess } from '../support/host-process';

const appRoot = path.resolve(__dirname, '../fixtures/durable-samples-app');

describe('crash safety of the local durable backend', () => {
  it('every fan-out completes with the right output after repeated SIGKILLs, none lost or applied twice', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'jml-crash-'));
    const ids = Array.from({ length: 12 }, (_, i) => `crash-${i}`);
    const width = 30;
    let host = await startHostProcess({ appRoot, dataDir });
    for (const id of ids) {
      const res = await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/orchestrators/fanOut/${id}`, {
        method: 'POST',
        body: String(width),
      });
      expect(res.status).toBe(202);
    }
    for (let round = 0; round < 4; round++) {
      await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 150)));
      await host.kill();
      host = await startHostProcess({ appRoot, dataDir });
    }
    try {
      for (const id of ids) {
        let status:
          | { runtimeStatus: string; output: unknown; historyEvents: { EventType: number; TaskScheduledId?: number }[] }
          | undefined;
        for (let i = 0; i < 300; i++) {
          status = (await (
            await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/instances/${id}?showHistory=true`)
          ).json()) as typeof status;
          if (status!.runtimeStatus === 'Completed') break;
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(status!.runtimeStatus).toBe('Completed');
        expect(status!.output).toBe((2 * ((width - 1) * width)) / 2);
        const completions = status!.historyEvents.filter((e) => e.EventType === 5).map((e) => e.TaskScheduledId);
        expect(completions).toHaveLength(width);
        expect(new Set(completions).size).toBe(width);
      }
    } finally {
      await host.stop();
    }
  }, 60_000);
});
