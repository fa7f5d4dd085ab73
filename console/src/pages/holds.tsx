import * as z from 'zod/mini';
import { call, query } from '../api/client';
import { HoldsAnswer, type Hold } from '../api/schemas';
import { useResource } from '../api/use-resource';
import { ActionButton } from '../components/action-button';
import { ResultView } from '../components/result-view';
import { useConsole } from '../context';
import { dateTime } from '../lib/format';
import { href } from '../routes';

/** Leavers held by the accidental-deletion threshold (policy deletionThreshold), waiting for a person to decide. */
export function HoldsPage() {
  const { apiBase } = useConsole();
  const holds = useResource('holds', () => call(`${apiBase}/ops/holds${query({ status: 'held' })}`, HoldsAnswer), {
    poll: true,
    pollMs: 10_000,
  });
  return (
    <>
      <h1 tabIndex={-1}>Held deletions</h1>
      <p class="muted">
        More leavers than the policy allows at once were held: approve to let each one go ahead, reject to cancel it.
      </p>
      <ResultView result={holds.result} what="held deletions">
        {(data) =>
          data.value.length === 0 ? (
            <p>Nothing is held.</p>
          ) : (
            <div class="table-scroll">
              <table>
                <caption class="visually-hidden">Held leavers</caption>
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Action held</th>
                    <th scope="col">Held since</th>
                    <th scope="col">Decision</th>
                  </tr>
                </thead>
                <tbody>
                  {data.value.map((hold) => (
                    <HoldRow key={hold.holdId} hold={hold} onActed={() => void holds.reload()} />
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </ResultView>
    </>
  );
}

function HoldRow(props: { hold: Hold; onActed: () => void }) {
  const { apiBase } = useConsole();
  const { hold } = props;
  const path = `${apiBase}/ops/holds/${encodeURIComponent(hold.holdId)}`;
  return (
    <tr>
      <td>
        <a href={href.person(hold.employeeId)}>{hold.employeeId}</a>
      </td>
      <td>{hold.action}</td>
      <td>{dateTime(hold.createdAt)}</td>
      <td>
        <div class="actions">
          <ActionButton
            label="Approve"
            danger
            done={`Approved: the ${hold.action} of ${hold.employeeId} goes ahead.`}
            confirm={{
              title: `Approve the ${hold.action} of ${hold.employeeId}?`,
              message: `The held leaver step (${hold.action}) runs now.`,
            }}
            run={() => call(`${path}/approve`, z.unknown(), { method: 'POST' })}
            onDone={props.onActed}
          />
          <ActionButton
            label="Reject"
            done={`Rejected: the ${hold.action} of ${hold.employeeId} is cancelled.`}
            confirm={{
              title: `Reject the ${hold.action} of ${hold.employeeId}?`,
              message: 'The held step is cancelled; the account stays as it is.',
            }}
            run={() => call(`${path}/reject`, z.unknown(), { method: 'POST' })}
            onDone={props.onActed}
          />
        </div>
      </td>
    </tr>
  );
}
