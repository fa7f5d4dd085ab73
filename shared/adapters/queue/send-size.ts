/**
 * Service Bus size limits for a send, as the app's local queue adapter and the local emulator both count them.
 *
 * Standard tier (infra/modules/service-bus.bicep): a message, and a batch of messages sent at once, may be at
 * most 256 KB (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas). The SDK refuses an
 * array that does not fit one batch ("Messages were too big to fit in a single batch", MessageSizeExceeded,
 * @azure/service-bus sender.ts sendMessages), so a webhook of 1 MB of events would fail in Azure while the
 * local queue took it. The estimate counts the JSON body, ids and properties plus a fixed allowance per message
 * for the AMQP envelope (header, annotations, section framing), on the high side: when unsure, stricter than
 * the service.
 */
export const SERVICE_BUS_MAX_SEND_BYTES = 256 * 1024;
const ENVELOPE_BYTES_PER_MESSAGE = 512;

export interface SizedMessage {
  messageId?: string;
  sessionId?: string | null;
  body: unknown;
  applicationProperties?: Record<string, string | number | boolean>;
}

/** `serializedBody`: the body's JSON when the caller has it already (it is not serialised again). */
export function estimatedMessageBytes(message: SizedMessage, serializedBody?: string): number {
  const body = serializedBody ?? (message.body === undefined ? '' : JSON.stringify(message.body));
  return (
    ENVELOPE_BYTES_PER_MESSAGE +
    Buffer.byteLength(body) +
    Buffer.byteLength(message.messageId ?? '') +
    Buffer.byteLength(message.sessionId ?? '') +
    (message.applicationProperties ? Buffer.byteLength(JSON.stringify(message.applicationProperties)) : 0)
  );
}

/**
 * Splits messages, in order, into sends that each fit `limit`. A message that alone is over the limit is a
 * send of its own: the queue refuses it with its size, the others still go.
 */
export function splitIntoSends<T extends SizedMessage>(messages: T[], limit = SERVICE_BUS_MAX_SEND_BYTES): T[][] {
  // One message is one send whatever its size: no need to serialise it here too.
  if (messages.length <= 1) return messages.length ? [messages] : [];
  const sends: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = estimatedMessageBytes(message);
    if (current.length && bytes + size > limit) {
      sends.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length) sends.push(current);
  return sends;
}
