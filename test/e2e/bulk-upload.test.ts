import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { LOCAL_WEBHOOK_SECRET as LOCAL_KEY } from '../../shared/config/sections/intake';
import { sign } from '../../shared/intake/webhook-signature';

const repoRoot = path.resolve(__dirname, '../..');

// Microsoft's sample (synchronization-synchronizationjob-post-bulkupload, Example 1, one operation).
const sample = (externalId: string, extra: Record<string, unknown> = {}) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
  Operations: [
    {
      method: 'POST',
      bulkId: externalId,
      path: '/Users',
      data: {
        schemas: [
          'urn:ietf:params:scim:schemas:core:2.0:User',
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
          'urn:contoso:employee',
        ],
        externalId,
        userName: 'Kjensen@example.com',
        name: { formatted: 'Ms. Kathy J Jensen, III', familyName: 'Jensen', givenName: 'Kathy', middleName: 'Jane' },
        displayName: 'Kathy Jensen',
        emails: [{ value: 'kjensen@example.com', type: 'work', primary: true }],
        addresses: [
          {
            type: 'work',
            streetAddress: '100 Oracle City Plaza',
            locality: 'Hollywood',
            region: 'CA',
            postalCode: '91618',
            country: 'US',
            primary: true,
          },
        ],
        title: 'Tour Lead',
        active: true,
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
          employeeNumber: externalId,
          costCenter: '4130',
          organization: 'Universal Studios',
          division: 'Theme Park',
          department: 'Sales',
        },
        'urn:contoso:employee': { HireDate: '2022-07-15T00:00:00-05:00', JobCode: 'AB-1003' },
        ...extra,
      },
    },
  ],
  failOnErrors: null,
});

describe('POST /api/hr/bulkUpload (Entra API-driven inbound format)', () => {
  let host: HostProcess;
  const token = async (claims: Record<string, unknown>) =>
    (
      (await (
        await fetch(`${host.baseUrl}/_local/entra/_admin/token`, { method: 'POST', body: JSON.stringify(claims) })
      ).json()) as { access_token: string }
    ).access_token;
  const upload = (body: unknown, bearer: string, contentType = 'application/scim+json') =>
    fetch(`${host.baseUrl}/api/hr/bulkUpload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': contentType },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: mkdtempSync(path.join(tmpdir(), 'jml-bulk-')),
      env: { HR_EVENTS_QUEUE: 'hr-events' },
    });
  });
  afterAll(async () => host?.stop());

  it('accepts Microsoft sample payloads and provisions the user', async () => {
    const bearer = await token({
      aud: 'api://entra-jml',
      roles: ['SynchronizationData-User.Upload'],
      appid: 'hr-connector',
    });
    const res = await upload(sample('701985'), bearer);
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toContain('/api/persons/701985');
    for (let i = 0; i < 100; i++) {
      const status = await fetch(`${host.baseUrl}/api/persons/701985`);
      if (status.ok && ((await status.json()) as { phase: string }).phase === 'active') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const state = (await (await fetch(`${host.baseUrl}/_local/graph/_admin/state`)).json()) as {
      users: { employeeId: string; userPrincipalName: string; department: string; accountEnabled: boolean }[];
    };
    expect(state.users.find((u) => u.employeeId === '701985')).toMatchObject({
      userPrincipalName: 'kathy.jensen@contoso.com',
      department: 'Sales',
      accountEnabled: true,
    });
  });

  it("applies Microsoft's Example 3 (active false + department only) to the matched user", async () => {
    const bearer = await token({ aud: 'api://entra-jml', roles: ['SynchronizationData-User.Upload'] });
    const example3 = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [
        {
          method: 'POST',
          bulkId: '701985',
          path: '/Users',
          data: {
            schemas: [
              'urn:ietf:params:scim:schemas:core:2.0:User',
              'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
            ],
            externalId: '701985',
            active: false,
            'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Tour Ops' },
          },
        },
      ],
      failOnErrors: null,
    };
    const res = await upload(example3, bearer);
    expect(res.status).toBe(202);
    for (let i = 0; i < 100; i++) {
      const status = await fetch(`${host.baseUrl}/api/persons/701985`);
      if (status.ok && ((await status.json()) as { phase: string }).phase === 'left') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const state = (await (await fetch(`${host.baseUrl}/_local/graph/_admin/state`)).json()) as {
      users: { employeeId: string; accountEnabled: boolean; displayName: string }[];
    };
    expect(state.users.find((u) => u.employeeId === '701985')).toMatchObject({ accountEnabled: false });
  });

  it('refuses a partial operation for a user nobody knows', async () => {
    const bearer = await token({ aud: 'api://entra-jml', roles: ['SynchronizationData-User.Upload'] });
    const res = await upload(
      {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [
          {
            method: 'POST',
            bulkId: 'x',
            path: '/Users',
            data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], externalId: 'UNKNOWN9', active: false },
          },
        ],
      },
      bearer,
    );
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('Operations.0.worker.legalGivenName');
  });

  it('refuses tokens with the wrong audience, without the role, or expired', async () => {
    expect(
      (await upload(sample('1'), await token({ aud: 'api://other', roles: ['SynchronizationData-User.Upload'] })))
        .status,
    ).toBe(401);
    expect((await upload(sample('1'), await token({ aud: 'api://entra-jml', roles: [] }))).status).toBe(401);
    expect(
      (
        await upload(
          sample('1'),
          await token({ aud: 'api://entra-jml', roles: ['SynchronizationData-User.Upload'], lifetimeSeconds: -120 }),
        )
      ).status,
    ).toBe(401);
    expect((await upload(sample('1'), 'not-a-jwt')).status).toBe(401);
  });

  it('answers 400 without application/scim+json, over 50 operations, or with schema errors', async () => {
    const bearer = await token({ aud: 'api://entra-jml', roles: ['SynchronizationData-User.Upload'] });
    expect((await upload(sample('2'), bearer, 'application/json')).status).toBe(400);
    const many = sample('3');
    many.Operations = Array.from({ length: 51 }, (_, i) => ({ ...many.Operations[0]!, bulkId: `b${i}` }));
    const tooMany = await upload(many, bearer);
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(await tooMany.json())).toContain('at most 50 operations');
    const noExternalId = sample('4');
    delete (noExternalId.Operations[0]!.data as Record<string, unknown>).externalId;
    const bad = await upload(noExternalId, bearer);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('Operations.0.data.externalId');
  });
});

describe('POST /api/hr/csv', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: mkdtempSync(path.join(tmpdir(), 'jml-csv-')),
      env: { HR_EVENTS_QUEUE: 'hr-events' },
    });
  });
  afterAll(async () => host?.stop());
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  const csv = readFileSync(path.join(repoRoot, 'examples/hr-extract.csv'), 'utf8');
  const mapping = readFileSync(path.join(repoRoot, 'examples/hr-extract.mapping.yaml'), 'utf8');

  // Signed like the webhook (issue 23 item 6), with the local development key.
  const postCsv = (payload: unknown) => {
    const body = JSON.stringify(payload);
    const ts = Math.floor(Date.now() / 1000);
    const headers = { 'x-entra-jml-timestamp': String(ts), 'x-entra-jml-signature': sign(LOCAL_KEY, ts, body) };
    return fetch(`${host.baseUrl}/api/hr/csv`, { method: 'POST', headers, body });
  };

  it('queues every row of a valid extract', async () => {
    const res = await postCsv({ csv, mapping });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { accepted: string[] }).accepted).toHaveLength(2);
  });

  it('refuses the whole file when one row is bad, naming the line', async () => {
    const bad = `${csv.trimEnd()}\nC202,,Nobody,Sales,Rep,FR,,2026-12-01,hire\n`;
    const res = await postCsv({ csv: bad, mapping });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { problems: { line: number; path: string }[] };
    expect(body.problems).toEqual([expect.objectContaining({ line: 4, path: 'worker.legalGivenName' })]);
  });
});
