import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sign, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../shared/intake/webhook-signature';

/** The edges of the webhook signature scheme: what is signed, the timestamp's form and the replay window. */
describe('webhook signature edges', () => {
  const body = Buffer.from('{"a":1}');
  const now = 1_800_000_000;

  it('the header names senders set', () => {
    expect(SIGNATURE_HEADER).toBe('x-entra-jml-signature');
    expect(TIMESTAMP_HEADER).toBe('x-entra-jml-timestamp');
  });

  it('signs "<timestamp>.<raw body>" with HMAC-SHA256, hex, behind v1=', () => {
    const expected = createHmac('sha256', 'k').update(`${now}.{"a":1}`).digest('hex');
    expect(sign('k', now, body)).toBe(`v1=${expected}`);
    expect(sign('k', now, '{"a":1}')).toBe(`v1=${expected}`);
  });

  it('a timestamp that is not only digits is missing, even when the MAC covers it', () => {
    for (const timestamp of ['x1', `${now}x`, `${now}.5`, '1234567890123']) {
      const signature = sign('k', Number(timestamp), body);
      expect(verifySignature(['k'], { signature, timestamp }, body, now)).toEqual({ ok: false, reason: 'missing' });
    }
  });

  it('the replay window holds exactly five minutes, either way', () => {
    for (const timestamp of [now - 300, now + 300]) {
      const signature = sign('k', timestamp, body);
      expect(verifySignature(['k'], { signature, timestamp: String(timestamp) }, body, now)).toEqual({ ok: true });
    }
    const late = now - 301;
    expect(verifySignature(['k'], { signature: sign('k', late, body), timestamp: String(late) }, body, now)).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('a signature of another length is a mismatch, not a crash', () => {
    for (const signature of ['v1=abc', `${sign('k', now, body)}0`])
      expect(verifySignature(['k'], { signature, timestamp: String(now) }, body, now)).toEqual({
        ok: false,
        reason: 'mismatch',
      });
  });
});
