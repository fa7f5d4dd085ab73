/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { dayFromToday, jmlClient } from '../support/jml-client';

/**
 * The ops console in a real browser (Debian's chromium driven by playwright-core), against the app on the local host
 * with its admin key enforced: the key asked once, a person found and their timeline read, a held deletion approved,
 * the local panels. No console errors (a CSP refusal would be one); every input has a label. Screenshots go to
 * test-results/.
 */
const repoRoot = path.resolve(__dirname, '../..');
const shots = path.join(repoRoot, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MASTER_KEY = 'console-browser-test-master-key';

describe('ops console in a real browser', () => {
  let host: HostProcess;
  let browser: Browser;
  let jml: ReturnType<typeof jmlClient>;

  const worker = (employeeId: string, family: string) => ({
    employeeId,
    legalGivenName: 'Ada',
    legalFamilyName: family,
    hireDate: dayFromToday(0),
    country: 'FR',
    department: 'Engineering',
  });
  const enabled = (employeeId: string) =>
    jml.until(`${employeeId} enabled`, async () => (await jml.user(employeeId))?.accountEnabled === true);

  /** Every input, select and textarea on the page has an accessible name (its label). */
  const unlabelledFields = (page: Page) =>
    page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')]
        .filter((field) => !(field as HTMLInputElement).labels?.length && !field.getAttribute('aria-label'))
        .map((field) => field.outerHTML),
    );

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    mkdirSync(shots, { recursive: true });
    const dir = mkdtempSync(path.join(tmpdir(), 'jml-console-browser-'));
    // One leaver an hour: the second leaver is held for an admin, so the console has a deletion to approve.
    const policyFile = path.join(dir, 'policy.yaml');
    writeFileSync(
      policyFile,
      readFileSync(path.join(repoRoot, 'policy/policy.yaml'), 'utf8').replace(/maxPerHour: \d+/, 'maxPerHour: 1'),
    );
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: path.join(dir, 'data'),
      env: { HR_EVENTS_QUEUE: 'hr-events', ENTRA_JML_POLICY_FILE: policyFile, ENTRA_JML_HOST_MASTER_KEY: MASTER_KEY },
    });
    jml = jmlClient(host.baseUrl);
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

  it('key once, a person and their timeline, a held deletion approved, a dead letter replayed, discarded', async () => {
    await jml.post({
      eventId: 'h-C1',
      type: 'hire',
      occurredAt: new Date().toISOString(),
      worker: worker('C1', 'Byron'),
    });
    await jml.post({
      eventId: 'h-C2',
      type: 'hire',
      occurredAt: new Date().toISOString(),
      worker: worker('C2', 'King'),
    });
    await enabled('C1');
    await enabled('C2');

    const page = await browser.newPage({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));

    // The shell is anonymous; the first admin call answers 401 and the console asks for the key, once.
    const response = await page.goto(`${host.baseUrl}/api/console`);
    expect(response!.status()).toBe(200);
    expect(page.url()).toBe(`${host.baseUrl}/api/console/`);
    await page.getByLabel('Admin key', { exact: true }).fill(MASTER_KEY);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByLabel('Admin key', { exact: true }).waitFor({ state: 'detached' });
    expect(await page.evaluate(() => sessionStorage.length)).toBe(1);

    // Find the person (by employee id: it works with or without the admin API's search route) and open them.
    await page.getByLabel('Name, employee id or UPN').fill('C1');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: /C1/ }).first().click();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    const timeline = page.getByTestId('timeline');
    await timeline.getByText('joiner.createUser', { exact: true }).first().waitFor();
    expect(await page.getByTestId('phase').textContent()).toBe('active');
    // The account creation shows what it wrote, as a before/after table.
    const created = timeline.locator('li', { hasText: 'joiner.createUser' }).first();
    expect(await created.locator('table.diff').count()).toBe(1);
    await page.getByRole('heading', { name: 'Groups and why' }).waitFor();
    expect(await unlabelledFields(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'console-1-person.png'), fullPage: true });

    // Two leavers within the hour: the first goes through, the second is held by the deletion threshold and an admin
    // approves it here.
    const terminate = (id: string, family: string) =>
      jml.post({
        eventId: `t-${id}`,
        type: 'terminate',
        immediate: true,
        occurredAt: new Date().toISOString(),
        worker: worker(id, family),
      });
    await terminate('C1', 'Byron');
    await jml.until('C1 disabled', async () => (await jml.user('C1'))?.accountEnabled === false);
    await terminate('C2', 'King');
    await page.getByRole('link', { name: 'Held deletions' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    const approve = page.getByRole('button', { name: 'Approve' });
    await expect
      .poll(
        async () => {
          await page.reload();
          return approve.count();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(1);
    const heldRow = page.locator('tr', { has: approve });
    expect((await heldRow.getByRole('link').textContent())!.trim()).toBe('C2');
    expect((await jml.user('C2'))?.accountEnabled).toBe(true);
    await page.screenshot({ path: path.join(shots, 'console-2-held.png'), fullPage: true });
    await approve.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await page.getByTestId('status').getByText('Approved: the disable of C2 goes ahead.').waitFor();
    await jml.until('C2 disabled after approval', async () => (await jml.user('C2'))?.accountEnabled === false);

    // Dead letters: a poison message (an HR event with no worker) is dead-lettered after its retries; the console shows
    // the processor's error, replays it (it fails again and comes back), then discards it with a reason.
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByText(/No dead letters/).waitFor();
    const poison = await fetch(`${host.baseUrl}/_local/servicebus/queues/hr-events/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ messageId: 'poison-1', sessionId: 'C9', body: { eventId: 'poison-1', type: 'hire' } }]),
    });
    expect(poison.status).toBe(201);
    const letter = page.locator('li.card', { hasText: 'poison-1' });
    const sequenceOfLetter = async () => {
      await page.reload();
      await page.getByRole('heading', { name: 'Dead letters' }).waitFor();
      await page.locator('li.card, p:has-text("No dead letters")').first().waitFor();
      if (!(await letter.count())) return null;
      return (await letter.getByRole('heading').textContent())!.split(' ')[0] ?? null;
    };
    let first: string | null = null;
    await expect
      .poll(async () => (first = await sequenceOfLetter()), { timeout: 30_000, interval: 1000 })
      .not.toBeNull();
    expect(await letter.textContent()).toMatch(/invalid HR event/);
    await page.screenshot({ path: path.join(shots, 'console-3-dead-letter.png'), fullPage: true });
    await letter.getByRole('button', { name: 'Replay' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Replay' }).click();
    await page
      .getByTestId('status')
      .getByText(`Dead letter ${first!.slice(1)} replayed onto the queue.`)
      .waitFor();
    // Still invalid, so it comes back as a new dead letter; this time it is discarded, with the reason asked first.
    await expect.poll(sequenceOfLetter, { timeout: 30_000, interval: 1000 }).toMatch(/^#\d+$/);
    expect(await sequenceOfLetter()).not.toBe(first);
    await letter.getByRole('button', { name: 'Discard' }).click();
    const discard = page.getByRole('dialog');
    expect(await discard.getByRole('button', { name: 'Discard' }).isDisabled()).toBe(true);
    await discard.getByLabel('Reason for discarding (kept in the audit trail)').fill('test message, no worker');
    await discard.getByRole('button', { name: 'Discard' }).click();
    await page
      .getByTestId('status')
      .getByText(/^Dead letter \d+ discarded\.$/)
      .waitFor();
    await page.getByText(/No dead letters/).waitFor();

    // Local panels: the durable clock and the mail outbox (manager notices, codes) of the Graph emulator.
    await page.getByRole('link', { name: 'Local host' }).click();
    await page.getByTestId('clock-now').waitFor();
    await page.getByRole('heading', { name: 'Mail outbox' }).waitFor();
    expect(await unlabelledFields(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'console-4-local.png'), fullPage: true });

    // Runs from the admin API (GET /api/ops/runs): the people's lifecycles are listed with their status.
    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    await page
      .getByRole('cell', { name: /person-C2/ })
      .first()
      .waitFor();

    // The stylesheet applied under the CSP, and nothing was refused or thrown. Chromium logs each 4xx answer as a
    // console error: the 401 that asked for the key and the 404/405 of admin routes this app does not serve yet are
    // expected answers, not faults of the page.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.main')!).maxWidth)).toBe('1200px');
    expect(
      errors.filter((e) => !/^Failed to load resource: the server responded with a status of 40[145]/.test(e)),
    ).toEqual([]);
    await page.close();
  });
});
