import { scimBaseUrlSetting } from '../../../shared/adapters/scim/create-scim-connections';
import type { HostExtension } from '../../host/extension';
import { SCIM_DEMO_PREFIX, ScimDemoTargets } from './scim-demo-targets';
import { SCIM_TARGETS, scimTargetBasePath } from './targets';

/**
 * Tells the app where the demo targets are and how to sign in to them, before it loads (the start-up check wants
 * an enabled target's token setting): SCIM_DEMO_TOKEN_* default to the documented local tokens. Settings already
 * set (local.settings.json, the environment) win.
 */
export function applyScimDemoTargetSettings(env: NodeJS.ProcessEnv = process.env): void {
  for (const target of SCIM_TARGETS) env[target.tokenSetting] ||= target.defaultToken;
}

/** Points each demo target's SCIM_BASE_URL_<ID> at the host's listener, unless a setting already names one. */
export function applyScimDemoTargetUrls(baseUrl: string, env: NodeJS.ProcessEnv = process.env): void {
  for (const target of SCIM_TARGETS)
    env[scimBaseUrlSetting(target.id)] ||= `${baseUrl}${scimTargetBasePath(target.id)}`;
}

/** Host extension: the SCIM demo targets on the host's own listener (the embedded default, issue 19). */
export function createScimDemoTargetsExtension(): HostExtension {
  let targets: ScimDemoTargets | undefined;
  return {
    name: 'scim-demo-targets',
    triggerTypes: [],
    async start(services) {
      // Tokens: SCIM_DEMO_TOKEN_ACME_CRM / SCIM_DEMO_TOKEN_GLOBEX_WIKI (app settings), else the local defaults.
      targets = ScimDemoTargets.open({ dataDir: services.dataDir, origin: () => services.baseUrl() });
      // A policy's demo targets reach this listener whatever port it got (SCIM_BASE_URL_<ID> overrides baseUrl).
      applyScimDemoTargetUrls(services.baseUrl());
    },
    handleHttp(req, res, url) {
      if (!targets || !url.pathname.startsWith(SCIM_DEMO_PREFIX)) return false;
      return targets.handle(req, res, url.pathname);
    },
    async stop() {
      targets?.close();
      targets = undefined;
    },
  };
}
