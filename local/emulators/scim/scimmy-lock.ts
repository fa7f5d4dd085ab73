import SCIMMY from 'scimmy';
import type { ScimTargetDefinition } from './targets';

/**
 * scimmy keeps its ServiceProviderConfig and each resource type's base path (the `meta.location` prefix) in
 * process-wide statics, and scimmy-routers sets the base path on every request. Two targets served by one process,
 * with handlers that await, would otherwise answer one target's ServiceProviderConfig or locations for the other.
 * So a request holds this lock from the moment it configures scimmy until its response is sent. It is taken after
 * the request body has been read and after injected delays, and the handlers are synchronous SQLite calls, so it
 * is held only while the request is computed.
 */
let tail: Promise<void> = Promise.resolve();

export function acquireScimmy(): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const acquired = tail.then(() => once(release));
  tail = tail.then(() => released);
  return acquired;
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

/** scimmy-routers' constructor writes scimmy's configuration too: the next request configures it again. */
export function forgetScimmyConfiguration(): void {
  configuredFor = undefined;
}

const BEARER_SCHEME = {
  type: 'oauthbearertoken',
  name: 'OAuth Bearer Token',
  description: 'Authentication scheme using the OAuth Bearer Token Standard',
  specUri: 'https://datatracker.ietf.org/doc/html/rfc6750',
};

let configuredFor: ScimTargetDefinition | undefined;

/**
 * The ServiceProviderConfig (RFC 7643 §5) of the target about to be served; called while holding the lock.
 * scimmy validates every setting, which costs as much as a small request, so a run of requests to the same target
 * configures it once.
 */
export function configureScimmyFor(target: ScimTargetDefinition): void {
  if (configuredFor === target) return;
  configuredFor = target;
  SCIMMY.Config.set({ authenticationSchemes: [] });
  SCIMMY.Config.set({
    patch: true,
    filter: { supported: true, maxResults: target.maxResults },
    sort: target.sort,
    etag: target.etag,
    changePassword: false,
    bulk: target.bulk.supported
      ? { supported: true, maxOperations: target.bulk.maxOperations, maxPayloadSize: target.bulk.maxPayloadSize }
      : false,
    authenticationSchemes: [BEARER_SCHEME],
  });
}
