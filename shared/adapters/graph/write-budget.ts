/**
 * The app's share of Graph's directory write budget, as seen from this process: writes sent in the last 150 s.
 *
 * Graph allows about 3,000 writes per 150 s per app and tenant and counts every item of a $batch
 * (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits). Packing relation
 * changes (relations-batcher.ts) saves writes but costs each caller up to the packing window in latency, which
 * is only worth paying when the budget is actually under pressure: many writes in the window, or Graph already
 * answering 429. Counted in one-second buckets so recording and reading are O(1) in the number of writes.
 */
const GRAPH_WRITE_BUDGET = 3_000;
const WINDOW_SECONDS = 150;

export class WriteBudget {
  private readonly buckets = new Array<number>(WINDOW_SECONDS).fill(0);
  private bucketSecond = 0;
  private total = 0;
  private throttledUntil = -Infinity;

  /**
   * @param pressureShare share of the budget used in the window from which callers wait for company
   *   (a twentieth by default, 150 writes: far below where Graph throttles, so a bulk import packs from its first
   *   hundred hires; a sequential run does not wait at any level, see RelationsBatcherOptions.othersWorking).
   */
  constructor(
    private readonly pressureShare = 0.05,
    private readonly budget = GRAPH_WRITE_BUDGET,
  ) {}

  /** `count` writes sent at `now` (ms). */
  record(count: number, now = Date.now()): void {
    if (count <= 0) return;
    this.advance(now);
    this.buckets[this.bucketSecond % WINDOW_SECONDS]! += count;
    this.total += count;
  }

  /** Graph answered 429/503: the budget is under pressure for the rest of the window, whatever we counted. */
  noteThrottled(now = Date.now()): void {
    this.throttledUntil = now + WINDOW_SECONDS * 1000;
  }

  /** Graph answered 429/503 within the last 150 s: its budget, not ours, sets the pace now. */
  throttled(now = Date.now()): boolean {
    return now < this.throttledUntil;
  }

  /** Writes sent in the last 150 s. */
  used(now = Date.now()): number {
    this.advance(now);
    return this.total;
  }

  underPressure(now = Date.now()): boolean {
    return now < this.throttledUntil || this.used(now) >= this.pressureShare * this.budget;
  }

  /**
   * Half the budget spent in the window, or Graph throttling: the app is bound by Graph's write budget, so
   * every write saved is throughput gained and waiting longer for company costs less than a 429's Retry-After.
   */
  nearLimit(now = Date.now()): boolean {
    return now < this.throttledUntil || this.used(now) >= this.budget / 2;
  }

  /** Drops the buckets that left the window since the last call. */
  private advance(now: number): void {
    const second = Math.floor(now / 1000);
    if (second <= this.bucketSecond) return;
    const gone = Math.min(second - this.bucketSecond, WINDOW_SECONDS);
    for (let i = 1; i <= gone; i++) {
      const index = (this.bucketSecond + i) % WINDOW_SECONDS;
      this.total -= this.buckets[index]!;
      this.buckets[index] = 0;
    }
    this.bucketSecond = second;
  }
}
