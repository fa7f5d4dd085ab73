import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { dayFromToday, jmlClient } from '../support/jml-client';

/**
 * Hostile, malformed and careless input to every door of a running local host (issue 23): the webhook, the
 * CSV upload and the ops API. Each answer is a 4xx naming the field or a documented outcome; never a 5xx;
 * a refused request leaves nothing behind; an accepted event is never dropped without an audit row.
 */
const repoRoot = path.resolve(__dirname, '../..');
const SECRET = 'hostile-secret';
const MAPPING = [
  'type: { column: Action }',
  'fields: { employeeId: Id, legalGivenName: Given, legalFamilyName: Family, country: Country, hireDate: Start }',
].join('\n');

type Answer = { status: number; body: unknown };
interface Problems {
  problems: { path: string; reason: string }[];
}

describe('every door, hostile and careless input, on the local host', () => {
  let host: HostProcess;
  const signedHeaders = (body: string, ts = Math.floor(Date.now() / 1000)) => ({
    'content-type': 'application/json',
    'x-entra-jml-timestamp': String(ts),
    'x-entra-jml-signature': `v1=${createHmac('sha256', SECRET).update(`${ts}.`).update(body).digest('hex')}`,
  });
  const send = async (route: string, body: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(`${host.baseUrl}${route}`, { method: 'POST', headers, body });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: json };
  };
  const webhook = (payload: unknown) => {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    return send('/api/hr/events', body, signedHeaders(body));
  };
  const csvUpload = (payload: unknown) => {
    const body = JSON.stringify(payload);
    return send('/api/hr/csv', body, signedHeaders(body));
  };
  const queued = async () =>
    (
      (await (await fetch(`${host.baseUrl}/_local/servicebus/queues/hr-events`)).json()) as {
        counts: Record<string, number>;
      }
    ).counts;
  const auditOf = async (employeeId: string) =>
    (
      (await (await fetch(`${host.baseUrl}/api/ops/audit?employeeId=${employeeId}`)).json()) as {
        value: { action: string; correlation: { eventId?: string } }[];
      }
    ).value;
  const hire = (employeeId: string, eventId: string, worker: object = {}) => ({
    eventId,
    type: 'hire',
    occurredAt: new Date().toISOString(),
    worker: {
      employeeId,
      legalGivenName: 'Test',
      legalFamilyName: `Person${employeeId}`,
      hireDate: dayFromToday(0),
      country: 'FR',
      ...worker,
    },
  });
  const expectProblem = (answer: Answer, path: string | RegExp) => {
    expect(answer.status).toBe(400);
    const paths = (answer.body as Problems).problems.map((p) => p.path);
    expect(paths.some((p) => (typeof path === 'string' ? p === path : path.test(p)))).toBe(true);
  };

  beforeAll(async () => {
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: mkdtempSync(path.join(tmpdir(), 'jml-hostile-')),
      env: {
        HR_EVENTS_QUEUE: 'hr-events',
        HR_WEBHOOK_SECRETS: SECRET,
        ENTRA_JML_POLICY_FILE: path.join(repoRoot, 'policy/policy.yaml'),
      },
    });
  });
  afterAll(async () => host?.stop());

  it('item 1: the same event id for two people creates both; for the same person it is a replay', async () => {
    const jml = jmlClient(host.baseUrl, SECRET);
    expect((await webhook(hire('DUPA1', 'reused-1'))).status).toBe(202);
    expect((await webhook(hire('DUPA2', 'reused-1'))).status).toBe(202);
    expect((await webhook(hire('DUPA1', 'reused-1'))).status).toBe(202);
    await jml.processed('DUPA1', 'reused-1');
    await jml.processed('DUPA2', 'reused-1');
    const users = (await jml.directory()).users;
    expect(users.filter((u) => u.employeeId === 'DUPA1')).toHaveLength(1);
    expect(users.filter((u) => u.employeeId === 'DUPA2')).toHaveLength(1);
    for (const id of ['DUPA1', 'DUPA2'])
      expect((await auditOf(id)).filter((r) => r.action === 'hr-event.hire')).toEqual([
        expect.objectContaining({ correlation: expect.objectContaining({ eventId: 'reused-1' }) }),
      ]);
  });

  it('webhook: a batch with one hostile name is refused whole, naming the field; nothing is queued', async () => {
    const before = await queued();
    const answer = await webhook({
      events: [
        hire('OK1', 'ok-1'),
        hire('EVIL1', 'evil-1', { legalGivenName: 'A\u200bda', legalFamilyName: '\u202Eevil' }),
      ],
    });
    expectProblem(answer, 'events.1.worker.legalGivenName');
    expectProblem(answer, 'events.1.worker.legalFamilyName');
    expect(await queued()).toEqual(before);
    for (const id of ['.', '..']) expectProblem(await webhook(hire(id, `dot-${id.length}`)), 'worker.employeeId');
  });

  it('webhook: a past leave date is accepted with a notice saying it is applied at once', async () => {
    const answer = await webhook({
      ...hire('PAST1', 'past-1', { hireDate: dayFromToday(-400), leaveDate: dayFromToday(-3) }),
      type: 'terminate',
    });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({
      notices: [{ path: 'worker.leaveDate', reason: expect.stringMatching(/at once/) }],
    });
  });

  it('webhook: property-based hostile bodies get 202 or a 400 naming the field; nothing accepted is lost', async () => {
    const hostileString = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(
        '',
        ' ',
        '..',
        '\u0000',
        '\u001b[2J',
        'A\u200bda',
        '\u202Egnp.exe',
        '\uD800',
        '9999-12-31',
        'USA',
        'Atlantis',
      ),
    );
    const fields = [
      'employeeId',
      'legalGivenName',
      'legalFamilyName',
      'country',
      'hireDate',
      'leaveDate',
      'department',
      'timeZone',
    ];
    const accepted: [string, string][] = [];
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fields),
        fc.oneof(hostileString, fc.jsonValue({ maxDepth: 2 })),
        async (field, value) => {
          n++;
          const event = hire(`FC${n}`, `fc-${n}`);
          (event.worker as Record<string, unknown>)[field] = value;
          const answer = await webhook(event);
          expect([202, 400]).toContain(answer.status);
          if (answer.status === 400) {
            const problems = (answer.body as Problems).problems;
            expect(problems.length).toBeGreaterThan(0);
            for (const p of problems) expect(p.reason).toBeTruthy();
            expect(problems.map((p) => p.path).some((p) => p.startsWith('worker'))).toBe(true);
          } else accepted.push([event.worker.employeeId, event.eventId]);
        },
      ),
      { numRuns: 40, seed: 23 },
    );
    // Every accepted event reaches its person's audit trail (or would be in the dead letters with a reason).
    const jml = jmlClient(host.baseUrl, SECRET);
    for (const [employeeId, eventId] of accepted)
      await jml.until(`audit row of ${eventId}`, async () =>
        (await auditOf(encodeURIComponent(employeeId))).some((r) => r.correlation.eventId === eventId),
      );
  });

  it('webhook: unsigned, stale, malformed and oversized requests', async () => {
    const body = JSON.stringify(hire('U1', 'u-1'));
    expect((await send('/api/hr/events', body)).status).toBe(401);
    expect((await send('/api/hr/events', body, signedHeaders(body, Math.floor(Date.now() / 1000) - 3600))).status).toBe(
      401,
    );
    for (const raw of ['{', '', 'null', '[]', '"x"', '{"events":[]}', '{"events":"x"}'])
      expect((await webhook(raw)).status).toBe(400);
  });

  it('item 6: the CSV door refuses unsigned uploads; signed, it validates every row', async () => {
    const payload = {
      csv: 'Id,Given,Family,Country,Start\nCSV1,Ada,Lovelace,USA,2026-12-01\n',
      mapping: MAPPING.replace('type: { column: Action }', 'type: { constant: hire }'),
      dryRun: true,
    };
    expect((await send('/api/hr/csv', JSON.stringify(payload))).status).toBe(401);
    const ok = await csvUpload(payload);
    expect(ok.status).toBe(200);
    expect((ok.body as { events: { worker: { country: string } }[] }).events[0]!.worker.country).toBe('US');
    const latin1Rows = 'Id,Given,Family,Country,Start,Action\nCSV2,José,Núñez,FR,2026-12-01,hire\n';
    const latin1 = Buffer.from(latin1Rows, 'latin1');
    const refused = await csvUpload({ csvBase64: latin1.toString('base64'), mapping: MAPPING, dryRun: true });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ problems: [{ line: 2, path: '(file)' }] });
  });

  it('CSV door: property-based hostile files get 200 or 400 with line numbers, never a 5xx', async () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('"', '""', ',', '\n', '\r\n', '\u0000', '=cmd|x', 'USA'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { maxLength: 8 }), { maxLength: 5 }), async (rows) => {
        const csv = ['Id,Given,Family,Country,Start,Action', ...rows.map((r) => r.join(','))].join('\n');
        const answer = await csvUpload({ csv, mapping: MAPPING, dryRun: true });
        expect([200, 400]).toContain(answer.status);
        if (answer.status === 400)
          for (const p of (answer.body as { problems: { line: number; path: string }[] }).problems) {
            expect(typeof p.line).toBe('number');
            expect(p.path).toBeTruthy();
          }
      }),
      { numRuns: 30, seed: 23 },
    );
  });

  it('item 5: re-evaluate refuses empty and malformed bodies; "everyone" must be said', async () => {
    const before = await queued();
    for (const raw of ['{', '', '{}', '{"employeeIds":[]}', '{"all":false}', '{"all":true,"employeeIds":["A"]}', '[]'])
      expect((await send('/api/ops/reevaluate', raw, { 'content-type': 'application/json' })).status).toBe(400);
    expect(await queued()).toEqual(before);
    const count = await send('/api/ops/reevaluate', '{"all":true,"dryRun":true}');
    expect(count.status).toBe(200);
    expect((count.body as { persons: number }).persons).toBeGreaterThan(0);
  });

  it('item 11: the audit API pages with a continuation token and says when more exist', async () => {
    const first = (await (await fetch(`${host.baseUrl}/api/ops/audit?limit=2`)).json()) as {
      value: unknown[];
      continuationToken: string | null;
      nextLink: string | null;
    };
    expect(first.value).toHaveLength(2);
    expect(first.continuationToken).toBeTruthy();
    const second = (await (await fetch(first.nextLink!)).json()) as { value: unknown[] };
    expect(second.value).toHaveLength(2);
    expect(second.value).not.toEqual(first.value);
    const csv = await fetch(`${host.baseUrl}/api/ops/audit?limit=2&format=csv`);
    expect(csv.headers.get('link')).toMatch(/rel="next"/);
    const all = (await (await fetch(`${host.baseUrl}/api/ops/audit?limit=10000`)).json()) as {
      continuationToken: string | null;
    };
    expect(all.continuationToken).toBeNull();
  });

  it('ops API: hostile query strings answer 400 naming the parameter', async () => {
    const get = async (query: string) => {
      const res = await fetch(`${host.baseUrl}/api/ops/audit?${query}`);
      return { status: res.status, body: (await res.json()) as unknown };
    };
    expectProblem(await get('from=yesterday'), 'from');
    expectProblem(await get('limit=-1'), 'limit');
    expectProblem(await get('format=xml'), 'format');
    expectProblem(await get('continuationToken=bm9wZQ'), 'continuationToken');
    expect((await get('from=2026-01-01&to=2099-12-31')).status).toBe(200);
  });
});
