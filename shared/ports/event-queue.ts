/**
 * EventQueue port: durable hand-off of HR events from the intake doors to the Service Bus trigger.
 * Cloud: Azure Service Bus (sessions + duplicate detection). Local: the local host's queue emulator.
 */
export interface QueueMessage {
  /** Duplicate detection key (the HR event id). */
  messageId: string;
  /** Ordering key (the employee id): one person's events are processed in order. */
  sessionId: string;
  body: unknown;
  /** Deliver no earlier than this instant. */
  scheduledEnqueueTime?: Date;
  applicationProperties?: Record<string, string | number | boolean>;
}

export interface EventQueue {
  /** Resolves only once the messages are durably stored (accepted ⇒ never lost). */
  send(queueName: string, messages: QueueMessage[]): Promise<void>;
  close(): Promise<void>;
}
