import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqlitePersonInbox } from '../../shared/adapters/inbox/sqlite-person-inbox';
import { TablePersonInbox } from '../../shared/adapters/inbox/table-person-inbox';
import type { PersonInboxPort } from '../../shared/ports/person-inbox';
import { fakeTable } from '../support/fake-table';

const stores: [string, () => PersonInboxPort][] = [
  ['SQLite', () => new SqlitePersonInbox(path.join(mkdtempSync(path.join(tmpdir(), 'jml-inbox-')), 'inbox.sqlite'))],
  ['Table Storage', () => new TablePersonInbox(fakeTable())],
];

describe.each(stores)('person inbox on %s', (_name, make) => {
  it('keeps each person’s messages in arrival order, once per message id', async () => {
    const inbox = make();
    expect(await inbox.append('E1', 'h1', { type: 'hire' })).toBe(1);
    expect(await inbox.append('E2', 'h9', { type: 'hire' })).toBe(1);
    expect(await inbox.append('E1', 'u1', { type: 'update' })).toBe(2);
    expect(await inbox.append('E1', 'h1', { type: 'hire', again: true })).toBe(1); // a redelivery
    expect(await inbox.next('E1', 0)).toEqual({ seq: 1, message: { type: 'hire' } });
    expect(await inbox.next('E1', 1)).toEqual({ seq: 2, message: { type: 'update' } });
    expect(await inbox.next('E1', 2)).toBeNull();
    expect(await inbox.next('E3', 0)).toBeNull();
    for (let i = 3; i <= 11; i++) await inbox.append('E1', `x${i}`, { i });
    expect(await inbox.next('E1', 9)).toEqual({ seq: 10, message: { i: 10 } }); // numeric, not string, order
  });

  it('accepts message ids with characters a RowKey forbids', async () => {
    const inbox = make();
    expect(await inbox.append('E1', 'a/b#c?d\\e', { ok: true })).toBe(1);
    expect(await inbox.append('E1', 'a/b#c?d\\e', { ok: false })).toBe(1);
  });
});
