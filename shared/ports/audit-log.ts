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

export interface AuditLog {
  append(records: AuditRecord[]): Promise<void>;
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
