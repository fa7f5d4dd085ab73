import type { QueueStore, SendRequest, SendResult } from './queue-store';

interface PendingSend {
  queue: string;
  messages: SendRequest[];
  resolve(results: SendResult[]): void;
  reject(error: unknown): void;
}

/**
 * Groups the sends of one event-loop tick into one transaction: under a burst of webhook requests each
 * commit was paid per request; now it is paid once per tick, and every sender still gets its answer only
 * after its messages are stored (accepted ⇒ stored). If the grouped transaction fails, each send is retried
 * alone, so one bad request cannot fail the others.
 */
export class SendBatcher {
  private pending: PendingSend[] = [];

  constructor(
    private readonly store: () => QueueStore,
    private readonly stored: () => void,
  ) {}

  send(queue: string, messages: SendRequest[]): Promise<SendResult[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ queue, messages, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    try {
      const results = this.store().sendGroups(batch);
      batch.forEach((send, i) => send.resolve(results[i]!));
    } catch {
      for (const send of batch) {
        try {
          send.resolve(this.store().send(send.queue, send.messages));
        } catch (error) {
          send.reject(error);
        }
      }
    }
    this.stored();
  }
}
