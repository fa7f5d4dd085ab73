import { GraphMailer } from '../shared/adapters/activation/graph-mailer';
import { LicenceNotifier } from '../shared/licences/licence-notifier';
import { LicenceRemediation } from '../shared/licences/remediation-service';
import { services } from '../shared/services';

/** Licence remediation and notices, built once from the app's services (directory, policy, audit log, mail). */
type LicenceServices = { notifier: LicenceNotifier; remediation: LicenceRemediation };
const built = new WeakMap<object, LicenceServices>();

export function licenceServices(): LicenceServices {
  const s = services();
  const cached = built.get(s);
  if (cached) return cached;
  const notifier = new LicenceNotifier({
    directory: s.directory,
    mailer: new GraphMailer(s.directory, s.config.MAIL_SENDER),
    policy: () => s.policy,
    audit: s.auditLog,
  });
  const remediation = new LicenceRemediation({
    directory: s.directory,
    policy: () => s.policy,
    audit: s.auditLog,
    notifier,
  });
  const made = { notifier, remediation };
  built.set(s, made);
  return made;
}
