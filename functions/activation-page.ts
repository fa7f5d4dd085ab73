import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { showPage, submitPage, type PageAnswer } from '../shared/activation/flows';
import type { ActivationLanguage } from '../shared/activation/language';
import { pageHeaders, renderPage } from '../shared/activation/page-templates';
import { ACTIVATION_SIGNAL } from '../shared/activation/signals';
import { activationDeps } from './activities/activation-deps';

/**
 * GET/POST /api/activate: the page the activation mail links to (anonymous: the link is the credential).
 * GET shows the code form for an open link; POST takes a code or a request for a new one. Every answer is a
 * whole HTML page with the activation headers (CSP, no-store, no-referrer).
 */
const MAX_FORM_BYTES = 4096;

function clientIp(request: HttpRequest): string {
  // Azure Functions / App Service put the client first in X-Forwarded-For ("ip:port").
  const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  if (!forwarded) return 'direct';
  return forwarded.startsWith('[') ? forwarded.slice(1, forwarded.indexOf(']')) : forwarded.replace(/:\d+$/, '');
}

function acceptLanguage(request: HttpRequest): ActivationLanguage {
  const first = request.headers.get('accept-language')?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('fr') ? 'fr' : 'en';
}

/** A form posted from another site (browsers send Sec-Fetch-Site / Origin) is refused before anything is read. */
function crossSite(request: HttpRequest): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return true;
  const origin = request.headers.get('origin');
  if (!origin || origin === 'null') return false;
  try {
    return new URL(origin).host !== new URL(request.url).host;
  } catch {
    return true;
  }
}

function answer(
  page: PageAnswer,
  logoUrl: string | undefined,
  org: { name: string; logoUrl?: string },
): HttpResponseInit {
  const headers: Record<string, string> = pageHeaders(logoUrl);
  if (page.retryAfterSeconds) headers['Retry-After'] = String(page.retryAfterSeconds);
  return { status: page.status, headers, body: renderPage(page.language, org, page.view) };
}

app.http('activationPage', {
  route: 'activate',
  methods: ['GET', 'POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const client = df.getClient(context);
    const deps = activationDeps((instanceId, signal) => client.raiseEvent(instanceId, ACTIVATION_SIGNAL, signal));
    const fallbackLanguage = acceptLanguage(request);
    const ip = clientIp(request);
    if (request.method === 'GET') {
      const page = await showPage(deps, { token: request.query.get('t'), ip, fallbackLanguage });
      return answer(page, deps.org.logoUrl, deps.org);
    }
    const invalid: PageAnswer = { status: 403, language: fallbackLanguage, view: { kind: 'invalid' } };
    if (crossSite(request)) return answer(invalid, deps.org.logoUrl, deps.org);
    const type = request.headers.get('content-type') ?? '';
    const raw = await request.text();
    if (!type.startsWith('application/x-www-form-urlencoded') || Buffer.byteLength(raw) > MAX_FORM_BYTES)
      return answer({ ...invalid, status: 400 }, deps.org.logoUrl, deps.org);
    const form = new URLSearchParams(raw);
    const page = await submitPage(deps, {
      token: form.get('t'),
      formToken: form.get('form'),
      otp: form.get('otp'),
      action: form.get('action'),
      ip,
      fallbackLanguage,
    });
    return answer(page, deps.org.logoUrl, deps.org);
  },
});
