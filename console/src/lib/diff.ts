/** One changed value between an audit record's `before` and `after`, by its dotted path. */
export interface DiffRow {
  path: string;
  before: string;
  after: string;
}

const MAX_DEPTH = 4;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short text for one value: strings as they are, absent as an em dash, the rest as JSON. */
export function showValue(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * What changed between `before` and `after`, key by key (nested objects by dotted path, arrays as a whole), in key
 * order. Equal values are left out, so a mover's diff shows the department that changed, not the whole record.
 */
export function diffRows(before: unknown, after: unknown, path = '', depth = 0): DiffRow[] {
  if (isPlainObject(before) && isPlainObject(after) && depth < MAX_DEPTH) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffRows(before[key], after[key], path ? `${path}.${key}` : key, depth + 1));
  }
  if (isPlainObject(before) !== isPlainObject(after) && depth < MAX_DEPTH) {
    // A whole object appeared or went away: one row per field, so a created user reads like a form.
    const side = (isPlainObject(before) ? before : after) as Record<string, unknown>;
    const keys = Object.keys(side).sort();
    if (keys.length && (before === null || before === undefined || after === null || after === undefined))
      return keys.flatMap((key) =>
        diffRows(
          isPlainObject(before) ? before[key] : undefined,
          isPlainObject(after) ? after[key] : undefined,
          path ? `${path}.${key}` : key,
          depth + 1,
        ),
      );
  }
  const b = showValue(before);
  const a = showValue(after);
  return b === a ? [] : [{ path: path || '(value)', before: b, after: a }];
}
