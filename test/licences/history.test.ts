import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteLicenceHistory } from '../../shared/adapters/sqlite/licence-history';
import { TableLicenceHistory } from '../../shared/adapters/table-storage/licence-history';
import type { ProductDay } from '../../shared/licences/forecast';
import type { LicenceHistory } from '../../shared/ports/licence-history';
import { startAzurite, type Azurite } from '../support/azurite';

const day = (date: string, key: string, assigned: number): ProductDay => ({
  date,
  key,
  name: key,
  purchased: 10,
  assigned,
  consumed: assigned,
});

function historyContract(open: () => Promise<LicenceHistory>): void {
  it('keeps one row per product per day, the last recorded, and reads from a date oldest first', async () => {
    const history = await open();
    await history.record([day('2026-02-27', 'sku:SPE_E3', 1), day('2026-02-28', 'app:acme:Pro', 2)]);
    await history.record([day('2026-02-28', 'sku:SPE_E3', 3), day('2026-02-28', 'sku:SPE_E3', 4)]);
    expect(await history.since('2026-02-28')).toEqual([
      day('2026-02-28', 'app:acme:Pro', 2),
      day('2026-02-28', 'sku:SPE_E3', 4),
    ]);
    expect((await history.since('2026-01-01')).map((d) => d.date)).toEqual(['2026-02-27', '2026-02-28', '2026-02-28']);
  });

  it('stores product keys with characters a table key may not hold, and more than 100 products a day', async () => {
    const history = await open();
    const many = Array.from({ length: 130 }, (_, i) => day('2026-03-01', `app:a/b#${i}`, i));
    await history.record(many);
    const back = await history.since('2026-03-01');
    expect(back).toHaveLength(130);
    expect(back.map((d) => d.key)).toContain('app:a/b#7');
  });
}

describe('licence history on SQLite', () => {
  historyContract(
    async () => new SqliteLicenceHistory(path.join(mkdtempSync(path.join(tmpdir(), 'jml-lh-')), 'h.sqlite')),
  );
});

describe('licence history on Table Storage (Azurite)', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => azurite?.stop());
  historyContract(async () => new TableLicenceHistory(await azurite.createTable('licences')));
});
