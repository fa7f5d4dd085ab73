import type Database from 'better-sqlite3';

/**
 * Who holds each SKU and who of them is within its enabled units, kept incrementally so that licence reads and
 * writes cost O(log n) in the tenant size instead of a scan of every user and licence-group member per request.
 *
 * The rule is the emulator's (licences.ts): a SKU's holders are the live users assigned it directly and the live
 * members with a usageLocation of a group carrying it; units are handed out in one order (direct holders first by
 * creation, then group holders by group then member id) and the first `enabledUnits` holders are within units, the
 * others in CountViolation (https://learn.microsoft.com/entra/identity/users/licensing-groups-resolve-problems).
 * Each holder row has that order as a sortable key and a `granted` flag that is true exactly for the first
 * `enabledUnits` keys; every change moves at most a few flags, each found through an index.
 */
export const LICENCE_HOLDERS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS licence_holders (
    sku_id TEXT NOT NULL, user_id TEXT NOT NULL, order_key TEXT NOT NULL, granted INTEGER NOT NULL,
    PRIMARY KEY (sku_id, user_id));
  CREATE INDEX IF NOT EXISTS licence_holders_user ON licence_holders(user_id);
  CREATE INDEX IF NOT EXISTS licence_holders_order ON licence_holders(sku_id, granted, order_key);
  CREATE TABLE IF NOT EXISTS licence_units (sku_id TEXT PRIMARY KEY, granted INTEGER NOT NULL);
`;

/** Bumped when the rule changes: an older file's holders are rebuilt once when it is opened. */
const INDEX_VERSION = 'licence-holders-v1';

interface UserRow {
  rowid: number;
  doc: string;
  deleted: number;
}

export class LicenceHolders {
  constructor(private readonly db: Database.Database) {}

  /** Builds the holders of a file written before they were kept (one pass, when the store is opened). */
  ensureBuilt(): void {
    if (this.db.prepare(`SELECT 1 FROM meta WHERE key = ?`).get(INDEX_VERSION)) return;
    this.db.transaction(() => {
      this.clear();
      for (const { id } of this.db.prepare(`SELECT id FROM users ORDER BY rowid`).all() as { id: string }[])
        this.refreshUser(id);
    })();
  }

  /** Empties the holders (the tenant was reset) and marks them as kept for this file. */
  clear(): void {
    this.db.exec(`DELETE FROM licence_holders; DELETE FROM licence_units;`);
    this.db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES (?, '1')`).run(INDEX_VERSION);
  }

  /** Number of holders within the SKU's units: its consumedUnits. */
  consumed(skuId: string): number {
    const row = this.db.prepare(`SELECT granted FROM licence_units WHERE sku_id = ?`).get(skuId) as
      { granted: number } | undefined;
    return row?.granted ?? 0;
  }

  /** Whether the user holds the SKU within its enabled units (false when not a holder). */
  isGranted(skuId: string, userId: string): boolean {
    const row = this.db
      .prepare(`SELECT granted FROM licence_holders WHERE sku_id = ? AND user_id = ?`)
      .get(skuId, userId) as { granted: number } | undefined;
    return row?.granted === 1;
  }

  /** Recomputes one user's holder rows after a change to the user or to one of their memberships. */
  refreshUser(userId: string): void {
    const wanted = this.wantedKeys(userId);
    const held = this.db.prepare(`SELECT sku_id, order_key FROM licence_holders WHERE user_id = ?`).all(userId) as {
      sku_id: string;
      order_key: string;
    }[];
    for (const { sku_id, order_key } of held) if (wanted.get(sku_id) !== order_key) this.remove(sku_id, userId);
    const kept = new Map(held.map((h) => [h.sku_id, h.order_key]));
    for (const [skuId, key] of wanted) if (kept.get(skuId) !== key) this.insert(skuId, userId, key);
  }

  /** Recomputes the holders of every member of a group whose licences or place in the order changed. */
  refreshMembersOf(groupId: string): void {
    const ids = this.db.prepare(`SELECT member_id FROM members WHERE group_id = ?`).all(groupId) as {
      member_id: string;
    }[];
    for (const { member_id } of ids) this.refreshUser(member_id);
  }

  /** The SKU's enabled units changed: move the boundary between granted and not granted holders. */
  rebalance(skuId: string): void {
    const units = this.enabledUnits(skuId);
    let granted = this.consumed(skuId);
    while (granted > units) {
      const last = this.lastGranted(skuId);
      if (!last) break;
      this.setGranted(skuId, last.user_id, 0, -1);
      granted--;
    }
    while (granted < units) {
      const next = this.firstWaiting(skuId);
      if (!next) break;
      this.setGranted(skuId, next.user_id, 1, 1);
      granted++;
    }
  }

  /** SKU → order key the user should hold it under (direct first, else the earliest licence group). */
  private wantedKeys(userId: string): Map<string, string> {
    const wanted = new Map<string, string>();
    const row = this.db.prepare(`SELECT rowid, doc, deleted FROM users WHERE id = ?`).get(userId) as
      UserRow | undefined;
    if (!row || row.deleted) return wanted;
    const user = JSON.parse(row.doc) as { assignedLicenses?: { skuId: string }[]; usageLocation?: unknown };
    const directKey = `d${pad(row.rowid)}`;
    for (const l of user.assignedLicenses ?? []) wanted.set(l.skuId, directKey);
    if (!user.usageLocation) return wanted;
    const groups = this.db
      .prepare(
        `SELECT g.rowid AS rowid, g.doc AS doc FROM members m JOIN groups g ON g.id = m.group_id WHERE m.member_id = ?`,
      )
      .all(userId) as { rowid: number; doc: string }[];
    for (const group of groups) {
      const skus = (JSON.parse(group.doc) as { assignedLicenses?: string[] }).assignedLicenses ?? [];
      const key = `g${pad(group.rowid)}:${userId}`;
      for (const skuId of skus) {
        const current = wanted.get(skuId);
        if (current === undefined || key < current) wanted.set(skuId, key);
      }
    }
    return wanted;
  }

  /** A new holder takes a unit if one is free or if it comes before the last holder within units. */
  private insert(skuId: string, userId: string, key: string): void {
    const units = this.enabledUnits(skuId);
    let granted = 0;
    if (this.consumed(skuId) < units) granted = 1;
    else {
      const last = this.lastGranted(skuId);
      if (last && key < last.order_key) {
        this.setGranted(skuId, last.user_id, 0, -1);
        granted = 1;
      }
    }
    this.db
      .prepare(`INSERT INTO licence_holders (sku_id, user_id, order_key, granted) VALUES (?, ?, ?, ?)`)
      .run(skuId, userId, key, granted);
    if (granted) this.addConsumed(skuId, 1);
  }

  /** A holder leaves; the unit it held goes to the first holder waiting for one. */
  private remove(skuId: string, userId: string): void {
    const row = this.db
      .prepare(`DELETE FROM licence_holders WHERE sku_id = ? AND user_id = ? RETURNING granted`)
      .get(skuId, userId) as { granted: number } | undefined;
    if (!row?.granted) return;
    this.addConsumed(skuId, -1);
    const next = this.firstWaiting(skuId);
    if (next && this.consumed(skuId) < this.enabledUnits(skuId)) this.setGranted(skuId, next.user_id, 1, 1);
  }

  private lastGranted(skuId: string): { user_id: string; order_key: string } | undefined {
    return this.db
      .prepare(
        `SELECT user_id, order_key FROM licence_holders WHERE sku_id = ? AND granted = 1 ` +
          `ORDER BY order_key DESC LIMIT 1`,
      )
      .get(skuId) as { user_id: string; order_key: string } | undefined;
  }

  private firstWaiting(skuId: string): { user_id: string } | undefined {
    return this.db
      .prepare(`SELECT user_id FROM licence_holders WHERE sku_id = ? AND granted = 0 ORDER BY order_key LIMIT 1`)
      .get(skuId) as { user_id: string } | undefined;
  }

  private setGranted(skuId: string, userId: string, granted: 0 | 1, delta: 1 | -1): void {
    this.db
      .prepare(`UPDATE licence_holders SET granted = ? WHERE sku_id = ? AND user_id = ?`)
      .run(granted, skuId, userId);
    this.addConsumed(skuId, delta);
  }

  private addConsumed(skuId: string, delta: number): void {
    this.db
      .prepare(
        `INSERT INTO licence_units (sku_id, granted) VALUES (?, ?)
         ON CONFLICT(sku_id) DO UPDATE SET granted = granted + excluded.granted`,
      )
      .run(skuId, delta);
  }

  /** A SKU the tenant does not subscribe to has no units. */
  private enabledUnits(skuId: string): number {
    const row = this.db.prepare(`SELECT enabled_units FROM skus WHERE sku_id = ?`).get(skuId) as
      { enabled_units: number } | undefined;
    return row?.enabled_units ?? 0;
  }
}

function pad(n: number): string {
  return String(n).padStart(15, '0');
}
