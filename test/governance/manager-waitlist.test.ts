import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteManagerWaitlist } from '../../shared/adapters/waitlist/sqlite-manager-waitlist';
import { TableManagerWaitlist } from '../../shared/adapters/waitlist/table-manager-waitlist';
import type { ManagerWaitlist } from '../../shared/ports/manager-waitlist';
import { startAzurite, type Azurite } from '../support/azurite';

let azurite: Azurite | undefined;
afterAll(async () => azurite?.stop());

const stores: [string, () => Promise<ManagerWaitlist>][] = [
  ['SQLite', async () => new SqliteManagerWaitlist(path.join(mkdtempSync(path.join(tmpdir(), 'wl-')), 'w.sqlite'))],
  [
    'Table Storage (Azurite)',
    async () => {
      azurite ??= await startAzurite();
      return new TableManagerWaitlist(await azurite.createTable('waitlist'));
    },
  ],
];

describe.each(stores)('manager waitlist (%s)', (_name, make) => {
  it('keeps each waiting report once per manager, and forgets the ones told', async () => {
    const list = await make();
    await list.wait('M1', 'R1');
    await list.wait('M1', 'R2');
    await list.wait('M1', 'R1');
    await list.wait('M2', 'R3');
    expect((await list.waiting('M1')).sort()).toEqual(['R1', 'R2']);
    await list.done('M1', ['R1', 'R9']);
    expect(await list.waiting('M1')).toEqual(['R2']);
    expect(await list.waiting('M2')).toEqual(['R3']);
    expect(await list.waiting('nobody')).toEqual([]);
  });
});
