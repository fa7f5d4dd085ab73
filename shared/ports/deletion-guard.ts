import type { Policy } from '../domain/policy';

/** Accidental-deletion holds (see shared/governance/deletion-guard.ts for the rules). */
export interface Hold {
  holdId: string;
  employeeId: string;
  action: 'disable' | 'delete';
  instanceId: string;
  eventId: string | null;
  createdAt: string;
  status: 'held' | 'approved' | 'rejected';
  decidedBy: string | null;
}

export interface RemovalRequest {
  employeeId: string;
  action: 'disable' | 'delete';
  instanceId: string;
  eventId?: string;
  /**
   * The person's decision this removal belongs to, stable across its retries (the person orchestration's step key,
   * e.g. `t-1001:0`; a retry runs in a fresh child instance). The guard counts a decision once per employee and
   * action, however often it is asked. Absent (inputs from before the key existed): the instance id.
   */
  decisionKey?: string;
  /** Accounts in the tenant now (for maxPercent); 0 when unknown: only maxPerHour applies. */
  totalAccounts?: number;
}

export interface DeletionGuardPort {
  check(request: RemovalRequest, policy: Policy): Promise<{ decision: 'proceed' | 'held'; holdId?: string }>;
  list(status?: Hold['status']): Promise<Hold[]>;
  decide(holdId: string, approve: boolean, actor: string): Promise<Hold | null>;
}
