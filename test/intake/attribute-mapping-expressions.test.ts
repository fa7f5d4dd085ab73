import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMapping, compileExpression, loadMapping } from '../../shared/intake/attribute-mapping';

/**
 * bulkUpload mapping expressions at their edges (mutation testing, issue 15; attribute-mapping.test.ts covers the
 * ordinary cases): which URN key a path reads, missing values on the way, nested and quoted arguments, and the
 * mapping file's checks.
 */
const data = {
  name: { givenName: 'Kathy', familyName: 'Jensen', middleName: null },
  nickName: '',
  emails: [
    { value: 'k@work.example', type: 'work' },
    { value: 'k@home.example', type: 'home' },
  ],
  phone: 'not-a-list',
  'urn:contoso': { Site: 'short' },
  'urn:contoso:employee': { Site: 'FR-PAR', Badge: 42 },
};
const evaluate = (expression: string) => compileExpression(expression)(data);

describe('paths', () => {
  it('read the longest URN key that prefixes the path; an unknown URN reads nothing', () => {
    expect(evaluate('urn:contoso:employee:Site')).toBe('FR-PAR');
    expect(evaluate('urn:contoso:Site')).toBe('short');
    expect(evaluate('urn:fabrikam:Site')).toBeUndefined();
    expect(evaluate('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department')).toBeUndefined();
  });

  it('read nothing past a missing or null value, a list filter on a non-list, or a filter that matches none', () => {
    expect(evaluate('name.middleName.first')).toBeUndefined();
    expect(evaluate('name.middleName')).toBeUndefined();
    expect(evaluate('title.text')).toBeUndefined();
    expect(evaluate('phone[type eq "work"].value')).toBeUndefined();
    expect(evaluate('emails[type eq "other"].value')).toBeUndefined();
    expect(evaluate('emails[type eq "work"].value')).toBe('k@work.example');
  });

  it('give text for a number', () => {
    expect(evaluate('urn:contoso:employee:Badge')).toBe('42');
  });
});

describe('functions', () => {
  it('split arguments at top-level commas only, not inside quotes or a nested call', () => {
    expect(evaluate('Join(", ", name.familyName, Coalesce(nickName, name.givenName))')).toBe('Jensen, Kathy');
    expect(evaluate('Join("-", "a,b", "c")')).toBe('a,b-c');
  });

  it('take any case of a function name, and arguments over several lines', () => {
    expect(evaluate('JOIN(" ",\n  name.givenName,\n  name.familyName)')).toBe('Kathy Jensen');
  });

  it('Coalesce skips empty and missing values; none at all is nothing', () => {
    expect(evaluate('Coalesce(nickName, title, name.familyName)')).toBe('Jensen');
    expect(evaluate('Coalesce(nickName, title)')).toBeUndefined();
  });

  it('Join leaves out empty parts and gives nothing when every part is empty', () => {
    expect(evaluate('Join("/", nickName, name.givenName, title)')).toBe('Kathy');
    expect(evaluate('Join("/", nickName, title)')).toBeUndefined();
    expect(evaluate('Join("/")')).toBeUndefined();
  });

  it('Replace and Left of a missing value are nothing; Left takes a number', () => {
    expect(evaluate('Replace(title, "-", "/")')).toBeUndefined();
    expect(evaluate('Left(title, 2)')).toBeUndefined();
    expect(evaluate('Left(urn:contoso:employee:Site, 4)')).toBe('FR-P');
    expect(evaluate('-12')).toBe('-12');
  });
});

describe('loadMapping', () => {
  const file = (text: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mapping-'));
    writeFileSync(path.join(dir, 'm.yaml'), text);
    return path.join(dir, 'm.yaml');
  };

  it('compiles each field of the file', () => {
    const mapping = loadMapping(file('fields:\n  legalGivenName: name.givenName\n  country: "\\"FR\\""\n'));
    expect(applyMapping(mapping, data)).toEqual({ legalGivenName: 'Kathy', country: 'FR' });
  });

  it('refuses a file without fields, with another key, or with a field that is not text, naming the path', () => {
    const missing = file('other: 1\n');
    expect(() => loadMapping(missing)).toThrow(`${missing}: `);
    expect(() => loadMapping(file('fields: {}\nextra: 1\n'))).toThrow(/extra|Unrecognized/);
    expect(() => loadMapping(file('fields:\n  country: 3\n'))).toThrow(/fields\.country: /);
  });
});
