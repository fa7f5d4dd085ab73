/** Dead-lettered HR events: listed with their reason, inspected, replayed onto the queue, or discarded. */
export interface DeadLetter {
  sequenceNumber: number;
  messageId: string;
  sessionId: string | null;
  body: unknown;
  enqueuedTime: string;
  deliveryCount: number;
  /** What Service Bus recorded: for a message the processor kept failing, MaxDeliveryCountExceeded. */
  reason: string | null;
  description: string | null;
}

/**
 * Why the processor failed, as it recorded at the time (Service Bus itself only records
 * MaxDeliveryCountExceeded: the Functions host abandons a failed message without a reason).
 */
export interface RecordedFailure {
  at: string;
  reason: string;
  deliveryCount: number | null;
}

export type DeadLetterView = DeadLetter & { failure: RecordedFailure | null };

export interface DeadLetters {
  list(queue: string): Promise<DeadLetter[]>;
  /** False when there is no such dead letter; DeadLetterOutOfReachError when it is too deep to reach. */
  replay(queue: string, sequenceNumber: number): Promise<boolean>;
  discard(queue: string, sequenceNumber: number): Promise<boolean>;
}

/** The dead letter exists but lies beyond how many messages one replay or discard may lock to reach it. */
export class DeadLetterOutOfReachError extends Error {}
