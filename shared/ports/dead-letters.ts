/** Dead-lettered HR events: listed with their reason, inspected, replayed onto the queue, or discarded. */
export interface DeadLetter {
  sequenceNumber: number;
  messageId: string;
  sessionId: string | null;
  body: unknown;
  enqueuedTime: string;
  deliveryCount: number;
  reason: string | null;
  description: string | null;
}

export interface DeadLetters {
  list(queue: string): Promise<DeadLetter[]>;
  replay(queue: string, sequenceNumber: number): Promise<boolean>;
  discard(queue: string, sequenceNumber: number): Promise<boolean>;
}
