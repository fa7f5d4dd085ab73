import { createHash } from 'node:crypto';
import type { ActivationLanguage } from './language';
import { escapeHtml, fill, messages, type Messages } from './messages';
import type { Organisation } from './mail-templates';

/**
 * The activation page, server-rendered and working without JavaScript: a form for the code, then the Temporary
 * Access Pass. Accessible: one <h1> per page, a <label> tied to the field with its hint and error through
 * aria-describedby, an error summary announced by screen readers (role=alert) and linked to the field, focus
 * on the field when it needs an answer, text contrast ≥ 7:1 and a visible focus ring (WCAG 2.2 AA).
 */
export type PageView =
  | {
      kind: 'form';
      token: string;
      formToken: string;
      codeLength: number;
      error?: 'wrong' | 'expired';
      attemptsLeft?: number;
    }
  | { kind: 'locked' }
  | { kind: 'invalid' }
  | { kind: 'sent' }
  | { kind: 'too-many'; retryAfterSeconds: number }
  | { kind: 'failed' }
  | {
      kind: 'done';
      userPrincipalName: string;
      temporaryAccessPass: string;
      lifetimeInMinutes: number;
      isUsableOnce: boolean;
      signInUrl: string;
    };

const CSS = `
*{box-sizing:border-box}body{margin:0;font-family:"Segoe UI",Arial,sans-serif;background:#f3f2f1;color:#1b1b1b;
line-height:1.5}header{background:#ffffff;border-bottom:1px solid #c8c6c4;padding:12px 24px}header img{height:40px}
.org{font-weight:700;font-size:1.1rem}main{max-width:34rem;margin:32px auto;background:#ffffff;padding:32px;
border-radius:6px;border:1px solid #c8c6c4}h1{font-size:1.6rem;margin-top:0}label{display:block;font-weight:600;
margin-bottom:4px}.hint{color:#3b3a39;margin:0 0 8px}input[type=text]{font-size:1.5rem;letter-spacing:.3em;
padding:8px;width:100%;border:2px solid #1b1b1b;border-radius:4px}input[aria-invalid=true]{border-color:#a4262c}
button{font-size:1rem;font-weight:600;padding:10px 20px;border-radius:4px;border:2px solid #0b5cad;cursor:pointer;
background:#0b5cad;color:#ffffff;margin-top:16px}button.secondary{background:#ffffff;color:#0b5cad}
:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}.error-summary{border:3px solid #a4262c;padding:12px 16px;
margin-bottom:20px}.error-summary h2{font-size:1.1rem;margin:0 0 4px;color:#a4262c}.error{color:#a4262c;
font-weight:600;margin:0 0 8px}.error-summary a{color:#a4262c}.tap{font-family:Consolas,monospace;font-size:2rem;
letter-spacing:.15em;background:#f3f2f1;border:1px dashed #1b1b1b;padding:12px;text-align:center;word-break:break-all}
dt{font-weight:600}dd{margin:0 0 12px}.warning{border-left:6px solid #8a6100;padding-left:12px}a{color:#0b5cad}
`.replace(/\n/g, '');

/** The page's Content-Security-Policy: nothing but this stylesheet (by hash), the logo and same-origin forms. */
export function contentSecurityPolicy(logoUrl: string | undefined): string {
  const styleHash = createHash('sha256').update(CSS).digest('base64');
  const img = logoUrl ? ` img-src ${new URL(logoUrl).origin};` : '';
  return (
    `default-src 'none'; style-src 'sha256-${styleHash}';${img} form-action 'self'; ` +
    `frame-ancestors 'none'; base-uri 'none'`
  );
}

/** Headers every activation page carries (secrets on the page must not be cached, framed or leaked by Referer). */
export function pageHeaders(logoUrl: string | undefined): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': contentSecurityPolicy(logoUrl),
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  };
}

function layout(language: ActivationLanguage, org: Organisation, title: string, body: string): string {
  const m = messages(language);
  const brand = org.logoUrl
    ? `<img src="${escapeHtml(org.logoUrl)}" alt="${escapeHtml(org.name)}">`
    : `<span class="org">${escapeHtml(org.name)}</span>`;
  return (
    `<!doctype html><html lang="${m.htmlLang}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">` +
    `<title>${escapeHtml(title)} – ${escapeHtml(org.name)}</title><style>${CSS}</style></head>` +
    `<body><header>${brand}</header><main>${body}</main></body></html>`
  );
}

function hidden(token: string, formToken: string): string {
  return (
    `<input type="hidden" name="t" value="${escapeHtml(token)}">` +
    `<input type="hidden" name="form" value="${escapeHtml(formToken)}">`
  );
}

function form(m: Messages, view: Extract<PageView, { kind: 'form' }>): string {
  const errorText =
    view.error === 'wrong'
      ? fill(m.wrongCode, { left: view.attemptsLeft ?? 0 })
      : view.error === 'expired'
        ? escapeHtml(m.codeExpired)
        : '';
  const summary = errorText
    ? `<div class="error-summary" role="alert" aria-labelledby="error-title"><h2 id="error-title">` +
      `${escapeHtml(m.errorHeading)}</h2><a href="#otp">${errorText}</a></div>`
    : '';
  const describedBy = errorText ? 'otp-hint otp-error' : 'otp-hint';
  const codeForm =
    `<form method="post" action="activate" novalidate>${hidden(view.token, view.formToken)}` +
    `<label for="otp">${escapeHtml(m.codeLabel)}</label>` +
    `<p class="hint" id="otp-hint">${fill(m.codeHint, { length: view.codeLength })}</p>` +
    (errorText ? `<p class="error" id="otp-error">${errorText}</p>` : '') +
    `<input type="text" id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" ` +
    `pattern="[0-9]*" maxlength="${view.codeLength}" required aria-required="true" ` +
    `aria-describedby="${describedBy}"${errorText ? ' aria-invalid="true"' : ''} autofocus>` +
    `<button type="submit" name="action" value="verify">${escapeHtml(m.submit)}</button></form>`;
  const resend =
    view.error === 'expired'
      ? `<form method="post" action="activate">${hidden(view.token, view.formToken)}` +
        `<button type="submit" class="secondary" name="action" value="resend">${escapeHtml(m.resend)}</button></form>`
      : '';
  return `${summary}<h1>${escapeHtml(m.pageTitle)}</h1><p>${escapeHtml(m.pageIntro)}</p>${codeForm}${resend}`;
}

function message(title: string, body: string): string {
  return `<h1>${escapeHtml(title)}</h1><p>${body}</p>`;
}

/** The HTML of one page view; `title` for tests and the <title>. */
export function renderPage(language: ActivationLanguage, org: Organisation, view: PageView): string {
  const m = messages(language);
  switch (view.kind) {
    case 'form':
      return layout(language, org, m.pageTitle, form(m, view));
    case 'locked':
      return layout(language, org, m.lockedTitle, message(m.lockedTitle, escapeHtml(m.lockedBody)));
    case 'invalid':
      return layout(language, org, m.invalidTitle, message(m.invalidTitle, escapeHtml(m.invalidBody)));
    case 'sent':
      return layout(language, org, m.sentTitle, message(m.sentTitle, escapeHtml(m.sentBody)));
    case 'failed':
      return layout(language, org, m.failedTitle, message(m.failedTitle, escapeHtml(m.failedBody)));
    case 'too-many':
      return layout(
        language,
        org,
        m.tooManyTitle,
        message(m.tooManyTitle, fill(m.tooManyBody, { minutes: Math.max(1, Math.ceil(view.retryAfterSeconds / 60)) })),
      );
    case 'done': {
      const values = { minutes: view.lifetimeInMinutes, url: view.signInUrl };
      return layout(
        language,
        org,
        m.doneTitle,
        `<h1 tabindex="-1" autofocus>${escapeHtml(m.doneTitle)}</h1><p>${escapeHtml(m.doneIntro)}</p><dl>` +
          `<dt>${escapeHtml(m.accountLabel)}</dt><dd>${escapeHtml(view.userPrincipalName)}</dd>` +
          `<dt id="tap-label">${escapeHtml(m.tapLabel)}</dt>` +
          `<dd><p class="tap" aria-labelledby="tap-label" data-testid="tap">` +
          `${escapeHtml(view.temporaryAccessPass)}</p>` +
          `${fill(m.tapValidity, values)} ${escapeHtml(view.isUsableOnce ? m.tapOnce : m.tapMany)}</dd></dl>` +
          `<p>${fill(m.tapNext, values)}</p><p class="warning">${escapeHtml(m.tapWarning)}</p>`,
      );
    }
  }
}
