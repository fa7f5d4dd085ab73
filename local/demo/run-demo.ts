import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sign } from '../../shared/intake/webhook-signature';
import { startHost } from '../host/start-host';

/**
 * `npm run demo`: the whole stack on the local host (Graph emulator, queue, durable engine) and a
 * joiner → mover → leaver story for a few people, printing the directory and the audit trail.
 */
const SECRET = process.env.HR_WEBHOOK_SECRETS?.split(',')[0] ?? 'local-dev-webhook-secret';
const today = new Date().toISOString().slice(0, 10);

function worker(employeeId: string, given: string, family: string, extra: Record<string, unknown>) {
  return {
    employeeId,
    legalGivenName: given,
    legalFamilyName: family,
    hireDate: today,
    timeZone: 'Europe/Paris',
    ...extra,
  };
}

async function send(base: string, event: object): Promise<void> {
  const body = JSON.stringify(event);
  const ts = Math.floor(Date.now() / 1000);
  const signature = sign(SECRET, ts, body);
  const res = await fetch(`${base}/api/hr/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-entra-jml-timestamp': String(ts),
      'x-entra-jml-signature': signature,
    },
    body,
  });
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
}

async function waitForEvent(base: string, employeeId: string, eventId: string): Promise<{ phase: string }> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${base}/api/persons/${employeeId}`);
    if (res.ok) {
      const status = (await res.json()) as { phase: string; lastEvents: string[] };
      if (status.lastEvents?.includes(eventId)) return status;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`event ${eventId} for ${employeeId} was not processed in time`);
}

interface DemoUser {
  userPrincipalName: string;
  displayName: string;
  employeeId: string | null;
  department: string | null;
  jobTitle: string | null;
  accountEnabled: boolean;
  manager: string | null;
  id: string;
  groups: string[];
}

/**
 * The demo policy plus the local host's two SCIM demo targets (policy/examples/scim-demo-targets.yaml), so the run
 * shows each change reaching the downstream apps too. The shipped policy keeps `scimTargets: []`: it is deployable.
 */
function demoPolicyWithScimTargets(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const base = readFileSync(path.resolve('policy/policy.yaml'), 'utf8').replace(/^scimTargets: \[\]\n/m, '');
  const targets = readFileSync(path.resolve('policy/examples/scim-demo-targets.yaml'), 'utf8');
  const file = path.join(dataDir, 'demo-policy.yaml');
  writeFileSync(file, `${base}\n${targets}`);
  return file;
}

interface ScimDemoUser {
  userName: string;
  active: boolean | string;
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'?: { department?: string };
}

/** What each SCIM demo target holds now (their admin state), one line per user. */
async function printScimTargets(base: string): Promise<void> {
  for (const target of ['acme-crm', 'globex-wiki']) {
    const state = (await (await fetch(`${base}/_local/scim/_admin/${target}/state`)).json()) as {
      users: ScimDemoUser[];
      counts: Record<string, number>;
    };
    console.log(`  SCIM ${target}: ${state.users.length} users`);
    for (const u of state.users) {
      const dept = u['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']?.department ?? '-';
      const on = String(u.active).toLowerCase() === 'true' ? 'active' : 'INACTIVE';
      console.log(`    ${u.userName.padEnd(28)} ${on.padEnd(9)} ${dept}`);
    }
  }
}

async function printDirectory(base: string, title: string): Promise<void> {
  const state = (await (await fetch(`${base}/_local/graph/_admin/state`)).json()) as { users: DemoUser[] };
  const byId = new Map(state.users.map((u) => [u.id, u.userPrincipalName]));
  console.log(`\n== ${title} ==`);
  for (const u of state.users.filter((x) => x.employeeId)) {
    console.log(
      `  ${u.userPrincipalName.padEnd(28)} ${(u.accountEnabled ? 'enabled' : 'DISABLED').padEnd(9)} ` +
        `${String(u.department).padEnd(12)} ${String(u.jobTitle).padEnd(20)} ` +
        `manager=${u.manager ? byId.get(u.manager) : '-'}`,
    );
    console.log(`  ${''.padEnd(28)} groups: ${u.groups.join(', ') || '(none)'}`);
  }
  await printScimTargets(base);
}

/**
 * Self-activation: a hire with a personal email stays disabled on day 1; the person gets a one-time code by mail
 * (the emulator's outbox), enters it on the activation page, and sees a Temporary Access Pass once.
 */
async function demoActivation(base: string): Promise<void> {
  console.log('\n4. Self-activation: Ada Lovelace (personal email given by HR) activates her own account on day 1');
  const personalEmail = 'ada.lovelace@home.example';
  await send(base, {
    eventId: 'hire-E104',
    type: 'hire',
    occurredAt: new Date().toISOString(),
    worker: worker('E104', 'Ada', 'Lovelace', {
      department: 'Engineering',
      jobTitle: 'Engineer',
      country: 'GB',
      managerEmployeeId: 'E100',
      personalEmail,
    }),
  });
  let mail: { subject: string; body: { content: string } } | undefined;
  for (const deadline = Date.now() + 30_000; !mail && Date.now() < deadline;) {
    const outbox = (await (await fetch(`${base}/_local/graph/_admin/outbox`)).json()) as {
      value: {
        message: { subject: string; body: { content: string }; toRecipients: { emailAddress: { address: string } }[] };
      }[];
    };
    mail = outbox.value.find((m) => m.message.toRecipients[0]?.emailAddress.address === personalEmail)?.message;
    if (!mail) await new Promise((r) => setTimeout(r, 100));
  }
  if (!mail) throw new Error('no activation mail in the outbox');
  const html = mail.body.content;
  const code = /letter-spacing:6px[^>]*>(\d+)</.exec(html)![1]!;
  const link = /href="([^"]*\/api\/activate\?t=[^"]+)"/.exec(html)![1]!;
  await printDirectory(base, 'day 1: account created DISABLED, waiting for activation');
  console.log(`  mail to ${personalEmail} (emulator outbox): "${mail.subject}", code ${code}`);
  console.log(`  link: ${link.replace(/t=([^.]+)\.\S+/, 't=$1.…')}`);
  const form = await (await fetch(link)).text();
  const formToken = /name="form" value="([^"]+)"/.exec(form)![1]!;
  const t = new URL(link).searchParams.get('t')!;
  const page = await fetch(`${base}/api/activate`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ t, form: formToken, otp: code, action: 'verify' }).toString(),
  });
  const tap = /data-testid="tap">([^<]+)</.exec(await page.text())?.[1];
  console.log(
    `  code entered on the page: ${page.status}, ` +
      `Temporary Access Pass shown once (${tap?.length ?? 0} characters, not stored)`,
  );
  await printDirectory(base, 'after activation');
}

async function main(): Promise<void> {
  const dataDir = path.resolve('.data-demo');
  rmSync(dataDir, { recursive: true, force: true });
  process.env.ENTRA_JML_LOG_LEVEL ??= 'error';
  process.env.ENTRA_JML_DATA_DIR = dataDir;
  process.env.ENTRA_JML_POLICY_FILE = demoPolicyWithScimTargets(dataDir);
  const started = Date.now();
  const host = await startHost({ appRoot: process.cwd(), port: Number(process.env.DEMO_PORT ?? 0), dataDir });
  const base = `http://localhost:${host.listeningPort}`;
  console.log(`entra-jml demo: local host on ${base} (data in ${dataDir})`);
  try {
    const people = [
      {
        id: 'E100',
        event: worker('E100', 'María', 'García', {
          department: 'Engineering',
          jobTitle: 'Engineering Manager',
          country: 'US',
        }),
      },
      {
        id: 'E101',
        event: worker('E101', 'José', 'Núñez', {
          department: 'Engineering',
          jobTitle: 'Engineer',
          country: 'FR',
          managerEmployeeId: 'E100',
        }),
      },
      {
        id: 'E102',
        event: worker('E102', 'José', 'Nuñez', {
          department: 'Support',
          jobTitle: 'Support Agent',
          country: 'FR',
          managerEmployeeId: 'E100',
        }),
      },
      {
        id: 'E103',
        event: worker('E103', 'Zoë', 'Ødegård', {
          department: 'Finance',
          jobTitle: 'Analyst',
          country: 'DE',
          employmentType: 'contractor',
          managerEmployeeId: 'E100',
        }),
      },
    ];
    console.log('\n1. Joiners: four hires (the second José collides with the first and gets a numbered UPN)');
    for (const p of people) {
      await send(base, {
        eventId: `hire-${p.id}`,
        type: 'hire',
        occurredAt: new Date().toISOString(),
        worker: p.event,
      });
      await waitForEvent(base, p.id, `hire-${p.id}`);
    }
    await printDirectory(base, 'after joiners');

    console.log(
      '\n2. Mover: José Núñez moves from Engineering to Sales ' +
        '(Sales access now; Engineering kept for the policy grace period of mover.graceDays)',
    );
    await send(base, {
      eventId: 'move-E101',
      type: 'update',
      occurredAt: new Date().toISOString(),
      worker: { ...people[1]!.event, department: 'Sales', jobTitle: 'Account Executive' },
    });
    await waitForEvent(base, 'E101', 'move-E101');
    await printDirectory(base, 'after mover');

    console.log('\n3. Leaver: Zoë Ødegård is terminated with immediate effect');
    await send(base, {
      eventId: 'leave-E103',
      type: 'terminate',
      immediate: true,
      occurredAt: new Date().toISOString(),
      worker: people[3]!.event,
    });
    const status = await waitForEvent(base, 'E103', 'leave-E103');
    await printDirectory(base, `after leaver (E103 phase: ${status.phase}, deletion after the retention period)`);

    await demoActivation(base);

    const audit = (await (await fetch(`${base}/api/ops/audit`)).json()) as {
      value: { at: string; action: string; employeeId: string; outcome: string; correlation: { eventId?: string } }[];
    };
    console.log(`\n== audit trail (${audit.value.length} records) ==`);
    for (const r of audit.value)
      console.log(
        `  ${r.at}  ${String(r.employeeId).padEnd(5)} ${r.action.padEnd(20)} ${r.outcome.padEnd(8)} ` +
          `event=${r.correlation.eventId ?? '-'}`,
      );
    console.log(
      `\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. ` +
        'Run `npm start` to keep the stack up and send your own events.',
    );
  } finally {
    await host.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
