import type Database from 'better-sqlite3';
import { openDatabase } from '../../shared/adapters/sqlite/open-database';
import { whereClause } from '../../shared/adapters/sqlite/where-clause';

/**
 * Persisted state of the local Durable Task backend (one SQLite file):
 * instances, append-only history per execution, the inbox of new events per instance, pending activity
 * (and retry) work items, and durable timers. Every orchestrator step commits its history and the work it
 * scheduled in one transaction, so a crash loses nothing: on restart the inbox, work items and timers resume.
 */
export type RuntimeStatus = 'Pending' | 'Running' | 'Completed' | 'Failed' | 'Terminated' | 'Suspended';

export interface InstanceRow {
  id: string;
  name: string;
  status: RuntimeStatus;
  input: string; // JSON text
  output: string; // JSON text
  custom_status: string; // JSON text
  created_at: string;
  updated_at: string;
  parent_id: string | null;
  parent_task_id: number | null;
  /** Engine bookkeeping for the current execution: JSON of EngineState. */
  engine: string;
}

/** Instances kept with their history in memory (the history is read again at every episode). */
const HISTORY_CACHE_SIZE = 2000;

export interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  [field: string]: unknown;
}

export interface WorkItem {
  id: number;
  priority: number;
  instance_id: string;
  task_id: number;
  kind: 'activity';
  name: string;
  input: string;
}

export interface CustomStatusRow {
  id: string;
  status: string;
  custom_status: string;
  updated_at: string;
}

export interface TimerRow {
  id: number;
  instance_id: string;
  fire_at: number;
  event: string;
}

export class DurableStore {
  readonly db: Database.Database;

  /** `busyTimeoutMs`: how long a write waits for another connection's lock (better-sqlite3's default: 5 s). */
  constructor(file: string, options: { busyTimeoutMs?: number } = {}) {
    this.db = openDatabase(
      file,
      `
      CREATE TABLE IF NOT EXISTS instances (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, input TEXT NOT NULL,
        output TEXT NOT NULL DEFAULT 'null', custom_status TEXT NOT NULL DEFAULT 'null',
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, parent_id TEXT, parent_task_id INTEGER,
        engine TEXT NOT NULL DEFAULT '{}');
      CREATE INDEX IF NOT EXISTS instances_status ON instances(status, created_at);
      CREATE TABLE IF NOT EXISTS history (
        instance_id TEXT NOT NULL, idx INTEGER NOT NULL, event TEXT NOT NULL, PRIMARY KEY (instance_id, idx));
      CREATE TABLE IF NOT EXISTS inbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, event TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS inbox_instance ON inbox(instance_id, seq);
      CREATE TABLE IF NOT EXISTS work (
        id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, task_id INTEGER NOT NULL,
        kind TEXT NOT NULL, name TEXT NOT NULL, input TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS timers (
        id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, fire_at INTEGER NOT NULL, event TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS timers_due ON timers(fire_at);
      -- Cancelling an instance's timers and work (continueAsNew, completion, purge) reads only its own rows,
      -- not every timer and work item of every person (issue 16: O(n) per episode at 50,000 people).
      CREATE INDEX IF NOT EXISTS timers_instance ON timers(instance_id);
      CREATE INDEX IF NOT EXISTS work_instance ON work(instance_id);
      CREATE INDEX IF NOT EXISTS instances_updated ON instances(updated_at);
    `,
      { backgroundCheckpoints: true },
    );
    // Scheduling priority (see DurableEngine.raiseEvent): files written before it existed get the columns.
    for (const table of ['instances', 'inbox', 'work']) {
      const columns = this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
      if (!columns.some((c) => c.name === 'priority'))
        this.db.exec(`ALTER TABLE ${table} ADD COLUMN priority INTEGER NOT NULL DEFAULT 0`);
    }
    this.db.exec(`
      CREATE INDEX IF NOT EXISTS inbox_priority ON inbox(priority DESC, seq);
      CREATE INDEX IF NOT EXISTS work_priority ON work(priority DESC, id);
      CREATE INDEX IF NOT EXISTS instances_pending ON instances(status, priority DESC, created_at);
      CREATE INDEX IF NOT EXISTS instances_parent ON instances(parent_id) WHERE parent_id IS NOT NULL;
    `);
    // Tests shorten it, so a locked file's SQLITE_BUSY comes in milliseconds, not seconds.
    if (options.busyTimeoutMs !== undefined)
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs))}`);
  }

  /** History per instance as last committed; dropped entirely when a transaction rolls back. */
  private readonly historyCache = new Map<string, HistoryEvent[]>();

  tx<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (error) {
      this.historyCache.clear();
      throw error;
    }
  }

  getInstance(id: string): InstanceRow | null {
    return (this.db.prepare(`SELECT * FROM instances WHERE id = ?`).get(id) as InstanceRow | undefined) ?? null;
  }

  listInstances(filter: {
    statuses?: string[];
    createdFrom?: string;
    createdTo?: string;
    prefix?: string;
  }): InstanceRow[] {
    const { sql, args } = whereClause([
      filter.statuses?.length
        ? [`status IN (${filter.statuses.map(() => '?').join(',')})`, ...filter.statuses]
        : undefined,
      filter.createdFrom ? ['created_at >= ?', filter.createdFrom] : undefined,
      filter.createdTo ? ['created_at <= ?', filter.createdTo] : undefined,
      filter.prefix ? ['substr(id, 1, ?) = ?', filter.prefix.length, filter.prefix] : undefined,
    ]);
    return this.db.prepare(`SELECT * FROM instances ${sql} ORDER BY created_at`).all(...args) as InstanceRow[];
  }

  /**
   * Id, status and custom status only (no input/output), through the primary key's range for the prefix and,
   * with `updatedSince` (an ISO time), the updated_at index: a poller reads what changed, not every instance.
   */
  customStatuses(prefix: string, updatedSince?: string): CustomStatusRow[] {
    const range = [prefix, `${prefix}\u{10FFFF}`];
    const columns = 'id, status, custom_status, updated_at';
    if (updatedSince === undefined)
      return this.db
        .prepare(`SELECT ${columns} FROM instances WHERE id >= ? AND id < ?`)
        .all(...range) as CustomStatusRow[];
    // `+id`: the prefix covers most instances; the updated_at index is the selective one.
    return this.db
      .prepare(`SELECT ${columns} FROM instances WHERE updated_at >= ? AND +id >= ? AND +id < ?`)
      .all(updatedSince, ...range) as CustomStatusRow[];
  }

  /** Scheduling priority of an instance (0: normal). */
  priorityOf(id: string): number {
    return (
      (this.db.prepare(`SELECT priority FROM instances WHERE id = ?`).get(id) as { priority: number } | undefined)
        ?.priority ?? 0
    );
  }

  /**
   * Raises (never lowers) the priority of an instance, of its running descendants, and of the work and
   * waiting events they already have, so urgent work is not held up by a child started before it arrived.
   */
  raisePriority(id: string, priority: number): void {
    const family = `WITH RECURSIVE family(id) AS (
        SELECT ? UNION SELECT i.id FROM instances i JOIN family f ON i.parent_id = f.id
          WHERE i.status IN ('Pending', 'Running', 'Suspended'))`;
    this.db
      .prepare(`${family} UPDATE instances SET priority = ? WHERE id IN (SELECT id FROM family) AND priority < ?`)
      .run(id, priority, priority);
    this.db
      .prepare(`${family} UPDATE work SET priority = ? WHERE instance_id IN (SELECT id FROM family) AND priority < ?`)
      .run(id, priority, priority);
    this.db
      .prepare(`${family} UPDATE inbox SET priority = ? WHERE instance_id IN (SELECT id FROM family) AND priority < ?`)
      .run(id, priority, priority);
  }

  /** Back to normal once an instance is idle (waiting for an event or a timer, nothing of its own running). */
  resetPriorityIfIdle(id: string): void {
    const busy = this.db
      .prepare(
        `SELECT 1 WHERE EXISTS (SELECT 1 FROM work WHERE instance_id = ?)
            OR EXISTS (SELECT 1 FROM inbox WHERE instance_id = ?)
            OR EXISTS (SELECT 1 FROM instances WHERE parent_id = ? AND status IN ('Pending', 'Running', 'Suspended'))`,
      )
      .get(id, id, id);
    if (!busy) this.db.prepare(`UPDATE instances SET priority = 0 WHERE id = ? AND priority > 0`).run(id);
  }

  saveInstance(row: InstanceRow): void {
    this.db
      .prepare(
        `INSERT INTO instances (
           id, name, status, input, output, custom_status, created_at, updated_at, parent_id, parent_task_id, engine)
         VALUES (
           @id, @name, @status, @input, @output, @custom_status, @created_at, @updated_at, @parent_id, @parent_task_id,
           @engine)
         ON CONFLICT(id) DO UPDATE SET
           name=@name, status=@status, input=@input, output=@output, custom_status=@custom_status,
           updated_at=@updated_at, parent_id=@parent_id, parent_task_id=@parent_task_id, engine=@engine`,
      )
      .run(row);
  }

  /** The instance's history. Callers must not change it: the array is shared with the cache. */
  history(id: string): HistoryEvent[] {
    const cached = this.historyCache.get(id);
    if (cached) return cached;
    const events = (
      this.db.prepare(`SELECT event FROM history WHERE instance_id = ? ORDER BY idx`).all(id) as { event: string }[]
    ).map((r) => JSON.parse(r.event) as HistoryEvent);
    this.remember(id, events);
    return events;
  }

  private remember(id: string, events: HistoryEvent[]): void {
    this.historyCache.delete(id);
    if (this.historyCache.size >= HISTORY_CACHE_SIZE)
      this.historyCache.delete(this.historyCache.keys().next().value as string);
    this.historyCache.set(id, events);
  }

  /** Appends with one multi-row INSERT; the next index comes from the cached history when there is one. */
  appendHistory(id: string, events: HistoryEvent[]): void {
    if (!events.length) return;
    const cached = this.historyCache.get(id);
    const next =
      cached?.length ??
      (
        this.db.prepare(`SELECT COALESCE(MAX(idx), -1) + 1 AS n FROM history WHERE instance_id = ?`).get(id) as {
          n: number;
        }
      ).n;
    for (let start = 0; start < events.length; start += 100) {
      const chunk = events.slice(start, start + 100);
      this.db
        .prepare(`INSERT INTO history (instance_id, idx, event) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`)
        .run(...chunk.flatMap((e, i) => [id, next + start + i, JSON.stringify(e)]));
    }
    if (cached) this.remember(id, [...cached, ...events]);
  }

  clearHistory(id: string): void {
    this.db.prepare(`DELETE FROM history WHERE instance_id = ?`).run(id);
    this.remember(id, []);
  }

  /** A new event for the instance, at the instance's priority unless a higher one is given. */
  enqueue(id: string, event: HistoryEvent, priority = 0): void {
    this.db
      .prepare(
        `INSERT INTO inbox (instance_id, event, priority)
         VALUES (?, ?, MAX(?, COALESCE((SELECT priority FROM instances WHERE id = ?), 0)))`,
      )
      .run(id, JSON.stringify(event), priority, id);
  }

  /**
   * Instances with waiting events, most urgent then oldest event first, skipping `busy` ones. Reads the inbox in seq
   * order with a bound instead of grouping the whole inbox, so a backlog of thousands costs the same per pump.
   * `urgentOnly`: only instances with an urgent event waiting (see DurableEngine.raiseEvent).
   */
  instancesWithInbox(limit: number, busy: Iterable<string> = [], { urgentOnly = false } = {}): string[] {
    const skip = [...busy];
    const where = [
      ...(skip.length ? [`instance_id NOT IN (${skip.map(() => '?').join(',')})`] : []),
      ...(urgentOnly ? ['priority > 0'] : []),
    ];
    const rows = this.db
      .prepare(
        `SELECT instance_id FROM inbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY priority DESC, seq LIMIT ?`,
      )
      .all(...skip, limit * 8) as { instance_id: string }[];
    const ids = new Set<string>();
    for (const r of rows) {
      ids.add(r.instance_id);
      if (ids.size >= limit) break;
    }
    return [...ids];
  }

  /** Pending (started, never run) instances, most urgent then oldest first. */
  pendingInstances(limit: number): { id: string; priority: number }[] {
    return this.db
      .prepare(`SELECT id, priority FROM instances WHERE status = 'Pending' ORDER BY priority DESC, created_at LIMIT ?`)
      .all(limit) as { id: string; priority: number }[];
  }

  firstInbox(id: string): { seq: number; event: HistoryEvent } | null {
    const row = this.db.prepare(`SELECT seq, event FROM inbox WHERE instance_id = ? ORDER BY seq LIMIT 1`).get(id) as
      { seq: number; event: string } | undefined;
    return row ? { seq: row.seq, event: JSON.parse(row.event) as HistoryEvent } : null;
  }

  inboxOf(id: string, limit: number): { seq: number; event: HistoryEvent }[] {
    return (
      this.db.prepare(`SELECT seq, event FROM inbox WHERE instance_id = ? ORDER BY seq LIMIT ?`).all(id, limit) as {
        seq: number;
        event: string;
      }[]
    ).map((r) => ({
      seq: r.seq,
      event: JSON.parse(r.event) as HistoryEvent,
    }));
  }

  deleteInbox(seq: number): void {
    this.db.prepare(`DELETE FROM inbox WHERE seq = ?`).run(seq);
  }

  /** A work item at its instance's priority. */
  addWork(item: Omit<WorkItem, 'id' | 'priority'>): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO work (instance_id, task_id, kind, name, input, priority)
           VALUES (?, ?, ?, ?, ?, COALESCE((SELECT priority FROM instances WHERE id = ?), 0))`,
        )
        .run(item.instance_id, item.task_id, item.kind, item.name, item.input, item.instance_id).lastInsertRowid,
    );
  }

  /**
   * Work items, most urgent then oldest first, skipping the ones already running, at most `limit`. `urgentOnly`:
   * only work of urgent instances (priority > 0).
   */
  allWork(limit = -1, running: Iterable<number> = [], { urgentOnly = false } = {}): WorkItem[] {
    const skip = [...running];
    const where = [
      ...(skip.length ? [`id NOT IN (${skip.map(() => '?').join(',')})`] : []),
      ...(urgentOnly ? ['priority > 0'] : []),
    ];
    return this.db
      .prepare(
        `SELECT * FROM work ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY priority DESC, id LIMIT ?`,
      )
      .all(...skip, limit) as WorkItem[];
  }

  deleteWork(id: number): boolean {
    return this.db.prepare(`DELETE FROM work WHERE id = ?`).run(id).changes > 0;
  }

  addTimer(id: string, fireAt: number, event: HistoryEvent): void {
    this.db
      .prepare(`INSERT INTO timers (instance_id, fire_at, event) VALUES (?, ?, ?)`)
      .run(id, fireAt, JSON.stringify(event));
  }

  dueTimers(now: number): TimerRow[] {
    return this.db.prepare(`SELECT * FROM timers WHERE fire_at <= ? ORDER BY fire_at, id`).all(now) as TimerRow[];
  }

  nextTimerAt(): number | null {
    return (this.db.prepare(`SELECT MIN(fire_at) AS t FROM timers`).get() as { t: number | null }).t;
  }

  deleteTimer(id: number): void {
    this.db.prepare(`DELETE FROM timers WHERE id = ?`).run(id);
  }

  deleteTimersOf(instanceId: string, timerTaskId?: number): void {
    if (timerTaskId === undefined) this.db.prepare(`DELETE FROM timers WHERE instance_id = ?`).run(instanceId);
    else
      this.db
        .prepare(`DELETE FROM timers WHERE instance_id = ? AND json_extract(event, '$.TimerId') = ?`)
        .run(instanceId, timerTaskId);
  }

  purge(id: string): boolean {
    this.historyCache.delete(id);
    const deleted = this.db.prepare(`DELETE FROM instances WHERE id = ?`).run(id).changes > 0;
    this.db.prepare(`DELETE FROM history WHERE instance_id = ?`).run(id);
    this.db.prepare(`DELETE FROM inbox WHERE instance_id = ?`).run(id);
    this.db.prepare(`DELETE FROM work WHERE instance_id = ?`).run(id);
    this.db.prepare(`DELETE FROM timers WHERE instance_id = ?`).run(id);
    return deleted;
  }

  close(): void {
    this.db.close();
  }
}
