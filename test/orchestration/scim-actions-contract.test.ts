import { describe, expect, it } from 'vitest';
import { scimActionsFor, ScimAction, ScimStepKind, ScimTargetAction } from '../../shared/orchestration/scim-actions';
import { policyFrom, worker } from '../unit/domain/fixtures';

/**
 * The SCIM fan-out's wire values (what the orchestration passes to the activity) and a mover with no record of
 * before (mutation testing, issue 15; test/scim/fanout-actions.test.ts covers which targets each step touches).
 */
describe('SCIM action schemas', () => {
  it('the actions and step kinds are exactly those the fan-out knows', () => {
    expect(ScimAction.options).toEqual(['upsert', 'deactivate', 'delete']);
    expect(ScimStepKind.options).toEqual(['joiner', 'rehire', 'mover', 'refreshAccess', 'leaver', 'delete', 'rescind']);
    for (const action of ['upsert', 'deactivate', 'delete']) expect(ScimAction.safeParse(action).success).toBe(true);
    expect(ScimAction.safeParse('').success).toBe(false);
  });

  it('a target action names a target (at least one character) and an action', () => {
    expect(ScimTargetAction.parse({ targetId: 'wiki', action: 'delete' })).toEqual({
      targetId: 'wiki',
      action: 'delete',
    });
    expect(ScimTargetAction.safeParse({ targetId: '', action: 'delete' }).success).toBe(false);
    expect(ScimTargetAction.safeParse({ targetId: 'wiki' }).success).toBe(false);
    expect(ScimTargetAction.safeParse({ action: 'upsert' }).success).toBe(false);
  });
});

describe('a mover with no previous record', () => {
  it('upserts the targets in scope and leaves none', () => {
    const policy = policyFrom(`
version: s
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}" }
scimTargets:
  - { id: wiki, name: Wiki, baseUrl: "https://wiki.example/scim/v2", when: { department: [Engineering] } }
`);
    expect(scimActionsFor({ kind: 'mover', record: worker(), previous: null }, policy)).toEqual([
      { targetId: 'wiki', action: 'upsert' },
    ]);
  });
});
