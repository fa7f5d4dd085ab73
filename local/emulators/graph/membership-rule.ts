/**
 * Dynamic membership rules of groups and administrative units, the subset the emulator evaluates
 * (https://learn.microsoft.com/entra/identity/users/groups-dynamic-membership): `user.<property>` compared
 * with `-eq`, `-ne`, `-startsWith` or `-contains` to a quoted string, `true`, `false` or `null`, combined with
 * `-and` / `-or` (and binds tighter) and parentheses. Graph evaluates rules asynchronously; the emulator
 * evaluates them when membership is read. A rule outside this subset matches nobody.
 */
type Comparison = { op: 'eq' | 'ne' | 'startswith' | 'contains'; property: string; value: string | boolean | null };
type Rule = { op: 'and' | 'or'; children: Rule[] } | Comparison;

function parse(rule: string): Rule | null {
  const tokens = rule.match(/\(|\)|"(?:[^"\\]|\\.)*"|-?[A-Za-z_.0-9]+/g) ?? [];
  let pos = 0;
  const or = (): Rule | null => {
    const children: Rule[] = [];
    for (;;) {
      const child = and();
      if (!child) return null;
      children.push(child);
      if (tokens[pos]?.toLowerCase() !== '-or') break;
      pos++;
    }
    return children.length === 1 ? children[0]! : { op: 'or', children };
  };
  const and = (): Rule | null => {
    const children: Rule[] = [];
    for (;;) {
      const child = term();
      if (!child) return null;
      children.push(child);
      if (tokens[pos]?.toLowerCase() !== '-and') break;
      pos++;
    }
    return children.length === 1 ? children[0]! : { op: 'and', children };
  };
  const term = (): Rule | null => {
    if (tokens[pos] === '(') {
      pos++;
      const inner = or();
      if (tokens[pos++] !== ')') return null;
      return inner;
    }
    const property = /^user\.([A-Za-z0-9]+)$/i.exec(tokens[pos++] ?? '')?.[1];
    const operator = tokens[pos++]?.toLowerCase().replace(/^-/, '');
    const raw = tokens[pos++];
    if (!property || !raw || !['eq', 'ne', 'startswith', 'contains'].includes(operator ?? '')) return null;
    const value = raw.startsWith('"')
      ? raw.slice(1, -1).replace(/\\(.)/g, '$1')
      : raw.toLowerCase() === 'null'
        ? null
        : raw.toLowerCase() === 'true'
          ? true
          : raw.toLowerCase() === 'false'
            ? false
            : undefined;
    if (value === undefined) return null;
    return { op: operator as 'eq' | 'ne' | 'startswith' | 'contains', property, value };
  };
  const tree = or();
  return tree && pos === tokens.length ? tree : null;
}

function evaluate(rule: Rule, user: Record<string, unknown>): boolean {
  if ('children' in rule)
    return rule.op === 'and'
      ? rule.children.every((c) => evaluate(c, user))
      : rule.children.some((c) => evaluate(c, user));
  return compare(rule, user);
}

function compare(rule: Comparison, user: Record<string, unknown>): boolean {
  const property = rule.property.toLowerCase();
  const key = Object.keys(user).find((k) => k.toLowerCase() === property);
  const actual = key ? (user[key] ?? null) : null;
  const norm = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
  switch (rule.op) {
    case 'eq':
      return norm(actual) === norm(rule.value);
    case 'ne':
      return norm(actual) !== norm(rule.value);
    case 'startswith':
      return typeof actual === 'string' && typeof rule.value === 'string'
        ? actual.toLowerCase().startsWith(rule.value.toLowerCase())
        : false;
    case 'contains':
      return typeof actual === 'string' && typeof rule.value === 'string'
        ? actual.toLowerCase().includes(rule.value.toLowerCase())
        : false;
  }
}

const cache = new Map<string, Rule | null>();

/** Whether the user falls under the rule (false for a rule the emulator cannot read). */
export function ruleMatches(rule: string, user: Record<string, unknown>): boolean {
  if (!cache.has(rule)) cache.set(rule, parse(rule));
  const parsed = cache.get(rule);
  return parsed ? evaluate(parsed, user) : false;
}
