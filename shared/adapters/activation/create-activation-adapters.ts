import path from 'node:path';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { TableClient } from '@azure/data-tables';
import type { Config } from '../../config/config';
import type { ActivationRateLimits, ActivationStore } from '../../ports/activation-store';
import { isTenantMode, localOrigin } from '../graph/auth';
import { SqliteActivationStore } from './sqlite-activation-store';
import { TableActivationStore } from './table-activation-store';
import { memoryRateLimits, sqliteRateLimits, type RateBudgets } from './rate-limits';

/** Same storage choice as the audit trail and the person inbox: Table Storage when AUDIT_TABLE_ENDPOINT is set. */
export function createActivationStore(config: Config): ActivationStore {
  if (config.AUDIT_TABLE_ENDPOINT) {
    const credential = config.AZURE_CLIENT_ID
      ? new ManagedIdentityCredential({ clientId: config.AZURE_CLIENT_ID })
      : new DefaultAzureCredential();
    return new TableActivationStore(new TableClient(config.AUDIT_TABLE_ENDPOINT, 'jmlactivation', credential));
  }
  return new SqliteActivationStore(path.resolve(config.ENTRA_JML_DATA_DIR, 'activation.sqlite'));
}

function rateBudgets(config: Config): RateBudgets {
  return {
    perIp: { points: config.ACTIVATION_IP_LIMIT, durationSeconds: 15 * 60 },
    perPerson: { points: config.ACTIVATION_PERSON_LIMIT, durationSeconds: 60 * 60 },
    resend: { points: config.ACTIVATION_RESEND_LIMIT, durationSeconds: 24 * 60 * 60 },
  };
}

export function createActivationRateLimits(config: Config): ActivationRateLimits {
  if (config.AUDIT_TABLE_ENDPOINT) return memoryRateLimits(rateBudgets(config));
  return sqliteRateLimits(
    path.resolve(config.ENTRA_JML_DATA_DIR, 'activation-rate-limits.sqlite'),
    rateBudgets(config),
  );
}

/** Only the local host (no tenant, loopback host name) may run on this fixed development key. */
const LOCAL_DEVELOPMENT_KEY = 'local-development-activation-hmac-key-not-for-any-tenant';

function onLocalHost(config: Config): boolean {
  return (
    !isTenantMode(config) && /^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(:\d+)?$/.test(config.WEBSITE_HOSTNAME ?? '')
  );
}

/** The HMAC key of the stored code and link hashes; refuses to run without one outside the local host. */
export function activationHmacKey(config: Config): string {
  if (config.ACTIVATION_HMAC_KEY) return config.ACTIVATION_HMAC_KEY;
  if (onLocalHost(config)) return LOCAL_DEVELOPMENT_KEY;
  throw new Error(
    'ACTIVATION_HMAC_KEY: required outside the local host (at least 32 random characters, from Key Vault: ' +
      '@Microsoft.KeyVault(SecretUri=...)); activation refuses to run without it',
  );
}

/** Origin of the links the activation mails carry. */
export function publicOrigin(config: Config): string {
  return (config.ENTRA_JML_PUBLIC_URL ?? localOrigin(config)).replace(/\/$/, '');
}
