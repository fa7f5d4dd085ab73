import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderActivationMail, renderManagerMail } from '../../shared/activation/mail-templates';
import { contentSecurityPolicy, pageHeaders, renderPage } from '../../shared/activation/page-templates';
import type { ActivationRecord } from '../../shared/activation/record';
import { SqliteActivationStore } from '../../shared/adapters/activation/sqlite-activation-store';
import { TableActivationStore } from '../../shared/adapters/activation/table-activation-store';
import type { ActivationStore } from '../../shared/ports/activation-store';
import { startAzurite, type Azurite } from '../support/azurite';

const record = (overrides: Partial<ActivationRecord> = {}): ActivationRecord => ({
  activationId: '0b7c4c52-6a0e-4a43-9d3e-2f1a6b1f7e10',
  employeeId: 'E/1',
  instanceId: 'activation-E/1',
  userId: 'u1',
  language: 'en',
  status: 'pending',
  generation: 1,
  codeHash: 'c',
  linkHash: 'l',
  codeExpiresAt: '2026-11-25T08:15:00.000Z',
  expiresAt: '2026-12-09T08:00:00.000Z',
  attempts: 0,
  maxAttempts: 5,
  createdAt: '2026-11-25T08:00:00.000Z',
  updatedAt: '2026-11-25T08:00:00.000Z',
  version: 0,
  ...overrides,
});

let azurite: Azurite | undefined;
afterAll(async () => azurite?.stop());

const stores: [string, () => Promise<ActivationStore>][] = [
  ['SQLite', async () => new SqliteActivationStore(path.join(mkdtempSync(path.join(tmpdir(), 'act-')), 'a.sqlite'))],
  [
    'Table Storage (Azurite)',
    async () => {
      azurite ??= await startAzurite();
      return new TableActivationStore(await azurite.createTable('activation'));
    },
  ],
];

describe.each(stores)('activation store (%s)', (_name, make) => {
  it('writes only over the version it read: of two racing writers, one wins', async () => {
    const store = await make();
    const created = await store.save(record());
    expect(created).toMatchObject({ version: 1 });
    expect(await store.save(record())).toBeNull(); // exists already
    const a = await store.save({ ...created!, attempts: 1 });
    const b = await store.save({ ...created!, attempts: 1 });
    expect(a).toMatchObject({ version: 2, attempts: 1 });
    expect(b).toBeNull();
    expect(await store.get(created!.activationId)).toEqual(a);
    expect(await store.latestForEmployee('E/1')).toEqual(a);
    expect(await store.latestForEmployee('nobody')).toBeNull();
    expect(await store.get('11111111-1111-4111-8111-111111111111')).toBeNull();
  });
});

describe('activation templates', () => {
  const org = { name: 'Contoso <Ltd>' };
  it('the person mail carries code and link in HTML and text, in their language, with names escaped', () => {
    const mail = renderActivationMail({
      language: 'fr',
      org,
      givenName: 'Zoë <b>',
      code: '123456',
      link: 'https://jml.example/api/activate?t=abc&x=1',
      codeTtlMinutes: 15,
      expiresAt: '2026-12-09T08:00:00.000Z',
      reminder: false,
    });
    expect(mail.subject).toBe('Activez votre compte Contoso <Ltd>');
    expect(mail.html).toContain('<html lang="fr">');
    expect(mail.html).toContain('Zoë &lt;b&gt;');
    expect(mail.html).toContain('href="https://jml.example/api/activate?t=abc&amp;x=1"');
    expect(mail.html).toContain('123456');
    expect(mail.text).toContain('Votre code: 123456');
    expect(mail.text).toContain('https://jml.example/api/activate?t=abc&x=1');
    expect(mail.text).toContain('9 décembre 2026');
  });

  it('manager mails carry neither code nor link', () => {
    const mail = renderManagerMail({
      kind: 'expired',
      language: 'en',
      org,
      personName: 'Ada Lovelace',
      expiresAt: '2026-12-09T08:00:00.000Z',
    });
    expect(mail.subject).toBe('Ada Lovelace has not activated their account');
    expect(mail.html).not.toMatch(/activate\?t=/);
  });

  it('the form is accessible: label, hint and error tied to the field, an alert summary, focus on the field', () => {
    const html = renderPage('en', org, {
      kind: 'form',
      token: 't1',
      formToken: 'f1',
      codeLength: 6,
      error: 'wrong',
      attemptsLeft: 2,
    });
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<label for="otp">Activation code</label>');
    expect(html).toContain('aria-describedby="otp-hint otp-error"');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('role="alert"');
    expect(html).toContain('Attempts left: 2.');
    expect(html).toContain('autocomplete="one-time-code"');
    expect(html).toMatch(/<h1>Activate your account<\/h1>/);
    expect(html).not.toMatch(/<script/i);
  });

  it('headers: CSP allowing only the page stylesheet (by hash) and the logo origin, no-store, no-referrer', () => {
    const headers = pageHeaders('https://cdn.contoso.com/logo.svg');
    expect(headers['Cache-Control']).toBe('no-store');
    expect(headers['Referrer-Policy']).toBe('no-referrer');
    expect(headers['Content-Security-Policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+';/);
    expect(headers['Content-Security-Policy']).toContain('img-src https://cdn.contoso.com;');
    expect(contentSecurityPolicy(undefined)).not.toContain('img-src');
    expect(contentSecurityPolicy(undefined)).toContain("frame-ancestors 'none'");
  });
});
