/**
 * Each person's ordered inbox of messages for their orchestration (HR events, re-evaluation requests).
 *
 * Why not only raise external events: an event that reaches an orchestration in the same batch as the
 * completion after which it calls continueAsNew is dropped (durabletask-dotnet#387,
 * azure-functions-durable-extension#1676; durable-functions for Node has no preserveUnprocessedEvents).
 * So the intake appends here first and only then raises a "poke"; the orchestration reads its inbox before
 * it waits, so a lost poke delays nothing and loses nothing.
 */
export interface InboxEntry {
  seq: number;
  message: unknown;
}

export interface PersonInboxPort {
  /** Appends a message; the same messageId again (a redelivery) keeps the first and returns its seq. */
  append(employeeId: string, messageId: string, message: unknown): Promise<number>;
  /** The first message after `afterSeq` (0: from the start), or null. */
  next(employeeId: string, afterSeq: number): Promise<InboxEntry | null>;
}
