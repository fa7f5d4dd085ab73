/**
 * How many messages wait on a queue (active: available, not yet delivered to the trigger). The bulkUpload
 * door reads it to answer 429 + Retry-After when the HR events queue is saturated.
 */
export interface QueueBacklog {
  activeMessages(queueName: string): Promise<number>;
}
