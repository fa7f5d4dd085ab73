import { createScimConnections } from '../../shared/adapters/scim/create-scim-connections';
import { parsePolicy, type Policy } from '../../shared/domain/policy';
import type { DirectoryMembership, DirectoryUser } from '../../shared/ports/directory';
import type { ScimSync, ScimSyncRequest } from '../../shared/ports/scim-sync';
import { createScimSync } from '../../shared/scim/scim-sync';
import { directoryUser, worker } from '../unit/domain/fixtures';

export const TOKEN_SETTING = 'SCIM_TEST_TOKEN';

/** A policy with one target `app` at `baseUrl`; `target` is YAML flow-mapping text added to the target. */
export function policyWithTarget(baseUrl: string, target = ''): Policy {
  return parsePolicy(
    `version: scim-test\ntenant: {upnDomain: contoso.com}\nupn: {pattern: '{given}.{family}'}\nscimTargets:\n` +
      `  - {id: app, name: App, baseUrl: "${baseUrl}", auth: {type: bearer, tokenSetting: ${TOKEN_SETTING}}` +
      `${target ? `, ${target}` : ''}}\n`,
  );
}

/** A ScimSync over an in-memory directory (accounts by id, each with its memberships). */
export function syncWith(
  policy: Policy,
  accounts: DirectoryUser[] = [directoryUser()],
  memberships: Record<string, DirectoryMembership[]> = {},
  env: Record<string, string> = { [TOKEN_SETTING]: 'test-token' },
): ScimSync {
  return createScimSync({
    policy: () => policy,
    directory: {
      getUser: (id) => Promise.resolve(accounts.find((a) => a.id === id) ?? null),
      getUsers: (ids) => Promise.resolve(new Map(accounts.filter((a) => ids.includes(a.id)).map((a) => [a.id, a]))),
      listMemberships: (id) => Promise.resolve(memberships[id] ?? []),
    },
    connection: createScimConnections(env),
  });
}

export function upsert(overrides: Partial<ScimSyncRequest> = {}): ScimSyncRequest {
  return {
    targetId: 'app',
    employeeId: 'E1001',
    userId: 'u-1001',
    action: 'upsert',
    record: worker(),
    correlation: {},
    ...overrides,
  };
}

export function membership(id: string, displayName: string): DirectoryMembership {
  return { id, displayName, kind: 'group', keptBecause: null };
}
