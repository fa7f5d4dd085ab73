import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvToEvents, decodeCsv, formatCsvProblem, parseMapping } from '../../shared/intake/csv-import';

const examples = path.resolve(__dirname, '../../examples');
const mapping = parseMapping(readFileSync(path.join(examples, 'hr-extract.mapping.yaml'), 'utf8'));

describe('CSV import', () => {
  it('maps every row of the example extract to a valid event', () => {
    const result = csvToEvents(readFileSync(path.join(examples, 'hr-extract.csv'), 'utf8'), mapping, 'hr-extract.csv');
    expect(result.problems).toEqual([]);
    expect(result.events.map((e) => [e.worker.employeeId, e.type, e.worker.managerEmployeeId ?? null])).toEqual([
      ['C200', 'hire', null],
      ['C201', 'hire', 'C200'],
    ]);
    expect(result.events[0]!.source).toBe('csv');
  });

  it('reports every bad row with its line number and keeps none of them', () => {
    const csv =
      'Employee ID,First Name,Last Name,Department,Title,Country,Manager ID,Start Date,Action\n' +
      'C1,Ada,Lovelace,Eng,Eng,FR,,2026-12-01,hire\n' +
      ',Bob,Smith,Eng,Eng,Atlantis,,someday,promote\n';
    const result = csvToEvents(csv, mapping, 'bad.csv');
    expect(result.events).toHaveLength(1);
    expect(result.problems.every((p) => p.line === 3)).toBe(true);
    expect(result.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['type', 'worker.employeeId', 'worker.country', 'worker.hireDate']),
    );
  });

  it('gives the same row the same event id (re-imports are de-duplicated by the queue)', () => {
    const csv = readFileSync(path.join(examples, 'hr-extract.csv'), 'utf8');
    expect(csvToEvents(csv, mapping, 'a.csv').events.map((e) => e.eventId)).toEqual(
      csvToEvents(csv, mapping, 'a.csv').events.map((e) => e.eventId),
    );
  });
});

describe('CSV problems a careless export causes (issue 23 item 12)', () => {
  const header = 'Employee ID,First Name,Last Name,Department,Title,Country,Manager ID,Start Date,Action';

  it('refuses a Latin-1 file naming the first line that is not UTF-8, and converts UTF-16 with a BOM', () => {
    const rows = 'C1,Ada,Lovelace,Eng,Eng,FR,,2026-12-01,hire\nC2,José,Núñez,Eng,Eng,FR,,2026-12-01,hire\n';
    const text = `${header}\n${rows}`;
    const latin1 = decodeCsv(Buffer.from(text, 'latin1'));
    expect(latin1).toEqual({
      ok: false,
      problem: expect.objectContaining({ line: 3, value: 'C2,José,Núñez,Eng,Eng,FR,,2026-12-01,hire' }),
    });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(decodeCsv(utf16)).toEqual({ ok: true, text });
    expect(decodeCsv(Buffer.from(text, 'utf8'))).toEqual({ ok: true, text });
  });

  it('refuses U+FFFD left by an earlier lossy conversion, showing the value', () => {
    const result = csvToEvents(`${header}\nC2,Jos\uFFFD,Nunez,Eng,Eng,FR,,2026-12-01,hire\n`, mapping, 'x.csv');
    expect(result.problems).toEqual([
      expect.objectContaining({ line: 2, path: 'worker.legalGivenName', value: 'Jos\uFFFD' }),
    ]);
  });

  it('reports a missing column once, not once per row', () => {
    const noLastName = 'Employee ID,First Name,Department,Title,Country,Manager ID,Start Date,Action';
    const csv = `${noLastName}\n${'C1,Ada,Eng,Eng,FR,,2026-12-01,hire\n'.repeat(5)}`;
    const result = csvToEvents(csv, mapping, 'x.csv');
    expect(result.problems).toEqual([
      expect.objectContaining({
        line: 1,
        path: 'mapping.fields.legalFamilyName',
        reason: expect.stringMatching(/"Last Name" is not in the file/),
      }),
    ]);
  });

  it('reports a short row with its line number and goes on checking the others', () => {
    const rows = [
      'C1,Ada,Lovelace',
      'C2,Bob,Smith,Eng,Eng,FR,,someday,hire',
      'C3,Cy,Young,Eng,Eng,FR,,2026-12-01,hire',
    ];
    const csv = `${[header, ...rows].join('\n')}\n`;
    const result = csvToEvents(csv, mapping, 'x.csv');
    expect(result.problems.map((p) => [p.line, p.path, p.value])).toEqual([
      [2, '(row)', 'C1,Ada,Lovelace'],
      [3, 'worker.hireDate', 'someday'],
    ]);
    expect(formatCsvProblem(result.problems[1]!)).toMatch(/^line 3: worker\.hireDate: .* \(got "someday"\)$/);
    expect(result.events.map((e) => e.worker.employeeId)).toEqual(['C3']);
  });

  it('reports broken quoting with its line instead of throwing', () => {
    const result = csvToEvents(`${header}\nC1,"Ada,Lovelace,Eng,Eng,FR,,2026-12-01,hire\n`, mapping, 'x.csv');
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.path).toBe('(file)');
  });
});
