import { randomUUID } from 'node:crypto';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { odata, TableClient } from '@azure/data-tables';
import type { AuditLog, AuditQuery, AuditRecord } from '../../ports/audit-log';
import { redactSecrets } from './redact';

/**
 * The audit trail in Azure Table Storage (the cloud counterpart of SqliteAuditLog). PartitionKey = employee
 * id (or "-" for records about no one), RowKey = ISO time + random suffix so a person's rows sort by time;
 * the record itself is one JSON property. Rows are only ever added (createEntity), never updated.
 * https://learn.microsoft.com/azure/storage/tables/table-storage-design-guidelines
 */
export class TableStorageAuditLog implements AuditLog {
  constructor(private readonly table: TableClient) {}

  static fromEndpoint(endpoint: string, tableName: string, clientId?: string): TableStorageAuditLog {
    const credential = clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential();
    return new TableStorageAuditLog(new TableClient(endpoint, tableName, credential));
  }

  async append(records: AuditRecord[]): Promise<void> {
    for (const record of records) {
      const safe = redactSecrets(record) as AuditRecord;
      await this.table.createEntity({
        partitionKey: safe.employeeId ?? '-',
        rowKey: `${safe.at}_${randomUUID().slice(0, 8)}`,
        target: safe.target,
        at: safe.at,
        record: JSON.stringify(safe),
      });
    }
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    const filters: string[] = [];
    if (query.employeeId) filters.push(odata`PartitionKey eq ${query.employeeId}`);
    if (query.target) filters.push(odata`target eq ${query.target}`);
    if (query.from) filters.push(odata`at ge ${query.from}`);
    if (query.to) filters.push(odata`at le ${query.to}`);
    const out: AuditRecord[] = [];
    const limit = query.limit ?? 1000;
    for await (const entity of this.table.listEntities<{ record: string }>({
      queryOptions: { filter: filters.join(' and ') || undefined },
    })) {
      out.push(JSON.parse(entity.record) as AuditRecord);
      if (out.length >= limit) break;
    }
    return out.sort((a, b) => a.at.localeCompare(b.at));
  }
}
