import type { ForegroundGate } from './foreground-gate';

/**
 * Hands out turns of the event loop one at a time: `await turns.next()` resolves in a later turn than any
 * other waiter's, after the loop has polled for I/O. Work that shares the loop with an HTTP listener (the
 * durable engine's episodes and activities, the Service Bus listeners' messages) takes a turn before each item,
 * so a request waits behind at most one item instead of a whole batch (setImmediate callbacks queued together
 * all run before the next poll). With a gate, a turn also waits for its background slot while callers burst.
 */
export class LoopTurns {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  /** @param onDrained called once the last waiter has had its turn */
  constructor(
    private readonly onDrained: () => void = () => undefined,
    private readonly gate?: ForegroundGate,
  ) {}

  /** Waiters that have not had their turn yet. */
  get pending(): number {
    return this.waiting.length;
  }

  next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    const wait = this.gate?.claimBackgroundSlot() ?? 0;
    const turn = () => {
      this.scheduled = false;
      this.waiting.shift()?.();
      // Scheduled from inside a check-phase callback, the next turn runs after the next I/O poll.
      this.schedule();
      if (this.waiting.length === 0) this.onDrained();
    };
    if (wait > 0) setTimeout(turn, wait);
    else setImmediate(turn);
  }
}
