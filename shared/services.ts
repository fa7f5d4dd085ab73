import { getConfig, type Config } from './config/config';

/**
 * Composition root: the app's adapters, built once per process from the validated config and
 * shared by every function. Each getter is lazy so a function only builds what it uses, and a
 * missing setting fails at the first use with the setting's name (config is validated up front).
 *
 * Add one getter per port: `get directory() { return (this._directory ??= createDirectory(this.config)); }`
 */
class Services {
  get config(): Config {
    return getConfig();
  }
}

let instance: Services | undefined;

export function services(): Services {
  instance ??= new Services();
  return instance;
}

/** Tests only: drop every built adapter. */
export function resetServicesForTests(): void {
  instance = undefined;
}
