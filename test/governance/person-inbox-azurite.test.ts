import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TablePersonInbox } from '../../shared/adapters/inbox/table-person-inbox';
import { startAzurite, type Azurite } from '../support/azurite';
import { personInboxContract } from './person-inbox-contract';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => azurite?.stop());

describe('person inbox on Table Storage (Azurite)', () => {
  personInboxContract(async () => new TablePersonInbox(await azurite.createTable('inbox')));

  it('keeps a message larger than one table property holds (64 KiB)', async () => {
    const inbox = new TablePersonInbox(await azurite.createTable('inbox'));
    // An HR event may carry many extension attributes of up to 1,024 characters each.
    const extensions = Object.fromEntries(Array.from({ length: 90 }, (_, n) => [`ext${n}`, 'z'.repeat(1024)]));
    expect(await inbox.append('W1', 'big', { type: 'update', worker: { extensions } })).toBe(1);
    expect(await inbox.next('W1', 0)).toEqual({ seq: 1, message: { type: 'update', worker: { extensions } } });
  });

  it('finds the next message among more than 1,000 of one person, and appends after them', async () => {
    const table = await azurite.createTable('inbox');
    // Seeded 100 rows per transaction in the adapter's layout (appending one by one would take minutes).
    const pad = (n: number) => String(n).padStart(12, '0');
    const rows = Array.from({ length: 1100 }, (_, k) => k + 1).flatMap((n) => [
      { partitionKey: 'BIG', rowKey: `seq:${pad(n)}`, messageId: `m${n}`, message: JSON.stringify({ n }) },
      { partitionKey: 'BIG', rowKey: `id:m${n}`, seq: n },
    ]);
    rows.push({ partitionKey: 'BIG', rowKey: 'counter', last: 1100 } as never);
    for (let k = 0; k < rows.length; k += 100)
      await table.submitTransaction(rows.slice(k, k + 100).map((row) => ['create', row] as const));
    const inbox = new TablePersonInbox(table);
    expect(await inbox.next('BIG', 1049)).toEqual({ seq: 1050, message: { n: 1050 } });
    expect(await inbox.next('BIG', 1100)).toBeNull();
    expect(await inbox.append('BIG', 'm7', { again: true })).toBe(7);
    expect(await inbox.append('BIG', 'new', { n: 1101 })).toBe(1101);
    expect(await inbox.next('BIG', 1100)).toEqual({ seq: 1101, message: { n: 1101 } });
  });
});
