import * as z from 'zod/mini';
import { call } from '../api/client';
import { DeadLettersAnswer, type DeadLetter } from '../api/schemas';
import { useResource } from '../api/use-resource';
import { ActionButton } from '../components/action-button';
import { JsonBlock } from '../components/json-block';
import { ResultView } from '../components/result-view';
import { useConsole } from '../context';
import { dateTime } from '../lib/format';
import { href } from '../routes';

export function DeadLettersPage() {
  const { apiBase } = useConsole();
  const letters = useResource('dead-letters', () => call(`${apiBase}/ops/dead-letters`, DeadLettersAnswer));
  return (
    <>
      <h1 tabIndex={-1}>Dead letters</h1>
      <p class="muted">
        HR events the app could not process after every retry. Replay puts one back on the queue (after a fix); discard
        drops it for good, with a reason for the audit trail.
      </p>
      <ResultView result={letters.result} what="dead letters">
        {(data) =>
          data.value.length === 0 ? (
            <p>No dead letters{data.queue ? ` on ${data.queue}` : ''}.</p>
          ) : (
            <ul class="cards">
              {data.value.map((letter) => (
                <DeadLetterCard key={letter.sequenceNumber} letter={letter} onActed={() => void letters.reload()} />
              ))}
            </ul>
          )
        }
      </ResultView>
    </>
  );
}

function DeadLetterCard(props: { letter: DeadLetter; onActed: () => void }) {
  const { apiBase } = useConsole();
  const { letter } = props;
  const path = `${apiBase}/ops/dead-letters/${letter.sequenceNumber}`;
  return (
    <li class="card" aria-labelledby={`dl-${letter.sequenceNumber}`}>
      <h2 id={`dl-${letter.sequenceNumber}`} class="card-title">
        #{letter.sequenceNumber} · {letter.messageId}
      </h2>
      <dl class="facts">
        <dt>Person</dt>
        <dd>{letter.sessionId ? <a href={href.person(letter.sessionId)}>{letter.sessionId}</a> : '—'}</dd>
        <dt>Queued</dt>
        <dd>{dateTime(letter.enqueuedTime)}</dd>
        <dt>Deliveries</dt>
        <dd>{letter.deliveryCount}</dd>
        <dt>Service Bus reason</dt>
        <dd>{[letter.reason, letter.description].filter(Boolean).join(': ') || '—'}</dd>
        <dt>Error</dt>
        <dd class={letter.failure ? 'error' : undefined}>
          {letter.failure ? `${letter.failure.reason} (${dateTime(letter.failure.at)})` : 'not recorded'}
        </dd>
      </dl>
      <JsonBlock value={letter.body} summary="Message body" />
      <div class="actions">
        <ActionButton
          label="Replay"
          done={`Dead letter ${letter.sequenceNumber} replayed onto the queue.`}
          confirm={{
            title: `Replay dead letter ${letter.sequenceNumber}?`,
            message: 'The HR event goes back on the queue and is processed again, in order for this person.',
          }}
          run={() => call(`${path}/replay`, z.unknown(), { method: 'POST' })}
          onDone={props.onActed}
        />
        <ActionButton
          label="Discard"
          danger
          done={`Dead letter ${letter.sequenceNumber} discarded.`}
          confirm={{
            title: `Discard dead letter ${letter.sequenceNumber}?`,
            message: 'The HR event is dropped for good; it will not be processed.',
            reasonLabel: 'Reason for discarding (kept in the audit trail)',
          }}
          run={(reason) => call(path, z.unknown(), { method: 'DELETE', body: { reason } })}
          onDone={props.onActed}
        />
      </div>
    </li>
  );
}
