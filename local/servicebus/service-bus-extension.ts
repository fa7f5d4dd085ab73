import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { z } from 'zod';
import { describeIssues } from '../../shared/domain/hr-event';
import { registerLocalQueueLink, type LocalQueueAnswer } from '../../shared/adapters/queue/local-queue-link';
import { estimatedMessageBytes, SERVICE_BUS_MAX_SEND_BYTES } from '../../shared/adapters/queue/send-size';
import { resolveSetting } from '../host/app-settings';
import { readWholeBody } from '../host/http/read-body';
import { isLoopback } from '../host/loopback';
import type { HostExtension, HostServices } from '../host/extension';
import type { RegisteredFunction, RpcTypedData } from '../host/function-registry';
import {
  DEFAULT_QUEUE_SETTINGS,
  messagePriority,
  QueueStore,
  storedBody,
  type SendRequest,
  type SqliteOptions,
  type StoredMessage,
} from './queue-store';
import { SendBatcher } from './send-batcher';
import { LoopTurns } from '../host/loop-turns';

/**
 * Runs serviceBusTrigger functions on the local queue store as the Functions Service Bus extension does
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus-trigger): peek-lock,
 * complete on success, abandon on failure until maxDeliveryCount then dead-letter, lock renewal while the
 * function runs, sessions processed one message at a time each, concurrency from host.json
 * (extensions.serviceBus maxConcurrentCalls / maxConcurrentSessions). Also serves a loopback data API
 * under /_local/servicebus for the app's local EventQueue adapter and for dead-letter admin, and the same send
 * in-process (shared/adapters/queue/local-queue-link.ts) for the app loaded in this host.
 */
interface Listener {
  fn: RegisteredFunction;
  queue: string;
  sessions: boolean;
  concurrency: number;
}

const SendBody = z.array(
  z.object({
    messageId: z.string().min(1).max(128).optional(),
    sessionId: z.string().min(1).max(128).nullish(),
    body: z.unknown(),
    contentType: z.string().optional(),
    applicationProperties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    scheduledEnqueueTime: z.iso.datetime({ offset: true }).optional(),
  }),
);

/** A message in the form the store keeps (storedBody), sized from the same JSON: its body is serialised once. */
function serializedOnce(message: z.infer<typeof SendBody>[number]): { message: SendRequest; bytes: number } {
  if (typeof message.body === 'string' || message.body === undefined)
    return { message, bytes: estimatedMessageBytes(message) };
  const stored = storedBody(message);
  return { message: { ...message, ...stored }, bytes: estimatedMessageBytes(message, stored.body) };
}

function triggerMetadata(message: StoredMessage): Record<string, RpcTypedData> {
  // Names as the extension binds them (ServiceBusReceivedMessage properties + trigger extras).
  return {
    MessageId: { string: message.messageId },
    SessionId: message.sessionId ? { string: message.sessionId } : { string: '' },
    DeliveryCount: { int: message.deliveryCount },
    SequenceNumber: { int: message.sequenceNumber },
    EnqueuedTimeUtc: { string: message.enqueuedTime },
    ContentType: { string: message.contentType ?? '' },
    LockToken: { string: message.lockToken ?? '' },
    ApplicationProperties: { json: JSON.stringify(message.applicationProperties) },
    UserProperties: { json: JSON.stringify(message.applicationProperties) },
  };
}

export function createServiceBusExtension(options: SqliteOptions = {}): HostExtension & { store(): QueueStore } {
  let services: HostServices;
  let store: QueueStore;
  let stopped = false;
  const inFlight = new Set<Promise<void>>();
  const wakers = new Set<() => void>();
  const wake = () => wakers.forEach((w) => w());
  const sends = new SendBatcher(() => store, wake);
  // One receive per loop turn across the listeners, at the host's background share while callers burst.
  let turns: LoopTurns;
  let unregisterLink = () => undefined as void;

  /** A send, from the loopback API or the in-process link: validated, sized as Service Bus sizes it, stored. */
  async function acceptSend(queue: string, payload: unknown): Promise<LocalQueueAnswer> {
    const parsed = SendBody.safeParse(payload);
    if (!parsed.success)
      return { status: 400, body: { error: 'invalid messages', issues: describeIssues(parsed.error) } };
    // Each body is serialised once, for its size and for the store (which keeps a string body as it is).
    const messages = parsed.data.map(serializedOnce);
    const bytes = messages.reduce((sum, m) => sum + m.bytes, 0);
    if (bytes > SERVICE_BUS_MAX_SEND_BYTES)
      return {
        status: 413,
        body: {
          error:
            `send of ${parsed.data.length} message(s), about ${bytes} bytes, is over the Standard tier's ` +
            `${SERVICE_BUS_MAX_SEND_BYTES} bytes per message and per batch`,
          code: 'MessageSizeExceeded',
        },
      };
    const results = await sends.send(
      queue,
      messages.map((m) => m.message),
    );
    // An urgent message (a security leaver) lets a receiver waiting for its paced turn go at once (LoopTurns).
    if (messages.some((m) => messagePriority(m.message.applicationProperties) > 0)) turns.expedite();
    return { status: 201, body: { results } };
  }

  async function worker(listener: Listener, owner: string): Promise<void> {
    const idle = () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, 200);
        function done() {
          clearTimeout(timer);
          wakers.delete(done);
          resolve();
        }
        wakers.add(done);
      });
    while (!stopped) {
      try {
        // Urgent work waiting: this receive is not paced (the store serves urgent sessions first).
        await turns.next(store.hasUrgentWaiting(listener.queue));
        if (stopped) return;
        const message = store.receive(listener.queue, owner, listener.sessions);
        if (!message) {
          await idle();
          continue;
        }
        const run = handleMessage(listener, message).finally(() => inFlight.delete(run));
        inFlight.add(run);
        await run;
        if (listener.sessions && message.sessionId) store.releaseSession(listener.queue, message.sessionId, owner);
      } catch (error) {
        // The queue's own store failed (SQLITE_BUSY: another writer held the file past the busy timeout). The
        // worker reports it and keeps receiving, as a Service Bus processor does after an error; an unsettled
        // message's lock expires and it is delivered again
        // (https://learn.microsoft.com/azure/service-bus-messaging/message-transfers-locks-settlement).
        // Found by the chaos run's locked-SQLite fault (issue 24): the host died of the unhandled rejection.
        services.logger.warn({ queue: listener.queue, err: String(error) }, 'service bus receive failed; retrying');
        await idle();
      }
    }
  }

  async function handleMessage(listener: Listener, message: StoredMessage): Promise<void> {
    const lockToken = message.lockToken!;
    const renew = setInterval(() => {
      try {
        store.renewLock(lockToken);
      } catch {
        // A renewal that fails (store busy) is retried at the next interval, as the SDK's auto-renewal does.
      }
    }, DEFAULT_QUEUE_SETTINGS.lockDurationMs / 2);
    let data: RpcTypedData;
    try {
      JSON.parse(message.body);
      data = { json: message.body };
    } catch {
      data = { string: message.body };
    }
    try {
      await services.invoke(listener.fn, data, { triggerMetadata: triggerMetadata(message) });
      store.complete(lockToken);
    } catch (error) {
      const description = error instanceof Error ? error.message : String(error);
      // As the Functions host in Azure: abandon without the error (the app records it if it wants it kept).
      const outcome = store.abandon(lockToken);
      services.logger.warn(
        {
          function: listener.fn.metadata.name,
          messageId: message.messageId,
          deliveryCount: message.deliveryCount,
          outcome,
          err: description,
        },
        'service bus message failed',
      );
    } finally {
      clearInterval(renew);
    }
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (!isLoopback(req)) return send(403, { error: 'loopback only' });
    const m = /^\/_local\/servicebus\/queues\/([^/]+)(?:\/(messages|deadletters)(?:\/(\d+)(?:\/(replay))?)?)?$/.exec(
      url.pathname,
    );
    if (!m) return send(404, { error: 'unknown route' });
    const [, queueRaw, collection, seqText, action] = m;
    const queue = decodeURIComponent(queueRaw!);
    const method = req.method ?? 'GET';
    if (!collection && method === 'GET') return send(200, { queue, counts: store.counts(queue) });
    if (collection === 'messages' && method === 'POST') {
      const raw = await readWholeBody(req);
      let payload: unknown;
      try {
        payload = JSON.parse(raw.toString('utf8'));
      } catch {
        return send(400, { error: 'body must be JSON' });
      }
      const answer = await acceptSend(queue, payload);
      return send(answer.status, answer.body);
    }
    if (collection === 'deadletters') {
      if (!seqText && method === 'GET') return send(200, { value: store.deadLetters(queue) });
      const seq = Number(seqText);
      if (method === 'GET' && !action) {
        const message = store.getDeadLetter(queue, seq);
        return message ? send(200, message) : send(404, { error: `no dead letter ${seq} in ${queue}` });
      }
      if (method === 'POST' && action === 'replay') {
        const replayed = store.replayDeadLetter(queue, seq);
        wake();
        return replayed === null
          ? send(404, { error: `no dead letter ${seq} in ${queue}` })
          : send(202, { sequenceNumber: replayed });
      }
      if (method === 'DELETE' && !action)
        return store.discardDeadLetter(queue, seq)
          ? send(204)
          : send(404, { error: `no dead letter ${seq} in ${queue}` });
    }
    send(405, { error: 'method not allowed' });
  }

  return {
    name: 'servicebus',
    triggerTypes: ['serviceBusTrigger'],
    store: () => store,
    async start(hostServices) {
      services = hostServices;
      turns = new LoopTurns(undefined, hostServices.foreground);
      store = new QueueStore(
        path.join(hostServices.dataDir, 'servicebus.sqlite'),
        DEFAULT_QUEUE_SETTINGS,
        Date.now,
        options,
      );
      const sb = (hostServices.hostJson.extensions?.serviceBus ?? {}) as {
        maxConcurrentCalls?: number;
        maxConcurrentSessions?: number;
      };
      for (const fn of hostServices
        .functions()
        .filter((f) => String(f.trigger.type).toLowerCase() === 'servicebustrigger')) {
        const sessions = fn.trigger.isSessionsEnabled === true;
        const listener: Listener = {
          fn,
          queue: resolveSetting(String(fn.trigger.queueName ?? fn.trigger.topicName ?? '')),
          sessions,
          concurrency: sessions ? (sb.maxConcurrentSessions ?? 8) : (sb.maxConcurrentCalls ?? 16),
        };
        for (let i = 0; i < listener.concurrency; i++) void worker(listener, `${fn.metadata.name}#${i}`);
      }
      unregisterLink = registerLocalQueueLink(hostServices.baseUrl(), { send: acceptSend });
    },
    handleHttp(req, res, url) {
      if (!url.pathname.startsWith('/_local/servicebus/')) return false;
      return handleApi(req, res, url).then(() => true);
    },
    async stop() {
      stopped = true;
      unregisterLink();
      wake();
      await Promise.allSettled([...inFlight]);
      store?.close();
    },
  };
}
