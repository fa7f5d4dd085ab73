/**
 * The OData `$filter` subset the emulator understands on directory objects
 * (https://learn.microsoft.com/graph/filter-query-parameter): `eq`, `ne`, `in`, `startsWith`, `endsWith`,
 * `not`, `and`, `or` and parentheses over string, boolean and null literals. The parse tree also tells
 * which operators need advanced query parameters and how many equality expressions are OR-combined, the two
 * things Graph checks before it runs a query (see query-limits.ts).
 */
export type FilterNode =
  | { op: 'or' | 'and'; children: FilterNode[] }
  | { op: 'not'; child: FilterNode }
  | { op: 'eq' | 'ne'; property: string; value: Literal }
  | { op: 'in'; property: string; values: Literal[] }
  | { op: 'startsWith' | 'endsWith'; property: string; value: string };

type Literal = string | boolean | null;

export class FilterSyntaxError extends Error {}

type Token = { kind: 'word' | 'string' | 'punct'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= input.length) throw new FilterSyntaxError('unterminated string literal');
        if (input[i] === "'" && input[i + 1] === "'") {
          text += "'";
          i += 2;
        } else if (input[i] === "'") {
          i++;
          break;
        } else text += input[i++];
      }
      tokens.push({ kind: 'string', text });
    } else if ('(),'.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else {
      const m = /^[A-Za-z0-9_.\-/$@]+/.exec(input.slice(i));
      if (!m) throw new FilterSyntaxError(`unexpected character '${c}'`);
      tokens.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

export function parseFilter(input: string): FilterNode {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (text: string) => peek()?.kind === 'word' && peek()!.text.toLowerCase() === text;
  const expect = (text: string) => {
    if (peek()?.text !== text) throw new FilterSyntaxError(`expected '${text}'`);
    pos++;
  };
  const literal = (): Literal => {
    const t = tokens[pos++];
    if (!t) throw new FilterSyntaxError('expected a value');
    if (t.kind === 'string') return t.text;
    if (t.kind === 'word' && ['true', 'false', 'null'].includes(t.text.toLowerCase()))
      return t.text.toLowerCase() === 'null' ? null : t.text.toLowerCase() === 'true';
    throw new FilterSyntaxError(`unsupported value '${t.text}'`);
  };
  const property = (): string => {
    const t = tokens[pos++];
    if (t?.kind !== 'word') throw new FilterSyntaxError('expected a property');
    return t.text;
  };
  const or = (): FilterNode => {
    const children = [and()];
    while (isWord('or')) {
      pos++;
      children.push(and());
    }
    return children.length === 1 ? children[0]! : { op: 'or', children };
  };
  const and = (): FilterNode => {
    const children = [unary()];
    while (isWord('and')) {
      pos++;
      children.push(unary());
    }
    return children.length === 1 ? children[0]! : { op: 'and', children };
  };
  const unary = (): FilterNode => {
    if (isWord('not')) {
      pos++;
      return { op: 'not', child: unary() };
    }
    if (peek()?.text === '(') {
      pos++;
      const inner = or();
      expect(')');
      return inner;
    }
    const fn = peek()?.text.toLowerCase();
    if ((fn === 'startswith' || fn === 'endswith') && tokens[pos + 1]?.text === '(') {
      pos += 2;
      const prop = property();
      expect(',');
      const value = literal();
      expect(')');
      if (typeof value !== 'string') throw new FilterSyntaxError(`${fn} needs a string`);
      return { op: fn === 'startswith' ? 'startsWith' : 'endsWith', property: prop, value };
    }
    const prop = property();
    const operator = tokens[pos++]?.text.toLowerCase();
    if (operator === 'eq' || operator === 'ne') return { op: operator, property: prop, value: literal() };
    if (operator === 'in') {
      expect('(');
      const values = [literal()];
      while (peek()?.text === ',') {
        pos++;
        values.push(literal());
      }
      expect(')');
      return { op: 'in', property: prop, values };
    }
    throw new FilterSyntaxError(`unsupported operator '${operator ?? ''}'`);
  };
  const tree = or();
  if (pos !== tokens.length) throw new FilterSyntaxError(`unexpected '${tokens[pos]!.text}'`);
  return tree;
}

/** Operators that only advanced queries support (aad-advanced-queries, "Support for filter by properties"). */
export function advancedOperators(node: FilterNode): Set<'ne' | 'not' | 'endsWith'> {
  const found = new Set<'ne' | 'not' | 'endsWith'>();
  const walk = (n: FilterNode): void => {
    if (n.op === 'ne' || n.op === 'not' || n.op === 'endsWith') found.add(n.op);
    if (n.op === 'or' || n.op === 'and') n.children.forEach(walk);
    if (n.op === 'not') walk(n.child);
  };
  walk(node);
  return found;
}

/** Equality expressions OR-combined in the filter: each `eq` counts 1, each value of an `in` counts 1. */
export function orExpressionCount(node: FilterNode): number {
  switch (node.op) {
    case 'or':
    case 'and':
      return node.children.reduce((sum, child) => sum + orExpressionCount(child), 0);
    case 'not':
      return orExpressionCount(node.child);
    case 'in':
      return node.values.length;
    default:
      return 1;
  }
}

/** `eq` values, which Graph caps at 120 characters outside advanced queries. */
export function eqValues(node: FilterNode): string[] {
  switch (node.op) {
    case 'or':
    case 'and':
      return node.children.flatMap(eqValues);
    case 'not':
      return eqValues(node.child);
    case 'eq':
      return typeof node.value === 'string' ? [node.value] : [];
    default:
      return [];
  }
}

/** Properties the filter reads, to refuse the ones the emulator does not index. */
export function filterProperties(node: FilterNode): string[] {
  switch (node.op) {
    case 'or':
    case 'and':
      return node.children.flatMap(filterProperties);
    case 'not':
      return filterProperties(node.child);
    default:
      return [node.property];
  }
}

/**
 * When the filter is only `eq`/`in` clauses joined by `or`, the values per property (the indexed fast path);
 * otherwise null.
 */
export function equalityLookups(node: FilterNode): { property: string; values: string[] }[] | null {
  const parts = node.op === 'or' ? node.children : [node];
  const lookups: { property: string; values: string[] }[] = [];
  for (const part of parts) {
    if (part.op === 'eq' && typeof part.value === 'string')
      lookups.push({ property: part.property, values: [part.value] });
    else if (part.op === 'in' && part.values.every((v) => typeof v === 'string'))
      lookups.push({ property: part.property, values: part.values });
    else return null;
  }
  return lookups;
}

/** Evaluates the filter on one object; string comparisons ignore case, as directory queries do. */
export function matches(node: FilterNode, doc: Record<string, unknown>): boolean {
  const norm = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : (v ?? null));
  switch (node.op) {
    case 'or':
      return node.children.some((c) => matches(c, doc));
    case 'and':
      return node.children.every((c) => matches(c, doc));
    case 'not':
      return !matches(node.child, doc);
    case 'eq':
      return norm(doc[node.property]) === norm(node.value);
    case 'ne':
      return norm(doc[node.property]) !== norm(node.value);
    case 'in':
      return node.values.some((v) => norm(doc[node.property]) === norm(v));
    case 'startsWith':
    case 'endsWith': {
      const value = doc[node.property];
      if (typeof value !== 'string') return false;
      const [a, b] = [value.toLowerCase(), node.value.toLowerCase()];
      return node.op === 'startsWith' ? a.startsWith(b) : a.endsWith(b);
    }
  }
}
