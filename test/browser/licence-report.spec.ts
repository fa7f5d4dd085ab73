/// <reference lib="dom" />
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphEmulatorServer } from '../../local/emulators/graph/graph-emulator-extension';
import type { UserDoc } from '../../local/emulators/graph/store';
import { createDirectory } from '../../shared/adapters/graph/graph-directory';
import { parseConfig } from '../../shared/config/config';
import { chartJsSource } from '../../shared/licences/chart-source';
import type { ProductDay } from '../../shared/licences/forecast';
import { LicenceReportService } from '../../shared/licences/licence-report-service';
import { UnkeptLicenceReportStore } from '../../shared/licences/local-report-store';
import { licenceReportCsp } from '../../shared/licences/report-csp';
import { ACME_PRO, ACME_STD, E3_GROUP, E5, policy, uid } from '../licences/fixtures';

/**
 * The HTML licence report in a real browser (Debian's chromium driven by playwright-core): built by the report
 * service from a Graph emulator tenant with seeded problems and a month of history, served with the CSP the ops
 * route sends. Every chart is drawn (its canvas has pixels), nothing is refused or thrown, an injected inline script
 * is blocked, the problem sections list the seeded people. The screenshot goes to test-results/.
 */
const repoRoot = path.resolve(__dirname, '../..');
const shots = path.join(repoRoot, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NOW = new Date('2026-03-01T06:00:00Z');

/** 30 days of history: E3 growing by one seat every three days, the others flat. */
function history(): ProductDay[] {
  const days: ProductDay[] = [];
  for (let back = 30; back >= 1; back--) {
    const date = new Date(NOW.getTime() - back * 86_400_000).toISOString().slice(0, 10);
    days.push({
      date,
      key: 'sku:SPE_E3',
      name: 'SPE_E3',
      purchased: 200,
      assigned: 4 - Math.floor(back / 10),
      consumed: 2,
    });
    days.push({ date, key: 'app:acme:Pro', name: 'Acme Pro', purchased: 10, assigned: 2, consumed: 1 });
  }
  return days;
}

describe('licence report in a real browser', () => {
  let graph: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
  let web: Server;
  let browser: Browser;
  let reportUrl = '';
  let products = 0;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    mkdirSync(shots, { recursive: true });
    graph = await startGraphEmulatorServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'jml-licence-browser-')) });
    const store = graph.emulator.api.store;
    const addUser = (n: number, extra: Partial<UserDoc> = {}) =>
      store.saveUser({
        id: uid(n),
        userPrincipalName: `user${n}@contoso.com`,
        mailNickname: `user${n}`,
        displayName: `User ${n}`,
        accountEnabled: true,
        createdDateTime: '2025-01-01T00:00:00Z',
        deletedDateTime: null,
        signInSessionsValidFromDateTime: null,
        assignedLicenses: [],
        usageLocation: 'FR',
        department: 'Engineering',
        signInActivity: { lastSignInDateTime: '2026-02-28T08:00:00Z' },
        ...extra,
      });
    store.saveGroup({ id: ACME_PRO, displayName: 'Acme Pro' });
    store.saveGroup({ id: ACME_STD, displayName: 'Acme Standard' });
    // Seeded problems: user1 holds E5 directly on top of the group's E3 (direct assignment, overlapping SKUs) and
    // both Acme tiers; user2 is disabled; user3 has not signed in since June; user4 is in Sales, out of Acme's scope.
    addUser(1, { assignedLicenses: [{ skuId: E5, disabledPlans: [] }] });
    addUser(2, { accountEnabled: false });
    addUser(3, { signInActivity: { lastSignInDateTime: '2025-06-01T00:00:00Z' } });
    addUser(4, { department: 'Sales' });
    for (const n of [1, 2, 3, 4]) store.addMember(E3_GROUP, uid(n));
    for (const n of [1, 4]) store.addMember(ACME_PRO, uid(n));
    store.addMember(ACME_STD, uid(1));

    const directory = createDirectory(parseConfig({ WEBSITE_HOSTNAME: graph.baseUrl.replace('http://', '') }));
    const service = new LicenceReportService({
      directory,
      policy: () => policy(),
      history: { record: async () => {}, since: async () => history() },
      store: new UnkeptLicenceReportStore(),
      mailer: { send: async () => {} },
      usage: async () => [],
      chartJs: chartJsSource,
      now: () => NOW,
    });
    const report = await service.build();
    products = report.products.length;
    const { body, scriptHashes } = service.render(report, 'html');
    // Served as the ops route serves it (functions/ops-licences.ts): the same CSP.
    web = createServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': licenceReportCsp(scriptHashes),
      });
      res.end(body);
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    reportUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}/licences/report`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (web ? web.close(() => resolve()) : resolve()));
    await graph?.close();
  });

  it('draws every chart under the CSP, lists the seeded problems, and blocks an injected script', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    // Violations are reported to the page as events: collect them before any script of the page runs.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(reportUrl);
    await page.waitForSelector(`body[data-charts="${products}"]`);

    const canvases = await page.$$eval('#charts canvas', (elements) =>
      elements.map((element) => {
        const canvas = element as HTMLCanvasElement;
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
        return { label: canvas.getAttribute('aria-label'), width: canvas.width, painted };
      }),
    );
    expect(canvases).toHaveLength(products);
    for (const canvas of canvases) {
      expect(canvas.width, canvas.label ?? '').toBeGreaterThan(0);
      // Axes, grid, legend and the lines: thousands of pixels; a chart that failed to draw leaves 0.
      expect(canvas.painted, canvas.label ?? '').toBeGreaterThan(1000);
    }

    const problems = await page.$$eval('details[data-kind]', (sections) =>
      sections.map((section) => ({
        kind: section.getAttribute('data-kind'),
        people: [...section.querySelectorAll('li')].map((li) => li.textContent ?? ''),
      })),
    );
    const peopleOf = (kind: string) => problems.filter((p) => p.kind === kind).flatMap((p) => p.people);
    expect(peopleOf('direct-assignment').join('\n')).toContain('user1@contoso.com');
    expect(peopleOf('overlapping-skus').join('\n')).toContain('user1@contoso.com');
    expect(peopleOf('duplicate-app-tiers').join('\n')).toContain('user1@contoso.com');
    expect(peopleOf('departed-holder').join('\n')).toContain('user2@contoso.com (User 2) — account disabled');
    expect(peopleOf('idle-seat').join('\n')).toContain('user3@contoso.com');
    expect(peopleOf('out-of-scope').join('\n')).toContain('user4@contoso.com');
    await page.$$eval('details', (sections) =>
      sections.forEach((section) => ((section as HTMLDetailsElement).open = true)),
    );
    await page.screenshot({ path: path.join(shots, 'licence-report.png'), fullPage: true });

    expect(errors).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);

    // The CSP holds: an inline script that is not one of the page's own does not run, and is reported.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true;';
      document.body.appendChild(script);
    });
    await page.waitForFunction(() => (window as unknown as { cspViolations: string[] }).cspViolations.length > 0);
    expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([
      'script-src-elem inline',
    ]);
    await page.close();
  });
});
