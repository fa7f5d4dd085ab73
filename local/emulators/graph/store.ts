import type Database from 'better-sqlite3';
import { openDatabase } from '../../../shared/adapters/sqlite/open-database';
import { LICENCE_HOLDERS_SCHEMA, LicenceHolders } from './licence-holders';

/**
 * The emulator's persisted tenant: one SQLite file with users, groups, memberships, managers,
 * licences, TAPs and the mail outbox. Objects are stored as JSON documents keyed by id, which
 * keeps the emulator close to Graph's own resource shapes.
 */
export interface UserDoc {
  id: string;
  userPrincipalName: string;
  mailNickname: string;
  displayName: string;
  accountEnabled: boolean;
  createdDateTime: string;
  deletedDateTime: string | null;
  signInSessionsValidFromDateTime: string | null;
  assignedLicenses: { skuId: string; disabledPlans: string[] }[];
  [property: string]: unknown;
}

export interface GroupDoc {
  id: string;
  displayName: string;
  mailNickname?: string;
  assignedLicenses?: string[];
  [property: string]: unknown;
}

/** A subscribed SKU as seeded: units by status and service plans (licences.ts serves it as Graph does). */
interface ServicePlanDoc {
  servicePlanId: string;
  servicePlanName: string;
  appliesTo?: string;
  provisioningStatus?: string;
}

export interface SkuDoc {
  skuId: string;
  skuPartNumber: string;
  enabledUnits: number;
  warningUnits?: number;
  suspendedUnits?: number;
  capabilityStatus?: string;
  appliesTo?: string;
  servicePlans?: ServicePlanDoc[];
}

/** A directory role or an administrative unit. */
export interface DirectoryObjectDoc {
  id: string;
  displayName: string;
  [property: string]: unknown;
}

export class GraphStore {
  readonly db: Database.Database;
  /** Who holds each SKU within its units, kept as users, memberships, groups and SKUs change (licence-holders.ts). */
  readonly licenceHolders: LicenceHolders;

  constructor(file: string) {
    this.db = openDatabase(
      file,
      `
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS users (
        id TEXT PRIMARY KEY, upn TEXT NOT NULL, nickname TEXT NOT NULL, employee_id TEXT,
        deleted INTEGER NOT NULL DEFAULT 0, doc TEXT NOT NULL);
      CREATE UNIQUE INDEX IF NOT EXISTS users_upn ON users(upn);
      CREATE INDEX IF NOT EXISTS users_nick ON users(nickname);
      CREATE INDEX IF NOT EXISTS users_emp ON users(employee_id);
      CREATE TABLE IF NOT EXISTS groups (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS members (
        group_id TEXT NOT NULL, member_id TEXT NOT NULL, PRIMARY KEY (group_id, member_id));
      CREATE INDEX IF NOT EXISTS members_member ON members(member_id);
      CREATE TABLE IF NOT EXISTS managers (user_id TEXT PRIMARY KEY, manager_id TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS skus (
        sku_id TEXT PRIMARY KEY, part_number TEXT NOT NULL, enabled_units INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS sku_details (sku_id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS taps (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, sender TEXT NOT NULL, sent_at TEXT NOT NULL, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS directory_roles (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS administrative_units (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS lcw_objects (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,
        UNIQUE (kind, id));
    ` + LICENCE_HOLDERS_SCHEMA,
    );
    this.licenceHolders = new LicenceHolders(this.db);
    this.licenceHolders.ensureBuilt();
  }

  isSeeded(): boolean {
    return !!this.db.prepare(`SELECT 1 FROM meta WHERE key = 'seeded'`).get();
  }

  markSeeded(tenant: unknown): void {
    this.db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('seeded', ?)`).run(JSON.stringify(tenant));
  }

  reset(): void {
    this.db.exec(
      `DELETE FROM meta; DELETE FROM users; DELETE FROM groups; DELETE FROM members; DELETE FROM managers;` +
        ` DELETE FROM skus; DELETE FROM sku_details; DELETE FROM taps; DELETE FROM outbox;` +
        ` DELETE FROM directory_roles; DELETE FROM administrative_units; DELETE FROM lcw_objects;`,
    );
    this.licenceHolders.clear();
  }

  getUser(id: string, includeDeleted = false): UserDoc | null {
    const row = this.db.prepare(`SELECT doc, deleted FROM users WHERE id = ?`).get(id) as
      { doc: string; deleted: number } | undefined;
    if (!row || (row.deleted && !includeDeleted)) return null;
    return JSON.parse(row.doc) as UserDoc;
  }

  findUserByUpn(upn: string): UserDoc | null {
    const row = this.db.prepare(`SELECT doc FROM users WHERE upn = ? AND deleted = 0`).get(upn.toLowerCase()) as
      { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as UserDoc) : null;
  }

  /** Users or deleted users matching one column. */
  findUsers(column: 'upn' | 'nickname' | 'employee_id', value: string, deleted: boolean): UserDoc[] {
    const v = column === 'employee_id' ? value : value.toLowerCase();
    return (
      this.db.prepare(`SELECT doc FROM users WHERE ${column} = ? AND deleted = ?`).all(v, deleted ? 1 : 0) as {
        doc: string;
      }[]
    ).map((r) => JSON.parse(r.doc) as UserDoc);
  }

  listUsers(deleted: boolean): UserDoc[] {
    return (
      this.db.prepare(`SELECT doc FROM users WHERE deleted = ? ORDER BY rowid`).all(deleted ? 1 : 0) as {
        doc: string;
      }[]
    ).map((r) => JSON.parse(r.doc) as UserDoc);
  }

  /**
   * Changes to the store: the rows written through this connection since it opened (SQLite's total_changes()) and
   * the commits of any other connection to the file (PRAGMA data_version). Equal twice means nothing was written in
   * between, so a value computed from the store in between is still true.
   */
  changeStamp(): string {
    const own = (this.db.prepare(`SELECT total_changes() AS n`).get() as { n: number }).n;
    return `${own}:${String(this.db.pragma('data_version', { simple: true }))}`;
  }

  private readonly usersRead = new Map<
    boolean,
    { at: string; users: readonly UserDoc[]; byId?: Map<string, UserDoc> }
  >();

  /**
   * listUsers, read once per change of the store: the same parsed documents while nothing was written, so that
   * paging through 50,000 users does not parse them all again for every page. Callers must not modify them.
   */
  listUsersUnchanged(deleted: boolean): readonly UserDoc[] {
    return this.usersUnchanged(deleted).users;
  }

  /** The users of listUsersUnchanged by id (getUser without a query and a parse per user). */
  usersByIdUnchanged(deleted: boolean): ReadonlyMap<string, UserDoc> {
    const read = this.usersUnchanged(deleted);
    read.byId ??= new Map(read.users.map((u) => [u.id, u]));
    return read.byId;
  }

  private usersUnchanged(deleted: boolean): { at: string; users: readonly UserDoc[]; byId?: Map<string, UserDoc> } {
    const at = this.changeStamp();
    const read = this.usersRead.get(deleted);
    if (read && read.at === at) return read;
    const fresh = { at, users: this.listUsers(deleted) };
    this.usersRead.set(deleted, fresh);
    return fresh;
  }

  countUsers(deleted: boolean): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM users WHERE deleted = ?`).get(deleted ? 1 : 0) as { n: number })
      .n;
  }

  nicknameTaken(nickname: string, exceptId?: string): boolean {
    return !!this.db
      .prepare(`SELECT 1 FROM users WHERE nickname = ? AND id != ?`)
      .get(nickname.toLowerCase(), exceptId ?? '');
  }

  upnTaken(upn: string, exceptId?: string): boolean {
    return !!this.db.prepare(`SELECT 1 FROM users WHERE upn = ? AND id != ?`).get(upn.toLowerCase(), exceptId ?? '');
  }

  saveUser(user: UserDoc): void {
    this.inTransaction(() => this.writeUser(user));
  }

  private writeUser(user: UserDoc): void {
    this.db
      .prepare(
        `INSERT INTO users (id, upn, nickname, employee_id, deleted, doc)
                VALUES (@id, @upn, @nick, @emp, @deleted, @doc)
                ON CONFLICT(id) DO UPDATE SET
                  upn = @upn, nickname = @nick, employee_id = @emp, deleted = @deleted, doc = @doc`,
      )
      .run({
        id: user.id,
        upn: user.userPrincipalName.toLowerCase(),
        nick: user.mailNickname.toLowerCase(),
        emp: (user.employeeId as string | null | undefined) ?? null,
        deleted: user.deletedDateTime ? 1 : 0,
        doc: JSON.stringify(user),
      });
    this.licenceHolders.refreshUser(user.id);
  }

  hardDeleteUser(id: string): void {
    this.inTransaction(() => {
      this.db.prepare(`DELETE FROM users WHERE id = ?`).run(id);
      this.db.prepare(`DELETE FROM members WHERE member_id = ?`).run(id);
      this.db.prepare(`DELETE FROM managers WHERE user_id = ? OR manager_id = ?`).run(id, id);
      this.licenceHolders.refreshUser(id);
    });
  }

  /** A write and the licence holders it moves commit together (one commit, never half of it). */
  private inTransaction(write: () => void): void {
    this.db.transaction(write)();
  }

  getGroup(id: string): GroupDoc | null {
    const row = this.db.prepare(`SELECT doc FROM groups WHERE id = ?`).get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as GroupDoc) : null;
  }

  listGroups(): GroupDoc[] {
    return (this.db.prepare(`SELECT doc FROM groups ORDER BY rowid`).all() as { doc: string }[]).map(
      (r) => JSON.parse(r.doc) as GroupDoc,
    );
  }

  saveGroup(group: GroupDoc): void {
    this.inTransaction(() => {
      const before = this.getGroup(group.id);
      this.db.prepare(`INSERT OR REPLACE INTO groups (id, doc) VALUES (?, ?)`).run(group.id, JSON.stringify(group));
      // REPLACE gives the group a new rowid, its place in the order units are handed out: only a licence group's
      // members are affected (O(members), on an admin change of a licence group, never on a membership change).
      if (before?.assignedLicenses?.length || group.assignedLicenses?.length)
        this.licenceHolders.refreshMembersOf(group.id);
    });
  }

  isMember(groupId: string, memberId: string): boolean {
    return !!this.db.prepare(`SELECT 1 FROM members WHERE group_id = ? AND member_id = ?`).get(groupId, memberId);
  }

  addMember(groupId: string, memberId: string): void {
    this.inTransaction(() => {
      const insert = this.db.prepare(`INSERT OR IGNORE INTO members (group_id, member_id) VALUES (?, ?)`);
      if (insert.run(groupId, memberId).changes) this.licenceHolders.refreshUser(memberId);
    });
  }

  removeMember(groupId: string, memberId: string): boolean {
    let removed = false;
    this.inTransaction(() => {
      const remove = this.db.prepare(`DELETE FROM members WHERE group_id = ? AND member_id = ?`);
      removed = remove.run(groupId, memberId).changes > 0;
      if (removed) this.licenceHolders.refreshUser(memberId);
    });
    return removed;
  }

  /** Groups the member was added to (assigned membership); `members` also holds role and unit members. */
  /** Every membership of the object: groups, directory roles and administrative units (user deleted). */
  removeFromAllContainers(memberId: string): void {
    this.inTransaction(() => {
      this.db.prepare(`DELETE FROM members WHERE member_id = ?`).run(memberId);
      this.licenceHolders.refreshUser(memberId);
    });
  }

  groupIdsOf(memberId: string): string[] {
    return this.containerIdsOf(memberId, 'groups');
  }

  directoryRoleIdsOf(memberId: string): string[] {
    return this.containerIdsOf(memberId, 'directory_roles');
  }

  administrativeUnitIdsOf(memberId: string): string[] {
    return this.containerIdsOf(memberId, 'administrative_units');
  }

  private containerIdsOf(memberId: string, table: 'groups' | 'directory_roles' | 'administrative_units'): string[] {
    return (
      this.db
        .prepare(
          `SELECT m.group_id FROM members m JOIN ${table} c ON c.id = m.group_id ` +
            `WHERE m.member_id = ? ORDER BY m.group_id`,
        )
        .all(memberId) as { group_id: string }[]
    ).map((r) => r.group_id);
  }

  getDirectoryRole(id: string): DirectoryObjectDoc | null {
    return this.getDoc('directory_roles', id);
  }

  listDirectoryRoles(): DirectoryObjectDoc[] {
    return this.listDocs('directory_roles');
  }

  saveDirectoryRole(role: DirectoryObjectDoc): void {
    this.saveDoc('directory_roles', role);
  }

  getAdministrativeUnit(id: string): DirectoryObjectDoc | null {
    return this.getDoc('administrative_units', id);
  }

  listAdministrativeUnits(): DirectoryObjectDoc[] {
    return this.listDocs('administrative_units');
  }

  saveAdministrativeUnit(unit: DirectoryObjectDoc): void {
    this.saveDoc('administrative_units', unit);
  }

  private getDoc(table: 'directory_roles' | 'administrative_units', id: string): DirectoryObjectDoc | null {
    const row = this.db.prepare(`SELECT doc FROM ${table} WHERE id = ?`).get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as DirectoryObjectDoc) : null;
  }

  private listDocs(table: 'directory_roles' | 'administrative_units'): DirectoryObjectDoc[] {
    return (this.db.prepare(`SELECT doc FROM ${table} ORDER BY rowid`).all() as { doc: string }[]).map(
      (r) => JSON.parse(r.doc) as DirectoryObjectDoc,
    );
  }

  private saveDoc(table: 'directory_roles' | 'administrative_units', doc: DirectoryObjectDoc): void {
    this.db.prepare(`INSERT OR REPLACE INTO ${table} (id, doc) VALUES (?, ?)`).run(doc.id, JSON.stringify(doc));
  }

  memberIdsOf(groupId: string): string[] {
    return (
      this.db.prepare(`SELECT member_id FROM members WHERE group_id = ? ORDER BY member_id`).all(groupId) as {
        member_id: string;
      }[]
    ).map((r) => r.member_id);
  }

  getManagerId(userId: string): string | null {
    const row = this.db.prepare(`SELECT manager_id FROM managers WHERE user_id = ?`).get(userId) as
      { manager_id: string } | undefined;
    return row?.manager_id ?? null;
  }

  setManager(userId: string, managerId: string | null): void {
    if (managerId)
      this.db.prepare(`INSERT OR REPLACE INTO managers (user_id, manager_id) VALUES (?, ?)`).run(userId, managerId);
    else this.db.prepare(`DELETE FROM managers WHERE user_id = ?`).run(userId);
  }

  skus(): { skuId: string; skuPartNumber: string; enabledUnits: number }[] {
    return (
      this.db.prepare(`SELECT sku_id, part_number, enabled_units FROM skus`).all() as {
        sku_id: string;
        part_number: string;
        enabled_units: number;
      }[]
    ).map((r) => ({
      skuId: r.sku_id,
      skuPartNumber: r.part_number,
      enabledUnits: r.enabled_units,
    }));
  }

  saveSku(sku: SkuDoc): void {
    this.inTransaction(() => this.writeSku(sku));
  }

  private writeSku(sku: SkuDoc): void {
    this.db
      .prepare(`INSERT OR REPLACE INTO skus (sku_id, part_number, enabled_units) VALUES (?, ?, ?)`)
      .run(sku.skuId, sku.skuPartNumber, sku.enabledUnits);
    this.db
      .prepare(`INSERT OR REPLACE INTO sku_details (sku_id, doc) VALUES (?, ?)`)
      .run(sku.skuId, JSON.stringify(sku));
    this.licenceHolders.rebalance(sku.skuId);
  }

  /** Every SKU with its unit statuses and service plans (a SKU saved before sku_details existed has none). */
  skuDocs(): SkuDoc[] {
    const details = new Map(
      (this.db.prepare(`SELECT sku_id, doc FROM sku_details`).all() as { sku_id: string; doc: string }[]).map((r) => [
        r.sku_id,
        JSON.parse(r.doc) as SkuDoc,
      ]),
    );
    return this.skus().map((sku) => ({ ...details.get(sku.skuId), ...sku }));
  }

  tapsOf(userId: string): Record<string, unknown>[] {
    return (this.db.prepare(`SELECT doc FROM taps WHERE user_id = ?`).all(userId) as { doc: string }[]).map(
      (r) => JSON.parse(r.doc) as Record<string, unknown>,
    );
  }

  replaceTap(userId: string, tap: Record<string, unknown> & { id: string }): void {
    this.db.prepare(`DELETE FROM taps WHERE user_id = ?`).run(userId);
    this.db.prepare(`INSERT INTO taps (id, user_id, doc) VALUES (?, ?, ?)`).run(tap.id, userId, JSON.stringify(tap));
  }

  deleteTap(userId: string, tapId: string): boolean {
    return this.db.prepare(`DELETE FROM taps WHERE id = ? AND user_id = ?`).run(tapId, userId).changes > 0;
  }

  addMail(sender: string, message: unknown): void {
    this.db
      .prepare(`INSERT INTO outbox (sender, sent_at, doc) VALUES (?, ?, ?)`)
      .run(sender, new Date().toISOString(), JSON.stringify(message));
  }

  outbox(): { seq: number; sender: string; sentAt: string; message: unknown }[] {
    return (
      this.db.prepare(`SELECT seq, sender, sent_at, doc FROM outbox ORDER BY seq`).all() as {
        seq: number;
        sender: string;
        sent_at: string;
        doc: string;
      }[]
    ).map((r) => ({
      seq: r.seq,
      sender: r.sender,
      sentAt: r.sent_at,
      message: JSON.parse(r.doc) as unknown,
    }));
  }

  close(): void {
    this.db.close();
  }
}
