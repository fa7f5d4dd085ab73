import type { HostExtension } from '../../host/extension';
import { ScimDemoTargets } from './scim-demo-targets';

/** Host extension: the SCIM demo targets on the host's own listener (the embedded default, issue 19). */
export function createScimDemoTargetsExtension(): HostExtension {
  let targets: ScimDemoTargets | undefined;
  return {
    name: 'scim-demo-targets',
    triggerTypes: [],
    async start(services) {
      // Tokens: SCIM_DEMO_TOKEN_ACME_CRM / SCIM_DEMO_TOKEN_GLOBEX_WIKI (app settings), else the local defaults.
      targets = ScimDemoTargets.open({ dataDir: services.dataDir, origin: () => services.baseUrl() });
    },
    async handleHttp(req, res, url) {
      if (!targets) return false;
      return targets.handle(req, res, url.pathname);
    },
    async stop() {
      targets?.close();
      targets = undefined;
    },
  };
}
