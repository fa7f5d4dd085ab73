import type { OutgoingMail } from '../ports/mailer';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface LicenceNotice {
  change: 'assigned' | 'removed';
  /** Product names (Microsoft 365 E3 (SPE_E3), Acme Pro). */
  products: string[];
  personName: string;
  /** Why, when the change was not asked for by HR (remediation: account disabled, access ended...). */
  reason: string | null;
}

/** The plain mail telling a person (or their manager) that a licence or app seat was given or taken back. */
export function licenceNoticeMail(notice: LicenceNotice, to: string[], audience: 'person' | 'manager'): OutgoingMail {
  const list = notice.products.join(', ');
  const verb = notice.change === 'assigned' ? 'assigned to' : 'removed from';
  const subject =
    audience === 'person'
      ? `Licence ${notice.change === 'assigned' ? 'assigned' : 'removed'}: ${list}`
      : `Licence ${notice.change === 'assigned' ? 'assigned to' : 'removed from'} ${notice.personName}: ${list}`;
  const lines = [
    audience === 'person'
      ? `The following licence(s) were ${verb} your account: ${list}.`
      : `The following licence(s) were ${verb} ${notice.personName}: ${list}.`,
    ...(notice.reason ? [`Reason: ${notice.reason}.`] : []),
    'Questions: reply to your IT service desk.',
  ];
  return {
    to,
    subject,
    html: lines.map((line) => `<p>${escapeHtml(line)}</p>`).join(''),
    text: lines.join('\n'),
  };
}
