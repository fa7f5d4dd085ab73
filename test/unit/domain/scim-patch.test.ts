import { describe, expect, it } from 'vitest';
import type { DesiredAttribute, ScimValue } from '../../../shared/domain/scim-mapping';
import { applyScimPatch, diffScimUser, PATCH_OP_SCHEMA, sameScimValue } from '../../../shared/domain/scim-patch';
import { parseAttributePath } from '../../../shared/domain/scim-path';

/** The smallest PATCH (RFC 7644 §3.5.2) for the mapped attributes, and its pure application. */
const want = (path: string, value: ScimValue | undefined): DesiredAttribute => ({
  path: parseAttributePath(path),
  value,
});

describe('sameScimValue', () => {
  it('booleans: a boolean held, or its text in any case; nothing else', () => {
    expect(sameScimValue(true, true)).toBe(true);
    expect(sameScimValue(false, true)).toBe(false);
    expect(sameScimValue('True', true)).toBe(true);
    expect(sameScimValue('FALSE', false)).toBe(true);
    expect(sameScimValue('false', true)).toBe(false);
    expect(sameScimValue(1, true)).toBe(false);
    expect(sameScimValue(undefined, false)).toBe(false);
  });

  it('text: exact for strings, the number as text, a boolean as its lower-case text', () => {
    expect(sameScimValue('Ada', 'Ada')).toBe(true);
    expect(sameScimValue('ada', 'Ada')).toBe(false);
    expect(sameScimValue(42, '42')).toBe(true);
    expect(sameScimValue(42, '43')).toBe(false);
    expect(sameScimValue(true, 'True')).toBe(true);
    expect(sameScimValue(false, 'true')).toBe(false);
    expect(sameScimValue(null, 'x')).toBe(false);
    expect(sameScimValue({ value: 'x' }, 'x')).toBe(false);
    expect(sameScimValue(null, 'null')).toBe(false);
    expect(sameScimValue({}, '[object object]')).toBe(false);
  });
});

describe('diffScimUser', () => {
  it('adds what is missing or empty, replaces what differs, removes what is not wanted', () => {
    const existing = { userName: 'a', title: '', nickName: [], displayName: 'Old', locale: null, profileUrl: 'p' };
    expect(
      diffScimUser(existing, [
        want('userName', 'a'),
        want('title', 'Engineer'),
        want('nickName', 'Ada'),
        want('locale', 'fr-FR'),
        want('displayName', 'New'),
        want('profileUrl', undefined),
        want('timezone', undefined),
        want('name.givenName', 'Ada'),
      ]),
    ).toEqual([
      { op: 'add', path: 'title', value: 'Engineer' },
      { op: 'add', path: 'nickName', value: 'Ada' },
      { op: 'add', path: 'locale', value: 'fr-FR' },
      { op: 'replace', path: 'displayName', value: 'New' },
      { op: 'remove', path: 'profileUrl' },
      { op: 'add', path: 'name.givenName', value: 'Ada' },
    ]);
  });

  it('a list that holds values is removed when nothing is wanted', () => {
    expect(diffScimUser({ nickName: ['a'] }, [want('nickName', undefined)])).toEqual([
      { op: 'remove', path: 'nickName' },
    ]);
  });

  it('nothing wanted and nothing held: no operation (empty string, empty list and null count as nothing)', () => {
    expect(
      diffScimUser({ title: '', nickName: [], locale: null }, [
        want('title', undefined),
        want('nickName', undefined),
        want('locale', undefined),
      ]),
    ).toEqual([]);
  });

  it('an element of a multi-valued attribute is added whole with every wanted sub-attribute', () => {
    expect(
      diffScimUser({ emails: [{ type: 'home', value: 'h' }] }, [
        want('emails[type eq "work"].value', 'w@x'),
        want('emails[type eq "work"].display', undefined),
        want('emails[type eq "work"].primary', true),
      ]),
    ).toEqual([{ op: 'add', path: 'emails', value: [{ type: 'work', value: 'w@x', primary: true }] }]);
    expect(diffScimUser({}, [want('emails[type eq "work"].value', undefined)])).toEqual([]);
  });

  it('an element present is patched sub-attribute by sub-attribute', () => {
    const existing = { emails: [{ type: 'work', value: 'old', display: 'Old', primary: 'True' }] };
    expect(
      diffScimUser(existing, [
        want('emails[type eq "work"].value', 'new'),
        want('emails[type eq "work"].display', undefined),
        want('emails[type eq "work"].primary', true),
        want('emails[type eq "work"].locale', undefined),
      ]),
    ).toEqual([
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'new' },
      { op: 'remove', path: 'emails[type eq "work"].display' },
    ]);
  });

  it('an element present with nothing wanted is removed whole, unless it holds none of the mapped values', () => {
    expect(
      diffScimUser({ emails: [{ type: 'work', value: 'w' }] }, [
        want('emails[type eq "work"].display', undefined),
        want('emails[type eq "work"].value', undefined),
      ]),
    ).toEqual([{ op: 'remove', path: 'emails[type eq "work"]' }]);
    expect(
      diffScimUser({ emails: [{ type: 'work', value: '' }] }, [want('emails[type eq "work"].value', undefined)]),
    ).toEqual([]);
  });

  it('groups the sub-attributes of one element whatever the case of its path, one element per filter', () => {
    const operations = diffScimUser({}, [
      want('emails[type eq "work"].value', 'w'),
      want('EMAILS[TYPE eq "work"].display', 'W'),
      want('emails[type eq "home"].value', 'h'),
    ]);
    expect(operations).toEqual([
      { op: 'add', path: 'emails', value: [{ type: 'work', value: 'w', display: 'W' }] },
      { op: 'add', path: 'emails', value: [{ type: 'home', value: 'h' }] },
    ]);
  });
});

describe('applyScimPatch', () => {
  it('works on a copy, takes op in any case, and merges a path-less add or replace', () => {
    const resource = { userName: 'a', name: { givenName: 'A' } };
    const patched = applyScimPatch(resource, [
      { op: 'Replace' as 'replace', path: 'userName', value: 'b' },
      { op: 'add', path: '', value: { title: 'T', displayName: 'D' } },
      { op: 'remove', path: '', value: { userName: 'x' } },
      { op: 'replace', path: '', value: 'not an object' },
      { op: 'replace', path: '' },
      { op: 'REMOVE' as 'remove', path: 'name.givenName' },
    ]);
    expect(patched).toStrictEqual({ userName: 'b', name: {}, title: 'T', displayName: 'D' });
    expect(resource).toEqual({ userName: 'a', name: { givenName: 'A' } });
  });

  it('add to a multi-valued attribute appends; replace sets; the values are copies', () => {
    const value = [{ type: 'work', value: 'w' }];
    const patched = applyScimPatch({ emails: [{ type: 'home', value: 'h' }], phoneNumbers: [{ value: '1' }] }, [
      { op: 'add', path: 'emails', value },
      { op: 'replace', path: 'phoneNumbers', value: [{ value: '2' }] },
      { op: 'add', path: 'ims', value: [{ value: 'i' }] },
      { op: 'add', path: 'x509Certificates', value: 'not a list' },
    ]);
    expect(patched).toEqual({
      emails: [
        { type: 'home', value: 'h' },
        { type: 'work', value: 'w' },
      ],
      phoneNumbers: [{ value: '2' }],
      ims: [{ value: 'i' }],
      x509Certificates: 'not a list',
    });
    value[0]!.value = 'changed';
    expect((patched.emails as { value: string }[])[1]!.value).toBe('w');
  });

  it('add of a list to a filtered path or a sub-attribute sets it instead of appending', () => {
    const patched = applyScimPatch({ emails: [{ type: 'work', value: ['a'] }], name: { honorificPrefix: ['x'] } }, [
      { op: 'add', path: 'emails[type eq "work"].value', value: ['b'] },
      { op: 'add', path: 'name.honorificPrefix', value: ['y'] },
    ]);
    expect(patched).toEqual({ emails: [{ type: 'work', value: ['b'] }], name: { honorificPrefix: ['y'] } });
  });

  it('the diff applied to the resource yields the wanted values', () => {
    const existing = { userName: 'a', title: 'x', emails: [{ type: 'home', value: 'h' }] };
    const desired = [want('userName', 'b'), want('title', undefined), want('emails[type eq "work"].value', 'w')];
    const patched = applyScimPatch(existing, diffScimUser(existing, desired));
    expect(patched).toEqual({
      userName: 'b',
      emails: [
        { type: 'home', value: 'h' },
        { type: 'work', value: 'w' },
      ],
    });
    expect(diffScimUser(patched, desired)).toEqual([]);
  });

  it('names the PatchOp message schema', () => {
    expect(PATCH_OP_SCHEMA).toBe('urn:ietf:params:scim:api:messages:2.0:PatchOp');
  });
});
