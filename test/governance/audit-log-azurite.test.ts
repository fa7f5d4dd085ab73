import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableStorageAuditLog } from '../../shared/adapters/audit/table-storage-audit-log';
import type { AuditRecord } from '../../shared/ports/audit-log';
import { startAzurite, type Azurite } from '../support/azurite';
import { auditPagingContract } from './audit-paging-contract';
import { auditIntentContract } from './audit-intent-contract';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => azurite?.stop());

const record = (employeeId: string | null, at: string, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  at,
  actor: 'orchestration',
  action: 'joiner.createUser',
  employeeId,
  target: 'entra',
  outcome: 'success',
  reason: null,
  before: null,
  after: { id: 'u1', temporaryAccessPass: 'Secret#1', nested: { password: 'p' } },
  correlation: { eventId: 'e1', instanceId: 'person-1' },
  ...extra,
});

const minute = (n: number) => new Date(Date.UTC(2026, 10, 25, 10, 0) + n * 60_000).toISOString();

describe('TableStorageAuditLog on Table Storage (Azurite)', () => {
  it('writes one row per record keyed by person and time, redacted, and queries with OData', async () => {
    const table = await azurite.createTable('audit');
    const log = new TableStorageAuditLog(table);
    await log.append([
      record("O'Neil", minute(120)),
      record("O'Neil", minute(0), { target: 'slack' }),
      record('B', minute(60)),
      record(null, minute(30), { action: 'policy.reevaluate' }),
    ]);
    const rows: Record<string, unknown>[] = [];
    for await (const entity of table.listEntities({ queryOptions: { filter: "PartitionKey eq 'B'" } }))
      rows.push(entity);
    const [row] = rows;
    expect(row).toMatchObject({ partitionKey: 'B', at: minute(60), target: 'entra' });
    expect(String(row!.rowKey)).toMatch(new RegExp(`^${minute(60).replace(/\./g, '\\.')}_`));
    expect(String(row!.record)).not.toContain('Secret#1');
    expect((await log.query({ employeeId: "O'Neil" })).map((r) => r.at)).toEqual([minute(0), minute(120)]);
    expect((await log.query({ employeeId: "O'Neil", target: 'slack' })).map((r) => r.at)).toEqual([minute(0)]);
    expect((await log.query({ from: minute(30), to: minute(60) })).map((r) => r.employeeId)).toEqual([null, 'B']);
    expect((await log.query({ employeeId: 'B' }))[0]!.after).toEqual({
      id: 'u1',
      temporaryAccessPass: '[redacted]',
      nested: { password: '[redacted]' },
    });
  });

  it('reads more than 1,000 rows across pages, for one person and across people', async () => {
    const table = await azurite.createTable('audit');
    // 1,050 rows for A, 100 each for B and C, seeded 100 per transaction in the adapter's layout (appending
    // them one by one is what the first test covers; 1,250 single requests make a slow test on a busy box).
    const seeded = [
      ...Array.from({ length: 1050 }, (_, n) => record('A', minute(n))),
      ...Array.from({ length: 100 }, (_, n) => record('B', minute(n * 10 + 5))),
      ...Array.from({ length: 100 }, (_, n) => record('C', minute(n * 10 + 7))),
    ];
    const rows = seeded.map((r, n) => ({
      partitionKey: r.employeeId!,
      rowKey: `${r.at}_${String(n).padStart(8, '0')}`,
      target: r.target,
      at: r.at,
      record: JSON.stringify(r),
    }));
    for (const partition of ['A', 'B', 'C']) {
      const own = rows.filter((row) => row.partitionKey === partition);
      for (let k = 0; k < own.length; k += 100)
        await table.submitTransaction(own.slice(k, k + 100).map((row) => ['create', row]));
    }
    const log = new TableStorageAuditLog(table);
    expect(await log.query({ employeeId: 'A', limit: 5000 })).toHaveLength(1050);
    const all = await log.query({ limit: 5000 });
    expect(all).toHaveLength(1250);
    expect(all.map((r) => r.at)).toEqual(seeded.map((r) => r.at).sort()); // oldest first
    expect(await log.query({})).toHaveLength(1000); // the default limit
    expect(await log.query({ employeeId: 'A', from: minute(1000) })).toHaveLength(50);
  });

  it('stores a record larger than one property holds, and one larger than an entity holds', async () => {
    const log = new TableStorageAuditLog(await azurite.createTable('audit'));
    const groups = Array.from({ length: 3000 }, (_, n) => `group-${String(n).padStart(5, '0')}-${'x'.repeat(20)}`);
    await log.append([record('L', minute(1), { action: 'access.apply', after: { groups } })]);
    expect((await log.query({ employeeId: 'L' }))[0]!.after).toEqual({ groups }); // ~100,000 characters
    const huge = { blob: 'y'.repeat(600_000) };
    await log.append([record('L', minute(2), { action: 'access.apply', before: huge, reason: 'big' })]);
    const [, stored] = await log.query({ employeeId: 'L' });
    expect(stored).toMatchObject({ action: 'access.apply', reason: 'big', before: { truncated: true } });
  });
});

describe('long audit records on Table Storage (Azurite)', () => {
  it('reads a record spread over several properties back whole, by query and page by page', async () => {
    const log = new TableStorageAuditLog(await azurite.createTable('auditlong'));
    // Over one property's 32,000 characters (long-text.ts): stored as `record` and `record_1`.
    const reason = 'x'.repeat(40_000);
    await log.append([record('L', minute(0), { reason })]);
    expect((await log.query({ employeeId: 'L' }))[0]!.reason).toBe(reason);
    expect((await log.page({ employeeId: 'L' })).records[0]!.reason).toBe(reason);
  });
});

describe('audit pages on Table Storage (Azurite)', () => {
  auditPagingContract(async () => new TableStorageAuditLog(await azurite.createTable('auditpages')));
});

describe('audit intents on Table Storage (Azurite)', () => {
  auditIntentContract(async () => new TableStorageAuditLog(await azurite.createTable('auditintents')));
});
