import { z } from 'zod';
import type { QueueBacklog } from '../../ports/queue-backlog';

const Counts = z.object({ counts: z.record(z.string(), z.number()) });

/**
 * Backlog of a queue on the local host's Service Bus emulator (GET /_local/servicebus/queues/{queue}). Its
 * `active` count includes scheduled messages, which Service Bus counts apart (scheduledMessageCount): locally
 * the door refuses a little earlier than in Azure, never later.
 */
export class LocalQueueBacklog implements QueueBacklog {
  constructor(private readonly origin: string) {}

  async activeMessages(queueName: string): Promise<number> {
    const response = await fetch(`${this.origin}/_local/servicebus/queues/${encodeURIComponent(queueName)}`);
    if (!response.ok) throw new Error(`local queue backlog: ${response.status} ${await response.text()}`);
    return Counts.parse(await response.json()).counts.active ?? 0;
  }
}
