/**
 * The local host's Service Bus emulator, reached in the same process when the app runs inside that host.
 *
 * Why: on the local host the app and the emulator share one process and one event loop; a send over the loopback
 * HTTP API cost a second HTTP round trip per accepted webhook (client and server side, on that same loop), which
 * was about a quarter of an event's accept cost. In Azure the app talks to Service Bus over one long-lived AMQP
 * connection; this link is the local counterpart of that connection. The host registers it under the origin it
 * serves; the answer is the same status and body the loopback API gives, so both paths share one contract and
 * the same validation.
 */
export interface LocalQueueAnswer {
  status: number;
  body: unknown;
}

export interface LocalQueueLink {
  /** `payload` is what the loopback API takes as its JSON body (POST /_local/servicebus/queues/{q}/messages). */
  send(queue: string, payload: unknown): Promise<LocalQueueAnswer>;
}

const REGISTRY = Symbol.for('entra-jml.local-queue-links');
type Registry = Map<string, LocalQueueLink>;

function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry };
  return (holder[REGISTRY] ??= new Map<string, LocalQueueLink>());
}

/** Keys of the origins seen: an app sends to one origin, and parsing it again for every send showed in profiles. */
const keys = new Map<string, string>();

/** The origin as the app spells it (http://localhost:PORT): 127.0.0.1 and localhost are the same host here. */
function key(origin: string): string {
  let k = keys.get(origin);
  if (k === undefined) {
    const url = new URL(origin);
    const host = url.hostname === '127.0.0.1' || url.hostname === '[::1]' ? 'localhost' : url.hostname;
    k = `${url.protocol}//${host}:${url.port}`;
    if (keys.size >= 64) keys.clear();
    keys.set(origin, k);
  }
  return k;
}

/** Called by the local host once its listener is bound; returns the unregister function. */
export function registerLocalQueueLink(origin: string, link: LocalQueueLink): () => void {
  const k = key(origin);
  registry().set(k, link);
  return () => {
    if (registry().get(k) === link) registry().delete(k);
  };
}

export function localQueueLink(origin: string): LocalQueueLink | undefined {
  return registry().get(key(origin));
}
