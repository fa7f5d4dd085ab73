import type { HostExtension } from '../../host/extension';
import { ScimDemoTargets } from './scim-demo-targets';
import { SCIM_TARGETS, scimTargetBasePath } from './targets';

/** Host extension: the SCIM demo targets on the host's own listener (the embedded default, issue 19). */
export function createScimDemoTargetsExtension(): HostExtension & { targetUrls(): Record<string, string> } {
  let targets: ScimDemoTargets | undefined;
  let origin = () => '';
  return {
    name: 'scim-demo-targets',
    triggerTypes: [],
    targetUrls: () => Object.fromEntries(SCIM_TARGETS.map((t) => [t.id, `${origin()}${scimTargetBasePath(t.id)}`])),
    async start(services) {
      origin = () => services.baseUrl();
      targets = ScimDemoTargets.open({ dataDir: services.dataDir, origin });
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
