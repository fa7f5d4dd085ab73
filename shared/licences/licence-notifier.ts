import type { Policy } from '../domain/policy';
import type { AuditLog, AuditRecord } from '../ports/audit-log';
import type { Directory } from '../ports/directory';
import type { Mailer } from '../ports/mailer';
import { licenceNoticeMail, type LicenceNotice } from './licence-notice';

/** Audit target of licence notices: kept apart so the once-per-change check reads only these rows. */
const LICENCE_MAIL_TARGET = 'licence-mail';
/** How far back a notice for the same change is looked for (retries come within minutes). */
const DEDUPE_WINDOW_MS = 2 * 86_400_000;

export interface LicenceNotifierDeps {
  directory: Directory;
  mailer: Mailer;
  policy: () => Policy;
  audit: AuditLog;
  now?: () => Date;
}

export interface LicenceChangeNotice extends Omit<LicenceNotice, 'personName'> {
  userId: string;
  /** One change, one notice: a retried step or run with the same key sends nothing more. */
  changeKey: string;
  actor: string;
  employeeId: string | null;
  correlation: AuditRecord['correlation'];
}

/**
 * Tells a person (work mail, when the account is enabled) and, per policy, their manager that a licence or app seat
 * was assigned or removed (policy licences.notifications). Once per change key; audited (target licence-mail). A
 * failed mail is audited and never fails the caller: a notice must not undo or block the directory change.
 */
export class LicenceNotifier {
  constructor(private readonly deps: LicenceNotifierDeps) {}

  async notify(notice: LicenceChangeNotice): Promise<{ sent: string[] }> {
    const wanted = this.deps.policy().licences?.notifications ?? { person: false, manager: false };
    if ((!wanted.person && !wanted.manager) || notice.products.length === 0) return { sent: [] };
    if (await this.alreadySent(notice.changeKey)) return { sent: [] };
    const { directory } = this.deps;
    const user = await directory.getUser(notice.userId);
    if (!user) return { sent: [] };
    const personName = user.displayName;
    const sent: string[] = [];
    const problems: string[] = [];
    const send = async (to: string, audience: 'person' | 'manager') => {
      try {
        await this.deps.mailer.send(licenceNoticeMail({ ...notice, personName }, [to], audience));
        sent.push(to);
      } catch (error) {
        problems.push(`mail to ${audience} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    // A disabled account reads no mail: only its manager is told.
    if (wanted.person)
      if (user.mail && user.accountEnabled) await send(user.mail, 'person');
      else problems.push(user.accountEnabled ? 'no work mail' : 'account disabled: person not mailed');
    if (wanted.manager) {
      const managerId = await directory.getManagerId(user.id);
      const manager = managerId ? await directory.getUser(managerId) : null;
      if (manager?.mail) await send(manager.mail, 'manager');
      else problems.push('no manager mailbox');
    }
    await this.deps.audit.append([
      {
        at: (this.deps.now?.() ?? new Date()).toISOString(),
        actor: notice.actor,
        action: 'notify.licence',
        employeeId: notice.employeeId ?? user.employeeId,
        target: LICENCE_MAIL_TARGET,
        outcome: problems.some((p) => p.includes('failed')) ? 'failure' : sent.length ? 'success' : 'skipped',
        reason: problems.length ? problems.join('; ') : null,
        before: null,
        after: { changeKey: notice.changeKey, change: notice.change, products: notice.products, to: sent },
        correlation: notice.correlation,
      },
    ]);
    return { sent };
  }

  private async alreadySent(changeKey: string): Promise<boolean> {
    const from = new Date((this.deps.now?.() ?? new Date()).getTime() - DEDUPE_WINDOW_MS).toISOString();
    let continuationToken: string | undefined;
    do {
      const page = await this.deps.audit.page({ target: LICENCE_MAIL_TARGET, from, limit: 1000, continuationToken });
      if (
        page.records.some(
          (r) => r.outcome === 'success' && (r.after as { changeKey?: string } | null)?.changeKey === changeKey,
        )
      )
        return true;
      continuationToken = page.continuationToken ?? undefined;
    } while (continuationToken);
    return false;
  }
}
