import { z } from 'zod';

/**
 * Audit store: Azure Table Storage when AUDIT_TABLE_ENDPOINT is set (managed identity), else SQLite in the
 * data folder.
 */
export const AuditSection = z.object({
  AUDIT_TABLE_ENDPOINT: z.url().optional(),
  AUDIT_TABLE_NAME: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, 'a Table Storage table name')
    .default('jmlaudit'),
});
