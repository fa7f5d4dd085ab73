import {
  activationHmacKey,
  createActivationRateLimits,
  createActivationStore,
  publicOrigin,
} from '../../shared/adapters/activation/create-activation-adapters';
import { GraphMailer } from '../../shared/adapters/activation/graph-mailer';
import type { ActivationDeps } from '../../shared/activation/flows';
import type { ActivationSignal } from '../../shared/activation/signals';
import type { ActivationRateLimits, ActivationStore } from '../../shared/ports/activation-store';
import { services } from '../../shared/services';

/**
 * The activation flows' ports, built once per process from the config (the store and rate limits hold files or
 * connections). `signal` is per call: it needs the invocation's durable client.
 */
let store: ActivationStore | undefined;
let limits: ActivationRateLimits | undefined;

/** The store alone (closing an activation needs no key: a leaver must never fail for want of one). */
export function activationStore(): ActivationStore {
  return (store ??= createActivationStore(services().config));
}

export type Signal = (instanceId: string, signal: ActivationSignal) => Promise<void>;

const noSignal: Signal = async () => {
  throw new Error('this caller cannot signal the activation orchestration');
};

export function activationDeps(signal: Signal = noSignal): ActivationDeps {
  const { config, directory, policy, auditLog } = services();
  const key = activationHmacKey(config);
  limits ??= createActivationRateLimits(config);
  return {
    store: activationStore(),
    limits,
    directory,
    mailer: new GraphMailer(directory, config.MAIL_SENDER),
    key,
    policy: policy.activation,
    org: { name: config.ACTIVATION_ORG_NAME, logoUrl: config.ACTIVATION_ORG_LOGO_URL },
    publicOrigin: publicOrigin(config),
    signInUrl: config.ACTIVATION_SIGN_IN_URL,
    signal,
    audit: (record) => auditLog.append([{ at: new Date().toISOString(), ...record }]),
    now: () => new Date(),
  };
}
