import { describe, expect, it } from 'vitest';
import { chooseLanguage } from '../../shared/activation/language';
import type { ActivationRecord } from '../../shared/activation/record';
import { attempt, close, issue, linkOpens, tapOptions, timeline } from '../../shared/activation/rules';
import {
  generateCode,
  generateLinkSecret,
  keyedHash,
  linkToken,
  parseLinkToken,
  sameHash,
} from '../../shared/activation/secrets';

const id = '0b7c4c52-6a0e-4a43-9d3e-2f1a6b1f7e10';
const t0 = new Date('2026-11-25T08:00:00Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

function fresh(overrides: Partial<ActivationRecord> = {}): ActivationRecord {
  const out = issue(null, {
    activationId: id,
    employeeId: 'E1',
    instanceId: 'activation-E1',
    userId: 'u1',
    language: 'en',
    codeHash: 'c'.repeat(43),
    linkHash: 'l'.repeat(43),
    now: t0,
    codeTtlMinutes: 15,
    maxAttempts: 3,
    expiresAt: new Date(t0.getTime() + 14 * 86_400_000),
  });
  if ('refused' in out) throw new Error('refused');
  return { ...out.record, ...overrides };
}

describe('activation secrets', () => {
  it('codes are digits of the asked length; link secrets are 256-bit and parse back with the id', () => {
    for (const length of [6, 8, 10]) expect(generateCode(length)).toMatch(new RegExp(`^\\d{${length}}$`));
    const secret = generateLinkSecret();
    expect(secret).toHaveLength(43);
    expect(parseLinkToken(linkToken(id, secret))).toEqual({ activationId: id, secret });
    expect(parseLinkToken(`${id}.short`)).toBeNull();
    expect(parseLinkToken(null)).toBeNull();
  });

  it('hashes are keyed, bound to purpose, activation and generation, and compared in constant time', () => {
    const scope = { activationId: id, generation: 1 };
    const h = keyedHash('k'.repeat(32), 'code', scope, '123456');
    expect(h).not.toContain('123456');
    expect(sameHash(h, keyedHash('k'.repeat(32), 'code', scope, '123456'))).toBe(true);
    expect(sameHash(h, keyedHash('j'.repeat(32), 'code', scope, '123456'))).toBe(false);
    expect(sameHash(h, keyedHash('k'.repeat(32), 'link', scope, '123456'))).toBe(false);
    expect(sameHash(h, keyedHash('k'.repeat(32), 'code', { ...scope, generation: 2 }, '123456'))).toBe(false);
    expect(sameHash(h, '')).toBe(false);
    expect(sameHash('', '')).toBe(false);
  });
});

describe('activation rules', () => {
  it('a wrong code counts, the last allowed one locks, and a lock holds even for the right code', () => {
    let record = fresh();
    const first = attempt(record, false, minutes(1));
    expect(first).toMatchObject({ outcome: 'wrong', attemptsLeft: 2 });
    record = first.record;
    record = attempt(record, false, minutes(2)).record;
    const third = attempt(record, false, minutes(3));
    expect(third).toMatchObject({ outcome: 'locked', justLocked: true, record: { status: 'locked', codeHash: '' } });
    expect(attempt(third.record, true, minutes(4))).toMatchObject({ outcome: 'locked', justLocked: false });
  });

  it('the right code verifies and consumes the link; an expired code is not counted', () => {
    const ok = attempt(fresh(), true, minutes(5));
    expect(ok).toMatchObject({ outcome: 'verified', record: { status: 'verified', codeHash: '', linkHash: '' } });
    expect(linkOpens(ok.record, true, minutes(6))).toBe(false);
    const late = attempt(fresh(), true, minutes(15));
    expect(late).toMatchObject({ outcome: 'code-expired', record: { attempts: 0, status: 'pending' } });
  });

  it('a resend is a new generation without attempts or lock, same end date; closed ones stay closed', () => {
    const locked = fresh({ status: 'locked', attempts: 3, version: 4 });
    const again = issue(locked, {
      activationId: id,
      employeeId: 'E1',
      instanceId: 'activation-E1',
      userId: 'u1',
      language: 'fr',
      codeHash: 'd'.repeat(43),
      linkHash: 'm'.repeat(43),
      now: minutes(60),
      codeTtlMinutes: 15,
      maxAttempts: 3,
      expiresAt: minutes(99_999),
    });
    expect(again).toMatchObject({
      record: {
        generation: 2,
        attempts: 0,
        status: 'pending',
        expiresAt: locked.expiresAt,
        version: 4,
        language: 'fr',
      },
    });
    for (const status of ['verified', 'expired', 'cancelled'] as const)
      expect(issue(fresh({ status }), { ...(again as { record: ActivationRecord }).record, now: t0 } as never)).toEqual(
        {
          refused: status,
        },
      );
  });

  it('unknown, wrong, closed and out-of-date links all give the same no', () => {
    const record = fresh();
    expect(linkOpens(null, true, minutes(1))).toBe(false);
    expect(linkOpens(record, false, minutes(1))).toBe(false);
    expect(linkOpens(close(record, 'cancelled', minutes(1)), true, minutes(2))).toBe(false);
    expect(linkOpens(record, true, new Date(Date.parse(record.expiresAt)))).toBe(false);
    expect(linkOpens(record, true, minutes(1))).toBe(true);
  });

  it('reminders fall before the end; the pass is clamped to the tenant policy', () => {
    expect(timeline(t0, { reminderHours: [72, 24, 24, 400], expiryDays: 14 })).toEqual({
      reminderAts: ['2026-11-26T08:00:00.000Z', '2026-11-28T08:00:00.000Z'],
      expiresAt: '2026-12-09T08:00:00.000Z',
    });
    const tenant = { minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, isUsableOnce: false };
    expect(tapOptions({ tapLifetimeMinutes: 10, tapUsableOnce: false }, tenant)).toEqual({
      lifetimeInMinutes: 60,
      isUsableOnce: false,
    });
    expect(tapOptions({ tapLifetimeMinutes: 43200, tapUsableOnce: false }, { ...tenant, isUsableOnce: true })).toEqual({
      lifetimeInMinutes: 480,
      isUsableOnce: true,
    });
  });

  it('language: preferredLanguage first, then a French-speaking country, else English', () => {
    expect(chooseLanguage({ preferredLanguage: 'fr-CA', country: 'US' })).toBe('fr');
    expect(chooseLanguage({ preferredLanguage: 'en-GB', country: 'FR' })).toBe('en');
    expect(chooseLanguage({ preferredLanguage: 'de', country: 'FR' })).toBe('fr');
    expect(chooseLanguage({ country: 'SN' })).toBe('fr');
    expect(chooseLanguage({ country: 'BE' })).toBe('en');
    expect(chooseLanguage({})).toBe('en');
  });
});
