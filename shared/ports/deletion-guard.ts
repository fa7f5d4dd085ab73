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
  /** Accounts in the tenant now (for maxPercent); 0 when unknown: only maxPerHour applies. */
  totalAccounts?: number;
}

export interface DeletionGuardPort {
  check(request: RemovalRequest, policy: Policy): Promise<{ decision: 'proceed' | 'held'; holdId?: string }>;
  list(status?: Hold['status']): Promise<Hold[]>;
  decide(holdId: string, approve: boolean, actor: string): Promise<Hold | null>;
}
