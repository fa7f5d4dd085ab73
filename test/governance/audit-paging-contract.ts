import { expect, it } from 'vitest';
import type { AuditLog, AuditRecord } from '../../shared/ports/audit-log';

const record = (employeeId: string, at: string): AuditRecord => ({
  at,
  actor: 'orchestration',
  action: 'joiner.createUser',
  employeeId,
  target: 'entra',
  outcome: 'success',
  reason: null,
  before: null,
  after: null,
  correlation: { eventId: 'e1' },
});

/** Issue 23 item 11: the audit API never stops silently at a limit; every adapter pages with a token. */
export function auditPagingContract(make: () => Promise<AuditLog>): void {
  it('pages with a continuation token until none is left, and refuses a token it did not issue', async () => {
    const log = await make();
    const at = (i: number) => new Date(Date.UTC(2026, 10, 25, 0, 0, i)).toISOString();
    await log.append(Array.from({ length: 25 }, (_, i) => record(i % 2 ? 'A' : 'B', at(i))));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await log.page({ limit: 10, continuationToken: token });
      seen.push(...page.records.map((r) => r.at));
      token = page.continuationToken ?? undefined;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(Array.from({ length: 25 }, (_, i) => at(i)));
    const exact = await log.page({ limit: 25 });
    expect(exact.continuationToken).toBeNull();
    await expect(log.page({ continuationToken: 'bm90LW91cnM' })).rejects.toThrow(/continuationToken/);
  });
}
