import { odata, type TableClient } from '@azure/data-tables';
import { BulkRequestRecord, OperationIntake, type BulkRequestStore } from '../../ports/bulk-request-store';

/**
 * bulkUpload requests on Azure Table Storage: partition = request id, row `request` holds the header and
 * rows `op:{000}` one operation each, so no property nears the 64 KiB limit of a Table entity
 * (https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model).
 */
const pad = (index: number) => String(index).padStart(3, '0');

export class TableBulkRequestStore implements BulkRequestStore {
  private tableReady: Promise<void> | undefined;

  constructor(private readonly table: TableClient) {}

  async save(record: BulkRequestRecord): Promise<void> {
    // The table is not in infra/modules/storage.bicep yet: created on first use (idempotent: 409 is ignored).
    await (this.tableReady ??= this.table.createTable().catch(() => undefined));
    const { operations, ...header } = record;
    const actions = [
      ['upsert', { partitionKey: record.requestId, rowKey: 'request', ...header }, 'Replace'] as const,
      ...operations.map(
        (operation, index) =>
          [
            'upsert',
            { partitionKey: record.requestId, rowKey: `op:${pad(index)}`, operation: JSON.stringify(operation) },
            'Replace',
          ] as const,
      ),
    ];
    // One entity group transaction (at most 100 entities; a request has at most 51 rows).
    await this.table.submitTransaction(actions.map((a) => [...a]));
  }

  async get(requestId: string): Promise<BulkRequestRecord | null> {
    let header: Record<string, unknown> | null = null;
    const operations: OperationIntake[] = [];
    for await (const row of this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${requestId}` },
    })) {
      if (row.rowKey === 'request') header = row;
      else operations.push(OperationIntake.parse(JSON.parse(String(row.operation))));
    }
    if (!header) return null;
    return BulkRequestRecord.parse({
      requestId,
      receivedAt: header.receivedAt,
      appId: header.appId,
      operations,
    });
  }
}
