import { useState } from 'preact/hooks';
import { call, describeFailure } from '../api/client';
import { ClockState, OutboxAnswer, type OutboxMail } from '../api/schemas';
import { useResource } from '../api/use-resource';
import { ResultView } from '../components/result-view';
import { useConsole } from '../context';
import { dateTime } from '../lib/format';
import { mailText } from '../lib/mail-text';

/** The local host's own admin APIs (loopback only): the Graph emulator's mail outbox and the durable clock. */
const OUTBOX = '/_local/graph/_admin/outbox';
const CLOCK = '/_local/clock';

export function LocalPage() {
  const { config } = useConsole();
  return (
    <>
      <h1 tabIndex={-1}>Local host</h1>
      <p class="muted">Only on the local host: what Azure has no equivalent for.</p>
      <ClockPanel />
      {config.graphEmulator ? (
        <OutboxPanel />
      ) : (
        <p class="notice">This app talks to a real tenant: mails go out through Microsoft Graph, not to an outbox.</p>
      )}
    </>
  );
}

const STEPS = [
  ['PT1H', 'one hour'],
  ['P1D', 'one day'],
  ['P7D', 'one week'],
  ['P30D', '30 days'],
] as const;

function ClockPanel() {
  const { announce } = useConsole();
  const clock = useResource('clock', () => call(CLOCK, ClockState), { poll: true, pollMs: 10_000 });
  const [step, setStep] = useState<string>('P1D');
  const [outcome, setOutcome] = useState<string | null>(null);
  const advance = async () => {
    const answer = await call(CLOCK, ClockState, { method: 'POST', body: { advance: step } });
    const text =
      answer.kind === 'ok'
        ? `Clock moved to ${dateTime(answer.data.now)}: timers due by then fire now.`
        : `Could not move the clock: ${describeFailure(answer)}`;
    setOutcome(text);
    announce(text);
    void clock.reload();
  };
  return (
    <section class="panel" aria-labelledby="clock-title">
      <h2 id="clock-title">Durable clock</h2>
      <ResultView result={clock.result} what="the local clock">
        {(state) => (
          <p data-testid="clock-now">
            Orchestrations see <time dateTime={state.now}>{dateTime(state.now)}</time>
            {state.offsetMs > 0 && <> ({Math.round(state.offsetMs / 3_600_000)} h ahead of this machine)</>}.
          </p>
        )}
      </ResultView>
      <form
        class="search"
        onSubmit={(event) => {
          event.preventDefault();
          void advance();
        }}
      >
        <label for="clock-step">Move forward by</label>
        <select id="clock-step" value={step} onChange={(event) => setStep(event.currentTarget.value)}>
          {STEPS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <button type="submit" class="primary">
          Advance the clock
        </button>
      </form>
      <p class="muted small">Time never goes back: the offset is kept in the data folder.</p>
      {outcome && <p role="status">{outcome}</p>}
    </section>
  );
}

function OutboxPanel() {
  const outbox = useResource('outbox', () => call(OUTBOX, OutboxAnswer), { poll: true, pollMs: 5000 });
  return (
    <section class="panel" aria-labelledby="outbox-title">
      <h2 id="outbox-title">Mail outbox</h2>
      <p class="muted small">Mails the app sent through the Graph emulator (one-time codes, manager notices).</p>
      <ResultView result={outbox.result} what="the mail outbox">
        {(data) =>
          data.value.length === 0 ? (
            <p>No mail sent yet.</p>
          ) : (
            <ul class="cards" data-testid="outbox">
              {[...data.value].reverse().map((mail) => (
                <MailCard key={mail.seq} mail={mail} />
              ))}
            </ul>
          )
        }
      </ResultView>
    </section>
  );
}

function MailCard(props: { mail: OutboxMail }) {
  const { mail } = props;
  const message = mail.message;
  const to = message?.toRecipients?.map((r) => r.emailAddress.address).join(', ') ?? '—';
  const { text, links } = mailText(message?.body?.contentType, message?.body?.content);
  return (
    <li class="card">
      <h3 class="card-title">{message?.subject ?? '(no subject)'}</h3>
      <p class="muted small">
        {dateTime(mail.sentAt)} · from {mail.sender} · to {to}
      </p>
      <details>
        <summary>Message</summary>
        <pre class="mail">{text}</pre>
        {links.length > 0 && (
          <ul>
            {links.map((link) => (
              <li key={link}>
                <a href={link} target="_blank" rel="noopener noreferrer">
                  {link}
                </a>
              </li>
            ))}
          </ul>
        )}
      </details>
    </li>
  );
}
