import type { ScimTarget } from '../../domain/policy';
import { scimCredentials } from './scim-auth';
import { ScimConnection } from './scim-client';
import { ScimTransport } from './scim-transport';

/**
 * The app setting that overrides a target's policy `baseUrl` in one environment: SCIM_BASE_URL_<ID> (id upper-cased,
 * hyphens as underscores). The policy file is the same everywhere; where a target lives can differ (the local host
 * sets it for its demo targets, whose port it knows only once it listens).
 */
export function scimBaseUrlSetting(targetId: string): string {
  return `SCIM_BASE_URL_${targetId.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * One connection per target for the process, so tokens and discovery are cached across syncs; a target whose
 * policy entry changed (a policy reload) gets a new one.
 */
export function createScimConnections(
  env: Readonly<Record<string, string | undefined>> = process.env,
): (target: ScimTarget) => ScimConnection {
  const connections = new Map<string, { key: string; connection: ScimConnection }>();
  return (target) => {
    const baseUrl = env[scimBaseUrlSetting(target.id)]?.trim() || target.baseUrl;
    const key = JSON.stringify({ ...target, baseUrl });
    const known = connections.get(target.id);
    if (known?.key === key) return known.connection;
    const timeout = target.timeoutSeconds * 1000;
    const credentials = scimCredentials(target, timeout, env);
    const transport = new ScimTransport(baseUrl, credentials, timeout, target.concurrency, target.ratePerSecond);
    const connection = new ScimConnection(target, transport);
    connections.set(target.id, { key, connection });
    return connection;
  };
}
