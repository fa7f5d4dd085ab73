import { odata, RestError, type TableClient } from '@azure/data-tables';
import type { ManagerWaitlist } from '../../ports/manager-waitlist';
import { tableCreatedOnce } from '../table-storage/table-once';

/** The manager waitlist on Azure Table Storage: one partition per manager, one row per waiting report. */
export class TableManagerWaitlist implements ManagerWaitlist {
  private readonly ready: () => Promise<unknown>;

  constructor(private readonly table: TableClient) {
    this.ready = tableCreatedOnce(table);
  }

  async wait(managerEmployeeId: string, reportEmployeeId: string): Promise<void> {
    await this.ready();
    await this.table.upsertEntity(
      { partitionKey: managerEmployeeId, rowKey: reportEmployeeId, since: new Date().toISOString() },
      'Replace',
    );
  }

  async waiting(managerEmployeeId: string): Promise<string[]> {
    await this.ready();
    const reports: string[] = [];
    const rows = this.table.listEntities<{ rowKey: string }>({
      queryOptions: { filter: odata`PartitionKey eq ${managerEmployeeId}`, select: ['RowKey'] },
    });
    for await (const row of rows) reports.push(row.rowKey);
    return reports;
  }

  async done(managerEmployeeId: string, reportEmployeeIds: string[]): Promise<void> {
    await this.ready();
    for (const report of reportEmployeeIds) {
      try {
        await this.table.deleteEntity(managerEmployeeId, report);
      } catch (error) {
        if (!(error instanceof RestError && error.statusCode === 404)) throw error;
      }
    }
  }
}
