import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  csvToEvents,
  csvToEventsInSlices,
  decodeCsv,
  formatCsvProblem,
  parseMapping,
} from '../../shared/intake/csv-import';

/**
 * The CSV door row by row: the mapping file's refusals, what a row becomes (ids, constants, empty cells, the
 * immediate column), and where each problem or notice points (line, path, value as the file has it).
 */
const NOW = new Date('2026-11-25T08:00:00Z');
const mapping = parseMapping(
  [
    'type: { column: Action }',
    'immediateColumn: Now',
    'fields:',
    '  employeeId: Id',
    '  legalGivenName: Given',
    '  legalFamilyName: Family',
    '  department: Dept',
    '  hireDate: Start',
    '  leaveDate: End',
    '  timeZone: { constant: Europe/Paris }',
  ].join('\n'),
);
const header = 'Id,Given,Family,Dept,Start,End,Action,Now';
const csv = (...rows: string[]) => `${[header, ...rows].join('\n')}\n`;
const run = (text: string, tag = 'f.csv') => csvToEvents(text, mapping, tag, NOW);

describe('parseMapping', () => {
  it('defaults the event type to hire and keeps constants and columns apart', () => {
    expect(parseMapping('fields:\n  employeeId: Id\n  timeZone: { constant: UTC }\n')).toEqual({
      type: { constant: 'hire' },
      fields: { employeeId: 'Id', timeZone: { constant: 'UTC' } },
    });
  });

  it('refuses a mapping it does not understand, naming every problem', () => {
    expect(() => parseMapping('fields: 3\nextra: 1\n')).toThrow(/^invalid mapping: .*fields: .*; .*$/);
    expect(() => parseMapping('type: { column: 3 }\nfields: {}\n')).toThrow(/^invalid mapping: type/);
  });
});

describe('decodeCsv', () => {
  const text = 'Id,Given\nC1,Zoë\n';

  it('reads UTF-16 big-endian with its BOM, and UTF-8 with a BOM without it', () => {
    const utf16be = Buffer.from(text, 'utf16le').swap16();
    expect(decodeCsv(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]))).toEqual({ ok: true, text });
    expect(decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]))).toEqual({
      ok: true,
      text,
    });
  });

  it('names the first line that is not UTF-8, without its carriage return, and at most 200 characters of it', () => {
    const latin1 = decodeCsv(Buffer.from(`Zoë,${'x'.repeat(300)}\r\nC1,Ada\r\n`, 'latin1'));
    expect(latin1).toEqual({
      ok: false,
      problem: {
        line: 1,
        path: '(file)',
        reason: 'not UTF-8 (as Latin-1 this line reads as shown in value); save the file as UTF-8',
        value: `Zoë,${'x'.repeat(196)}`,
      },
    });
    const crlf = decodeCsv(Buffer.from('Id,Given\r\nC1,Zoë\r\n', 'latin1'));
    expect(crlf).toMatchObject({ ok: false, problem: { line: 2, value: 'C1,Zoë' } });
  });
});

describe('decodeCsv: a Latin-1 file that starts like a byte order mark', () => {
  it('is refused unless both bytes of a UTF-16 BOM are there', () => {
    for (const start of ['ÿa', 'aþ', 'þa', 'aÿ'])
      expect(decodeCsv(Buffer.from(`${start},x\nC1,Ada\n`, 'latin1')), start).toMatchObject({ ok: false });
  });

  it('names a last line without a line feed, and keeps a carriage return inside a line', () => {
    expect(decodeCsv(Buffer.from('Id\nZoé', 'latin1'))).toMatchObject({
      ok: false,
      problem: { line: 2, value: 'Zoé' },
    });
    expect(decodeCsv(Buffer.from('a\rb é\r\n', 'latin1'))).toMatchObject({ problem: { line: 1, value: 'a\rb é' } });
  });
});

describe('csvToEvents: what a row becomes', () => {
  it('one event per row, its id a digest of the file tag and the row, at the time of the import', () => {
    const result = run(csv('C1,Ada,Lovelace,Eng,2026-12-01,,hire,'));
    expect(result.problems).toEqual([]);
    expect(result.rows).toBe(1);
    const record = { Id: 'C1', Given: 'Ada', Family: 'Lovelace', Dept: 'Eng', Start: '2026-12-01' };
    const row = { ...record, End: '', Action: 'hire', Now: '' };
    const digest = createHash('sha256')
      .update(`f.csv:${JSON.stringify(row)}`)
      .digest('hex')
      .slice(0, 20);
    expect(result.events).toEqual([
      expect.objectContaining({
        eventId: `csv-${digest}`,
        type: 'hire',
        immediate: false,
        occurredAt: '2026-11-25T08:00:00.000Z',
        source: 'csv',
      }),
    ]);
    expect(run(csv('C1,Ada,Lovelace,Eng,2026-12-01,,hire,'), 'g.csv').events[0]!.eventId).not.toBe(`csv-${digest}`);
  });

  it('takes constants, leaves empty cells out, and trims cells', () => {
    const result = run(csv(' C1 , Ada ,Lovelace,,2026-12-01,,hire,'));
    const worker = result.events[0]!.worker;
    expect(worker).toMatchObject({ employeeId: 'C1', legalGivenName: 'Ada', timeZone: 'Europe/Paris' });
    expect(Object.keys(worker)).not.toContain('department');
    expect(Object.keys(worker)).not.toContain('leaveDate');
  });

  it('reads the immediate column as true, yes or 1 in any case, anything else as false', () => {
    const row = (now: string) => `C1,Ada,Lovelace,Eng,2026-01-01,2026-12-20,terminate,${now}`;
    const immediate = (now: string) => run(csv(row(now))).events.map((e) => e.immediate);
    for (const yes of ['true', 'YES', '1', 'True']) expect(immediate(yes), yes).toEqual([true]);
    for (const no of ['no', '', '0', 'truely', 'yes please', 'not true']) expect(immediate(no), no).toEqual([false]);
  });

  it('without an immediate column, no event is immediate', () => {
    const plain = parseMapping(
      'fields:\n  employeeId: Id\n  legalGivenName: Given\n  legalFamilyName: Family\n' +
        '  hireDate: { constant: 2026-12-01 }\n',
    );
    const result = csvToEvents('Id,Given,Family\nC1,Ada,Lovelace\n', plain, 'p.csv', NOW);
    expect(result.problems).toEqual([]);
    expect(result.events.map((e) => [e.type, e.immediate])).toEqual([['hire', false]]);
  });

  it('a past leave date is accepted with a notice on its line', () => {
    const result = run(csv('C1,Ada,Lovelace,Eng,2026-01-01,2026-11-20,terminate,no'));
    expect(result.events).toHaveLength(1);
    expect(result.notices.length).toBeGreaterThan(0);
    expect(result.notices.every((n) => n.line === 2)).toBe(true);
  });
});

describe('csvToEvents: where problems point', () => {
  it('an empty file has no header line', () => {
    const result = run('');
    expect(result).toEqual({
      events: [],
      problems: [{ line: 1, path: '(file)', reason: 'empty file: no header line' }],
      rows: 0,
      notices: [],
    });
    expect(formatCsvProblem(result.problems[0]!)).toBe('line 1: (file): empty file: no header line');
  });

  it("names every mapped column the file lacks, the type and immediate columns too, and the file's columns", () => {
    const result = run('Id,Given\nC1,Ada\n');
    expect(result.rows).toBe(0);
    expect(result.events).toEqual([]);
    expect(result.problems.map((p) => p.path)).toEqual([
      'mapping.type.column',
      'mapping.immediateColumn',
      'mapping.fields.legalFamilyName',
      'mapping.fields.department',
      'mapping.fields.hireDate',
      'mapping.fields.leaveDate',
    ]);
    expect(result.problems[0]).toEqual({
      line: 1,
      path: 'mapping.type.column',
      reason: 'column "Action" is not in the file (its columns: Id, Given)',
    });
  });

  it('a row repeated is refused on its second line, naming the first', () => {
    const row = 'C1,Ada,Lovelace,Eng,2026-12-01,,hire,';
    const result = run(csv(row, '', row));
    expect(result.events).toHaveLength(1);
    expect(result.problems).toEqual([{ line: 4, path: '(row)', reason: 'repeats line 2' }]);
    expect(result.rows).toBe(2);
  });

  it('a row with too many fields says how many, with at most 200 characters of it', () => {
    const result = run(csv(`C1,Ada,Lovelace,Eng,2026-12-01,,hire,,${'x'.repeat(300)}`));
    expect(result.problems).toEqual([
      {
        line: 2,
        path: '(row)',
        reason: '9 field(s) where the header has 8',
        value: `C1,Ada,Lovelace,Eng,2026-12-01,,hire,,${'x'.repeat(300)}`.slice(0, 200),
      },
    ]);
  });

  it('shows the value of a refused field (at most 200 characters), and none for a field left empty', () => {
    const result = run(csv(`,Ada,Lovelace,${'D'.repeat(300)},2026-12-01,,hire,`));
    const byPath = new Map(result.problems.map((p) => [p.path, p]));
    expect(byPath.get('worker.department')).toMatchObject({ line: 2, value: 'D'.repeat(200) });
    expect(byPath.get('worker.employeeId')).toBeDefined();
    expect(Object.keys(byPath.get('worker.employeeId')!)).not.toContain('value');
    expect(formatCsvProblem(byPath.get('worker.employeeId')!)).toMatch(/^line 2: worker\.employeeId: [^(]+$/);
  });

  it('broken quoting is a file problem on the line the parser stopped at, with its message', () => {
    const result = run(`${header}\nC1,"Ada,Lovelace,Eng,2026-12-01,,hire,\nC2,Bob\n`);
    expect(result.problems).toEqual([
      {
        line: 3,
        path: '(file)',
        reason: 'Quote Not Closed: the parsing is finished with an opening quote at line 3',
      },
    ]);
  });

  it('a byte order mark before the header is not part of its first column', () => {
    const result = run(`\uFEFF${csv('C1,Ada,Lovelace,Eng,2026-12-01,,hire,')}`);
    expect(result.problems).toEqual([]);
    expect(result.events.map((e) => e.worker.employeeId)).toEqual(['C1']);
  });
});

describe('csvToEventsInSlices (the HTTP door)', () => {
  const rows = Array.from({ length: 450 }, (_, i) => `E${i},Ada,Lovelace,Eng,2026-12-01,,hire,`);
  const file = csv(...rows, ',Bob,Smith,Eng,someday,,hire,');

  it('gives what csvToEvents gives, problems and line numbers included', async () => {
    const sliced = await csvToEventsInSlices(file, mapping, 'f.csv', { now: NOW, rowsPerSlice: 100 });
    expect(sliced).toEqual(run(file));
    expect(sliced.events).toHaveLength(450);
    expect(sliced.problems.every((p) => p.line === 452)).toBe(true);
  });

  it('gives the event loop back between slices of rows, not only at the end', async () => {
    const order: string[] = [];
    const slices = csvToEventsInSlices(file, mapping, 'f.csv', { now: NOW, rowsPerSlice: 100 }).then((result) => {
      order.push('converted');
      return result;
    });
    // Queued after the conversion began: it runs between two slices, before the conversion ends.
    setImmediate(() => order.push('other work'));
    expect((await slices).events).toHaveLength(450);
    expect(order).toEqual(['other work', 'converted']);
    // A refused header or an empty file answers at once, as csvToEvents does.
    expect(await csvToEventsInSlices('', mapping, 'f.csv', { now: NOW })).toEqual(run(''));
  });
});
