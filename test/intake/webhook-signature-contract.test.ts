import { describe, expect, it } from 'vitest';
import { sign, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../shared/intake/webhook-signature';

/**
 * The HR webhook signature as an HR integrator computes it (README.md: the two headers and the HMAC), and the edges
 * of its checks (mutation testing, issue 15). The expected value below was computed with
 * `printf '%s' '1700000000.{"events":[]}' | openssl dgst -sha256 -hmac 'hr-key-1'`.
 */
const body = '{"events":[]}';
const at = 1_700_000_000;

describe('webhook signature contract', () => {
  it('is v1= and the hex HMAC-SHA256 of "<timestamp>.<raw body>", in the two documented headers', () => {
    expect(sign('hr-key-1', at, body)).toBe('v1=3fcfa26d542b3e7df7f9c065b96e25aedc9605b83454314940ca4ed7afe9bba2');
    expect([SIGNATURE_HEADER, TIMESTAMP_HEADER]).toEqual(['x-entra-jml-signature', 'x-entra-jml-timestamp']);
  });
});

describe('verifySignature', () => {
  const check = (timestamp: string, now: number, signature = sign('hr-key-1', Number(timestamp), body)) =>
    verifySignature(['hr-key-1'], { signature, timestamp }, Buffer.from(body), now);

  it('a timestamp that is not only digits counts as missing', () => {
    expect(check('x1700000000', at, sign('hr-key-1', at, body))).toEqual({ ok: false, reason: 'missing' });
    expect(check('1700000000x', at, sign('hr-key-1', at, body))).toEqual({ ok: false, reason: 'missing' });
  });

  it('five minutes old (or ahead) is still fresh, one second more is stale', () => {
    expect(check(String(at), at + 300)).toEqual({ ok: true });
    expect(check(String(at), at - 300)).toEqual({ ok: true });
    expect(check(String(at), at + 301)).toEqual({ ok: false, reason: 'stale' });
  });

  it('a signature of another length is a mismatch, not an error', () => {
    expect(check(String(at), at, 'v1=abc')).toEqual({ ok: false, reason: 'mismatch' });
  });
});
