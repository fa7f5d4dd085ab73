import { z } from 'zod';

/** `{reason}` of an operator's action: what the audit trail keeps as why (terminate, discard, retry). */
const ReasonBody = z.object({ reason: z.string().trim().min(1, 'say why (reason)').max(500) });

type ReasonResult = { ok: true; value: string | null } | { ok: false; problem: { path: string; reason: string } };

/** Reads `{reason}` from a JSON body; `required` refuses an empty body or a blank reason. */
export async function readReason(
  request: { text(): Promise<string> },
  options: { required: boolean },
): Promise<ReasonResult> {
  const text = (await request.text()).trim();
  if (!text) return missing(options.required);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: { path: '(root)', reason: 'body is not valid JSON' } };
  }
  const parsed = ReasonBody.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data.reason };
  if (!options.required && (json as { reason?: unknown } | null)?.reason === undefined) return missing(false);
  return {
    ok: false,
    problem: { path: 'reason', reason: parsed.error.issues[0]?.message ?? 'a reason' },
  };
}

function missing(required: boolean): ReasonResult {
  return required
    ? { ok: false, problem: { path: 'reason', reason: 'say why: send {"reason": "..."}' } }
    : { ok: true, value: null };
}
