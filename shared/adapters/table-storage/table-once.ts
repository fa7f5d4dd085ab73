import type { TableClient } from '@azure/data-tables';

/**
 * Creates the table on first use, once per adapter (createTable succeeds when the table is already there:
 * https://learn.microsoft.com/javascript/api/@azure/data-tables/tableclient, createTable).
 * A failed create is not remembered, so the next call tries again.
 */
export function tableCreatedOnce(table: TableClient): () => Promise<unknown> {
  let created: Promise<unknown> | undefined;
  return () =>
    (created ??= table.createTable().catch((error: unknown) => {
      created = undefined;
      throw error;
    }));
}
