import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * The Graph writes that changed the directory, as the emulator applied them: SQLite triggers on the emulator's
 * users, members and managers tables append one row per effective change to `chaos_effects`, in the same
 * transaction as the change itself, so a SIGKILL can never keep a change and lose its row (or the reverse). A
 * write that changed nothing (a PATCH to the same value, a member already there) fires no row. The triggers are
 * TEMP (they live on the host's connection only, installed by the traps); the table is in the emulator's file,
 * so it survives the kills. Each row names the Graph request that made it (client-request-id, the $batch's for
 * its items), for reading a mismatch.
 */
export type EffectKind =
  | 'create'
  | 'delete'
  | 'restore'
  | 'enable'
  | 'disable'
  | 'update'
  | 'group-add'
  | 'group-remove'
  | 'manager-set'
  | 'manager-remove';

export interface Effect {
  seq: number;
  kind: EffectKind;
  employeeId: string | null;
  userId: string;
  /** The group or the manager, for relation changes. */
  target: string | null;
  /** "METHOD /path" of the Graph request (or $batch item) that made it, and its client-request-id. */
  request: string | null;
  requestId: string | null;
}

/** Properties that change without being an attribute update the app makes (or that other kinds cover). */
const NOT_ATTRIBUTES = new Set([
  'id',
  'accountEnabled',
  'deletedDateTime',
  'createdDateTime',
  'signInSessionsValidFromDateTime',
  'assignedLicenses',
  'licenseAssignmentStates',
  'passwordProfile',
]);

/** The kinds of change one users-row update is: deletion, restore, enable/disable, attribute update. */
function userUpdateKinds(oldDoc: string, newDoc: string, oldDeleted: number, newDeleted: number): EffectKind[] {
  if (!oldDeleted && newDeleted) return ['delete'];
  if (oldDeleted && !newDeleted) return ['restore'];
  const before = JSON.parse(oldDoc) as Record<string, unknown>;
  const after = JSON.parse(newDoc) as Record<string, unknown>;
  const kinds: EffectKind[] = [];
  if (Boolean(before.accountEnabled) !== Boolean(after.accountEnabled))
    kinds.push(after.accountEnabled ? 'enable' : 'disable');
  const keys = new Set([...Object.keys(before), ...Object.keys(after)].filter((k) => !NOT_ATTRIBUTES.has(k)));
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if ([...keys].some((k) => !same(before[k], after[k]))) kinds.push('update');
  return kinds;
}

const TABLE = `CREATE TABLE IF NOT EXISTS main.chaos_effects (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, employee_id TEXT, user_id TEXT NOT NULL,
  target TEXT, request TEXT, request_id TEXT)`;

const employeeOf = (column: string) => `(SELECT employee_id FROM main.users WHERE id = ${column})`;
const insert = (kind: string, user: string, employee: string, target: string) =>
  `INSERT INTO main.chaos_effects (kind, employee_id, user_id, target, request, request_id)
   VALUES (${kind}, ${employee}, ${user}, ${target}, chaos_request(), chaos_request_id());`;

const TRIGGERS = [
  `CREATE TEMP TRIGGER IF NOT EXISTS chaos_user_created AFTER INSERT ON main.users BEGIN
     ${insert(`'create'`, 'NEW.id', 'NEW.employee_id', 'NULL')} END`,
  `CREATE TEMP TRIGGER IF NOT EXISTS chaos_user_changed AFTER UPDATE ON main.users BEGIN
     INSERT INTO main.chaos_effects (kind, employee_id, user_id, target, request, request_id)
       SELECT value, NEW.employee_id, NEW.id, NULL, chaos_request(), chaos_request_id()
       FROM json_each(chaos_user_update_kinds(OLD.doc, NEW.doc, OLD.deleted, NEW.deleted)); END`,
  `CREATE TEMP TRIGGER IF NOT EXISTS chaos_member_added AFTER INSERT ON main.members
     WHEN EXISTS (SELECT 1 FROM main.users WHERE id = NEW.member_id) BEGIN
     ${insert(`'group-add'`, 'NEW.member_id', employeeOf('NEW.member_id'), 'NEW.group_id')} END`,
  `CREATE TEMP TRIGGER IF NOT EXISTS chaos_member_removed AFTER DELETE ON main.members
     WHEN EXISTS (SELECT 1 FROM main.users WHERE id = OLD.member_id) BEGIN
     ${insert(`'group-remove'`, 'OLD.member_id', employeeOf('OLD.member_id'), 'OLD.group_id')} END`,
  // INSERT OR REPLACE of the same manager is no change; REPLACE fires no delete trigger (no recursive triggers).
  `CREATE TEMP TRIGGER IF NOT EXISTS chaos_manager_set BEFORE INSERT ON main.managers
     WHEN NOT EXISTS (SELECT 1 FROM main.managers WHERE user_id = NEW.user_id AND manager_id = NEW.manager_id) BEGIN
     ${insert(`'manager-set'`, 'NEW.user_id', employeeOf('NEW.user_id'), 'NEW.manager_id')} END`,
  `CREATE TEMP TRIGGER IF NOT EXISTS chaos_manager_removed AFTER DELETE ON main.managers BEGIN
     ${insert(`'manager-remove'`, 'OLD.user_id', employeeOf('OLD.user_id'), 'OLD.manager_id')} END`,
];

/** The request being applied, as the traps see it (GraphApi.handle). */
export interface CurrentRequest {
  request: string | null;
  requestId: string | null;
}

/** Installs the log on the emulator's connection (idempotent per connection). */
export function installEffectLog(db: Database.Database, current: () => CurrentRequest): void {
  db.function('chaos_request', { deterministic: false }, () => current().request);
  db.function('chaos_request_id', { deterministic: false }, () => current().requestId);
  db.function('chaos_user_update_kinds', { deterministic: true }, (o, n, od, nd) =>
    JSON.stringify(userUpdateKinds(String(o), String(n), Number(od), Number(nd))),
  );
  db.exec(TABLE);
  for (const trigger of TRIGGERS) db.exec(trigger);
}

/** The effects logged so far in a data folder (read-only; empty when the emulator never started). */
export function readEffects(dataDir: string): Effect[] {
  const file = path.join(dataDir, 'graph-emulator.sqlite');
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'chaos_effects'`).get();
    if (!exists) return [];
    const rows = db
      .prepare(
        `SELECT seq, kind, employee_id AS employeeId, user_id AS userId, target, request, request_id AS requestId
         FROM chaos_effects ORDER BY seq`,
      )
      .all() as Effect[];
    return rows;
  } finally {
    db.close();
  }
}
