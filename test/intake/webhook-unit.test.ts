import { describe, expect, it } from 'vitest';
import { validateEvents } from '../../shared/intake/accept-events';
import { mixedScriptWord } from '../../shared/intake/homoglyphs';
import { sign, verifySignature } from '../../shared/intake/webhook-signature';

const body = Buffer.from('{"a":1}');

describe('webhook signature', () => {
  const now = 1_800_000_000;
  it('accepts a fresh signature from any active key (rotation)', () => {
    expect(
      verifySignature(['old', 'new'], { signature: sign('new', now, body), timestamp: String(now) }, body, now),
    ).toEqual({ ok: true });
    expect(
      verifySignature(
        ['old', 'new'],
        { signature: sign('old', now - 100, body), timestamp: String(now - 100) },
        body,
        now,
      ),
    ).toEqual({ ok: true });
  });
  it('refuses a wrong key, a tampered body, a stale timestamp and missing headers', () => {
    expect(verifySignature(['k'], { signature: sign('other', now, body), timestamp: String(now) }, body, now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(
      verifySignature(['k'], { signature: sign('k', now, body), timestamp: String(now) }, Buffer.from('{"a":2}'), now),
    ).toEqual({ ok: false, reason: 'mismatch' });
    expect(
      verifySignature(['k'], { signature: sign('k', now - 301, body), timestamp: String(now - 301) }, body, now),
    ).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature(['k'], { signature: null, timestamp: String(now) }, body, now)).toEqual({
      ok: false,
      reason: 'missing',
    });
  });
});

describe('event validation', () => {
  const good = {
    eventId: 'e1',
    type: 'hire',
    occurredAt: '2026-11-25T08:00:00Z',
    worker: {
      employeeId: '1',
      legalGivenName: 'Дмитрий',
      legalFamilyName: 'Иванов',
      hireDate: '2026-12-01',
    },
  };
  it('accepts a valid event in any single script', () => {
    const result = validateEvents(good, 'webhook');
    expect(result.ok).toBe(true);
  });
  it('lists every problem with its path', () => {
    const result = validateEvents(
      { ...good, type: 'promote', worker: { ...good.worker, hireDate: '2026-13-45', extra: 1 } },
      'webhook',
    );
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['type', 'worker.hireDate', 'worker']));
  });
  it('refuses homoglyph names mixing Latin and Cyrillic in one word', () => {
    expect(mixedScriptWord('Аdmin')).toBe('Аdmin'); // Cyrillic А + Latin dmin
    expect(mixedScriptWord('Anne-Marie')).toBeNull();
    const result = validateEvents({ ...good, worker: { ...good.worker, legalGivenName: 'Аlice' } }, 'webhook');
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual(['worker.legalGivenName']);
  });
  it('refuses a terminate without a leave date unless immediate', () => {
    const result = validateEvents({ ...good, type: 'terminate' }, 'webhook');
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual(['worker.leaveDate']);
    expect(validateEvents({ ...good, type: 'terminate', immediate: true }, 'webhook').ok).toBe(true);
  });
  it('refuses duplicate event ids in one batch', () => {
    const result = validateEvents({ events: [good, good] }, 'webhook');
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual(['events.1.eventId']);
  });
});
