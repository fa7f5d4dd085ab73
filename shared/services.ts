import { createDirectory } from './adapters/graph/graph-directory';
import { createEventQueue } from './adapters/queue';
import { getConfig, type Config } from './config/config';
import type { EventQueue } from './ports/event-queue';
import type { Directory } from './ports/directory';

/**
 * Composition root: the app's adapters, built once per process from the validated config and
 * shared by every function. Each getter is lazy so a function only builds what it uses, and a
 * missing setting fails at the first use with the setting's name (config is validated up front).
 *
 * Add one getter per port: `get directory() { return (this._directory ??= createDirectory(this.config)); }`
 */
class Services {
  private _directory: Directory | undefined;
  private _eventQueue: EventQueue | undefined;

  get config(): Config {
    return getConfig();
  }

  get directory(): Directory {
    return (this._directory ??= createDirectory(this.config));
  }

  get eventQueue(): EventQueue {
    return (this._eventQueue ??= createEventQueue(this.config));
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
