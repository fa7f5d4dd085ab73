import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HR webhook signatures: `x-entra-jml-signature: v1=<hex HMAC-SHA256(key, "<timestamp>.<raw body>")>` and
 * `x-entra-jml-timestamp: <unix seconds>`. The timestamp is inside the MAC and must be within five
 * minutes of now, so a captured request cannot be replayed later; several keys may be active at once
 * for rotation. Same scheme as Stripe/Slack webhooks.
 */
export const SIGNATURE_HEADER = 'x-entra-jml-signature';
export const TIMESTAMP_HEADER = 'x-entra-jml-timestamp';
const REPLAY_WINDOW_SECONDS = 300;

export function sign(key: string, timestamp: number, rawBody: Buffer | string): string {
  return `v1=${createHmac('sha256', key).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

export function verifySignature(
  keys: string[],
  headers: { signature: string | null; timestamp: string | null },
  rawBody: Buffer,
  nowSeconds: number,
): SignatureCheck {
  if (!headers.signature || !headers.timestamp || !/^\d{1,12}$/.test(headers.timestamp))
    return { ok: false, reason: 'missing' };
  const timestamp = Number(headers.timestamp);
  if (Math.abs(nowSeconds - timestamp) > REPLAY_WINDOW_SECONDS) return { ok: false, reason: 'stale' };
  const presented = Buffer.from(headers.signature);
  // Every key is tried (no early exit on the first), so timing does not tell which key matched.
  let matched = false;
  for (const key of keys) {
    const expected = Buffer.from(sign(key, timestamp, rawBody));
    if (expected.length === presented.length && timingSafeEqual(expected, presented)) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: 'mismatch' };
}
