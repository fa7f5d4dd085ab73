import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The local host's durable clock: real time plus an offset an operator (or a test) can move forward, so a
 * leave date next month or a retention period of 30 days can be watched happen in seconds. It drives the
 * durable engine only (history timestamps, currentUtcDateTime, timers), like the Durable Task Framework's
 * own clock in Azure. The offset is kept in the data folder so a restarted host never goes back in time.
 * Time only moves forward: orchestration history must stay ordered.
 */
export class LocalClock {
  private offsetMs = 0;
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'clock.json');
    if (existsSync(this.file)) {
      const saved = JSON.parse(readFileSync(this.file, 'utf8')) as { offsetMs?: unknown };
      if (typeof saved.offsetMs === 'number' && saved.offsetMs > 0) this.offsetMs = saved.offsetMs;
    }
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  offset(): number {
    return this.offsetMs;
  }

  /** Moves the clock forward by `ms`, or to `to` when given; never backwards. */
  advance(change: { ms?: number; to?: string }): number {
    let target = this.now() + (change.ms ?? 0);
    if (change.to !== undefined) {
      const at = Date.parse(change.to);
      if (Number.isNaN(at)) throw new RangeError(`'to' is not an ISO 8601 instant: ${change.to}`);
      target = at;
    }
    if (target < this.now()) throw new RangeError('the durable clock only moves forward');
    this.offsetMs = target - Date.now();
    writeFileSync(this.file, JSON.stringify({ offsetMs: this.offsetMs }));
    return this.now();
  }
}
