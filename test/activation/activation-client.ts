/**
 * What the activation tests do as the new starter and as an operator against a running local host: read the
 * mail from the Graph emulator's outbox, open the link, post the form; and read the durable instance and the
 * emulator's Temporary Access Pass methods.
 */
export interface OutboxMail {
  seq: number;
  to: string;
  subject: string;
  html: string;
  code: string | null;
  link: string | null;
}

function decode(html: string): string {
  return html
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

export function activationClient(baseUrl: string) {
  const outbox = async (): Promise<OutboxMail[]> => {
    const body = (await (await fetch(`${baseUrl}/_local/graph/_admin/outbox`)).json()) as {
      value: {
        seq: number;
        message: { subject: string; body: { content: string }; toRecipients: { emailAddress: { address: string } }[] };
      }[];
    };
    return body.value.map((m) => {
      const html = m.message.body.content;
      return {
        seq: m.seq,
        to: m.message.toRecipients[0]!.emailAddress.address,
        subject: m.message.subject,
        html,
        code: /letter-spacing:6px[^>]*>(\d+)</.exec(html)?.[1] ?? null,
        link: (() => {
          const href = /href="([^"]*\/api\/activate\?t=[^"]+)"/.exec(html)?.[1];
          return href ? decode(href) : null;
        })(),
      };
    });
  };
  const mailsTo = async (address: string) => (await outbox()).filter((m) => m.to === address);
  /** Waits until `address` has received `count` mails; returns the newest. */
  const waitForMail = async (address: string, count: number, timeoutMs = 20_000): Promise<OutboxMail> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const mails = await mailsTo(address);
      if (mails.length >= count) return mails[mails.length - 1]!;
      if (Date.now() > end)
        throw new Error(`timed out waiting for mail #${count} to ${address} (${mails.length} so far)`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  /** The link as mailed, against this host (a restarted host listens on another port). */
  const here = (link: string) => {
    const url = new URL(link);
    return `${baseUrl}${url.pathname}${url.search}`;
  };
  const open = async (link: string) => {
    const res = await fetch(here(link));
    const html = await res.text();
    const formToken = /name="form" value="([^"]+)"/.exec(html)?.[1] ?? null;
    return { status: res.status, headers: res.headers, html, formToken };
  };
  const post = async (link: string, fields: Record<string, string>, headers: Record<string, string> = {}) => {
    const t = new URL(link).searchParams.get('t') ?? '';
    const res = await fetch(`${baseUrl}/api/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ t, ...fields }).toString(),
    });
    return { status: res.status, headers: res.headers, html: await res.text() };
  };
  /** Opens the link and submits `otp` with the form's token. */
  const submitCode = async (link: string, otp: string) => {
    const page = await open(link);
    if (!page.formToken) throw new Error(`no form on the page (${page.status}): ${page.html.slice(0, 300)}`);
    return post(link, { form: page.formToken, otp, action: 'verify' });
  };
  const instance = async (instanceId: string) => {
    const res = await fetch(`${baseUrl}/runtime/webhooks/durabletask/instances/${instanceId}`);
    return res.ok ? ((await res.json()) as { runtimeStatus: string; output: unknown; customStatus: unknown }) : null;
  };
  const graphToken = async () => {
    const res = await fetch(`${baseUrl}/_local/entra/11111111-1111-4111-8111-111111111111/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: '22222222-2222-4222-8222-222222222222',
        client_secret: 'local-dev-secret',
        scope: 'https://graph.microsoft.com/.default',
      }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const tapMethods = async (userId: string) => {
    const res = await fetch(`${baseUrl}/_local/graph/v1.0/users/${userId}/authentication/temporaryAccessPassMethods`, {
      headers: { authorization: `Bearer ${await graphToken()}` },
    });
    return ((await res.json()) as { value: { id: string; isUsable: boolean; lifetimeInMinutes: number }[] }).value;
  };
  const opsActivation = async (employeeId: string, body: object = {}) => {
    const res = await fetch(`${baseUrl}/api/ops/persons/${employeeId}/activation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return { outbox, mailsTo, waitForMail, open, post, submitCode, instance, tapMethods, opsActivation };
}

/** The secret a TAP page shows (data-testid="tap"). */
export function tapOn(html: string): string | null {
  return /data-testid="tap">([^<]+)</.exec(html)?.[1] ?? null;
}
