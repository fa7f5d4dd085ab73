/** Replaces values of secret-looking keys so no OTP, TAP, password or key ever reaches the audit trail. */
const SECRET_KEY = /pass(word)?|secret|token|otp|temporaryaccesspass|^code$|apikey|signature/i;

export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) && v !== null && v !== undefined ? '[redacted]' : redactSecrets(v),
      ]),
    );
  }
  return value;
}
