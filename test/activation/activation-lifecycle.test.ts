import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { dayFromToday, jmlClient } from '../support/jml-client';
import { activationClient, tapOn } from './activation-client';

/**
 * Email one-time-code self-activation through the whole local stack: HR hire with a personal email → day 1 →
 * the activation orchestration mails a code (Graph emulator outbox) → the page → account enabled + TAP. The
 * durable clock is moved for reminders and expiry. At the end, the data folder (durable history, audit,
 * activation store), the host's logs and the audit rows are searched for every code, link and pass seen.
 */
const repoRoot = path.resolve(__dirname, '../..');
const at = () => new Date().toISOString();
const worker = (employeeId: string, extra: object = {}) => ({
  employeeId,
  legalGivenName: 'Zoë',
  legalFamilyName: `Ångström ${employeeId}`,
  hireDate: dayFromToday(0),
  country: 'FR',
  department: 'Engineering',
  ...extra,
});
const personal = (employeeId: string) => `${employeeId.toLowerCase()}@home.example`;

describe('email one-time-code self-activation on the local host', () => {
  let host: HostProcess;
  let dataDir: string;
  let logs = '';
  const secrets = new Set<string>();
  const start = async () => {
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir,
      env: {
        HR_EVENTS_QUEUE: 'hr-events',
        ENTRA_JML_POLICY_FILE: path.join(repoRoot, 'policy/policy.yaml'),
        ENTRA_JML_LOG_LEVEL: 'debug',
      },
    });
    return { jml: jmlClient(host.baseUrl), act: activationClient(host.baseUrl) };
  };
  let jml: ReturnType<typeof jmlClient>;
  let act: ReturnType<typeof activationClient>;
  /** Remembers every secret a mail or page showed, for the leak scan at the end. */
  const remember = <Mail extends { code: string | null; link: string | null }>(mail: Mail): Mail => {
    if (mail.code) secrets.add(mail.code);
    if (mail.link) secrets.add(new URL(mail.link).searchParams.get('t')!.split('.')[1]!);
    return mail;
  };
  const hire = async (employeeId: string, extra: object = {}) => {
    await jml.post({
      eventId: `h-${employeeId}`,
      type: 'hire',
      occurredAt: at(),
      worker: worker(employeeId, { personalEmail: personal(employeeId), managerEmployeeId: 'M1', ...extra }),
    });
    return remember(await act.waitForMail(personal(employeeId), 1));
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'jml-activation-'));
    ({ jml, act } = await start());
    // The manager has no personal email: day 1 enables their account directly, as before.
    await jml.post({ eventId: 'h-M1', type: 'hire', occurredAt: at(), worker: worker('M1') });
    await jml.until('manager enabled', async () => (await jml.user('M1'))?.accountEnabled);
  }, 60_000);
  afterAll(async () => {
    await host?.stop();
  });

  it('the new starter reads the code, opens the link, enters it and sees a TAP once; the manager is told', async () => {
    const mail = await hire('A1');
    expect(mail.subject).toBe('Activez votre compte Contoso'); // country FR
    expect(mail.code).toMatch(/^\d{6}$/);
    const user = (await jml.user('A1'))!;
    expect(user.accountEnabled).toBe(false);

    const page = await act.open(mail.link!);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.html).toContain('<label for="otp">');

    const done = await act.submitCode(mail.link!, mail.code!);
    expect(done.status).toBe(200);
    const tap = tapOn(done.html);
    expect(tap).toBeTruthy();
    secrets.add(tap!);
    expect(done.headers.get('cache-control')).toBe('no-store');
    expect((await jml.user('A1'))!.accountEnabled).toBe(true);
    expect(await act.tapMethods(user.id)).toEqual([expect.objectContaining({ isUsable: true, lifetimeInMinutes: 60 })]);

    // Single use: the same link now gets the page every unknown link gets.
    const again = await act.open(mail.link!);
    const unknown = await act.open(
      `${host.baseUrl}/api/activate?t=0b7c4c52-6a0e-4a43-9d3e-2f1a6b1f7e10.${'A'.repeat(43)}`,
    );
    expect(again.status).toBe(404);
    expect(again.html).toBe(unknown.html);
    expect(unknown.status).toBe(404);

    const finished = await jml.until('activation completed', async () => {
      const status = await act.instance('activation-A1');
      return status?.runtimeStatus === 'Completed' ? status : null;
    });
    expect(finished.output).toMatchObject({ outcome: 'activated' });
    const managerUpn = (await jml.user('M1'))!.userPrincipalName;
    const toManager = await act.waitForMail(managerUpn, 1);
    expect(toManager.subject).toContain('a activé son compte');
    expect(toManager.code).toBeNull();
  }, 60_000);

  it('wrong codes lock it, even for the right code; an operator resend sends a new code that works', async () => {
    const mail = await hire('A2');
    const wrong = mail.code === '000000' ? '000001' : '000000';
    for (let left = 4; left >= 1; left--) {
      const answer = await act.submitCode(mail.link!, wrong);
      expect(answer.status).toBe(400);
      expect(answer.html).toContain(`Essais restants : ${left}.`);
      expect(answer.html).toContain('role="alert"');
    }
    const locked = await act.submitCode(mail.link!, wrong);
    expect(locked.status).toBe(403);
    expect(locked.html).toContain('<h1>Trop d&#39;essais</h1>');
    const stillLocked = await act.open(mail.link!);
    expect(stillLocked.status).toBe(403);
    expect(stillLocked.formToken).toBeNull();

    const resend = await act.opsActivation('A2');
    expect(resend).toMatchObject({ status: 202, body: { action: 'resent' } });
    const second = remember(await act.waitForMail(personal('A2'), 2));
    expect(second.link).not.toBe(mail.link);
    expect((await act.open(mail.link!)).status).toBe(404); // the old link stopped working
    const done = await act.submitCode(second.link!, second.code!);
    secrets.add(tapOn(done.html)!);
    expect(done.status).toBe(200);
    expect((await jml.user('A2'))!.accountEnabled).toBe(true);
  }, 60_000);

  it('a form posted without its form token, or from another site, is refused', async () => {
    const mail = await hire('A7');
    const page = await act.open(mail.link!);
    expect((await act.post(mail.link!, { form: 'x'.repeat(43), otp: mail.code!, action: 'verify' })).status).toBe(404);
    const crossSite = await act.post(
      mail.link!,
      { form: page.formToken!, otp: mail.code!, action: 'verify' },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    expect((await jml.user('A7'))!.accountEnabled).toBe(false);
  }, 60_000);

  it('a mover with a new personal email gets a new code there; the old link stops working', async () => {
    const mail = await hire('A3');
    await jml.post({
      eventId: 'u-A3',
      type: 'update',
      occurredAt: at(),
      worker: worker('A3', { personalEmail: 'a3.new@home.example', managerEmployeeId: 'M1', preferredLanguage: 'en' }),
    });
    const moved = remember(await act.waitForMail('a3.new@home.example', 1));
    expect(moved.subject).toBe('Activate your Contoso account');
    expect((await act.open(mail.link!)).status).toBe(404);
    expect((await act.submitCode(moved.link!, moved.code!)).status).toBe(200);
  }, 60_000);

  it('a leaver during a pending activation cancels it: the link is dead and the account stays disabled', async () => {
    const mail = await hire('A4');
    await jml.post({ eventId: 't-A4', type: 'terminate', immediate: true, occurredAt: at(), worker: worker('A4') });
    await jml.processed('A4', 't-A4');
    const cancelled = await jml.until('activation cancelled', async () => {
      const status = await act.instance('activation-A4');
      return status?.runtimeStatus === 'Completed' ? status : null;
    });
    expect(cancelled.output).toMatchObject({ outcome: 'cancelled' });
    expect((await act.open(mail.link!)).status).toBe(404);
    expect((await jml.user('A4'))!.accountEnabled).toBe(false);
  }, 60_000);

  it('across a host restart: reminders at 24 h and 72 h with new codes, expiry at 14 days, escalation', async () => {
    const first5 = await hire('A5');
    const first6 = await hire('A6');
    logs += host.output();
    await host.stop();
    ({ jml, act } = await start());

    await jml.advance('P1DT1M');
    const reminder5 = remember(await act.waitForMail(personal('A5'), 2));
    const reminder6 = remember(await act.waitForMail(personal('A6'), 2));
    expect(reminder6.subject).toBe('Rappel : activez votre compte Contoso');
    expect((await act.open(first6.link!)).status).toBe(404); // superseded by the reminder
    expect((await act.open(first5.link!)).status).toBe(404);
    const done = await act.submitCode(reminder5.link!, reminder5.code!);
    expect(done.status).toBe(200);
    secrets.add(tapOn(done.html)!);

    await jml.advance('P2D');
    remember(await act.waitForMail(personal('A6'), 3));
    await jml.advance('P11D');
    const expired = await jml.until('activation expired', async () => {
      const status = await act.instance('activation-A6');
      return status?.runtimeStatus === 'Completed' ? status : null;
    });
    expect(expired.output).toMatchObject({ outcome: 'expired' });
    const last = (await act.mailsTo(personal('A6'))).at(-1)!;
    expect((await act.open(last.link!)).status).toBe(404);
    expect((await jml.user('A6'))!.accountEnabled).toBe(false);
    const managerUpn = (await jml.user('M1'))!.userPrincipalName;
    // A7 (left pending by the CSRF test) expires too: pick A6's escalation.
    const escalation = await jml.until('escalation for A6', async () =>
      (await act.mailsTo(managerUpn)).find((m) => m.subject === "Zoë Ångström A6 n'a pas activé son compte"),
    );
    expect(escalation.html).toContain('Zoë Ångström A6 n&#39;a pas activé son compte Contoso');
    expect(escalation.code).toBeNull();
    expect((await act.mailsTo(personal('A5'))).length).toBe(2); // no reminder after activation
  }, 90_000);

  it('no code, link secret or TAP appears in durable history, logs, audit rows or the activation store', async () => {
    expect(secrets.size).toBeGreaterThan(15);
    const audit = await (await fetch(`${host.baseUrl}/api/ops/audit?format=json`)).text();
    expect(audit).toContain('activation.verified');
    logs += host.output();
    const files = readdirSync(dataDir)
      .filter((f) => !f.startsWith('graph-emulator')) // the emulator is the mail server and Entra: it must hold them
      .map((f) => ({ f, text: readFileSync(path.join(dataDir, f)).toString('latin1') }));
    expect(files.map((f) => f.f)).toEqual(expect.arrayContaining(['durable.sqlite', 'activation.sqlite']));
    const durable =
      files.find((f) => f.f === 'durable.sqlite')!.text + (files.find((f) => f.f === 'durable.sqlite-wal')?.text ?? '');
    expect(durable).toContain('issueActivationCode'); // the history is really there
    const leaks: string[] = [];
    for (const secret of secrets) {
      for (const { f, text } of files) if (text.includes(secret)) leaks.push(`${f}: ${secret}`);
      if (logs.includes(secret)) leaks.push(`logs: ${secret}`);
      if (audit.includes(secret)) leaks.push(`audit: ${secret}`);
    }
    expect(leaks).toEqual([]);
  }, 30_000);
});
