import { expect, it } from 'vitest';
import type { PersonInboxPort } from '../../shared/ports/person-inbox';

/** What every PersonInboxPort adapter does (SQLite locally, Table Storage in Azure). */
export function personInboxContract(make: () => Promise<PersonInboxPort>): void {
  it('keeps each person’s messages in arrival order, once per message id', async () => {
    const inbox = await make();
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
    const inbox = await make();
    expect(await inbox.append('E1', 'a/b#c?d\\e', { ok: true })).toBe(1);
    expect(await inbox.append('E1', 'a/b#c?d\\e', { ok: false })).toBe(1);
  });

  it('gives concurrent appends distinct seqs, and one seq to concurrent deliveries of one message', async () => {
    const inbox = await make();
    const seqs = await Promise.all(Array.from({ length: 12 }, (_, i) => inbox.append('C1', `m${i}`, { i })));
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    for (const [i, seq] of seqs.entries()) expect(await inbox.next('C1', seq - 1)).toEqual({ seq, message: { i } });
    const again = await Promise.all(Array.from({ length: 6 }, () => inbox.append('C2', 'same', { once: true })));
    expect(new Set(again)).toEqual(new Set([1]));
    expect(await inbox.next('C2', 1)).toBeNull();
  });
}
