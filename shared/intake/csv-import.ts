import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { HrEvent } from '../domain/hr-event';
import { validateEvents, type Problem } from './accept-events';

/**
 * CSV HR extracts → canonical events. A mapping file names, for each worker field, the CSV column it
 * comes from (and optional constants), plus the column holding the event type; every row is validated
 * before anything is sent, and problems carry the CSV line number.
 */
export const CsvMapping = z
  .object({
    type: z.union([z.object({ column: z.string() }), z.object({ constant: z.string() })]).default({ constant: 'hire' }),
    immediateColumn: z.string().optional(),
    fields: z.record(z.string(), z.union([z.string(), z.object({ constant: z.string() })])),
  })
  .strict();
export type CsvMapping = z.infer<typeof CsvMapping>;

export function parseMapping(text: string): CsvMapping {
  const parsed = CsvMapping.safeParse(parseYaml(text));
  if (!parsed.success)
    throw new Error(
      `invalid mapping: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

export interface CsvResult {
  events: HrEvent[];
  problems: (Problem & { line: number })[];
  rows: number;
}

export function csvToEvents(csv: string, mapping: CsvMapping, fileTag: string, now = new Date()): CsvResult {
  const records = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true }) as {
    record: Record<string, string>;
    info: { lines: number };
  }[];
  const events: HrEvent[] = [];
  const problems: CsvResult['problems'] = [];
  for (const { record, info } of records) {
    const worker: Record<string, unknown> = {};
    for (const [field, source] of Object.entries(mapping.fields)) {
      const value = typeof source === 'string' ? record[source] : source.constant;
      if (value !== undefined && value !== '') worker[field] = value;
    }
    const type = 'constant' in mapping.type ? mapping.type.constant : record[mapping.type.column];
    const digest = createHash('sha256')
      .update(`${fileTag}:${JSON.stringify(record)}`)
      .digest('hex')
      .slice(0, 20);
    const candidate = {
      eventId: `csv-${digest}`,
      type,
      occurredAt: now.toISOString(),
      immediate: mapping.immediateColumn ? /^(true|yes|1)$/i.test(record[mapping.immediateColumn] ?? '') : false,
      worker,
    };
    const result = validateEvents(candidate, 'csv');
    if (result.ok) events.push(...result.events);
    else problems.push(...result.problems.map((p) => ({ ...p, line: info.lines })));
  }
  return { events, problems, rows: records.length };
}
