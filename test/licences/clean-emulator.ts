import type { GraphApi } from '../../local/emulators/graph/graph-api';

/**
 * Reseeds the emulator and takes out the demo tenant's licence problems (its users, seat groups' members and PIM
 * end dates: demo-tenant.test.ts covers them), so a test starts from licences it sets up itself.
 */
export function seedWithoutLicenceDemo(api: GraphApi): void {
  api.seed();
  api.pimGroups.clear();
  for (const user of api.store.listUsers(false))
    if (user.id.startsWith('c0000000-')) {
      api.store.removeFromAllContainers(user.id);
      api.store.hardDeleteUser(user.id);
    }
  for (const group of api.store.listGroups())
    for (const id of api.store.memberIdsOf(group.id)) if (api.store.getGroup(id)) api.store.removeMember(group.id, id);
}
