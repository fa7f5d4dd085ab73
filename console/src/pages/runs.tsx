import * as z from 'zod/mini';
import { useEffect, useState } from 'preact/hooks';
import { call, query } from '../api/client';
import { RunsAnswer, type Run } from '../api/schemas';
import { useResource } from '../api/use-resource';
import { ActionButton } from '../components/action-button';
import { JsonBlock } from '../components/json-block';
import { ResultView } from '../components/result-view';
import { useConsole } from '../context';
import { dateTime, relative } from '../lib/format';
import { href } from '../routes';

const STATUSES = ['', 'running', 'pending', 'failed', 'completed', 'terminated'] as const;
const IN_FLIGHT = new Set(['Running', 'Pending']);

/** When a run waits on a durable timer: the admin API's `waitingUntil`, else the person's next due date. */
function waitingUntil(run: Run): string | null {
  if (run.waitingUntil) return run.waitingUntil;
  const custom = run.customStatus as { nextDue?: { at?: unknown } } | null | undefined;
  return typeof custom?.nextDue?.at === 'string' ? custom.nextDue.at : null;
}

/** The error of a failed run, in one line (durable output of a failed orchestration is its error text). */
function failureText(run: Run): string | null {
  if (run.runtimeStatus !== 'Failed') return null;
  if (typeof run.output === 'string') return run.output.split('\n')[0] ?? run.output;
  const message = (run.output as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : JSON.stringify(run.output);
}

/** The person a run belongs to: person-{employeeId} and its sub-orchestrations name them. */
function employeeOf(run: Run): string | null {
  return /^person-([^:]+)/.exec(run.instanceId)?.[1] ?? null;
}

export function RunsPage(props: { status: string }) {
  const { apiBase } = useConsole();
  const [more, setMore] = useState<{ runs: Run[]; token: string | null } | null>(null);
  const [polling, setPolling] = useState(false);
  const runs = useResource(
    `runs:${props.status}`,
    () => call(`${apiBase}/ops/runs${query({ status: props.status })}`, RunsAnswer),
    { poll: polling, pollMs: 5000 },
  );
  useEffect(() => setMore(null), [props.status]);
  const first = runs.result?.kind === 'ok' ? runs.result.data : null;
  useEffect(() => setPolling(!!first?.runs.some((run) => IN_FLIGHT.has(run.runtimeStatus))), [first]);
  const token = more ? more.token : (first?.continuationToken ?? null);

  return (
    <>
      <h1 tabIndex={-1}>Runs</h1>
      <form class="search" onSubmit={(event) => event.preventDefault()}>
        <label for="run-status">Status</label>
        <select
          id="run-status"
          value={props.status}
          onChange={(event) => (location.hash = href.runs(event.currentTarget.value))}
        >
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {status || 'all'}
            </option>
          ))}
        </select>
      </form>
      <ResultView result={runs.result} what="runs">
        {(data) => (
          <>
            <RunsTable runs={[...data.runs, ...(more?.runs ?? [])]} onActed={() => void runs.reload()} />
            {token && (
              <button
                type="button"
                onClick={() => {
                  void call(
                    `${apiBase}/ops/runs${query({ status: props.status, continuationToken: token })}`,
                    RunsAnswer,
                  ).then((page) => {
                    if (page.kind === 'ok')
                      setMore({
                        runs: [...(more?.runs ?? []), ...page.data.runs],
                        token: page.data.continuationToken ?? null,
                      });
                    else setMore({ runs: more?.runs ?? [], token: null });
                  });
                }}
              >
                More runs
              </button>
            )}
          </>
        )}
      </ResultView>
    </>
  );
}

function RunsTable(props: { runs: Run[]; onActed: () => void }) {
  const { apiBase } = useConsole();
  if (!props.runs.length) return <p>No runs.</p>;
  return (
    <div class="table-scroll">
      <table>
        <caption class="visually-hidden">Orchestration runs</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Status</th>
            <th scope="col">Started</th>
            <th scope="col">Updated</th>
            <th scope="col">Waiting until / error</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.runs.map((run) => {
            const id = encodeURIComponent(run.instanceId);
            const employeeId = employeeOf(run);
            const until = waitingUntil(run);
            const failure = failureText(run);
            return (
              <tr key={run.instanceId}>
                <td>
                  <code>{run.instanceId}</code>
                  <div class="muted small">
                    {run.name}
                    {employeeId && (
                      <>
                        {' '}
                        · <a href={href.person(employeeId)}>person {employeeId}</a>
                      </>
                    )}
                  </div>
                </td>
                <td>
                  <span class={`badge status-${run.runtimeStatus.toLowerCase()}`}>{run.runtimeStatus}</span>
                </td>
                <td>{dateTime(run.createdTime)}</td>
                <td>{dateTime(run.lastUpdatedTime)}</td>
                <td>
                  {failure ? (
                    <span class="error">{failure}</span>
                  ) : until ? (
                    <span title={dateTime(until)}>
                      timer: {dateTime(until)} ({relative(until)})
                    </span>
                  ) : (
                    '—'
                  )}
                  <JsonBlock value={run.customStatus} summary="Custom status" />
                </td>
                <td>
                  <div class="actions">
                    {run.runtimeStatus === 'Failed' && (
                      <ActionButton
                        label="Retry"
                        done="Retry requested."
                        run={() => call(`${apiBase}/ops/runs/${id}/retry`, z.unknown(), { method: 'POST' })}
                        onDone={props.onActed}
                      />
                    )}
                    {IN_FLIGHT.has(run.runtimeStatus) && (
                      <ActionButton
                        label="Terminate"
                        danger
                        done="Terminated."
                        confirm={{
                          title: `Terminate ${run.instanceId}?`,
                          message:
                            'The run stops where it is: steps already done stay done. A person lifecycle ' +
                            'terminated this way no longer follows HR events until it is started again.',
                          reasonLabel: 'Reason (kept in the audit trail)',
                        }}
                        run={(reason) =>
                          call(`${apiBase}/ops/runs/${id}/terminate`, z.unknown(), {
                            method: 'POST',
                            body: { reason },
                          })
                        }
                        onDone={props.onActed}
                      />
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
