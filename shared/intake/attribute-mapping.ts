import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * Entra-style attribute mapping for the bulkUpload door
 * (https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data):
 * each worker field gets an expression over the SCIM user. Supported: a source path
 * (`name.givenName`, `urn:...:enterprise:2.0:User:department`, `emails[type eq "work"].value`),
 * `"constant"`, Coalesce(a, b, ...), Join("sep", a, b, ...), Replace(a, "old", "new"), Left(a, n).
 * Unknown functions fail when the mapping is loaded, not per request.
 */
export type Expression = (data: Record<string, unknown>) => string | undefined;

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function readPath(data: Record<string, unknown>, path: string): unknown {
  let rest = path;
  let current: unknown = data;
  // URN-qualified attribute: the longest "urn:..." key of the object that prefixes the path.
  if (rest.startsWith('urn:')) {
    const key =
      Object.keys(data)
        .filter((k) => rest.startsWith(`${k}:`))
        .sort((a, b) => b.length - a.length)[0] ?? (rest.startsWith(`${ENTERPRISE}:`) ? ENTERPRISE : undefined);
    if (!key) return undefined;
    current = data[key];
    rest = rest.slice(key.length + 1);
  }
  for (const segment of rest.split('.')) {
    if (current === null || current === undefined) return undefined;
    const filter = /^(\w+)\[(\w+) eq "([^"]*)"\]$/.exec(segment);
    if (filter) {
      const list = (current as Record<string, unknown>)[filter[1]!];
      current = Array.isArray(list)
        ? list.find((item) => (item as Record<string, unknown>)[filter[2]!] === filter[3])
        : undefined;
    } else {
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}

function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    if (!quoted && ch === ')') depth--;
    if (!quoted && depth === 0 && ch === ',') {
      args.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) args.push(current.trim());
  return args;
}

export function compileExpression(text: string): Expression {
  const source = text.trim();
  const literal = /^"(.*)"$/.exec(source);
  if (literal) return () => literal[1];
  if (/^-?\d+$/.test(source)) return () => source;
  const call = /^(\w+)\((.*)\)$/s.exec(source);
  if (!call) {
    return (data) => {
      const value = readPath(data, source);
      return value === undefined || value === null ? undefined : String(value);
    };
  }
  const [, name, argText] = call;
  const args = splitArgs(argText!).map(compileExpression);
  switch (name!.toLowerCase()) {
    case 'coalesce':
      return (data) => args.map((a) => a(data)).find((v) => v !== undefined && v !== '');
    case 'join':
      return (data) => {
        const [sep, ...parts] = args.map((a) => a(data));
        const present = parts.filter((p): p is string => !!p);
        return present.length ? present.join(sep ?? '') : undefined;
      };
    case 'replace':
      return (data) => {
        const [value, from, to] = args.map((a) => a(data));
        return value === undefined ? undefined : value.split(from ?? '').join(to ?? '');
      };
    case 'left':
      return (data) => {
        const [value, n] = args.map((a) => a(data));
        return value?.slice(0, Number(n));
      };
    default:
      throw new Error(`unsupported mapping function ${name}`);
  }
}

const MappingFile = z.object({ fields: z.record(z.string(), z.string()) }).strict();

/** The mapping used for bulkUpload: worker field → expression. */
export function loadMapping(file: string): Record<string, Expression> {
  const parsed = MappingFile.safeParse(parseYaml(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return Object.fromEntries(
    Object.entries(parsed.data.fields).map(([field, expression]) => [field, compileExpression(expression)]),
  );
}

export function applyMapping(
  mapping: Record<string, Expression>,
  data: Record<string, unknown>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, expression] of Object.entries(mapping)) {
    const value = expression(data);
    if (value !== undefined && value !== '') out[field] = value;
  }
  return out;
}
