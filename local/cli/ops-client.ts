/**
 * What every admin command shares: the target (`--url`, `--key` or `--token`), the call, exit codes, `--json`.
 *
 * Exit codes scripts can rely on (also in `--help` and the README):
 * 0 done; 1 failed or refused; 2 usage error; 3 not found; 4 needs approval (held by the deletion threshold).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3, needsApproval: 4 } as const;

export const EXIT_CODES_HELP = 'exit codes: 0 ok, 1 failed or refused, 2 usage error, 3 not found, 4 needs approval';

export const common = {
  url: { type: 'string', default: process.env.ENTRA_JML_URL ?? 'http://localhost:7071' },
  key: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/** fetch, with a refused or unreachable server named by its URL instead of node's bare "fetch failed". */
export async function fetchOrExplain(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    throw new Error(
      `cannot reach ${new URL(url).origin} (${why}); is entra-jml running there? (--url or ENTRA_JML_URL)`,
      { cause: error },
    );
  }
}

export interface Answer {
  status: number;
  json: unknown;
  text: string;
  headers: Headers;
}

export type Call = (method: 'GET' | 'POST' | 'DELETE', route: string, body?: unknown) => Promise<Answer>;

/**
 * Calls `/api/<route>`: with the admin key (`--key` or ENTRA_JML_ADMIN_KEY, sent as x-functions-key), or behind App
 * Service Authentication with an Entra access token for the app (`--token` or ENTRA_JML_TOKEN).
 */
export function client(values: { url: string; key?: string; token?: string }): Call {
  const key = values.key ?? process.env.ENTRA_JML_ADMIN_KEY;
  const token = values.token ?? process.env.ENTRA_JML_TOKEN;
  const base = values.url.replace(/\/$/, '');
  return async (method, route, body) => {
    const res = await fetchOrExplain(`${base}/api/${route}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(key ? { 'x-functions-key': key } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON: CSV or an error page */
    }
    return { status: res.status, json, text, headers: res.headers };
  };
}

export function problems(json: unknown): string {
  const list = (json as { problems?: { path: string; reason: string }[] } | null)?.problems;
  if (list?.length) return list.map((p) => `${p.path}: ${p.reason}`).join('; ');
  const error = (json as { error?: unknown } | null)?.error;
  if (typeof error === 'string') return error;
  return json === null ? 'no details in the answer' : JSON.stringify(json);
}

/** Says why a call failed on stderr and returns its exit code (3 for 404, else 1). */
export function failed(answer: Answer, what?: string): number {
  console.error(`${what ? `${what}: ` : ''}${answer.status} ${problems(answer.json)}`);
  return answer.status === 404 ? EXIT.notFound : EXIT.failed;
}

export function usage(line: string): number {
  console.error(`usage: entra-jml ${line} [--url URL] [--key ADMIN_KEY | --token TOKEN] [--json]`);
  return EXIT.usage;
}

/** `--json` prints the answer as is for scripts; otherwise `human` prints it for people. */
export function print(values: { json?: boolean }, body: unknown, human: () => void): void {
  if (values.json) console.log(JSON.stringify(body, null, 2));
  else human();
}
