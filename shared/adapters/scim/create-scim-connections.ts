import type { ScimTarget } from '../../domain/policy';
import { scimCredentials } from './scim-auth';
import { ScimConnection } from './scim-client';
import { ScimTransport } from './scim-transport';

/**
 * One connection per target for the process, so tokens and discovery are cached across syncs; a target whose
 * policy entry changed (a policy reload) gets a new one.
 */
export function createScimConnections(
  env: Readonly<Record<string, string | undefined>> = process.env,
): (target: ScimTarget) => ScimConnection {
  const connections = new Map<string, { key: string; connection: ScimConnection }>();
  return (target) => {
    const key = JSON.stringify(target);
    const known = connections.get(target.id);
    if (known?.key === key) return known.connection;
    const timeout = target.timeoutSeconds * 1000;
    const transport = new ScimTransport(
      target.baseUrl,
      scimCredentials(target, timeout, env),
      timeout,
      target.concurrency,
    );
    const connection = new ScimConnection(target, transport);
    connections.set(target.id, { key, connection });
    return connection;
  };
}
