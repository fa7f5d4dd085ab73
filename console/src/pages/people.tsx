import { useState } from 'preact/hooks';
import { call, query, type ApiResult } from '../api/client';
import { PeopleAnswer, PersonStatus, type PersonSummary } from '../api/schemas';
import { useResource } from '../api/use-resource';
import { ResultView } from '../components/result-view';
import { useConsole } from '../context';
import { dateTime, dueLabel, relative } from '../lib/format';
import { href } from '../routes';

interface SearchOutcome {
  people: PersonSummary[];
  /** Set when the admin API has no search yet and the query was tried as an employee id. */
  fallback: boolean;
}

/**
 * Search through GET /api/ops/people; while the app does not have that route, an employee id still finds its
 * person through GET /api/persons/{employeeId}.
 */
async function search(apiBase: string, text: string): Promise<ApiResult<SearchOutcome>> {
  const found = await call(`${apiBase}/ops/people${query({ query: text, limit: 50 })}`, PeopleAnswer);
  if (found.kind === 'ok') return { ...found, data: { people: found.data.people, fallback: false } };
  if (found.kind !== 'unavailable' || !text) return found;
  const one = await call(`${apiBase}/persons/${encodeURIComponent(text)}`, PersonStatus);
  if (one.kind === 'not-found') return { kind: 'ok', status: 200, data: { people: [], fallback: true } };
  if (one.kind !== 'ok') return one;
  const { employeeId, userId, phase, nextDue, problems } = one.data;
  return {
    kind: 'ok',
    status: 200,
    data: { people: [{ employeeId, userId, phase, nextDue, problems }], fallback: true },
  };
}

export function PeoplePage(props: { query: string }) {
  const { apiBase } = useConsole();
  const [text, setText] = useState(props.query);
  const results = useResource(`people:${props.query}`, () => search(apiBase, props.query));
  return (
    <>
      <h1 tabIndex={-1}>People</h1>
      <form
        role="search"
        class="search"
        onSubmit={(event) => {
          event.preventDefault();
          location.hash = href.people(text.trim());
        }}
      >
        <label for="people-query">Name, employee id or UPN</label>
        <input
          id="people-query"
          type="search"
          value={text}
          autocomplete="off"
          spellcheck={false}
          onInput={(event) => setText(event.currentTarget.value)}
        />
        <button type="submit" class="primary">
          Search
        </button>
      </form>
      <ResultView result={results.result} what="people search">
        {({ people, fallback }) => (
          <>
            {fallback && (
              <p class="notice">
                Search by name and UPN is not available on this app yet; the text was looked up as an employee id.
              </p>
            )}
            {people.length === 0 ? (
              <p>{props.query ? `No one matches “${props.query}”.` : 'Nobody with a lifecycle yet.'}</p>
            ) : (
              <PeopleTable people={people} />
            )}
          </>
        )}
      </ResultView>
    </>
  );
}

function PeopleTable(props: { people: PersonSummary[] }) {
  return (
    <div class="table-scroll">
      <table>
        <caption class="visually-hidden">People found</caption>
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">UPN</th>
            <th scope="col">Phase</th>
            <th scope="col">Next</th>
            <th scope="col">Problems</th>
          </tr>
        </thead>
        <tbody>
          {props.people.map((person) => (
            <tr key={person.employeeId}>
              <td>
                {/* The employee id is part of the link's name: people with the same name stay distinguishable. */}
                <a href={href.person(person.employeeId)}>
                  {person.displayName || person.employeeId}
                  {person.displayName && <span class="muted"> ({person.employeeId})</span>}
                </a>
              </td>
              <td>{person.userPrincipalName ?? '—'}</td>
              <td>
                <span class="badge">{person.phase ?? 'unknown'}</span>
              </td>
              <td>
                {person.nextDue ? (
                  <span title={dateTime(person.nextDue.at)}>
                    {dueLabel(person.nextDue.which)} {relative(person.nextDue.at)}
                  </span>
                ) : (
                  '—'
                )}
              </td>
              <td>{person.problems?.length ? <span class="error">{person.problems.join('; ')}</span> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
