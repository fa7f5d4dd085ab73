import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * The activation secrets. The one-time code and the link secret are crypto-random; only keyed hashes of them are
 * stored (HMAC-SHA256 with a server key from settings / Key Vault). A slow hash cannot protect a 6-digit code:
 * 10^6 guesses are cheap offline, whatever the hash. The key can: without it a stolen store row is useless.
 */

/** What a hash protects; part of the MAC input, so a code hash can never match as a link hash. */
export type HashPurpose = 'code' | 'link' | 'form';

/** Decimal one-time code of `length` digits, each drawn uniformly (crypto.randomInt, no modulo bias). */
export function generateCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += String(randomInt(0, 10));
  return code;
}

/** 256-bit link secret, URL-safe. */
export function generateLinkSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** HMAC-SHA256(key, purpose ‖ activation id ‖ generation ‖ value): bound to one activation and one issue. */
export function keyedHash(
  key: string,
  purpose: HashPurpose,
  scope: { activationId: string; generation: number },
  value: string,
): string {
  return createHmac('sha256', key)
    .update(`${purpose}\0${scope.activationId}\0${scope.generation}\0${value}`)
    .digest('base64url');
}

/** Constant-time equality of two hashes (timingSafeEqual; unequal lengths still cost one comparison). */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length || left.length === 0) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

const LINK_TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

/** The `t` parameter of the mailed link: an opaque activation id (no employee data) and the link secret. */
export function linkToken(activationId: string, secret: string): string {
  return `${activationId}.${secret}`;
}

export function parseLinkToken(token: string | null | undefined): { activationId: string; secret: string } | null {
  const match = LINK_TOKEN.exec(token ?? '');
  return match ? { activationId: match[1]!, secret: match[2]! } : null;
}
