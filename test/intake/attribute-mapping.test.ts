import { describe, expect, it } from 'vitest';
import { applyMapping, compileExpression } from '../../shared/intake/attribute-mapping';

const data = {
  externalId: '701985',
  name: { givenName: 'Kathy', familyName: 'Jensen' },
  nickName: '',
  emails: [
    { value: 'k@work.example', type: 'work' },
    { value: 'k@home.example', type: 'home' },
  ],
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
    department: 'Tour Operations',
    manager: { value: '701984' },
  },
  'urn:contoso:employee': { HireDate: '2022-07-15', Site: 'FR-PAR' },
};

describe('bulkUpload attribute mapping expressions', () => {
  it('reads paths, URN-qualified attributes and filtered multi-valued attributes', () => {
    expect(compileExpression('name.givenName')(data)).toBe('Kathy');
    expect(compileExpression('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value')(data)).toBe(
      '701984',
    );
    expect(compileExpression('urn:contoso:employee:HireDate')(data)).toBe('2022-07-15');
    expect(compileExpression('emails[type eq "home"].value')(data)).toBe('k@home.example');
  });

  it('evaluates Coalesce, Join, Replace, Left and constants', () => {
    expect(compileExpression('Coalesce(nickName, name.givenName)')(data)).toBe('Kathy');
    expect(compileExpression('Join(" ", name.givenName, name.familyName)')(data)).toBe('Kathy Jensen');
    expect(compileExpression('Left(urn:contoso:employee:Site, 2)')(data)).toBe('FR');
    expect(compileExpression('Replace(urn:contoso:employee:Site, "-", "/")')(data)).toBe('FR/PAR');
    expect(compileExpression('"Europe/Paris"')(data)).toBe('Europe/Paris');
  });

  it('refuses unknown functions when the mapping is compiled', () => {
    expect(() => compileExpression('Explode(name.givenName)')).toThrow(/unsupported mapping function Explode/);
  });

  it('applies a mapping, leaving out empty results', () => {
    const mapping = {
      country: compileExpression('Left(urn:contoso:employee:Site, 2)'),
      preferredGivenName: compileExpression('nickName'),
      timeZone: compileExpression('"Europe/Paris"'),
    };
    expect(applyMapping(mapping, data)).toEqual({ country: 'FR', timeZone: 'Europe/Paris' });
  });
});
