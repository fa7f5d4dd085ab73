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

export interface CsvProblem extends Problem {
  line: number;
  /** The offending value as the file has it, when there is one. */
  value?: string;
}

export interface CsvResult {
  events: HrEvent[];
  problems: CsvProblem[];
  rows: number;
  /** Accepted, but the sender should know (a past leave date is applied at once). */
  notices: CsvProblem[];
}

/**
 * The file's bytes as text. UTF-8 (with or without BOM) is read as is and UTF-16 with a BOM is converted;
 * anything else (a Latin-1 / Windows-1252 export, where "José" is not valid UTF-8) is refused with the first
 * line that is not UTF-8 and how it would read as Latin-1, instead of letting "Jos\uFFFD" through.
 */
export function decodeCsv(bytes: Uint8Array): { ok: true; text: string } | { ok: false; problem: CsvProblem } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return { ok: true, text: new TextDecoder('utf-16le').decode(buffer) };
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return { ok: true, text: new TextDecoder('utf-16be').decode(buffer) };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(buffer) };
  } catch {
    let start = 0;
    for (let line = 1; start <= buffer.length; line++) {
      const end = buffer.indexOf(0x0a, start) === -1 ? buffer.length : buffer.indexOf(0x0a, start);
      const bytesOfLine = buffer.subarray(start, end);
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytesOfLine);
      } catch {
        return {
          ok: false,
          problem: {
            line,
            path: '(file)',
            reason: 'not UTF-8 (as Latin-1 this line reads as shown in value); save the file as UTF-8',
            value: bytesOfLine.toString('latin1').replace(/\r$/, '').slice(0, 200),
          },
        };
      }
      start = end + 1;
    }
    return { ok: false, problem: { line: 1, path: '(file)', reason: 'not UTF-8; save the file as UTF-8' } };
  }
}

/** The value at a problem's path ("worker.hireDate") in the candidate event, for the report. */
function valueAt(candidate: unknown, path: string): string | undefined {
  let current: unknown = candidate;
  for (const key of path.split('.')) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === 'string' ? current.slice(0, 200) : undefined;
}

/** The columns a mapping reads, with where in the mapping each is named. */
function mappedColumns(mapping: CsvMapping): [string, string][] {
  const columns: [string, string][] = [];
  if ('column' in mapping.type) columns.push(['type.column', mapping.type.column]);
  if (mapping.immediateColumn) columns.push(['immediateColumn', mapping.immediateColumn]);
  for (const [field, source] of Object.entries(mapping.fields))
    if (typeof source === 'string') columns.push([`fields.${field}`, source]);
  return columns;
}

export function csvToEvents(csv: string, mapping: CsvMapping, fileTag: string, now = new Date()): CsvResult {
  const conversion = convertCsv(csv, mapping, fileTag, now);
  for (;;) {
    const step = conversion.next();
    if (step.done) return step.value;
  }
}

/**
 * csvToEvents giving the event loop back every `rowsPerSlice` rows. Mapping and validating a 10,000-row extract is
 * about a second of CPU: in one piece it held every other request of the host that long (bench joiners:
 * /api/health, the webhook, the durable engine's turns).
 */
export async function csvToEventsInSlices(
  csv: string,
  mapping: CsvMapping,
  fileTag: string,
  { now = new Date(), rowsPerSlice = 200 }: { now?: Date; rowsPerSlice?: number } = {},
): Promise<CsvResult> {
  const conversion = convertCsv(csv, mapping, fileTag, now);
  for (let rows = 1; ; rows++) {
    const step = conversion.next();
    if (step.done) return step.value;
    if (rows % rowsPerSlice === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The conversion, a row at a time: it yields after each data row and returns the result. */
function* convertCsv(csv: string, mapping: CsvMapping, fileTag: string, now: Date): Generator<void, CsvResult> {
  const result: CsvResult = { events: [], problems: [], rows: 0, notices: [] };
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(csv, {
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
      relax_column_count: true,
    }) as unknown as typeof parsed;
  } catch (error) {
    // Broken quoting and the like: the parser names the line it stopped at.
    const line = (error as { lines?: number }).lines ?? 1;
    result.problems.push({ line, path: '(file)', reason: error instanceof Error ? error.message : String(error) });
    return result;
  }
  const [headerRow, ...records] = parsed;
  if (!headerRow) {
    result.problems.push({ line: 1, path: '(file)', reason: 'empty file: no header line' });
    return result;
  }
  const header = headerRow.record;
  // A column the mapping needs but the file lacks is one problem, not one per row.
  const missing = mappedColumns(mapping).filter(([, column]) => !header.includes(column));
  for (const [where, column] of missing)
    result.problems.push({
      line: headerRow.info.lines,
      path: `mapping.${where}`,
      reason: `column "${column}" is not in the file (its columns: ${header.join(', ')})`,
    });
  if (missing.length) return result;
  result.rows = records.length;
  const firstLine = new Map<string, number>();
  for (const { record: cells, info } of records) {
    yield;
    if (cells.length !== header.length) {
      // Reported, and the other rows are still checked.
      result.problems.push({
        line: info.lines,
        path: '(row)',
        reason: `${cells.length} field(s) where the header has ${header.length}`,
        value: cells.join(',').slice(0, 200),
      });
      continue;
    }
    const record = Object.fromEntries(header.map((column, i) => [column, cells[i]!]));
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
    const checked = validateEvents(candidate, 'csv', now);
    const repeated = firstLine.get(candidate.eventId);
    if (checked.ok && repeated !== undefined) {
      // The same row twice: the same event for the same person twice in one file.
      result.problems.push({ line: info.lines, path: '(row)', reason: `repeats line ${repeated}` });
    } else if (checked.ok) {
      firstLine.set(candidate.eventId, info.lines);
      result.events.push(...checked.events);
      result.notices.push(...checked.notices.map((n) => ({ ...n, line: info.lines })));
    } else
      result.problems.push(
        ...checked.problems.map((p) => {
          const value = valueAt(candidate, p.path);
          return { ...p, line: info.lines, ...(value !== undefined ? { value } : {}) };
        }),
      );
  }
  return result;
}

/** One problem as a line of text: where, what, and the value that caused it. */
export function formatCsvProblem(p: CsvProblem): string {
  return `line ${p.line}: ${p.path}: ${p.reason}${p.value !== undefined ? ` (got ${JSON.stringify(p.value)})` : ''}`;
}
