import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LicenceLedger } from '../../local/emulators/graph/licences';
import { GraphStore, type UserDoc } from '../../local/emulators/graph/store';

/**
 * The Graph emulator keeps the parsed users and the licence ledger while its store is unchanged (so that paging
 * 50,000 users costs a page per page): any write, through its own connection or another one, makes them new.
 */
const user = (n: number, extra: Partial<UserDoc> = {}): UserDoc => ({
  id: `e0000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  userPrincipalName: `user${n}@contoso.com`,
  mailNickname: `user${n}`,
  displayName: `User ${n}`,
  accountEnabled: true,
  createdDateTime: '2025-01-01T00:00:00Z',
  deletedDateTime: null,
  signInSessionsValidFromDateTime: null,
  assignedLicenses: [],
  ...extra,
});

describe('emulator listing cache', () => {
  it('is reused while nothing is written, and renewed by a write of this or another connection', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jml-graph-cache-')), 'graph.sqlite');
    const store = new GraphStore(file);
    store.saveUser(user(1));
    const first = store.listUsersUnchanged(false);
    const ledger = LicenceLedger.of(store);
    expect(store.listUsersUnchanged(false)).toBe(first);
    expect(LicenceLedger.of(store)).toBe(ledger);

    store.saveUser(user(1, { displayName: 'Renamed' }));
    expect(store.listUsersUnchanged(false)[0]!.displayName).toBe('Renamed');
    expect(LicenceLedger.of(store)).not.toBe(ledger);

    const other = new Database(file);
    other.prepare(`UPDATE users SET doc = json_set(doc, '$.displayName', 'By another') WHERE id = ?`).run(user(1).id);
    other.close();
    expect(store.usersByIdUnchanged(false).get(user(1).id)!.displayName).toBe('By another');
    store.close();
  });
});
