import { describe, expect, it } from 'vitest';
import { userAttributesFor } from '../../shared/domain/attributes';
import { toCountryCode } from '../../shared/domain/country';
import { BulkRequest, ScimUser, toHrEvent } from '../../shared/intake/bulk-upload';
import { demoPolicy } from '../unit/domain/fixtures';
import { queueMessageId, validateEvents } from '../../shared/intake/accept-events';

/** Issue 23 items 1, 2, 7 and 8: what the intake refuses, converts or flags, and why. */
const NOW = new Date('2026-11-25T08:00:00Z');
const event = (worker: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  eventId: 'e1',
  type: 'hire',
  occurredAt: '2026-11-25T08:00:00Z',
  ...extra,
  worker: { employeeId: 'E1', legalGivenName: 'Ada', legalFamilyName: 'Lovelace', hireDate: '2026-12-01', ...worker },
});
const problemsOf = (body: unknown) => {
  const result = validateEvents(body, 'webhook', NOW);
  return result.ok ? [] : result.problems;
};
const accepted = (body: unknown) => {
  const result = validateEvents(body, 'webhook', NOW);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result;
};

describe('names and texts (item 7)', () => {
  it.each([
    ['NUL', 'Ada\u0000'],
    ['BEL', 'A\u0007da'],
    ['an ANSI escape', '\u001b[31mAda'],
    ['a newline', 'Ada\nLovelace'],
    ['a bidi override', 'Ada\u202Eecalevol'],
    ['a bidi isolate', '\u2067Ada'],
    ['a lone surrogate', 'Ada\uD800'],
    ['U+FFFD from invalid UTF-8', 'Jos\uFFFD'],
  ])('refuses %s in a name with the field and the reason', (_, name) => {
    const problems = problemsOf(event({ legalGivenName: name }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('worker.legalGivenName');
    expect(problems[0]!.reason).toMatch(/contains/);
  });

  it('refuses invisible characters inside names (A\\u200bda Love\\u200dlace is not Ada Lovelace)', () => {
    const problems = problemsOf(event({ legalGivenName: 'A\u200bda', legalFamilyName: 'Love\u200dlace' }));
    expect(problems.map((p) => p.path)).toEqual(['worker.legalGivenName', 'worker.legalFamilyName']);
    expect(problems[0]!.reason).toContain('invisible character U+200B');
    expect(problemsOf(event({ preferredGivenName: 'Ada\u2060' }))[0]?.path).toBe('worker.preferredGivenName');
    expect(problemsOf(event({ legalGivenName: '\u3164' }))[0]?.path).toBe('worker.legalGivenName');
  });

  it('keeps ZWNJ where a script needs it (Persian), refuses control characters in other texts', () => {
    const persian = 'علی\u200Cرضا';
    expect(accepted(event({ legalGivenName: persian })).events[0]!.worker.legalGivenName).toBe(persian);
    expect(problemsOf(event({ department: 'Sales\u001b[2J' }))[0]?.path).toBe('worker.department');
    expect(problemsOf(event({ extensions: { badge: 'x\u202Ey' } }))[0]?.path).toBe('worker.extensions.badge');
  });

  it('stores names in NFC, with unusual spaces made plain', () => {
    const worker = accepted(event({ legalGivenName: 'Jose\u0301', legalFamilyName: 'Núñez\u00A0García' })).events[0]!
      .worker;
    expect(worker.legalGivenName).toBe('José');
    expect(worker.legalGivenName).toHaveLength(4);
    expect(worker.legalFamilyName).toBe('Núñez García');
  });

  it('keeps the homoglyph check', () => {
    expect(problemsOf(event({ legalGivenName: 'Аda' }))[0]?.reason).toMatch(/look-alike/);
  });
});

describe('ids, dates and limits (item 8)', () => {
  it.each(['.', '..', '...'])('refuses employee id %j: it cannot be a URL path segment', (employeeId) => {
    const problems = problemsOf(event({ employeeId }));
    expect(problems.map((p) => p.path)).toEqual(['worker.employeeId']);
    expect(problems[0]!.reason).toMatch(/URL path segment/);
  });

  it('accepts ids with dots among other characters', () => {
    expect(accepted(event({ employeeId: 'a.b' })).events).toHaveLength(1);
  });

  it('refuses a leave date before the hire date', () => {
    const problems = problemsOf(event({ leaveDate: '2026-11-30' }));
    expect(problems).toEqual([{ path: 'worker.leaveDate', reason: '2026-11-30 is before the hire date 2026-12-01' }]);
  });

  it('refuses a 9999-12-31 hire date and a placeholder leave date', () => {
    expect(problemsOf(event({ hireDate: '9999-12-31' }))[0]).toMatchObject({
      path: 'worker.hireDate',
      reason: expect.stringMatching(/placeholder/),
    });
    expect(problemsOf(event({ leaveDate: '9999-12-31' }))[0]?.path).toBe('worker.leaveDate');
  });

  it('refuses a scheduled terminate years in the past; a recent past one is accepted with a notice', () => {
    const old = event({ hireDate: '2019-01-01', leaveDate: '2022-03-31' }, { type: 'terminate' });
    expect(problemsOf(old)[0]).toMatchObject({ path: 'worker.leaveDate', reason: expect.stringMatching(/immediate/) });
    const recent = accepted(event({ hireDate: '2019-01-01', leaveDate: '2026-11-01' }, { type: 'terminate' }));
    expect(recent.notices).toEqual([
      { path: 'worker.leaveDate', reason: '2026-11-01 is in the past: the leave is applied at once' },
    ]);
    const immediate = event(
      { hireDate: '2019-01-01', leaveDate: '2022-03-31' },
      { type: 'terminate', immediate: true },
    );
    expect(accepted(immediate).notices).toEqual([]);
    expect(accepted(event({ leaveDate: '2027-06-30' })).notices).toEqual([]);
  });

  it('enforces the documented limit of 50 extensions', () => {
    const extensions = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    expect(accepted(event({ extensions: extensions(50) })).events).toHaveLength(1);
    expect(problemsOf(event({ extensions: extensions(51) }))).toEqual([
      { path: 'worker.extensions', reason: '50 at most' },
    ]);
  });
});

describe('countries (item 2)', () => {
  it.each([
    ['USA', 'US'],
    ['usa', 'US'],
    ['us', 'US'],
    ['FRA', 'FR'],
    ['France', 'FR'],
    ['United States of America', 'US'],
    ['Côte d’Ivoire', 'CI'],
    ['Deutschland', 'DE'],
    ['the Netherlands', 'NL'],
    ['UK', 'GB'],
  ])('converts %j to %s', (value, code) => {
    expect(toCountryCode(value)).toBe(code);
    expect(accepted(event({ country: value })).events[0]!.worker.country).toBe(code);
  });

  it('reports a value that is no country instead of dropping it', () => {
    expect(problemsOf(event({ country: 'Atlantis' }))).toEqual([
      { path: 'worker.country', reason: '"Atlantis" is not an ISO 3166 country code or name' },
    ]);
    expect(problemsOf(event({ country: 'XX' }))[0]?.path).toBe('worker.country');
  });
});

describe('event ids are unique per person (item 1)', () => {
  it('gives the same event id of two people two queue message ids; a replay keeps its id', () => {
    const [a, b] = accepted({
      events: [event({ employeeId: 'DUPA1' }), event({ employeeId: 'DUPA2', legalGivenName: 'Bob' })],
    }).events;
    expect(queueMessageId(a!)).toBe('DUPA1:e1');
    expect(queueMessageId(b!)).toBe('DUPA2:e1');
    const long = accepted(event({}, { eventId: 'x'.repeat(128) })).events[0]!;
    expect(queueMessageId(long)).toMatch(/^E1:sha256:[0-9a-f]{64}$/);
    expect(queueMessageId(long).length).toBeLessThanOrEqual(128);
  });

  it('refuses the same event id twice for one person in one request', () => {
    const problems = problemsOf({ events: [event(), event({ department: 'Sales' })] });
    expect(problems).toEqual([
      { path: 'events.1.eventId', reason: 'duplicate eventId e1 for employee E1 in one request' },
    ]);
  });
});

describe('bodies that are not an event', () => {
  it.each([null, [], 'x', 1, true])('answers %j with a problem, never a crash', (body) => {
    expect(problemsOf(body)).not.toEqual([]);
  });
});

describe("Microsoft's bulkUpload sample keeps its country, display name and language (item 2)", () => {
  it('maps "USA" to usage location US, and displayName and preferredLanguage to the Entra user', () => {
    const operation = BulkRequest.parse({
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
            name: { familyName: 'Jensen', givenName: 'Kathy' },
            displayName: 'Kathy Jensen',
            addresses: [{ type: 'work', locality: 'Hollywood', country: 'USA', primary: true }],
            preferredLanguage: 'en-US',
          },
        },
      ],
    }).Operations[0]!;
    const { event: mapped, warnings } = toHrEvent(ScimUser.parse(operation.data), 'e-701985', new Date(NOW));
    expect(warnings).toEqual([]);
    const event = accepted({ ...mapped, worker: { ...mapped.worker, hireDate: '2026-12-01' } }).events[0]!;
    const attributes = userAttributesFor(event.worker, demoPolicy);
    expect(attributes).toMatchObject({
      country: 'US',
      usageLocation: 'US',
      displayName: 'Kathy Jensen',
      preferredLanguage: 'en-US',
    });
  });
});
