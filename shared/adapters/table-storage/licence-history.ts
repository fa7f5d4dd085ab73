import { odata, type TableClient } from '@azure/data-tables';
import type { ProductDay } from '../../licences/forecast';
import { ProductDayRow } from '../../licences/history-row';
import type { LicenceHistory } from '../../ports/licence-history';
import { tableCreatedOnce } from './table-once';

/**
 * The licence history on Azure Table Storage: PartitionKey = the day (YYYY-MM-DD), RowKey = the product key with
 * the characters a key may not hold ('/', '\\', '#', '?') replaced
 * (https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model
 * #characters-disallowed-in-key-fields). One day's rows are one partition, so a day is written in entity group
 * transactions of at most 100 operations
 * (https://learn.microsoft.com/rest/api/storageservices/performing-entity-group-transactions).
 */
const BATCH = 100;

function rowKey(key: string): string {
  // Control characters are among the characters a key may not hold.
  // eslint-disable-next-line no-control-regex
  return key.replace(/[/\\#?\u0000-\u001f\u007f-\u009f]/g, '_');
}

export class TableLicenceHistory implements LicenceHistory {
  private readonly ready: () => Promise<unknown>;

  constructor(private readonly table: TableClient) {
    this.ready = tableCreatedOnce(table);
  }

  async record(days: ProductDay[]): Promise<void> {
    await this.ready();
    // An entity may appear once per transaction: the last row recorded for a product and day wins.
    const byDate = new Map<string, Map<string, ProductDay>>();
    for (const day of days.map((d) => ProductDayRow.parse(d))) {
      const rows = byDate.get(day.date) ?? new Map<string, ProductDay>();
      rows.set(rowKey(day.key), day);
      byDate.set(day.date, rows);
    }
    for (const [date, unique] of byDate) {
      const rows = [...unique.values()];
      for (let i = 0; i < rows.length; i += BATCH)
        await this.table.submitTransaction(
          rows.slice(i, i + BATCH).map((row) => [
            'upsert',
            {
              partitionKey: date,
              rowKey: rowKey(row.key),
              product: row.key,
              name: row.name,
              purchased: row.purchased,
              assigned: row.assigned,
              consumed: row.consumed,
            },
            'Replace',
          ]),
        );
    }
  }

  async since(date: string): Promise<ProductDay[]> {
    await this.ready();
    const out: ProductDay[] = [];
    const rows = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey ge ${date}` },
    });
    for await (const row of rows)
      out.push(
        ProductDayRow.parse({
          date: row.partitionKey,
          key: row.product,
          name: row.name,
          purchased: row.purchased,
          assigned: row.assigned,
          consumed: row.consumed,
        }),
      );
    return out.sort((a, b) => a.date.localeCompare(b.date) || a.key.localeCompare(b.key));
  }
}
