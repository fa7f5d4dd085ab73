import { describe, expect, it } from 'vitest';
import { managedGroupIds, parsePolicy, type Policy } from '../../../shared/domain/policy';
import { GUID, minimalPolicy } from './policy-json';

describe('managedGroupIds', () => {
  it('lists a group once whatever the case of its id (the last spelling seen)', () => {
    const upper = GUID.replace('a', 'A');
    const policy = parsePolicy(
      JSON.stringify({
        ...minimalPolicy(),
        birthright: {
          rules: [
            { id: 'a', groups: [{ id: GUID, name: 'All' }] },
            { id: 'b', groups: [{ id: upper, name: 'All' }] },
          ],
        },
      }),
      'json',
    );
    expect(managedGroupIds(policy)).toEqual([upper]);
    // The schema refuses one group in two sections; the lookup still counts it once if handed such a policy.
    const across: Policy = {
      ...policy,
      licenceGroups: [{ id: GUID, name: 'All', sku: 'SPE_E3', when: {}, addOn: false }],
      retiredGroups: [{ id: upper.toUpperCase(), name: 'All' }],
    };
    expect(managedGroupIds(across)).toEqual([upper.toUpperCase()]);
  });
});
