/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activationClient } from '../activation/activation-client';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { dayFromToday, jmlClient } from '../support/jml-client';

/**
 * The new starter's day 1 in a real browser: the mail from the local outbox, the link, the code, the TAP; and the
 * lockout path. Debian's chromium (`apt-get install -y chromium`; .ci/run installs it) driven by playwright-core.
 * Screenshots go to test-results/.
 */
const repoRoot = path.resolve(__dirname, '../..');
const shots = path.join(repoRoot, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('activation page in a real browser', () => {
  let host: HostProcess;
  let browser: Browser;
  let jml: ReturnType<typeof jmlClient>;
  let act: ReturnType<typeof activationClient>;

  const hire = async (employeeId: string, country: string) => {
    const personalEmail = `${employeeId.toLowerCase()}@home.example`;
    await jml.post({
      eventId: `h-${employeeId}`,
      type: 'hire',
      occurredAt: new Date().toISOString(),
      worker: {
        employeeId,
        legalGivenName: 'Grace',
        legalFamilyName: `Hopper ${employeeId}`,
        hireDate: dayFromToday(0),
        country,
        department: 'Engineering',
        personalEmail,
      },
    });
    return act.waitForMail(personalEmail, 1);
  };
  /** A page that records CSP violations and other console errors. */
  const newPage = async (): Promise<{ page: Page; errors: string[] }> => {
    const page = await browser.newPage({ locale: 'en-GB' });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    return { page, errors };
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    mkdirSync(shots, { recursive: true });
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: mkdtempSync(path.join(tmpdir(), 'jml-browser-')),
      env: { HR_EVENTS_QUEUE: 'hr-events', ENTRA_JML_POLICY_FILE: path.join(repoRoot, 'policy/policy.yaml') },
    });
    jml = jmlClient(host.baseUrl);
    act = activationClient(host.baseUrl);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('mail → link → code → TAP; the directory shows the account enabled with a TAP method', async () => {
    const mail = await hire('B1', 'GB');
    expect((await jml.user('B1'))!.accountEnabled).toBe(false);
    const { page, errors } = await newPage();
    const response = await page.goto(mail.link!);
    expect(response!.status()).toBe(200);
    expect(await response!.headerValue('cache-control')).toBe('no-store');
    await page.screenshot({ path: path.join(shots, 'activation-1-form.png'), fullPage: true });

    // The field is found by its label (what a screen reader announces) and has focus on arrival.
    const field = page.getByLabel('Activation code');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('otp');
    await field.fill(mail.code!);
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('heading', { name: 'Your account is active' }).waitFor();
    const tap = (await page.getByTestId('tap').textContent())!.trim();
    expect(tap).toMatch(/^\S{8,}$/);
    await page.screenshot({ path: path.join(shots, 'activation-2-tap.png'), fullPage: true });
    // The stylesheet applied (its CSP hash matched) and nothing was refused.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('main')!).maxWidth)).not.toBe('none');
    expect(errors).toEqual([]);

    const user = (await jml.user('B1'))!;
    expect(user.accountEnabled).toBe(true);
    expect(await act.tapMethods(user.id)).toEqual([expect.objectContaining({ isUsable: true })]);

    // Back and submit again: the link is used up.
    await page.goBack();
    const again = await page.goto(mail.link!);
    expect(again!.status()).toBe(404);
    await page.close();
  });

  it('wrong codes: the error is announced and tied to the field, then the activation locks', async () => {
    const mail = await hire('B2', 'FR');
    const { page, errors } = await newPage();
    await page.goto(mail.link!);
    const wrong = mail.code === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 4; attempt++) {
      await page.getByLabel("Code d'activation").fill(wrong);
      await page.getByRole('button', { name: 'Activer' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toContain(`Essais restants : ${5 - attempt}.`);
      expect(await page.getByLabel("Code d'activation").getAttribute('aria-invalid')).toBe('true');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('otp');
    }
    await page.screenshot({ path: path.join(shots, 'activation-3-wrong-code.png'), fullPage: true });
    await page.getByLabel("Code d'activation").fill(wrong);
    await page.getByRole('button', { name: 'Activer' }).click();
    await page.getByRole('heading', { name: "Trop d'essais" }).waitFor();
    await page.screenshot({ path: path.join(shots, 'activation-4-locked.png'), fullPage: true });
    // The right code no longer helps.
    await page.goto(mail.link!);
    expect(await page.getByLabel("Code d'activation").count()).toBe(0);
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
    expect((await jml.user('B2'))!.accountEnabled).toBe(false);
    await page.close();
  });
});
