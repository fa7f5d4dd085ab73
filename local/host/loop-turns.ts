import type { ForegroundGate } from './foreground-gate';

/**
 * Hands out turns of the event loop one at a time: `await turns.next()` resolves in a later turn than any
 * other waiter's, after the loop has polled for I/O. Work that shares the loop with an HTTP listener (the
 * durable engine's episodes and activities, the Service Bus listeners' messages) takes a turn before each item,
 * so a request waits behind at most one item instead of a whole batch (setImmediate callbacks queued together
 * all run before the next poll). With a gate, a turn also waits for its background slot while callers burst.
 *
 * Urgent work (an immediate termination, a rescind: see the engine's and the queue's priority) takes its turns in
 * a line of its own, served first and never paced: a security leaver sent during a burst of hires waited for the
 * burst to end (13 s into a 15 s burst) while the gate held it to the bulk hires' share. It still takes one turn
 * per item, after I/O, so callers are not held up by it either.
 */
export class LoopTurns {
  private readonly waiting: (() => void)[] = [];
  private readonly urgent: (() => void)[] = [];
  private scheduled = false;
  private urgentScheduled = false;

  /** @param onDrained called once the last waiter has had its turn */
  constructor(
    private readonly onDrained: () => void = () => undefined,
    private readonly gate?: ForegroundGate,
  ) {}

  /** Waiters that have not had their turn yet. */
  get pending(): number {
    return this.waiting.length + this.urgent.length;
  }

  next(urgent = false): Promise<void> {
    return new Promise<void>((resolve) => {
      if (urgent) {
        this.urgent.push(resolve);
        this.scheduleUrgent();
      } else {
        this.waiting.push(resolve);
        this.schedule();
      }
    });
  }

  /** Urgent work has just arrived for whoever waits first in the paced line: that waiter goes at once. */
  expedite(): void {
    const first = this.waiting.shift();
    if (!first) return;
    this.urgent.push(first);
    this.scheduleUrgent();
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
      this.drained();
    };
    if (wait > 0) setTimeout(turn, wait);
    else setImmediate(turn);
  }

  private scheduleUrgent(): void {
    if (this.urgentScheduled || this.urgent.length === 0) return;
    this.urgentScheduled = true;
    setImmediate(() => {
      this.urgentScheduled = false;
      this.urgent.shift()?.();
      this.scheduleUrgent();
      this.drained();
    });
  }

  private drained(): void {
    if (this.pending === 0) this.onDrained();
  }
}
