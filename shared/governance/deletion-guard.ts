import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openDatabase } from '../adapters/sqlite/open-database';
import { exceedsDeletionThreshold, type Policy } from '../domain/policy';
import type { DeletionGuardPort, Hold, RemovalRequest } from '../ports/deletion-guard';

/**
 * Accidental-deletion protection, as Entra's provisioning service does it
 * (https://learn.microsoft.com/entra/identity/app-provisioning/accidental-deletions): disables and deletes
 * are counted over a rolling hour; past the policy's threshold each further one is held until an admin
 * approves or rejects it. Every decision is kept (the audit trail records it too).
 */
export type { Hold } from '../ports/deletion-guard';

const HOUR_MS = 3_600_000;

export class DeletionGuard implements DeletionGuardPort {
  private readonly db: Database.Database;

  constructor(
    file: string,
    private readonly now: () => number = Date.now,
  ) {
    this.db = openDatabase(
      file,
      `CREATE TABLE IF NOT EXISTS removals (
         at INTEGER NOT NULL, employee_id TEXT NOT NULL, action TEXT NOT NULL, decision_key TEXT);
       CREATE INDEX IF NOT EXISTS removals_at ON removals(at);
       CREATE TABLE IF NOT EXISTS holds (
         hold_id TEXT PRIMARY KEY, employee_id TEXT NOT NULL, action TEXT NOT NULL, instance_id TEXT NOT NULL,
         event_id TEXT, created_at TEXT NOT NULL, status TEXT NOT NULL, decided_by TEXT, decision_key TEXT);`,
    );
    addDecisionKeys(this.db);
  }

  /**
   * Counts this removal, or holds it when the rolling hour is already at the threshold. A decision asked about
   * again (its leaver retried in a fresh child instance) gets its first answer: counted once, held once.
   */
  async check(request: RemovalRequest, policy: Policy): Promise<{ decision: 'proceed' | 'held'; holdId?: string }> {
    const key = request.decisionKey ?? request.instanceId;
    return this.db.transaction(() => {
      const existing = this.db
        .prepare(`SELECT hold_id, status FROM holds WHERE employee_id = ? AND action = ? AND decision_key = ?`)
        .get(request.employeeId, request.action, key) as { hold_id: string; status: string } | undefined;
      if (existing)
        return existing.status === 'held'
          ? { decision: 'held' as const, holdId: existing.hold_id }
          : { decision: 'proceed' as const };
      const counted = this.db
        .prepare(`SELECT 1 FROM removals WHERE employee_id = ? AND action = ? AND decision_key = ?`)
        .get(request.employeeId, request.action, key);
      if (counted) return { decision: 'proceed' as const };
      const now = this.now();
      const inWindow = (
        this.db.prepare(`SELECT COUNT(*) AS n FROM removals WHERE at > ?`).get(now - HOUR_MS) as { n: number }
      ).n;
      if (
        exceedsDeletionThreshold(
          { pending: 1, alreadyInWindow: inWindow, totalAccounts: request.totalAccounts ?? 0 },
          policy,
        )
      ) {
        const holdId = randomUUID();
        this.db
          .prepare(
            `INSERT INTO holds (hold_id, employee_id, action, instance_id, event_id, created_at, status, decision_key)
             VALUES (?, ?, ?, ?, ?, ?, 'held', ?)`,
          )
          .run(
            holdId,
            request.employeeId,
            request.action,
            request.instanceId,
            request.eventId ?? null,
            new Date(now).toISOString(),
            key,
          );
        return { decision: 'held' as const, holdId };
      }
      this.db
        .prepare(`INSERT INTO removals (at, employee_id, action, decision_key) VALUES (?, ?, ?, ?)`)
        .run(now, request.employeeId, request.action, key);
      return { decision: 'proceed' as const };
    })();
  }

  async list(status?: Hold['status']): Promise<Hold[]> {
    return this.listSync(status);
  }

  private listSync(status?: Hold['status']): Hold[] {
    const rows = (
      status
        ? this.db.prepare(`SELECT * FROM holds WHERE status = ? ORDER BY created_at`).all(status)
        : this.db.prepare(`SELECT * FROM holds ORDER BY created_at`).all()
    ) as {
      hold_id: string;
      employee_id: string;
      action: Hold['action'];
      instance_id: string;
      event_id: string | null;
      created_at: string;
      status: Hold['status'];
      decided_by: string | null;
    }[];
    return rows.map((r) => ({
      holdId: r.hold_id,
      employeeId: r.employee_id,
      action: r.action,
      instanceId: r.instance_id,
      eventId: r.event_id,
      createdAt: r.created_at,
      status: r.status,
      decidedBy: r.decided_by,
    }));
  }

  /** Approve or reject a held removal; approved ones count in the window like any other. */
  async decide(holdId: string, approve: boolean, actor: string): Promise<Hold | null> {
    return this.db.transaction(() => {
      const hold = this.listSync().find((h) => h.holdId === holdId);
      if (!hold || hold.status !== 'held') return null;
      const { decision_key: key } = this.db.prepare(`SELECT decision_key FROM holds WHERE hold_id = ?`).get(holdId) as {
        decision_key: string | null;
      };
      this.db
        .prepare(`UPDATE holds SET status = ?, decided_by = ? WHERE hold_id = ?`)
        .run(approve ? 'approved' : 'rejected', actor, holdId);
      if (approve)
        this.db
          .prepare(`INSERT INTO removals (at, employee_id, action, decision_key) VALUES (?, ?, ?, ?)`)
          .run(this.now(), hold.employeeId, hold.action, key);
      const decided: Hold = { ...hold, status: approve ? 'approved' : 'rejected', decidedBy: actor };
      return decided;
    })();
  }
}

/**
 * Files written before removals and holds carried their decision's key get the column; their holds are keyed by
 * the instance id they were asked with (what a request without a key falls back to), their removals by nothing.
 */
function addDecisionKeys(db: Database.Database): void {
  for (const table of ['removals', 'holds']) {
    const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
    if (!columns.some((c) => c.name === 'decision_key')) db.exec(`ALTER TABLE ${table} ADD COLUMN decision_key TEXT`);
  }
  db.exec(
    `UPDATE holds SET decision_key = instance_id WHERE decision_key IS NULL;
     CREATE INDEX IF NOT EXISTS removals_decision ON removals(employee_id, action, decision_key);
     CREATE INDEX IF NOT EXISTS holds_decision ON holds(employee_id, action, decision_key);`,
  );
}
