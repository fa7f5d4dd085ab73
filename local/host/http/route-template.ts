/**
 * Route templates as the Functions host parses them (ASP.NET attribute routing syntax):
 * literals, `{name}`, optional `{name?}`, catch-all `{*name}`, and inline constraints.
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook-trigger#customize-the-http-endpoint
 * https://learn.microsoft.com/aspnet/core/fundamentals/routing#route-constraints
 */
export interface CompiledRoute {
  template: string;
  /** Number of literal segments, used to prefer specific routes over parameterised ones. */
  literalCount: number;
  match(path: string): Record<string, string> | null;
}

type Constraint = (value: string) => boolean;

/** A GUID, hyphens optional, or a braced GUID with hyphens; built from its two alternatives to keep lines short. */
const GUID = new RegExp(
  [
    String.raw`^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$`,
    String.raw`^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$`,
  ].join('|'),
  'i',
);

function constraintFor(spec: string): Constraint {
  const m = /^([a-z]+)(?:\((.*)\))?$/i.exec(spec);
  if (!m) throw new Error(`invalid route constraint "${spec}"`);
  const name = m[1]!.toLowerCase();
  const args = m[2] === undefined ? [] : name === 'regex' ? [m[2]] : m[2].split(',').map((a) => a.trim());
  const num = (i: number): number => {
    const value = Number(args[i]);
    if (!Number.isFinite(value)) throw new Error(`route constraint "${spec}" needs numeric arguments`);
    return value;
  };
  switch (name) {
    case 'int':
    case 'long':
      return (v) => /^-?\d+$/.test(v);
    case 'bool':
      return (v) => /^(true|false)$/i.test(v);
    case 'decimal':
    case 'double':
    case 'float':
      return (v) => v.trim() !== '' && Number.isFinite(Number(v));
    case 'guid':
      return (v) => GUID.test(v);
    case 'datetime':
      return (v) => !Number.isNaN(Date.parse(v));
    case 'alpha':
      return (v) => /^[a-z]+$/i.test(v);
    case 'min':
      return (v) => /^-?\d+$/.test(v) && Number(v) >= num(0);
    case 'max':
      return (v) => /^-?\d+$/.test(v) && Number(v) <= num(0);
    case 'range':
      return (v) => /^-?\d+$/.test(v) && Number(v) >= num(0) && Number(v) <= num(1);
    case 'minlength':
      return (v) => v.length >= num(0);
    case 'maxlength':
      return (v) => v.length <= num(0);
    case 'length':
      return args.length === 1 ? (v) => v.length === num(0) : (v) => v.length >= num(0) && v.length <= num(1);
    case 'regex': {
      const re = new RegExp(args[0] ?? '', 'i');
      return (v) => re.test(v);
    }
    default:
      throw new Error(`unsupported route constraint "${name}"`);
  }
}

/** Splits "{id:regex(^a{2}$)}" style parameters carefully: braces inside regex parens are allowed. */
function splitSegments(template: string): string[] {
  const segments: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of template) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === '/' && depth === 0) {
      segments.push(current);
      current = '';
    } else current += ch;
  }
  segments.push(current);
  return segments.filter((s) => s !== '');
}

export function compileRoute(template: string): CompiledRoute {
  const segments = splitSegments(template.replace(/^\/+|\/+$/g, ''));
  let pattern = '^';
  const names: { name: string; constraints: Constraint[]; optional: boolean }[] = [];
  let literalCount = 0;
  segments.forEach((segment, index) => {
    const param = parseParameter(segment);
    if (!param) {
      if (segment.includes('{')) throw new Error(`unsupported route segment "${segment}" in "${template}"`);
      literalCount++;
      pattern += `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
      return;
    }
    const { catchAll, name, constraintText, optionalMark } = param;
    const constraints = splitConstraints(constraintText).map(constraintFor);
    const optional = !!optionalMark || !!catchAll;
    names.push({ name, constraints, optional });
    if (catchAll) {
      if (index !== segments.length - 1) throw new Error(`catch-all parameter must be last in "${template}"`);
      pattern += '(?:/(.*))?';
    } else if (optional) {
      pattern += '(?:/([^/]+))?';
    } else {
      pattern += '/([^/]+)';
    }
  });
  const regex = new RegExp(`${pattern}/?$`, 'i');
  return {
    template,
    literalCount,
    match(path: string) {
      const m = regex.exec(path.startsWith('/') ? path : `/${path}`);
      if (!m) return null;
      const params: Record<string, string> = {};
      for (let i = 0; i < names.length; i++) {
        const raw = m[i + 1];
        const spec = names[i]!;
        if (raw === undefined || raw === '') {
          if (!spec.optional) return null;
          continue;
        }
        const value = decodeURIComponent(raw);
        if (!spec.constraints.every((ok) => ok(value))) return null;
        params[spec.name] = value;
      }
      return params;
    },
  };
}

/** "{*name:c1:c2(x)?}" → parts; "{{" and "}}" inside constraints are escaped braces (ASP.NET routing). */
function parseParameter(
  segment: string,
): { catchAll: boolean; name: string; constraintText: string; optionalMark: boolean } | null {
  if (!segment.startsWith('{') || !segment.endsWith('}') || segment.startsWith('{{')) return null;
  let inner = segment.slice(1, -1).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  const catchAll = inner.startsWith('*');
  if (catchAll) inner = inner.slice(1);
  const optionalMark = inner.endsWith('?') && !inner.endsWith('\\?');
  if (optionalMark) inner = inner.slice(0, -1);
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(.*)$/s.exec(inner);
  if (!m) return null;
  return { catchAll, name: m[1]!, constraintText: m[2] ?? '', optionalMark };
}

/** Splits ":int:min(1)" on colons that are not inside parentheses. */
function splitConstraints(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ':' && depth === 0) {
      if (current) parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current) parts.push(current);
  return parts;
}
