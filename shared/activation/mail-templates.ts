import type { ActivationLanguage } from './language';
import { escapeHtml, fill, formatDate, messages } from './messages';

/**
 * The activation mails, HTML and plain text, in the reader's language. The code and link appear only in the mail
 * to the person (rendered inside the activity that made them, then dropped); manager mails carry neither.
 */
export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export interface Organisation {
  name: string;
  logoUrl?: string | undefined;
}

const BOX = 'font-family:Segoe UI,Arial,sans-serif;color:#1b1b1b;max-width:560px;margin:0 auto;padding:24px';
const BUTTON =
  'display:inline-block;background:#0b5cad;color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;' +
  'font-weight:600';
const CODE = 'font-size:28px;letter-spacing:6px;font-weight:700;font-family:Consolas,monospace;color:#1b1b1b';

function frame(language: ActivationLanguage, org: Organisation, body: string): string {
  const logo = org.logoUrl
    ? `<img src="${escapeHtml(org.logoUrl)}" alt="${escapeHtml(org.name)}" height="40"><br>`
    : `<strong>${escapeHtml(org.name)}</strong><br>`;
  return (
    `<!doctype html><html lang="${messages(language).htmlLang}"><body>` +
    `<div style="${BOX}">${logo}${body}</div></body></html>`
  );
}

export function renderActivationMail(input: {
  language: ActivationLanguage;
  org: Organisation;
  givenName: string;
  code: string;
  link: string;
  codeTtlMinutes: number;
  expiresAt: string;
  reminder: boolean;
}): RenderedMail {
  const m = messages(input.language);
  const values = {
    org: input.org.name,
    name: input.givenName,
    minutes: input.codeTtlMinutes,
    date: formatDate(input.expiresAt, input.language),
  };
  const subject = fill(input.reminder ? m.reminderSubject : m.mailSubject, values, false);
  const intro = input.reminder ? m.mailReminderIntro : m.mailIntro;
  const html = frame(
    input.language,
    input.org,
    `<p>${fill(m.mailGreeting, values)}</p><p>${fill(intro, values)}</p>` +
      `<p>${escapeHtml(m.mailCodeLabel)}:<br><span style="${CODE}">${escapeHtml(input.code)}</span></p>` +
      `<p>${fill(m.mailCodeValidity, values)}</p>` +
      `<p><a href="${escapeHtml(input.link)}" style="${BUTTON}">${escapeHtml(m.mailLinkLabel)}</a></p>` +
      `<p>${fill(m.mailLinkExpiry, values)}</p><p style="color:#555">${fill(m.mailIgnore, values)}</p>`,
  );
  const text = [
    fill(m.mailGreeting, values, false),
    '',
    fill(intro, values, false),
    '',
    `${m.mailCodeLabel}: ${input.code}`,
    fill(m.mailCodeValidity, values, false),
    '',
    `${m.mailLinkLabel}: ${input.link}`,
    fill(m.mailLinkExpiry, values, false),
    '',
    fill(m.mailIgnore, values, false),
  ].join('\n');
  return { subject, html, text };
}

export function renderManagerMail(input: {
  kind: 'expired' | 'activated';
  language: ActivationLanguage;
  org: Organisation;
  personName: string;
  expiresAt: string;
}): RenderedMail {
  const m = messages(input.language);
  const values = { org: input.org.name, name: input.personName, date: formatDate(input.expiresAt, input.language) };
  const subject = fill(input.kind === 'expired' ? m.managerExpiredSubject : m.managerActivatedSubject, values, false);
  const body = input.kind === 'expired' ? m.managerExpiredBody : m.managerActivatedBody;
  return {
    subject,
    html: frame(input.language, input.org, `<p>${fill(body, values)}</p>`),
    text: fill(body, values, false),
  };
}
