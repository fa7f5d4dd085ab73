/**
 * Keeps the requests to one target at or under its policy `ratePerSecond`: each request gets the next free slot,
 * slots 1000 / rate ms apart, and waits for it in the process (as it waits for a concurrency slot). A target's
 * rate is per process: in Azure each instance paces its own requests, like the concurrency limit.
 */
export class RequestPacer {
  private nextSlotAt = 0;
  private readonly intervalMs: number;

  constructor(
    ratePerSecond: number,
    private readonly clock: () => number = Date.now,
    private readonly wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.intervalMs = 1000 / ratePerSecond;
  }

  /** Resolves when the caller may send; callers are served in the order they asked. */
  async slot(): Promise<void> {
    const now = this.clock();
    const at = Math.max(now, this.nextSlotAt);
    this.nextSlotAt = at + this.intervalMs;
    if (at > now) await this.wait(at - now);
  }
}
