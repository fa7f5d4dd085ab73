import { createScimConnections } from '../adapters/scim/create-scim-connections';
import type { Policy } from '../domain/policy';
import type { Directory } from '../ports/directory';
import type { ScimSync } from '../ports/scim-sync';
import { createScimSync } from './scim-sync';

/** The app's ScimSync: the policy's targets over HTTP, the account from the directory. */
export function createAppScimSync(directory: Directory, policy: () => Policy): ScimSync {
  return createScimSync({ policy, directory, connection: createScimConnections() });
}
