import { parse } from 'csv-parse/sync';
import { UsageRow } from './snapshot';

/**
 * An app usage export the organisation drops next to the app (LICENCE_USAGE_CSV_FILE): a header row with
 * appId, userPrincipalName and lastUsedAt (ISO date or date-time), one row per person and app. Rows that do not
 * parse are counted and skipped, never guessed.
 */
export function parseUsageCsv(text: string): { rows: UsageRow[]; skipped: number } {
  const records = parse(text.replace(/^\uFEFF/, ''), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string>[];
  const rows: UsageRow[] = [];
  let skipped = 0;
  for (const record of records) {
    const row = UsageRow.safeParse(record);
    if (row.success) rows.push(row.data);
    else skipped++;
  }
  return { rows, skipped };
}
