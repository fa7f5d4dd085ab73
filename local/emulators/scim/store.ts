import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../../shared/adapters/sqlite/open-database';
import type { ScimTargetId } from './targets';

export type ScimResourceType = 'User' | 'Group';

/**
 * A stored SCIM resource: the attributes as the client sent them (after scimmy's schema coercion), without
 * `id` and `meta`, which the server owns (RFC 7643 §3.1: both are assigned by the service provider).
 */
export interface StoredResource {
  id: string;
  type: ScimResourceType;
  attributes: Record<string, unknown>;
  created: string;
  lastModified: string;
  version: number;
}

interface Row {
  id: string;
  type: ScimResourceType;
  doc: string;
  created: string;
  last_modified: string;
  version: number;
}

/**
 * The demo targets' resources, one SQLite file for both targets (`${dataDir}/scim-demo-targets.sqlite`), so a host
 * restart keeps what was provisioned. `name_key` is the lower-cased userName (User) or displayName (Group):
 * userName is caseExact false and unique per service provider (RFC 7643 §4.1.1), so "BJensen" and "bjensen" clash.
 */
export class ScimStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openDatabase(
      file,
      `
      CREATE TABLE IF NOT EXISTS scim_resources (
        target TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL, name_key TEXT NOT NULL, external_id TEXT,
        doc TEXT NOT NULL, created TEXT NOT NULL, last_modified TEXT NOT NULL, version INTEGER NOT NULL,
        PRIMARY KEY (target, type, id));
      CREATE UNIQUE INDEX IF NOT EXISTS scim_user_names ON scim_resources(target, name_key) WHERE type = 'User';
      CREATE INDEX IF NOT EXISTS scim_names ON scim_resources(target, type, name_key);
      CREATE INDEX IF NOT EXISTS scim_external_ids ON scim_resources(target, type, external_id);
    `,
    );
  }

  close(): void {
    this.db.close();
  }

  get(target: ScimTargetId, type: ScimResourceType, id: string): StoredResource | undefined {
    const row = this.db
      .prepare(`SELECT * FROM scim_resources WHERE target = ? AND type = ? AND id = ?`)
      .get(target, type, id) as Row | undefined;
    return row && toResource(row);
  }

  list(target: ScimTargetId, type: ScimResourceType): StoredResource[] {
    return (
      this.db
        .prepare(`SELECT * FROM scim_resources WHERE target = ? AND type = ? ORDER BY created, rowid`)
        .all(target, type) as Row[]
    ).map(toResource);
  }

  /** Candidates for `userName eq` / `displayName eq` (case-insensitive); the caller still applies the filter. */
  listByName(target: ScimTargetId, type: ScimResourceType, name: string): StoredResource[] {
    return (
      this.db
        .prepare(`SELECT * FROM scim_resources WHERE target = ? AND type = ? AND name_key = ? ORDER BY created, rowid`)
        .all(target, type, name.toLowerCase()) as Row[]
    ).map(toResource);
  }

  listByExternalId(target: ScimTargetId, type: ScimResourceType, externalId: string): StoredResource[] {
    return (
      this.db
        .prepare(
          `SELECT * FROM scim_resources WHERE target = ? AND type = ? AND external_id = ? ORDER BY created, rowid`,
        )
        .all(target, type, externalId) as Row[]
    ).map(toResource);
  }

  count(target: ScimTargetId, type: ScimResourceType): number {
    const row = this.db
      .prepare(`SELECT COUNT(*) AS n FROM scim_resources WHERE target = ? AND type = ?`)
      .get(target, type) as { n: number };
    return row.n;
  }

  /** Creates (no id) or replaces (id) a resource; the id of another resource with the same name key is a clash. */
  save(
    target: ScimTargetId,
    type: ScimResourceType,
    attributes: Record<string, unknown>,
    id?: string,
    now = new Date().toISOString(),
  ): StoredResource {
    const nameKey = nameKeyOf(type, attributes);
    const externalId = typeof attributes.externalId === 'string' ? attributes.externalId : null;
    const doc = JSON.stringify(attributes);
    if (id === undefined) {
      const created = { id: randomUUID(), type, attributes, created: now, lastModified: now, version: 1 };
      this.db
        .prepare(
          `INSERT INTO scim_resources (target, type, id, name_key, external_id, doc, created, last_modified, version)` +
            ` VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`,
        )
        .run(target, type, created.id, nameKey, externalId, doc, now, now);
      return created;
    }
    this.db
      .prepare(
        `UPDATE scim_resources SET name_key = ?, external_id = ?, doc = ?, last_modified = ?, version = version + 1` +
          ` WHERE target = ? AND type = ? AND id = ?`,
      )
      .run(nameKey, externalId, doc, now, target, type, id);
    return this.get(target, type, id)!;
  }

  /** Deletes a resource; a deleted user also leaves every group of the target (no dangling member references). */
  delete(target: ScimTargetId, type: ScimResourceType, id: string): boolean {
    return this.db.transaction(() => {
      const deleted = this.db
        .prepare(`DELETE FROM scim_resources WHERE target = ? AND type = ? AND id = ?`)
        .run(target, type, id).changes;
      if (!deleted) return false;
      for (const group of this.list(target, 'Group')) {
        const members = Array.isArray(group.attributes.members) ? (group.attributes.members as unknown[]) : [];
        const kept = members.filter((m) => (m as { value?: unknown }).value !== id);
        if (kept.length !== members.length)
          this.save(target, 'Group', { ...group.attributes, members: kept }, group.id);
      }
      return true;
    })();
  }

  /** How many resources of `type` the target holds, and how many distinct externalIds they carry. */
  countWithExternalIds(target: ScimTargetId, type: ScimResourceType): { resources: number; externalIds: number } {
    return this.db
      .prepare(
        `SELECT COUNT(*) AS resources, COUNT(DISTINCT external_id) AS externalIds
         FROM scim_resources WHERE target = ? AND type = ?`,
      )
      .get(target, type) as { resources: number; externalIds: number };
  }

  reset(target: ScimTargetId): void {
    this.db.prepare(`DELETE FROM scim_resources WHERE target = ?`).run(target);
  }
}

function nameKeyOf(type: ScimResourceType, attributes: Record<string, unknown>): string {
  const name = type === 'User' ? attributes.userName : attributes.displayName;
  return typeof name === 'string' ? name.toLowerCase() : '';
}

function toResource(row: Row): StoredResource {
  return {
    id: row.id,
    type: row.type,
    attributes: JSON.parse(row.doc) as Record<string, unknown>,
    created: row.created,
    lastModified: row.last_modified,
    version: row.version,
  };
}
