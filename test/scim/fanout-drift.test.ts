import { describe, expect, it } from 'vitest';
import { scimDrift } from '../../shared/orchestration/scim-drift';

describe('scimDrift: a SCIM target against our state', () => {
  it('finds missing, wrongly inactive, wrongly active and unknown users, and says which sync repairs each', () => {
    const drift = scimDrift(
      [
        { employeeId: 'A', active: true },
        { employeeId: 'B', active: true },
        { employeeId: 'C', active: false },
        { employeeId: 'D', active: true },
        { employeeId: 'E', active: false },
      ],
      [
        { externalId: 'B', userName: 'b@x', active: false },
        { externalId: 'C', userName: 'c@x', active: true },
        { externalId: 'D', userName: 'd@x', active: true },
        { externalId: 'E', userName: 'e@x', active: false },
        { externalId: null, userName: 'admin@x', active: true },
        { externalId: 'Z', userName: 'z@x', active: false },
      ],
    );
    expect(drift).toEqual([
      { employeeId: 'A', userName: null, kind: 'missing', repair: 'upsert' },
      { employeeId: 'B', userName: 'b@x', kind: 'inactive', repair: 'upsert' },
      { employeeId: 'C', userName: 'c@x', kind: 'active-out-of-scope', repair: 'deactivate' },
      { employeeId: null, userName: 'admin@x', kind: 'unknown', repair: null },
    ]);
  });

  it('reports nothing when the target matches', () => {
    expect(scimDrift([{ employeeId: 'A', active: true }], [{ externalId: 'A', userName: 'a', active: true }])).toEqual(
      [],
    );
  });
});
