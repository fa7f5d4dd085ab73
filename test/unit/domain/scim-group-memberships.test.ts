import { describe, expect, it } from 'vitest';
import { scimGroupMemberships } from '../../../shared/domain/scim-decision';

/** Pushed SCIM groups against memberships whose display name is unknown (mutation testing, issue 15). */
describe('scimGroupMemberships', () => {
  it('a membership without a display name matches by id only, and a named group it is not is notMember', () => {
    const memberships = [{ id: 'a0000000-0000-4000-8000-000000000003', displayName: null }];
    expect(scimGroupMemberships(['Wiki Editors', 'A0000000-0000-4000-8000-000000000003'], memberships)).toEqual({
      member: ['A0000000-0000-4000-8000-000000000003'],
      notMember: ['Wiki Editors'],
    });
  });
});
