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
  correlation: { eventId?: string; instanceId?: string; graphRequestId?: string };
}

export interface AuditQuery {
  employeeId?: string;
  target?: string;
  from?: string;
  to?: string;
  limit?: number;
}

export interface AuditLog {
  append(records: AuditRecord[]): Promise<void>;
  query(query: AuditQuery): Promise<AuditRecord[]>;
}
