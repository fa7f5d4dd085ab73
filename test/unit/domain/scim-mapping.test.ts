import { describe, expect, it } from 'vitest';
import {
  compileScimMapping,
  desiredAttributes,
  desiredValue,
  MANAGER_PATH,
  scimPersonData,
  scimUserResource,
} from '../../../shared/domain/scim-mapping';
import { ENTERPRISE_USER_SCHEMA, parseAttributePath } from '../../../shared/domain/scim-path';
import { directoryUser, worker } from './fixtures';

/** Person → the SCIM User a target should hold (Entra's default outbound mapping, merged with the target's). */
describe('compileScimMapping', () => {
  it("holds Entra's default attributes, in order", () => {
    expect(compileScimMapping({}).map((m) => m.path.text)).toEqual([
      'userName',
      'externalId',
      'name.givenName',
      'name.familyName',
      'displayName',
      'emails[type eq "work"].value',
      'active',
      'title',
      `${ENTERPRISE_USER_SCHEMA}:employeeNumber`,
      `${ENTERPRISE_USER_SCHEMA}:department`,
      MANAGER_PATH,
    ]);
    expect(MANAGER_PATH).toBe('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value');
  });

  it('a target entry replaces the default of the same path whatever its case; null drops it', () => {
    const mapping = compileScimMapping({ USERNAME: 'employeeId', TITLE: null, nickName: 'givenName' });
    const texts = mapping.map((m) => m.path.text);
    expect(texts).toContain('USERNAME');
    expect(texts).not.toContain('userName');
    expect(texts).not.toContain('title');
    expect(texts.at(-1)).toBe('nickName');
    expect(mapping.find((m) => m.path.text === 'USERNAME')!.expression({ employeeId: 'E9' })).toBe('E9');
  });

  it('active and primary (any case, as attribute or sub-attribute) and declared paths are boolean', () => {
    const mapping = compileScimMapping(
      { 'emails[type eq "work"].Primary': '"true"', 'urn:x:ACTIVE': '"true"', flag: '"true"', other: '"true"' },
      new Set(['flag']),
    );
    const booleanOf = (text: string) => mapping.find((m) => m.path.text === text)!.boolean;
    expect(booleanOf('active')).toBe(true);
    expect(booleanOf('urn:x:ACTIVE')).toBe(true);
    expect(booleanOf('emails[type eq "work"].Primary')).toBe(true);
    expect(booleanOf('flag')).toBe(true);
    expect(booleanOf('other')).toBe(false);
    expect(booleanOf('userName')).toBe(false);
    expect(booleanOf('emails[type eq "work"].value')).toBe(false);
  });

  it('a declared boolean path matches whatever the case of the mapping', () => {
    const mapping = compileScimMapping({ Flag: '"true"' }, new Set(['flag']));
    expect(mapping.find((m) => m.path.text === 'Flag')!.boolean).toBe(true);
  });
});

describe('scimPersonData', () => {
  it('preferred names win over legal ones; account fields are named for the mapping', () => {
    const data = scimPersonData(
      worker({ preferredGivenName: 'Augusta', preferredFamilyName: 'King' }),
      directoryUser({ id: 'u-9', mail: 'a@x', accountEnabled: true, displayName: 'Augusta King' }),
    );
    expect(data).toMatchObject({
      givenName: 'Augusta',
      familyName: 'King',
      displayName: 'Augusta King',
      upn: 'ada.lovelace@contoso.com',
      mail: 'a@x',
      enabled: 'true',
      userId: 'u-9',
      employeeId: 'E1001',
    });
  });

  it('display name: the account, else the record, else given and family names; no mail is undefined', () => {
    const noName = directoryUser({ displayName: '', mail: null, accountEnabled: false });
    expect(scimPersonData(worker({ displayName: 'From HR' }), noName)).toMatchObject({
      displayName: 'From HR',
      mail: undefined,
      enabled: 'false',
    });
    expect(scimPersonData(worker(), noName).displayName).toBe('Ada Lovelace');
  });
});

describe('desiredAttributes', () => {
  const mapping = compileScimMapping({ nickName: 'nick', flag: 'flag' }, new Set(['flag']));
  const value = (data: Record<string, unknown>, text: string) => desiredValue(desiredAttributes(mapping, data), text);

  it('empty or missing text is no value; boolean attributes take true/false in any case, other text as is', () => {
    expect(value({ nick: '' }, 'nickName')).toBeUndefined();
    expect(value({}, 'nickName')).toBeUndefined();
    expect(value({ nick: 'TRUE' }, 'nickName')).toBe('TRUE');
    expect(value({ flag: 'TRUE' }, 'flag')).toBe(true);
    expect(value({ flag: 'False' }, 'flag')).toBe(false);
    expect(value({ flag: 'yes' }, 'flag')).toBe('yes');
    expect(value({ flag: 'true!' }, 'flag')).toBe('true!');
    expect(value({ flag: 'nottrue' }, 'flag')).toBe('nottrue');
    expect(value({ flag: 'falsey' }, 'flag')).toBe('falsey');
  });

  it('desiredValue looks the path up ignoring case', () => {
    expect(value({ nick: 'Ada' }, 'NICKNAME')).toBe('Ada');
    expect(value({ nick: 'Ada' }, 'nick')).toBeUndefined();
  });
});

describe('scimUserResource', () => {
  it('lists the core schema and each extension schema with a value, once', () => {
    const ext = 'urn:example:ext:2.0:User';
    const resource = scimUserResource([
      { path: parseAttributePath('userName'), value: 'a' },
      { path: parseAttributePath(`${ext}:a`), value: 'x' },
      { path: parseAttributePath(`${ext}:b`), value: 'y' },
      { path: parseAttributePath(`${ENTERPRISE_USER_SCHEMA}:department`), value: undefined },
      { path: parseAttributePath('title'), value: undefined },
    ]);
    expect(resource).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ext],
      userName: 'a',
      [ext]: { a: 'x', b: 'y' },
    });
    expect(Object.keys(resource)[0]).toBe('schemas');
  });
});
