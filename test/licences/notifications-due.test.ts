import { describe, expect, it } from 'vitest';
import { licenceNotificationsDue } from '../../shared/licences/licence-groups';
import { ACME_ADMINS, ACME_PRO, E3_GROUP, policy } from './fixtures';

/** When a JML step calls the licence mail activity at all (jml-steps.ts skips it otherwise). */
describe('licenceNotificationsDue', () => {
  const base = policy();
  const withNotifications = (person: boolean, manager: boolean) =>
    policy({ licences: { ...base.licences, notifications: { person, manager } } });
  const OTHER = '00000000-0000-4000-8000-00000000abcd';

  it('no when the policy mails nobody, whatever changed', () => {
    expect(licenceNotificationsDue(base, [E3_GROUP], [])).toBe(false);
    expect(licenceNotificationsDue(withNotifications(false, false), [E3_GROUP], [ACME_PRO])).toBe(false);
  });

  it('yes when a licence group or an app seat group was added or removed (ids in any case)', () => {
    for (const notified of [withNotifications(true, false), withNotifications(false, true)]) {
      expect(licenceNotificationsDue(notified, [E3_GROUP.toUpperCase()], [])).toBe(true);
      expect(licenceNotificationsDue(notified, [], [ACME_PRO])).toBe(true);
    }
  });

  it('no when only other groups changed (an unlicensed app group is not a seat)', () => {
    const notified = withNotifications(true, true);
    expect(licenceNotificationsDue(notified, [OTHER], [ACME_ADMINS])).toBe(false);
    expect(licenceNotificationsDue(notified, [], [])).toBe(false);
  });
});
