import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMapping, compileExpression, loadMapping } from '../../shared/intake/attribute-mapping';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const data = {
  name: { givenName: 'Kathy', familyName: 'Jensen', middleName: null },
  age: 42,
  nickName: '',
  emails: [{ value: 'k@work.example', type: 'work' }],
  phones: 'not a list',
  'urn:contoso': { 'employee:Site': 'short key', Site: 'US-NYC' },
  'urn:contoso:employee': { Site: 'FR-PAR' },
};
const evaluate = (expression: string, over: Record<string, unknown> = data) => compileExpression(expression)(over);

/** The edges of the bulkUpload mapping expressions: paths, argument splitting and each function's empty cases. */
describe('attribute mapping edges', () => {
  it('a URN path reads the longest URN key that prefixes it', () => {
    expect(evaluate('urn:contoso:employee:Site')).toBe('FR-PAR');
    expect(evaluate('urn:contoso:Site')).toBe('US-NYC');
    expect(evaluate('urn:other:Site')).toBeUndefined();
    expect(evaluate(`${ENTERPRISE}:department`)).toBeUndefined();
    expect(evaluate(`${ENTERPRISE}:department`, { [ENTERPRISE]: { department: 'Ops' } })).toBe('Ops');
  });

  it('a missing, null or non-list step gives no value; a number reads as text', () => {
    expect(evaluate('name.middleName')).toBeUndefined();
    expect(evaluate('name.middleName.first')).toBeUndefined();
    expect(evaluate('title.text')).toBeUndefined();
    expect(evaluate('phones[type eq "work"].value')).toBeUndefined();
    expect(evaluate('emails[type eq "home"].value')).toBeUndefined();
    expect(evaluate('emails[type eq "work"].value')).toBe('k@work.example');
    expect(evaluate('age')).toBe('42');
    expect(evaluate('  name.givenName  ')).toBe('Kathy');
  });

  it('splits arguments on top-level commas only, outside quotes and nested calls', () => {
    expect(evaluate('Join(", ", name.familyName, name.givenName)')).toBe('Jensen, Kathy');
    expect(evaluate('Join("-", Left(name.givenName, 1), Left(name.familyName, 1))')).toBe('K-J');
    expect(evaluate('Coalesce(nickName, Replace(name.givenName, "K", "C"))')).toBe('Cathy');
    expect(evaluate('Join(" ",\n  name.givenName,\n  name.familyName)')).toBe('Kathy Jensen');
  });

  it('function names are case-insensitive', () => {
    expect(evaluate('join("+", name.givenName, name.familyName)')).toBe('Kathy+Jensen');
    expect(evaluate('COALESCE(nickName, name.familyName)')).toBe('Jensen');
  });

  it('each function with nothing to work on', () => {
    expect(evaluate('Coalesce(nickName, name.middleName)')).toBeUndefined();
    expect(evaluate('Join(" ", nickName, name.middleName)')).toBeUndefined();
    expect(evaluate('Join(" ", nickName, name.givenName)')).toBe('Kathy');
    expect(evaluate('Join(name.middleName, name.givenName, name.familyName)')).toBe('KathyJensen');
    expect(evaluate('Replace(name.middleName, "a", "b")')).toBeUndefined();
    expect(evaluate('Replace(name.givenName, "a", name.middleName)')).toBe('Kthy');
    expect(evaluate('Left(name.middleName, 2)')).toBeUndefined();
    expect(evaluate('Left(name.givenName, -1)')).toBe('Kath');
    expect(evaluate('Left(name.givenName, 0)')).toBe('');
  });

  it('numbers and quoted text are constants', () => {
    expect(evaluate('12')).toBe('12');
    expect(evaluate('-3')).toBe('-3');
    expect(evaluate('"a, b"')).toBe('a, b');
    expect(evaluate('""')).toBe('');
  });

  it('applyMapping leaves out empty and missing values', () => {
    const mapping = {
      a: compileExpression('nickName'),
      b: compileExpression('name.middleName'),
      c: compileExpression('age'),
    };
    expect(applyMapping(mapping, data)).toEqual({ c: '42' });
  });

  it('loads a mapping file, and names the file and the field of an invalid one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mapping-'));
    const good = path.join(dir, 'good.yaml');
    writeFileSync(good, 'fields:\n  givenName: name.givenName\n  site: Left(urn:contoso:employee:Site, 2)\n');
    expect(applyMapping(loadMapping(good), data)).toEqual({ givenName: 'Kathy', site: 'FR' });
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'fields:\n  givenName: 3\nextra: 1\n');
    expect(() => loadMapping(bad)).toThrow(`${bad}: `);
    expect(() => loadMapping(bad)).toThrow(/fields\.givenName: .*; : .*extra/);
    const unknown = path.join(dir, 'unknown.yaml');
    writeFileSync(unknown, 'fields:\n  givenName: Upper(name.givenName)\n');
    expect(() => loadMapping(unknown)).toThrow('unsupported mapping function Upper');
  });
});
