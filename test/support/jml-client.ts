import { createHmac } from 'node:crypto';

/** What the e2e tests read back from the Graph emulator (/_local/graph/_admin/state). */
export interface DirUser {
  id: string;
  userPrincipalName: string;
  employeeId: string | null;
  department: string | null;
  jobTitle?: string | null;
  accountEnabled: boolean;
  deletedDateTime?: string | null;
  manager: string | null;
  groups: string[];
}

export interface PersonStatus {
  phase: string;
  userId: string | null;
  nextDue: { which: string; at: string } | null;
  lastEvents: string[];
}

/** A small client for a running local host: signed HR events, person status, directory state, the durable clock. */
export function jmlClient(baseUrl: string, secret = 'local-dev-webhook-secret') {
  const post = async (events: object | object[]) => {
    const body = JSON.stringify(Array.isArray(events) ? { events } : events);
    const ts = Math.floor(Date.now() / 1000);
    const signature = `v1=${createHmac('sha256', secret).update(`${ts}.`).update(body).digest('hex')}`;
    const res = await fetch(`${baseUrl}/api/hr/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-entra-jml-timestamp': String(ts),
        'x-entra-jml-signature': signature,
      },
      body,
    });
    if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
  };
  const person = async (employeeId: string): Promise<PersonStatus | null> => {
    const res = await fetch(`${baseUrl}/api/persons/${employeeId}`);
    return res.ok ? ((await res.json()) as PersonStatus) : null;
  };
  const directory = async (): Promise<{ users: DirUser[]; deletedUsers: DirUser[] }> =>
    (await (await fetch(`${baseUrl}/_local/graph/_admin/state`)).json()) as {
      users: DirUser[];
      deletedUsers: DirUser[];
    };
  const user = async (employeeId: string): Promise<DirUser | undefined> =>
    (await directory()).users.find((u) => u.employeeId === employeeId);
  /** Polls until `check` returns a truthy value (or throws with `what` after ~20 s). */
  const until = async <T>(
    what: string,
    check: () => Promise<T | undefined | null | false>,
    timeoutMs = 20_000,
  ): Promise<T> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const processed = (employeeId: string, eventId: string) =>
    until(`${eventId} processed for ${employeeId}`, async () => {
      const s = await person(employeeId);
      return s?.lastEvents?.includes(eventId) ? s : null;
    });
  /** Moves the local durable clock forward (ISO 8601 duration such as P30D or PT2H). */
  const advance = async (duration: string): Promise<string> => {
    const res = await fetch(`${baseUrl}/_local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance: duration }),
    });
    if (!res.ok) throw new Error(`clock answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { now: string }).now;
  };
  const getJson = async <T>(url: string): Promise<T> => (await (await fetch(`${baseUrl}${url}`)).json()) as T;
  const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  /** Graph writes the emulator counted of one kind, e.g. `DELETE /groups/{id}/members/{id}/$ref`. */
  const graphWrites = async (kind: string): Promise<number> =>
    (await getJson<{ writesByKind: Record<string, number> }>('/_local/graph/_admin/stats')).writesByKind[kind] ?? 0;
  return { post, person, directory, user, until, processed, advance, getJson, postJson, graphWrites };
}

/** Calendar date `days` from today (UTC), as HR sends it. */
export function dayFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
