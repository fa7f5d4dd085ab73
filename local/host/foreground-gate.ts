import { performance } from 'node:perf_hooks';

/**
 * Callers first, background at a reserved share, while the app's HTTP routes are under a burst.
 *
 * Why: on the local host the HTTP triggers, the Service Bus listeners and the durable engine share one event loop.
 * Under a burst of webhooks (an HR system replaying a day, a bulk connector) every accepted event also starts
 * queue and orchestration work; served in arrival order, that work took most of the loop and the callers waited
 * behind it (bench intake: 226 events/s, p99 141 ms, against 2,200 events/s with no background at all). In Azure
 * the HTTP front end and the queue and orchestration work scale out on separate instances; here the host gives the
 * caller the loop first. While app routes receive at least `busyArrivals` requests within `windowMs` and the loop
 * was busy at least `busyUtilization` of the last half-window, background items (a queue message, an episode, an
 * activity) start one per `shareIntervalMs`, in turn, never less: the work is stored and goes on, it is only
 * paced. Below that rate (a console user, a health probe, 50 events/s), or while the loop has time to spare (a
 * connector posting 300 events/s for an hour), the gate holds nothing back.
 */
export interface ForegroundGateOptions {
  /** Requests within `windowMs` from which the host counts as under a burst. */
  busyArrivals?: number;
  windowMs?: number;
  /** While under a burst, one background item may start per this many milliseconds. */
  shareIntervalMs?: number;
  /** Event-loop utilisation (0-1) from which callers are held up by background work. */
  busyUtilization?: number;
  now?: () => number;
  /** Utilisation of the event loop since the previous call (perf_hooks eventLoopUtilization by default). */
  utilization?: () => number;
}

function eventLoopUtilization(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const delta = performance.eventLoopUtilization(last);
    last = performance.eventLoopUtilization();
    return delta.utilization;
  };
}

export class ForegroundGate {
  private readonly busyArrivals: number;
  private readonly bucketMs: number;
  private readonly shareIntervalMs: number;
  private readonly busyUtilization: number;
  private readonly now: () => number;
  private readonly utilization: () => number;
  private lastUtilization = 0;
  /** Arrivals in the current and the previous half-window. */
  private current = 0;
  private previous = 0;
  private bucketStart = 0;
  private nextSlot = 0;

  constructor(options: ForegroundGateOptions = {}) {
    this.busyArrivals = options.busyArrivals ?? 20;
    this.bucketMs = (options.windowMs ?? 100) / 2;
    this.shareIntervalMs = options.shareIntervalMs ?? 50;
    this.busyUtilization = options.busyUtilization ?? 0.8;
    this.now = options.now ?? Date.now;
    this.utilization = options.utilization ?? eventLoopUtilization();
  }

  /** An app HTTP request has arrived. */
  arrived(): void {
    this.roll(this.now());
    this.current++;
  }

  busy(): boolean {
    const now = this.now();
    this.roll(now);
    return this.current + this.previous >= this.busyArrivals && this.lastUtilization >= this.busyUtilization;
  }

  /**
   * Milliseconds a background item waits before it may start (0 when callers are not bursting); the slot is
   * taken, so the next item asks for the one after it.
   */
  claimBackgroundSlot(): number {
    const now = this.now();
    if (!this.busy()) {
      this.nextSlot = now;
      return 0;
    }
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.shareIntervalMs;
    return slot - now;
  }

  private roll(now: number): void {
    const elapsed = now - this.bucketStart;
    if (elapsed < this.bucketMs) return;
    this.previous = elapsed < 2 * this.bucketMs ? this.current : 0;
    this.lastUtilization = this.utilization();
    this.current = 0;
    this.bucketStart = now - (elapsed % this.bucketMs);
  }
}
