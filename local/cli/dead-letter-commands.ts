import { parseArgs } from 'node:util';
import { client, common, EXIT, failed, print, usage } from './ops-client';

interface DeadLetter {
  sequenceNumber: number;
  messageId: string;
  sessionId: string | null;
  enqueuedTime: string;
  reason: string | null;
  failure: { reason: string } | null;
}

/**
 * `dead-letters`, `dead-letters replay SEQ [--reason TEXT]`, `dead-letters discard SEQ --reason TEXT`: HR events
 * that could not be processed. A discard is for good, so it needs a reason (audited).
 */
export async function deadLettersCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...common, reason: { type: 'string' } },
  });
  const call = client(values);
  const [action, sequence] = positionals;
  if (action === 'replay' || action === 'discard') {
    if (!sequence || !/^\d+$/.test(sequence) || positionals.length > 2)
      return usage(`dead-letters ${action} SEQUENCE_NUMBER${action === 'discard' ? ' --reason TEXT' : ''}`);
    if (action === 'discard' && !values.reason?.trim())
      return usage('dead-letters discard SEQUENCE_NUMBER --reason TEXT');
    const body = values.reason ? { reason: values.reason } : undefined;
    const res =
      action === 'replay'
        ? await call('POST', `ops/dead-letters/${sequence}/replay`, body)
        : await call('DELETE', `ops/dead-letters/${sequence}`, body);
    if (res.status !== 202 && res.status !== 204) return failed(res, `dead letter ${sequence}`);
    const done = { sequenceNumber: Number(sequence), status: action === 'replay' ? 'replayed' : 'discarded' };
    print(values, done, () => console.log(`dead letter ${sequence}: ${done.status}`));
    return EXIT.ok;
  }
  if (action) return usage('dead-letters | dead-letters replay SEQ | dead-letters discard SEQ --reason TEXT');
  const res = await call('GET', 'ops/dead-letters');
  if (res.status !== 200) return failed(res);
  const { value } = res.json as { value: DeadLetter[] };
  print(values, res.json, () => {
    for (const d of value)
      console.log(
        `${String(d.sequenceNumber).padEnd(6)}  ${(d.sessionId ?? '-').padEnd(10)}  ${d.messageId.padEnd(24)}  ` +
          `${d.enqueuedTime}  ${d.failure?.reason ?? d.reason ?? ''}`,
      );
    console.error(`${value.length} dead letter(s)`);
  });
  return EXIT.ok;
}
