import { isLoopbackAddress } from '../config/sections/app';
import { LOCAL_WEBHOOK_SECRET } from '../config/sections/intake';
import { UNRESOLVED_KEY_VAULT_REFERENCE, type Config } from '../config/config';

export type WebhookKeys = { ok: true; keys: string[] } | { ok: false; reason: string };

/** Shorter keys are refused outside a developer machine: an HMAC key must not be guessable. */
const MIN_KEY_LENGTH = 32;

/**
 * The HMAC keys the webhook accepts, failing closed. The public development key is used only on the local host
 * bound to loopback; in Azure (or on a host reachable from the network) a missing, empty, short, default or
 * unresolved Key Vault key means "accept nothing" — a forged HR event must never get in because a secret did not
 * resolve. Flex Consumption may not set WEBSITE_INSTANCE_ID, so Azure is recognised by the local host's absence.
 */
export function resolveWebhookKeys(config: Config): WebhookKeys {
  // The config is read once and never changes: the keys are worked out once per config, not on every webhook.
  let keys = resolved.get(config);
  if (!keys) resolved.set(config, (keys = resolveKeys(config)));
  return keys;
}

const resolved = new WeakMap<Config, WebhookKeys>();

function resolveKeys(config: Config): WebhookKeys {
  const developerMachine =
    config.ENTRA_JML_LOCAL_HOST_BIND !== undefined && isLoopbackAddress(config.ENTRA_JML_LOCAL_HOST_BIND);
  const keys = (config.HR_WEBHOOK_SECRETS ?? (developerMachine ? LOCAL_WEBHOOK_SECRET : ''))
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  if (keys.length === 0) return { ok: false, reason: 'HR_WEBHOOK_SECRETS is not set' };
  if (keys.some((key) => UNRESOLVED_KEY_VAULT_REFERENCE.test(key)))
    return { ok: false, reason: 'HR_WEBHOOK_SECRETS is an unresolved Key Vault reference' };
  if (!developerMachine) {
    if (keys.includes(LOCAL_WEBHOOK_SECRET))
      return { ok: false, reason: 'HR_WEBHOOK_SECRETS holds the public development key outside a developer machine' };
    if (keys.some((key) => key.length < MIN_KEY_LENGTH))
      return { ok: false, reason: `HR_WEBHOOK_SECRETS: every key needs at least ${MIN_KEY_LENGTH} characters` };
  }
  return { ok: true, keys };
}
