import { describe, expect, it } from 'vitest';
import {
  attributePathText,
  CORE_USER_SCHEMA,
  elementPathText,
  ENTERPRISE_USER_SCHEMA,
  parseAttributePath,
  parseMappingPath,
  readAttribute,
  removeAttribute,
  selectedElements,
  writeAttribute,
  type ScimResource,
} from '../../../shared/domain/scim-path';

/** SCIM attribute paths (RFC 7644 §3.10) and case-insensitive reads and writes (RFC 7643 §2.1). */
const path = parseAttributePath;

describe('parseAttributePath', () => {
  it('names the core and enterprise User schemas (RFC 7643 §8.7.1, §4.3)', () => {
    expect(CORE_USER_SCHEMA).toBe('urn:ietf:params:scim:schemas:core:2.0:User');
    expect(ENTERPRISE_USER_SCHEMA).toBe('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User');
  });

  it('only a path that starts with urn: has a schema (a filter value may hold one)', () => {
    expect(path('emails[type eq "urn:x:y"].value')).toMatchObject({
      schema: null,
      attribute: 'emails',
      filter: { attribute: 'type', value: 'urn:x:y' },
    });
  });

  it('splits attribute, filter, sub-attribute and schema', () => {
    expect(path('userName')).toEqual({
      schema: null,
      attribute: 'userName',
      filter: null,
      subAttribute: null,
      text: 'userName',
    });
    expect(path('name.givenName')).toMatchObject({ attribute: 'name', subAttribute: 'givenName', filter: null });
    expect(path('emails[type eq "work"].value')).toEqual({
      schema: null,
      attribute: 'emails',
      filter: { attribute: 'type', value: 'work' },
      subAttribute: 'value',
      text: 'emails[type eq "work"].value',
    });
    expect(path(`${ENTERPRISE_USER_SCHEMA}:manager.value`)).toMatchObject({
      schema: ENTERPRISE_USER_SCHEMA,
      attribute: 'manager',
      subAttribute: 'value',
    });
  });

  it('a URN with a filter takes the schema from before the bracket (the filter may hold colons)', () => {
    expect(path(`${ENTERPRISE_USER_SCHEMA}:phones[type eq "a:b"].value`)).toMatchObject({
      schema: ENTERPRISE_USER_SCHEMA,
      attribute: 'phones',
      filter: { attribute: 'type', value: 'a:b' },
    });
  });

  it('the core User schema URN (any case) is the core schema: null', () => {
    expect(path(`${CORE_USER_SCHEMA}:userName`).schema).toBeNull();
    expect(path(`${CORE_USER_SCHEMA.toUpperCase()}:userName`)).toMatchObject({ schema: null, attribute: 'userName' });
    expect(path(`URN:example:ext:dept`)).toMatchObject({ schema: 'URN:example:ext', attribute: 'dept' });
  });

  it('unescapes quotes and backslashes in a filter value', () => {
    expect(path('emails[type eq "a\\"b\\\\c"].value').filter).toEqual({ attribute: 'type', value: 'a"b\\c' });
  });

  it('refuses what this client does not write, naming the forms it does', () => {
    for (const bad of ['', '1name', 'name.', 'emails[type ne "x"]', 'a.b.c', 'emails[type eq work]', ' userName'])
      expect(() => path(bad), bad).toThrow(`"${bad}" is not a SCIM attribute path this client writes`);
    expect(() => path('x y')).toThrow('(attribute, attribute.sub, attribute[sub eq "value"].sub');
  });

  it('accepts names with digits, $, - and _ after the first letter', () => {
    expect(path('x_1$-a.b2').attribute).toBe('x_1$-a');
  });
});

describe('parseMappingPath', () => {
  it('a filtered path must name the sub-attribute that takes the value', () => {
    expect(() => parseMappingPath('emails[type eq "work"]')).toThrow(
      '"emails[type eq "work"]": a value filter needs a sub-attribute (e.g. emails[type eq "work"].value)',
    );
    expect(parseMappingPath('emails[type eq "work"].value').subAttribute).toBe('value');
    expect(parseMappingPath('userName').attribute).toBe('userName');
  });
});

describe('path texts', () => {
  it('element and attribute paths, schema-qualified when needed', () => {
    const work = path(`${ENTERPRISE_USER_SCHEMA}:emails[type eq "wo\\"rk"].value`);
    expect(elementPathText(work)).toBe(`${ENTERPRISE_USER_SCHEMA}:emails[type eq "wo\\"rk"]`);
    expect(attributePathText(work)).toBe(`${ENTERPRISE_USER_SCHEMA}:emails`);
    expect(elementPathText(path('name.givenName'))).toBe('name');
    expect(attributePathText(path('emails[type eq "work"].value'))).toBe('emails');
  });
});

describe('readAttribute', () => {
  const resource: ScimResource = {
    UserName: 'ada',
    name: { GivenName: 'Ada' },
    emails: [{ type: 'home', value: 'h@x' }, 'not an object', { TYPE: 'WORK', value: 'w@x' }],
    [ENTERPRISE_USER_SCHEMA.toUpperCase()]: { manager: 'm-1', department: 'Eng', boss: { value: 'b-1' } },
  };

  it('ignores the case of names, schema URNs and filter values', () => {
    expect(readAttribute(resource, path('userName'))).toBe('ada');
    expect(readAttribute(resource, path('name.givenName'))).toBe('Ada');
    expect(readAttribute(resource, path('emails[type eq "work"].value'))).toBe('w@x');
    expect(readAttribute(resource, path(`${ENTERPRISE_USER_SCHEMA}:department`))).toBe('Eng');
  });

  it('a filtered path without sub-attribute reads the element; no element reads undefined', () => {
    expect(readAttribute(resource, path('emails[type eq "home"]'))).toEqual({ type: 'home', value: 'h@x' });
    expect(readAttribute(resource, path('emails[type eq "other"].value'))).toBeUndefined();
    expect(readAttribute(resource, path('emails[type eq "other"]'))).toBeUndefined();
    expect(readAttribute({ emails: 'x' }, path('emails[type eq "work"].value'))).toBeUndefined();
  });

  it('a manager held as a plain string is read as its value, any other sub-attribute of a string is undefined', () => {
    expect(readAttribute(resource, path(`${ENTERPRISE_USER_SCHEMA}:manager.value`))).toBe('m-1');
    expect(readAttribute(resource, path(`${ENTERPRISE_USER_SCHEMA}:manager.VALUE`))).toBe('m-1');
    expect(readAttribute(resource, path(`${ENTERPRISE_USER_SCHEMA}:manager.displayName`))).toBeUndefined();
    expect(readAttribute(resource, path(`${ENTERPRISE_USER_SCHEMA}:boss.value`))).toBe('b-1');
  });

  it('missing containers and non-objects read undefined', () => {
    expect(readAttribute({}, path('name.givenName'))).toBeUndefined();
    expect(readAttribute({ name: ['x'] }, path('name.givenName'))).toBeUndefined();
    expect(readAttribute({ name: null }, path('name.givenName'))).toBeUndefined();
    expect(readAttribute({}, path(`${ENTERPRISE_USER_SCHEMA}:department`))).toBeUndefined();
  });

  it('a missing attribute reads undefined, even beside a key named "undefined"', () => {
    expect(readAttribute({ undefined: 'x' }, path('title'))).toBeUndefined();
  });

  it('an exact key wins over one that differs only in case', () => {
    expect(readAttribute({ title: 'exact', Title: 'other' }, path('title'))).toBe('exact');
    expect(readAttribute({ Title: 'other', title: 'exact' }, path('title'))).toBe('exact');
  });
});

describe('selectedElements', () => {
  it('only object elements whose filter attribute is a string equal ignoring case', () => {
    const resource = { emails: [{ type: 'Work' }, { type: 1 }, null, ['work'], { kind: 'work' }, { type: 'work' }] };
    expect(selectedElements(resource, path('emails[type eq "WORK"].value'))).toEqual([
      { type: 'Work' },
      { type: 'work' },
    ]);
    expect(selectedElements(resource, path('emails'))).toEqual([]);
    expect(selectedElements({ emails: { type: 'work' } }, path('emails[type eq "work"]'))).toEqual([]);
  });
});

describe('writeAttribute', () => {
  it('reuses the key the resource already has, whatever its case', () => {
    const resource: ScimResource = { Name: { GIVENNAME: 'A' }, UserName: 'x' };
    writeAttribute(resource, path('name.givenName'), 'Ada');
    writeAttribute(resource, path('userName'), 'ada');
    expect(resource).toEqual({ Name: { GIVENNAME: 'Ada' }, UserName: 'ada' });
  });

  it('creates the containers it needs (schema, complex attribute), replacing a non-object', () => {
    const resource: ScimResource = { name: 'flat' };
    writeAttribute(resource, path('name.givenName'), 'Ada');
    writeAttribute(resource, path(`${ENTERPRISE_USER_SCHEMA}:manager.value`), 'm-1');
    expect(resource).toEqual({ name: { givenName: 'Ada' }, [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'm-1' } } });
    const other: ScimResource = { [ENTERPRISE_USER_SCHEMA.toUpperCase()]: { department: 'A' } };
    writeAttribute(other, path(`${ENTERPRISE_USER_SCHEMA}:department`), 'B');
    expect(other).toEqual({ [ENTERPRISE_USER_SCHEMA.toUpperCase()]: { department: 'B' } });
  });

  it('a new complex attribute is created, not taken from a key named "undefined"', () => {
    const resource: ScimResource = { undefined: { other: 1 } };
    writeAttribute(resource, path('name.givenName'), 'Ada');
    expect(resource).toEqual({ undefined: { other: 1 }, name: { givenName: 'Ada' } });
  });

  it('a filtered path sets the sub-attribute of every matching element', () => {
    const resource: ScimResource = {
      Emails: [
        { type: 'work', value: 'a' },
        { type: 'home', value: 'h' },
        { type: 'WORK', value: 'b' },
      ],
    };
    writeAttribute(resource, path('emails[type eq "work"].value'), 'w');
    expect(resource).toEqual({
      Emails: [
        { type: 'work', value: 'w' },
        { type: 'home', value: 'h' },
        { type: 'WORK', value: 'w' },
      ],
    });
  });

  it('a filtered path with no matching element adds one with the filter value (and a list if none)', () => {
    const resource: ScimResource = { emails: 'not a list' };
    writeAttribute(resource, path('emails[type eq "work"].value'), 'w@x');
    expect(resource).toEqual({ emails: [{ type: 'work', value: 'w@x' }] });
    const empty: ScimResource = {};
    writeAttribute(empty, path('emails[type eq "work"]'), { value: 'w@x', primary: true });
    expect(empty).toEqual({ emails: [{ type: 'work', value: 'w@x', primary: true }] });
    const scalar: ScimResource = { emails: [{ type: 'work', value: 'a' }] };
    writeAttribute(scalar, path('emails[type eq "work"]'), 'not an object');
    expect(scalar).toEqual({ emails: [{ type: 'work', value: 'a' }] });
  });
});

describe('removeAttribute', () => {
  it('removes a simple or sub-attribute whatever its case', () => {
    const resource: ScimResource = { Title: 'x', Name: { GivenName: 'A', familyName: 'L' } };
    removeAttribute(resource, path('title'));
    removeAttribute(resource, path('name.givenName'));
    expect(resource).toEqual({ Name: { familyName: 'L' } });
    removeAttribute(resource, path('name.missing'));
    removeAttribute(resource, path('missing.sub'));
    removeAttribute(resource, path('missing'));
    expect(resource).toEqual({ Name: { familyName: 'L' } });
  });

  it('a filtered path removes the matching elements, and the attribute when none is left', () => {
    const resource: ScimResource = {
      emails: [
        { type: 'work', value: 'a' },
        { type: 'home', value: 'h' },
      ],
    };
    removeAttribute(resource, path('emails[type eq "WORK"]'));
    expect(resource).toEqual({ emails: [{ type: 'home', value: 'h' }] });
    removeAttribute(resource, path('emails[type eq "home"]'));
    expect(resource).toEqual({});
  });

  it('a filtered path with a sub-attribute removes it from the matching elements only', () => {
    const resource: ScimResource = {
      Emails: [
        { type: 'work', value: 'a', primary: true },
        { type: 'home', value: 'h', primary: true },
      ],
    };
    removeAttribute(resource, path('emails[type eq "work"].primary'));
    expect(resource).toEqual({
      Emails: [
        { type: 'work', value: 'a' },
        { type: 'home', value: 'h', primary: true },
      ],
    });
  });

  it('leaves the resource alone when the container or list is missing or not what the path needs', () => {
    const resource: ScimResource = { emails: 'x', [ENTERPRISE_USER_SCHEMA]: 'flat' };
    removeAttribute(resource, path('emails[type eq "work"]'));
    removeAttribute(resource, path('phones[type eq "work"]'));
    removeAttribute(resource, path(`${ENTERPRISE_USER_SCHEMA}:department`));
    removeAttribute(resource, path('urn:example:missing:department'));
    removeAttribute(resource, path('urn:example:missing:emails[type eq "work"]'));
    expect(resource).toEqual({ emails: 'x', [ENTERPRISE_USER_SCHEMA]: 'flat' });
  });

  it('removing what is not there leaves a key named "undefined" alone', () => {
    const resource: ScimResource = { undefined: [{ type: 'work' }] };
    removeAttribute(resource, path('title'));
    removeAttribute(resource, path('emails[type eq "work"]'));
    expect(resource).toEqual({ undefined: [{ type: 'work' }] });
  });
});
