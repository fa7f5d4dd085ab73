import { type TableClient } from '@azure/data-tables';
import { ActivationRecord } from '../../activation/record';
import type { ActivationStore } from '../../ports/activation-store';
import { statusOf } from '../table-storage/rest-status';

/**
 * Activations on Azure Table Storage: partition `activation`, row = activation id, the record as JSON; the write
 * is conditional on the ETag read with the expected version (412 → someone wrote first). Partition `person`,
 * row = employee id, points at the person's latest activation.
 */
interface RecordEntity {
  partitionKey: string;
  rowKey: string;
  version: number;
  doc: string;
  etag?: string;
}

export class TableActivationStore implements ActivationStore {
  constructor(private readonly table: TableClient) {}

  private async entity(activationId: string): Promise<RecordEntity | null> {
    try {
      return await this.table.getEntity<RecordEntity>('activation', activationId);
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  async get(activationId: string): Promise<ActivationRecord | null> {
    const row = await this.entity(activationId);
    return row ? ActivationRecord.parse(JSON.parse(row.doc)) : null;
  }

  async latestForEmployee(employeeId: string): Promise<ActivationRecord | null> {
    try {
      // RowKey forbids / \ # ?: the employee id is percent-encoded.
      const pointer = await this.table.getEntity<{ activationId: string }>('person', encodeURIComponent(employeeId));
      return this.get(pointer.activationId);
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  async save(record: ActivationRecord): Promise<ActivationRecord | null> {
    const stored = { ...record, version: record.version + 1 };
    const entity = { partitionKey: 'activation', rowKey: record.activationId, version: stored.version, doc: '' };
    entity.doc = JSON.stringify(stored);
    try {
      if (record.version === 0) await this.table.createEntity(entity);
      else {
        const current = await this.entity(record.activationId);
        if (!current || current.version !== record.version) return null;
        await this.table.updateEntity(entity, 'Replace', { etag: current.etag });
      }
    } catch (error) {
      if (statusOf(error) === 409 || statusOf(error) === 412) return null;
      throw error;
    }
    await this.table.upsertEntity(
      { partitionKey: 'person', rowKey: encodeURIComponent(record.employeeId), activationId: record.activationId },
      'Replace',
    );
    return stored;
  }
}
