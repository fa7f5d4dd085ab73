import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvToEvents, parseMapping } from '../../shared/intake/csv-import';

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
      'Employee ID,First Name,Last Name,Department,Title,Country,Manager ID,Start Date,Action\nC1,Ada,Lovelace,Eng,Eng,FR,,2026-12-01,hire\n,Bob,Smith,Eng,Eng,Atlantis,,someday,promote\n';
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
