import { randomUUID } from 'node:crypto';
import type { Policy } from '../domain/policy';
import type { ActivationRateLimits, ActivationStore } from '../ports/activation-store';
import type { AuditRecord } from '../ports/audit-log';
import type { Directory } from '../ports/directory';
import type { Mailer } from '../ports/mailer';
import type { ActivationLanguage } from './language';
import { renderActivationMail, type Organisation } from './mail-templates';
import type { PageView } from './page-templates';
import type { ActivationRecord } from './record';
import { attempt, close, issue, linkOpens, nextGeneration, reopen, tapOptions } from './rules';
import { generateCode, generateLinkSecret, keyedHash, linkToken, parseLinkToken, sameHash } from './secrets';
import type { ActivationSignal } from './signals';

/**
 * The activation's steps over its ports: issuing (make, hash, store, mail — the secrets live only inside this
 * call), the page's link check and code attempt, and closing. Activities and the HTTP page call these; they
 * return views and ids, never a secret, except the page's own "done" view with the pass to show once.
 */
export interface ActivationDeps {
  store: ActivationStore;
  limits: ActivationRateLimits;
  directory: Directory;
  mailer: Mailer;
  key: string;
  policy: Policy['activation'];
  org: Organisation;
  /** Origin the mailed links point at (https://jml.contoso.com). */
  publicOrigin: string;
  signInUrl: string;
  signal(instanceId: string, signal: ActivationSignal): Promise<void>;
  audit(record: Omit<AuditRecord, 'at'>): Promise<void>;
  now(): Date;
}

export interface IssueRequest {
  activationId: string | null;
  employeeId: string;
  instanceId: string;
  userId: string;
  email: string;
  language: ActivationLanguage;
  givenName: string;
  reason: 'initial' | 'reminder' | 'resend' | 'retarget';
}

/**
 * Makes a new code and link, stores their keyed hashes (the previous ones stop working), mails them. Returns the
 * activation id and its status; a closed activation is not reissued and nothing is mailed.
 */
export async function issueActivation(
  deps: ActivationDeps,
  request: IssueRequest,
): Promise<{ activationId: string; status: ActivationRecord['status'] }> {
  const activationId = request.activationId ?? randomUUID();
  for (let tries = 0; tries < 3; tries++) {
    const existing = await deps.store.get(activationId);
    const now = deps.now();
    const generation = nextGeneration(existing);
    const scope = { activationId, generation };
    const code = generateCode(deps.policy.otpLength);
    const secret = generateLinkSecret();
    const outcome = issue(existing, {
      activationId,
      employeeId: request.employeeId,
      instanceId: request.instanceId,
      userId: request.userId,
      language: request.language,
      codeHash: keyedHash(deps.key, 'code', scope, code),
      linkHash: keyedHash(deps.key, 'link', scope, secret),
      now,
      codeTtlMinutes: deps.policy.otpTtlMinutes,
      maxAttempts: deps.policy.otpMaxAttempts,
      expiresAt: new Date(now.getTime() + deps.policy.expiryDays * 86_400_000),
    });
    if ('refused' in outcome) return { activationId, status: outcome.refused };
    const stored = await deps.store.save(outcome.record);
    if (!stored) continue; // someone wrote first (a page attempt): read again
    const mail = renderActivationMail({
      language: request.language,
      org: deps.org,
      givenName: request.givenName,
      code,
      link: `${deps.publicOrigin}/api/activate?t=${linkToken(activationId, secret)}`,
      codeTtlMinutes: deps.policy.otpTtlMinutes,
      expiresAt: stored.expiresAt,
      reminder: request.reason === 'reminder',
    });
    await deps.mailer.send({ to: [request.email], ...mail });
    await deps.audit({
      actor: request.reason === 'resend' ? 'activation:resend' : 'orchestration',
      action: `activation.${request.reason === 'initial' ? 'issued' : request.reason}`,
      employeeId: request.employeeId,
      target: 'mail',
      outcome: 'success',
      reason: null,
      before: existing ? { generation: existing.generation, status: existing.status } : null,
      after: { activationId, generation: stored.generation, codeExpiresAt: stored.codeExpiresAt },
      correlation: { instanceId: request.instanceId },
    });
    return { activationId, status: stored.status };
  }
  throw new Error(`activation ${activationId}: the record kept changing while a new code was issued`);
}

/** Expiry, leaver, rescind: the activation can no longer be used. Returns the record as it was, or null. */
export async function closeActivation(
  deps: Pick<ActivationDeps, 'store' | 'now'>,
  activationId: string,
  status: 'expired' | 'cancelled',
): Promise<ActivationRecord | null> {
  for (let tries = 0; tries < 3; tries++) {
    const record = await deps.store.get(activationId);
    if (!record) return null;
    const closed = close(record, status, deps.now());
    if (!closed) return record;
    if (await deps.store.save(closed)) return record;
  }
  throw new Error(`activation ${activationId}: could not be closed`);
}

export interface PageAnswer {
  status: number;
  language: ActivationLanguage;
  view: PageView;
  retryAfterSeconds?: number;
}

interface Opened {
  record: ActivationRecord;
  secret: string;
  scope: { activationId: string; generation: number };
}

/** Placeholder hash compared against when no record exists, so unknown links cost the same comparison. */
const NO_HASH = 'x'.repeat(43);

async function open(deps: ActivationDeps, token: string | null): Promise<Opened | null> {
  const parsed = parseLinkToken(token);
  const record = parsed ? await deps.store.get(parsed.activationId) : null;
  const scope = { activationId: parsed?.activationId ?? '', generation: record?.generation ?? 0 };
  const presented = keyedHash(deps.key, 'link', scope, parsed?.secret ?? '');
  const matches = sameHash(presented, record?.linkHash || NO_HASH);
  if (!parsed || !record || !linkOpens(record, matches, deps.now())) return null;
  return { record, secret: parsed.secret, scope };
}

function formToken(deps: ActivationDeps, opened: Opened): string {
  return keyedHash(deps.key, 'form', opened.scope, opened.secret);
}

function tooMany(language: ActivationLanguage, retryAfterSeconds: number): PageAnswer {
  return { status: 429, language, view: { kind: 'too-many', retryAfterSeconds }, retryAfterSeconds };
}

function invalid(language: ActivationLanguage): PageAnswer {
  return { status: 404, language, view: { kind: 'invalid' } };
}

function formView(deps: ActivationDeps, opened: Opened, extra: Partial<Extract<PageView, { kind: 'form' }>> = {}) {
  return {
    kind: 'form' as const,
    token: linkToken(opened.scope.activationId, opened.secret),
    formToken: formToken(deps, opened),
    codeLength: deps.policy.otpLength,
    ...extra,
  };
}

/** GET /api/activate?t=...: the code form for an open link; the same "not valid" page for any other link. */
export async function showPage(
  deps: ActivationDeps,
  request: { token: string | null; ip: string; fallbackLanguage: ActivationLanguage },
): Promise<PageAnswer> {
  const byIp = await deps.limits.consume('ip', request.ip);
  if (!byIp.allowed) return tooMany(request.fallbackLanguage, byIp.retryAfterSeconds);
  const opened = await open(deps, request.token);
  if (!opened) return invalid(request.fallbackLanguage);
  const { record } = opened;
  const byPerson = await deps.limits.consume('person', record.employeeId);
  if (!byPerson.allowed) return tooMany(record.language, byPerson.retryAfterSeconds);
  if (record.status === 'locked') return { status: 403, language: record.language, view: { kind: 'locked' } };
  const expired = deps.now().getTime() >= Date.parse(record.codeExpiresAt);
  return { status: 200, language: record.language, view: formView(deps, opened, expired ? { error: 'expired' } : {}) };
}

/** POST /api/activate: a code attempt or a request for a new code, from the form of an open link. */
export async function submitPage(
  deps: ActivationDeps,
  request: {
    token: string | null;
    formToken: string | null;
    otp: string | null;
    action: string | null;
    ip: string;
    fallbackLanguage: ActivationLanguage;
  },
): Promise<PageAnswer> {
  const byIp = await deps.limits.consume('ip', request.ip);
  if (!byIp.allowed) return tooMany(request.fallbackLanguage, byIp.retryAfterSeconds);
  const opened = await open(deps, request.token);
  // The form token is derived from the link: a form posted without the page it came from is refused (CSRF).
  if (!opened || !sameHash(formToken(deps, opened), request.formToken ?? '')) return invalid(request.fallbackLanguage);
  const { record } = opened;
  const language = record.language;
  const byPerson = await deps.limits.consume('person', record.employeeId);
  if (!byPerson.allowed) return tooMany(language, byPerson.retryAfterSeconds);
  if (record.status === 'locked') return { status: 403, language, view: { kind: 'locked' } };

  if (request.action === 'resend') {
    // Self-service only for an expired code; after a lockout an operator sends the new code.
    if (deps.now().getTime() < Date.parse(record.codeExpiresAt))
      return { status: 200, language, view: formView(deps, opened) };
    const resends = await deps.limits.consume('resend', record.employeeId);
    if (!resends.allowed) return tooMany(language, resends.retryAfterSeconds);
    await deps.signal(record.instanceId, { kind: 'resend', by: 'self' });
    return { status: 202, language, view: { kind: 'sent' } };
  }

  const otp = (request.otp ?? '').replace(/\s+/g, '');
  const presented = keyedHash(deps.key, 'code', opened.scope, otp);
  const matches = /^\d+$/.test(otp) && sameHash(presented, record.codeHash || NO_HASH);
  const result = attempt(record, matches, deps.now());
  switch (result.outcome) {
    case 'code-expired':
      return { status: 400, language, view: formView(deps, opened, { error: 'expired' }) };
    case 'locked': {
      if (result.justLocked && !(await deps.store.save(result.record))) return invalid(language);
      if (result.justLocked)
        await deps.audit({
          actor: 'activation-page',
          action: 'activation.locked',
          employeeId: record.employeeId,
          target: 'entra',
          outcome: 'failure',
          reason: `${record.maxAttempts} wrong codes: locked until a new code is sent`,
          before: { attempts: record.attempts },
          after: { attempts: result.record.attempts, status: 'locked' },
          correlation: { instanceId: record.instanceId },
        });
      return { status: 403, language, view: { kind: 'locked' } };
    }
    case 'wrong':
      // A lost race (two posts at once) is answered like an unknown link: nothing leaks, the person reloads.
      if (!(await deps.store.save(result.record))) return invalid(language);
      return {
        status: 400,
        language,
        view: formView(deps, opened, { error: 'wrong', attemptsLeft: result.attemptsLeft }),
      };
    case 'verified':
      return activate(deps, record, result.record);
  }
}

/** The right code: consume the link, enable the account, create the pass, show it once. */
async function activate(
  deps: ActivationDeps,
  before: ActivationRecord,
  verified: ActivationRecord,
): Promise<PageAnswer> {
  const language = before.language;
  const consumed = await deps.store.save(verified);
  if (!consumed) return invalid(language);
  let view: Extract<PageView, { kind: 'done' }>;
  let tap: { id: string; lifetimeInMinutes: number; isUsableOnce: boolean };
  try {
    await deps.directory.setAccountEnabled(before.userId, true);
    const options = tapOptions(deps.policy, await deps.directory.getTemporaryAccessPassPolicy());
    const created = await deps.directory.createTemporaryAccessPass(before.userId, options);
    const user = await deps.directory.getUser(before.userId);
    if (!created.temporaryAccessPass || !user) throw new Error('no pass returned, or the account is gone');
    tap = { id: created.id, lifetimeInMinutes: created.lifetimeInMinutes, isUsableOnce: created.isUsableOnce };
    view = {
      kind: 'done',
      userPrincipalName: user.userPrincipalName,
      temporaryAccessPass: created.temporaryAccessPass,
      lifetimeInMinutes: created.lifetimeInMinutes,
      isUsableOnce: created.isUsableOnce,
      signInUrl: deps.signInUrl,
    };
  } catch (error) {
    // Give the link back so the person can try again; the failure is audited without detail from the page.
    await deps.store.save(reopen(consumed, before, deps.now()));
    await deps.audit({
      actor: 'activation-page',
      action: 'activation.verified',
      employeeId: before.employeeId,
      target: 'entra',
      outcome: 'failure',
      reason: error instanceof Error ? error.message : String(error),
      before: { status: 'pending' },
      after: { status: 'pending' },
      correlation: { instanceId: before.instanceId },
    });
    return { status: 503, language, view: { kind: 'failed' } };
  }
  await deps.audit({
    actor: 'activation-page',
    action: 'activation.verified',
    employeeId: before.employeeId,
    target: 'entra',
    outcome: 'success',
    reason: 'one-time code verified: account enabled, Temporary Access Pass created (shown once, not stored)',
    before: { accountEnabled: false },
    after: {
      accountEnabled: true,
      tapId: tap.id,
      lifetimeInMinutes: tap.lifetimeInMinutes,
      isUsableOnce: tap.isUsableOnce,
    },
    correlation: { instanceId: before.instanceId },
  });
  // The orchestration audits completion and tells the manager; a lost signal is caught at its next timer.
  await deps.signal(before.instanceId, { kind: 'verified' }).catch(() => undefined);
  return { status: 200, language, view };
}
