import type Database from 'better-sqlite3';
import { Circuit, closedCircuit } from '../../domain/scim-circuit';
import { ParkedSync, SenderState, type ScimTargetHealth } from '../../ports/scim-target-health';
import { openDatabase } from './open-database';

/** SCIM target circuits and backlogs in the local data folder (scim-target-health.sqlite). */
export class SqliteScimTargetHealth implements ScimTargetHealth {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openDatabase(
      file,
      `CREATE TABLE IF NOT EXISTS circuit (target TEXT PRIMARY KEY, body TEXT NOT NULL);
       CREATE TABLE IF NOT EXISTS parked (
         target TEXT NOT NULL, employee TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL,
         PRIMARY KEY (target, employee));
       CREATE TABLE IF NOT EXISTS sender (target TEXT PRIMARY KEY, body TEXT NOT NULL);`,
    );
  }

  async circuit(targetId: string): Promise<Circuit> {
    return this.read(targetId);
  }

  async updateCircuit<T>(targetId: string, change: (circuit: Circuit) => { circuit: Circuit; result: T }): Promise<T> {
    // better-sqlite3 is synchronous: the read-change-write cannot interleave with another in this process, and the
    // immediate transaction serialises it against other processes on the same file.
    return this.db
      .transaction(() => {
        const { circuit, result } = change(this.read(targetId));
        this.db
          .prepare(
            `INSERT INTO circuit (target, body) VALUES (?, ?) ON CONFLICT (target) DO UPDATE SET body = excluded.body`,
          )
          .run(targetId, JSON.stringify(Circuit.parse(circuit)));
        return result;
      })
      .immediate();
  }

  async park(sync: ParkedSync, options: { onlyIfAbsent?: boolean } = {}): Promise<void> {
    const row = ParkedSync.parse(sync);
    const condition = options.onlyIfAbsent ? 'WHERE 0' : 'WHERE excluded.seq > parked.seq';
    this.db
      .prepare(
        `INSERT INTO parked (target, employee, seq, body) VALUES (?, ?, ?, ?)
         ON CONFLICT (target, employee) DO UPDATE SET seq = excluded.seq, body = excluded.body ${condition}`,
      )
      .run(row.targetId, row.employeeId, row.seq, JSON.stringify(row));
  }

  async parkedFor(targetId: string, employeeId: string): Promise<ParkedSync | null> {
    const row = this.db
      .prepare(`SELECT body FROM parked WHERE target = ? AND employee = ?`)
      .get(targetId, employeeId) as { body: string } | undefined;
    return row ? ParkedSync.parse(JSON.parse(row.body)) : null;
  }

  async parked(targetId: string, limit: number, after?: string): Promise<ParkedSync[]> {
    const rows = this.db
      .prepare(`SELECT body FROM parked WHERE target = ? AND employee > ? ORDER BY employee LIMIT ?`)
      .all(targetId, after ?? '', limit) as { body: string }[];
    return rows.map((row) => ParkedSync.parse(JSON.parse(row.body)));
  }

  async countParked(targetId: string): Promise<number> {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM parked WHERE target = ?`).get(targetId) as { n: number }).n;
  }

  async unpark(targetId: string, employeeId: string, seq: number): Promise<boolean> {
    const done = this.db
      .prepare(`DELETE FROM parked WHERE target = ? AND employee = ? AND seq = ?`)
      .run(targetId, employeeId, seq);
    return done.changes > 0;
  }

  async sender(targetId: string): Promise<SenderState> {
    const row = this.db.prepare(`SELECT body FROM sender WHERE target = ?`).get(targetId) as
      { body: string } | undefined;
    return row ? SenderState.parse(JSON.parse(row.body)) : { idle: true, until: null };
  }

  async setSender(targetId: string, state: SenderState): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO sender (target, body) VALUES (?, ?) ON CONFLICT (target) DO UPDATE SET body = excluded.body`,
      )
      .run(targetId, JSON.stringify(SenderState.parse(state)));
  }

  private read(targetId: string): Circuit {
    const row = this.db.prepare(`SELECT body FROM circuit WHERE target = ?`).get(targetId) as
      { body: string } | undefined;
    return row ? Circuit.parse(JSON.parse(row.body)) : closedCircuit();
  }
}
