import * as z from 'zod/mini';
import { useEffect, useState } from 'preact/hooks';
import { call, describeFailure, type ApiResult } from '../api/client';
import type { AuditEntry, Explanation, GroupExplanation, PersonDetail, PersonStatus } from '../api/schemas';
import { useResource } from '../api/use-resource';
import { ActionButton } from '../components/action-button';
import { DiffTable } from '../components/diff-table';
import { ResultView } from '../components/result-view';
import { useConsole } from '../context';
import { dateTime, dueLabel, relative } from '../lib/format';
import { href } from '../routes';
import { runInProgress, type PersonActivity } from '../lib/run-activity';
import { loadPerson, timelinePage, type PersonData, type TimelinePage } from './person-data';

export function PersonPage(props: { employeeId: string }) {
  const { apiBase, announce } = useConsole();
  const { employeeId } = props;
  const [openedAt] = useState(() => Date.now());
  const [lastActionAt, setLastActionAt] = useState(0);
  const [polling, setPolling] = useState(false);
  const person = useResource(`person:${employeeId}`, () => loadPerson(apiBase, employeeId), {
    poll: polling,
    pollMs: 3000,
  });
  const data = person.result?.kind === 'ok' ? person.result.data : null;
  useEffect(() => {
    setPolling(runInProgress(data && activityOf(data), { openedAt, lastActionAt }));
  }, [data, openedAt, lastActionAt]);

  const acted = () => {
    setLastActionAt(Date.now());
    void person.reload();
  };

  const detail = data?.detail.kind === 'ok' ? data.detail.data : null;
  const status = data?.status.kind === 'ok' ? data.status.data : null;
  const title = detail?.displayName ?? detail?.record?.displayName ?? employeeId;

  return (
    <>
      <p class="breadcrumb">
        <a href={href.people()}>People</a> › {employeeId}
      </p>
      <h1 tabIndex={-1}>{title}</h1>
      <p class="muted live-line">
        {polling ? 'Following this person’s run: refreshed every few seconds.' : 'Up to date.'}{' '}
        <button
          type="button"
          class="link"
          onClick={() => {
            void person.reload().then(() => announce('Person refreshed'));
          }}
        >
          Refresh
        </button>
      </p>
      <ResultView result={person.result} what="this person">
        {(loaded) => (
          <>
            <StateSection data={loaded} detail={detail} status={status} employeeId={employeeId} />
            <ActionsSection employeeId={employeeId} detail={detail} onActed={acted} />
            <GroupsSection data={loaded} />
            <TimelineSection employeeId={employeeId} first={loaded.timeline} />
          </>
        )}
      </ResultView>
    </>
  );
}

function activityOf(data: PersonData): PersonActivity {
  return {
    lifecycle: data.status.kind === 'ok' ? 'found' : data.status.kind === 'not-found' ? 'missing' : 'unknown',
    runtimeStatus: data.status.kind === 'ok' ? (data.status.data.runtimeStatus ?? null) : null,
    newestAt: data.timeline.kind === 'ok' ? (data.timeline.data.entries[0]?.at ?? null) : null,
  };
}

function StateSection(props: {
  data: PersonData;
  detail: PersonDetail | null;
  status: PersonStatus | null;
  employeeId: string;
}) {
  const { data, detail, status } = props;
  const phase = detail?.state?.phase ?? status?.phase;
  const nextDue = detail?.state?.nextDue ?? status?.nextDue ?? null;
  const problems = detail?.state?.problems ?? status?.problems ?? [];
  const userId = detail?.state?.userId ?? status?.userId;
  const record = detail?.record;
  return (
    <section aria-labelledby="state-title" class="panel">
      <h2 id="state-title">State and what happens next</h2>
      {data.status.kind !== 'ok' && data.status.kind !== 'unavailable' && (
        <p class="notice">Lifecycle: {describeFailure(data.status)}</p>
      )}
      <dl class="facts">
        <dt>Employee id</dt>
        <dd>{props.employeeId}</dd>
        <dt>UPN</dt>
        <dd>{detail?.userPrincipalName ?? upnFromTimeline(data.timeline) ?? '—'}</dd>
        <dt>Account id</dt>
        <dd>{userId ?? 'no account yet'}</dd>
        <dt>Phase</dt>
        <dd>
          <span class="badge" data-testid="phase">
            {phase ?? 'unknown'}
          </span>
          {status?.runtimeStatus && <span class="muted"> (lifecycle {status.runtimeStatus})</span>}
        </dd>
        <dt>Next</dt>
        <dd data-testid="next-due">
          {nextDue ? (
            <>
              {dueLabel(nextDue.which)}: <time dateTime={nextDue.at}>{dateTime(nextDue.at)}</time>{' '}
              <span class="muted">({relative(nextDue.at)})</span>
            </>
          ) : (
            'nothing scheduled'
          )}
        </dd>
        {record && (
          <>
            <dt>HR record</dt>
            <dd>
              {[record.jobTitle, record.department, record.country].filter(Boolean).join(' · ') || '—'}
              {record.hireDate && <> · hired {record.hireDate}</>}
              {record.leaveDate && <> · leaves {record.leaveDate}</>}
              {record.managerEmployeeId && (
                <>
                  {' '}
                  · manager <a href={href.person(record.managerEmployeeId)}>{record.managerEmployeeId}</a>
                </>
              )}
            </dd>
          </>
        )}
        <dt>Problems</dt>
        <dd>{problems?.length ? <span class="error">{problems.join('; ')}</span> : 'none'}</dd>
        {!!detail?.unconfirmedWrites?.length && (
          <>
            <dt>Unconfirmed writes</dt>
            <dd data-testid="unconfirmed-writes">
              {detail.unconfirmedWrites.map((write) => (
                <p key={`${write.instanceId ?? ''}-${write.action}`}>
                  <span class="error">{write.action}</span> announced{' '}
                  <time dateTime={write.since}>{dateTime(write.since)}</time> has no audit row yet (run{' '}
                  <a href={href.runs()}>{write.instanceId ?? 'unknown'}</a>: running, or stopped and to be retried)
                </p>
              ))}
            </dd>
          </>
        )}
        <dt>Activation</dt>
        <dd>
          <ActivationState activation={detail?.activation} fromRoute={data.activation} />
        </dd>
      </dl>
    </section>
  );
}

/** The UPN the newest audited write gave the account, while the admin API's person detail is not there. */
function upnFromTimeline(timeline: ApiResult<TimelinePage>): string | null {
  if (timeline.kind !== 'ok') return null;
  for (const entry of timeline.data.entries) {
    const upn = (entry.after as { userPrincipalName?: unknown } | null | undefined)?.userPrincipalName;
    if (typeof upn === 'string') return upn;
  }
  return null;
}

/** The self-activation state: from the person detail when it has one, else GET .../activation, else unknown. */
function ActivationState(props: { activation: unknown; fromRoute: ApiResult<unknown> }) {
  const value = props.activation ?? (props.fromRoute.kind === 'ok' ? props.fromRoute.data : undefined);
  if (value === undefined || value === null)
    return <span class="muted">{props.fromRoute.kind === 'not-found' ? 'none' : 'not available'}</span>;
  if (typeof value !== 'object') return <span>{String(value)}</span>;
  const fields = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean',
  );
  return <span>{fields.map(([k, v]) => `${k}: ${String(v)}`).join(' · ') || 'started'}</span>;
}

function ActionsSection(props: { employeeId: string; detail: PersonDetail | null; onActed: () => void }) {
  const { apiBase } = useConsole();
  const id = encodeURIComponent(props.employeeId);
  const record = props.detail?.record ?? null;
  return (
    <section aria-labelledby="actions-title" class="panel">
      <h2 id="actions-title">Actions</h2>
      <div class="actions">
        <ActionButton
          label="Re-evaluate"
          done="Re-evaluation queued: the current policy is applied again."
          confirm={{
            title: `Re-evaluate ${props.employeeId}?`,
            message: 'Applies the current policy to this person again (groups, licences). Audited with the reason.',
            reasonLabel: 'Reason (kept in the audit trail)',
          }}
          run={(reason) =>
            call(`${apiBase}/ops/reevaluate`, z.unknown(), {
              method: 'POST',
              body: { employeeIds: [props.employeeId], reason },
            })
          }
          onDone={props.onActed}
        />
        {record ? (
          <ActionButton
            label="Provision now"
            done="Provisioned: the joiner ran now, timers skipped."
            confirm={{
              title: `Provision ${props.employeeId} now?`,
              message: 'Runs the joiner now with the last HR record: the account is created enabled, timers skipped.',
            }}
            run={() =>
              call(`${apiBase}/ops/persons/${id}/provision-now`, z.unknown(), { method: 'POST', body: record })
            }
            onDone={props.onActed}
          />
        ) : (
          <span class="muted">Provision now needs the person’s HR record (admin API person detail).</span>
        )}
        <ActionButton
          label="Send activation code"
          done="Activation started, or a new code sent (the previous one stops working)."
          confirm={{
            title: `Send ${props.employeeId} an activation code?`,
            message: 'Starts self-activation, or mails a new code and link to the personal address.',
          }}
          run={() => call(`${apiBase}/ops/persons/${id}/activation`, z.unknown(), { method: 'POST', body: {} })}
          onDone={props.onActed}
        />
      </div>
    </section>
  );
}

function GroupsSection(props: { data: PersonData }) {
  const { data } = props;
  const detailGroups = data.detail.kind === 'ok' ? data.detail.data.groups : null;
  const explain: Explanation | null = data.explain.kind === 'ok' ? data.explain.data : null;
  const groups: GroupExplanation[] = detailGroups ?? explain?.groups ?? [];
  const current = explain?.directory?.currentGroupIds;
  const extra = explain?.directory?.notGrantedByPolicy ?? [];
  return (
    <section aria-labelledby="groups-title" class="panel">
      <h2 id="groups-title">Groups and why</h2>
      {!detailGroups && data.explain.kind !== 'ok' ? (
        <p class="notice">{describeFailure(data.explain)}</p>
      ) : groups.length === 0 ? (
        <p>The policy gives this person no group.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">Groups the policy gives this person, and why</caption>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Kind</th>
                <th scope="col">Why</th>
                <th scope="col">In the directory</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((group) => (
                <tr key={group.groupId}>
                  <td>{group.groupName ?? group.groupId}</td>
                  <td>{group.kind ?? '—'}</td>
                  <td>{group.text ?? group.ruleIds?.join(', ') ?? '—'}</td>
                  <td>{current ? (current.includes(group.groupId) ? 'yes' : 'missing') : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {extra.length > 0 && (
        <p>
          In the directory but not from the policy (kept by a leaver rule, added by hand, or retired):{' '}
          {extra.join(', ')}
        </p>
      )}
      {explain?.policyVersion && <p class="muted">Policy version {explain.policyVersion}.</p>}
    </section>
  );
}

function TimelineSection(props: { employeeId: string; first: ApiResult<TimelinePage> }) {
  const { apiBase, announce } = useConsole();
  const [older, setOlder] = useState<{ entries: AuditEntry[]; token: string | null } | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);
  useEffect(() => setOlder(null), [props.employeeId]);
  const first = props.first.kind === 'ok' ? props.first.data : null;
  const token = older ? older.token : (first?.continuationToken ?? null);
  const entries = [...(first?.entries ?? []), ...(older?.entries ?? [])];
  const keys = stableKeys(entries);

  const loadOlder = async () => {
    if (!token) return;
    setLoadingOlder(true);
    const page = await timelinePage(apiBase, props.employeeId, token);
    setLoadingOlder(false);
    if (page.kind !== 'ok') return setOlderError(describeFailure(page));
    setOlder({ entries: [...(older?.entries ?? []), ...page.data.entries], token: page.data.continuationToken });
    announce(`${page.data.entries.length} older entries loaded`);
  };

  return (
    <section aria-labelledby="timeline-title" class="panel">
      <h2 id="timeline-title">Timeline</h2>
      {props.first.kind !== 'ok' ? (
        <p class="notice">{describeFailure(props.first)}</p>
      ) : entries.length === 0 ? (
        <p>Nothing recorded for this person yet.</p>
      ) : (
        <>
          {first?.fromAudit && <p class="muted">From the audit trail, newest first.</p>}
          <ol class="timeline" aria-live="polite" aria-relevant="additions" data-testid="timeline">
            {entries.map((entry, index) => (
              <TimelineEntry key={keys[index]} entry={entry} />
            ))}
          </ol>
        </>
      )}
      {token && (
        <button type="button" onClick={() => void loadOlder()} disabled={loadingOlder}>
          {loadingOlder ? 'Loading older entries…' : 'Older entries'}
        </button>
      )}
      {olderError && (
        <p class="error" role="alert">
          {olderError}
        </p>
      )}
    </section>
  );
}

/**
 * Keys that stay the same when newer entries arrive on top (the list is newest first), so a refresh adds only the new
 * items and the live region announces only them: counted from the oldest entry, never by position.
 */
function stableKeys(entries: AuditEntry[]): string[] {
  const seen = new Map<string, number>();
  const keys: string[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    const base = `${entry.at}|${entry.action}|${entry.target ?? ''}|${entry.correlation?.eventId ?? ''}`;
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    keys[i] = `${base}|${count}`;
  }
  return keys;
}

function TimelineEntry(props: { entry: AuditEntry }) {
  const { entry } = props;
  const outcome = entry.outcome ?? 'success';
  return (
    <li class={`entry outcome-${outcome}`}>
      <div class="entry-head">
        <time dateTime={entry.at}>{dateTime(entry.at)}</time>
        <strong class="entry-action">{entry.action}</strong>
        <span class={`badge outcome-${outcome}`}>{outcome}</span>
        {entry.target && <span class="muted">on {entry.target}</span>}
        {entry.actor && <span class="muted">by {entry.actor}</span>}
      </div>
      {entry.reason && <p class="entry-reason">{entry.reason}</p>}
      <DiffTable before={entry.before} after={entry.after} caption={`Changes made by ${entry.action}`} />
      {(entry.correlation?.eventId || entry.correlation?.instanceId) && (
        <p class="muted small">
          {entry.correlation.eventId && <>event {entry.correlation.eventId} </>}
          {entry.correlation.instanceId && <>run {entry.correlation.instanceId}</>}
        </p>
      )}
    </li>
  );
}
