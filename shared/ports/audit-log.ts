/** AuditLog port: append-only record of every change the app makes or refuses to make. */
export interface AuditRecord {
  /** ISO instant. */
  at: string;
  /** Who or what acted: 'hr-webhook', 'admin:alice', 'orchestration'. */
  actor: string;
  action: string;
  /** Employee id of the person concerned, when there is one. */
  employeeId: string | null;
  /** 'entra' or a SCIM target name. */
  target: string;
  outcome: 'success' | 'failure' | 'skipped' | 'planned' | 'held';
  reason: string | null;
  before: unknown;
  after: unknown;
  correlation: { eventId?: string; instanceId?: string; graphRequestId?: string; scimRequestId?: string };
}

export interface AuditQuery {
  employeeId?: string;
  target?: string;
  from?: string;
  to?: string;
  limit?: number;
}

/** One page of records; `continuationToken` (opaque) asks for the next page, null when there is none. */
export interface AuditPage {
  records: AuditRecord[];
  continuationToken: string | null;
}

/**
 * A step's write-ahead intent: the row it is about to earn, recorded before its directory writes. A SIGKILL between
 * a write and its row would otherwise leave the change with no row, since the retried step reads the directory,
 * finds nothing left to change and writes none (the chaos run's audit check found it); the retry finds the intent
 * instead and writes the row for what the earlier attempt made. `key` names the step (orchestration instance,
 * activity, input and action); intents are per person (`employeeId`), as the rows are.
 */
export interface AuditIntentKey {
  key: string;
  employeeId: string | null;
}

export interface AuditLog {
  /** Appends the records; `closes` closes that intent in the same transaction (the row it announced is written). */
  append(records: AuditRecord[], options?: { closes?: AuditIntentKey }): Promise<void>;
  /**
   * Records `record` as the intent under `key`, unless an earlier attempt's intent is still open there: that one is
   * kept (it holds the state before the step's first write) and answered; null when there was none.
   */
  intend(key: AuditIntentKey, record: AuditRecord): Promise<AuditRecord | null>;
  /** The open intent under `key`, or null (read only). */
  openIntent(key: AuditIntentKey): Promise<AuditRecord | null>;
  /**
   * A person's open intents, oldest first: steps that announced directory writes and have not written their row,
   * either running now or stopped (a failed run, to be retried or ended in ops/runs).
   */
  openIntents(employeeId: string): Promise<AuditRecord[]>;
  /** The first `limit` matching records (1000 by default). */
  query(query: AuditQuery): Promise<AuditRecord[]>;
  /** Matching records page by page: `limit` per page, from where `continuationToken` left off. */
  page(query: AuditQuery & { continuationToken?: string }): Promise<AuditPage>;
}

/** A continuation token the audit log did not give out (a 400 for the caller, not a fresh first page). */
export class InvalidContinuationToken extends Error {
  constructor() {
    super('continuationToken is not one this audit log gave out');
  }
}
