import type Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphApi, type GraphRequest } from '../../local/emulators/graph/graph-api';
import { GraphStore, type UserDoc } from '../../local/emulators/graph/store';

/**
 * Issue 16: a licence-group add used to read every user and every licence-group member to work out SKU
 * consumption. With 20,000 users in the E3 licence group (200 units, so the SKU is over-subscribed and the new
 * member is in CountViolation), adding one more member and reading its licence states and the SKUs must read a
 * handful of rows, not the tenant. Rows are counted at the SQLite statement, not timed.
 */
const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
const E3_GROUP = 'a0000000-0000-4000-8000-000000000011';
const TENANT_USERS = 20_000;

/** Counts the rows every statement of the store returns from here on. */
function countRowsRead(db: Database.Database): { rows: number } {
  const counter = { rows: 0 };
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    return new Proxy(statement, {
      get(target, key) {
        if (key === 'all')
          return (...args: unknown[]) => {
            const rows = (target.all as (...a: unknown[]) => unknown[])(...args);
            counter.rows += rows.length;
            return rows;
          };
        if (key === 'get')
          return (...args: unknown[]) => {
            const row = (target.get as (...a: unknown[]) => unknown)(...args);
            if (row !== undefined) counter.rows += 1;
            return row;
          };
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }) as typeof db.prepare;
  return counter;
}

function user(n: number): UserDoc {
  return {
    id: `f0000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    userPrincipalName: `scale${n}@contoso.com`,
    mailNickname: `scale${n}`,
    displayName: `Scale ${n}`,
    accountEnabled: true,
    createdDateTime: '2026-01-01T00:00:00Z',
    deletedDateTime: null,
    signInSessionsValidFromDateTime: null,
    assignedLicenses: [],
    usageLocation: 'FR',
  };
}

const request = (method: string, p: string, body?: unknown): GraphRequest => {
  const url = new URL(p, 'http://x');
  return { method, path: url.pathname, query: url.searchParams, body, version: 'v1.0' };
};

describe('licences in a tenant of 20,000 users', () => {
  let store: GraphStore;
  let api: GraphApi;

  beforeAll(() => {
    store = new GraphStore(path.join(mkdtempSync(path.join(tmpdir(), 'jml-licence-scale-')), 'graph.sqlite'));
    api = new GraphApi(store);
    store.db.transaction(() => {
      for (let n = 0; n < TENANT_USERS; n++) {
        store.saveUser(user(n));
        store.addMember(E3_GROUP, user(n).id);
      }
    })();
    store.saveUser(user(TENANT_USERS));
  });
  afterAll(() => store.close());

  it('one licence-group add, its licence states and the SKUs read a few rows, not every user', () => {
    const newcomer = user(TENANT_USERS).id;
    const counter = countRowsRead(store.db);

    const added = api.handle(
      request('POST', `/groups/${E3_GROUP}/members/$ref`, {
        '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${newcomer}`,
      }),
    );
    const states = api.handle(request('GET', `/users/${newcomer}?$select=licenseAssignmentStates`));
    const skus = api.handle(request('GET', '/subscribedSkus'));

    expect(added.status).toBe(204);
    expect((states.body as { licenseAssignmentStates: unknown[] }).licenseAssignmentStates).toEqual([
      { skuId: E3, assignedByGroup: E3_GROUP, state: 'Error', error: 'CountViolation' },
    ]);
    const e3 = (skus.body as { value: { skuId: string; consumedUnits: number }[] }).value.find((s) => s.skuId === E3);
    expect(e3?.consumedUnits).toBe(200);
    expect(counter.rows).toBeLessThan(100);
  });
});
