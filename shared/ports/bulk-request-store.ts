import { z } from 'zod';

/**
 * Where each bulkUpload request is remembered: what the intake decided for every operation (queued as
 * which HR events, failed or skipped, with the reason and warnings). The status URL joins this with the
 * audit rows the person orchestration writes for those event ids, like Entra's provisioning logs.
 */
export const OperationIntake = z.object({
  bulkId: z.string(),
  /** The SCIM externalId (= employeeId) when the operation had a usable one. */
  employeeId: z.string().nullable(),
  /** HR events the operation became, in queue order (an update then a terminate for `active: false`). */
  eventIds: z.array(z.string()),
  /** What the intake did: queued for the person's lifecycle, refused (failed) or nothing to do (skipped). */
  intake: z.enum(['queued', 'failed', 'skipped']),
  /** Whether the person's account existed when the request arrived (create or update). */
  matched: z.boolean(),
  /** The manager's employee id the events carry (for the status to say when it is still unassigned). */
  managerEmployeeId: z.string().nullable(),
  reason: z.string().nullable(),
  warnings: z.array(z.string()),
});
export type OperationIntake = z.infer<typeof OperationIntake>;

export const BulkRequestRecord = z.object({
  requestId: z.string(),
  receivedAt: z.string(),
  /** The caller's application id, from its token. */
  appId: z.string(),
  operations: z.array(OperationIntake),
});
export type BulkRequestRecord = z.infer<typeof BulkRequestRecord>;

export interface BulkRequestStore {
  save(record: BulkRequestRecord): Promise<void>;
  get(requestId: string): Promise<BulkRequestRecord | null>;
}
