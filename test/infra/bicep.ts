import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

/**
 * Reads infra/ with a real Bicep grammar (tree-sitter-bicep's WASM build, loaded by web-tree-sitter: no Bicep CLI
 * and no native compile), so CI can check the templates on any machine.
 */
export const ROOT = path.resolve(__dirname, '..', '..');
export const INFRA = path.join(ROOT, 'infra');

let parser: Promise<Parser> | undefined;

export function bicepParser(): Promise<Parser> {
  parser ??= (async () => {
    await Parser.init();
    const language = await Language.load(
      path.join(ROOT, 'node_modules', 'tree-sitter-bicep', 'tree-sitter-bicep.wasm'),
    );
    return new Parser().setLanguage(language);
  })();
  return parser;
}

/**
 * tree-sitter-bicep 1.1.0 predates the `extension <alias>` statement (Bicep 0.30 renamed `provider`/`import` to it;
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-extension). Only that exact statement form is
 * rewritten to the `provider '<alias>'` form the grammar knows, on the same line; anything else stays as written.
 */
export function withExtensionStatementsAsProviders(source: string): string {
  return source.replace(/^extension ([A-Za-z_][A-Za-z0-9_]*)[ \t]*$/gm, "provider '$1'");
}

export interface SyntaxError {
  line: number;
  column: number;
  text: string;
}

export function syntaxErrors(tree: Tree): SyntaxError[] {
  const errors: SyntaxError[] = [];
  const walk = (node: Node) => {
    if (node.type === 'ERROR' || node.isMissing) {
      errors.push({
        line: node.startPosition.row + 1,
        column: node.startPosition.column + 1,
        text: node.isMissing ? `missing ${node.type}` : node.text.slice(0, 80),
      });
      return;
    }
    if (node.hasError) for (const child of node.children) if (child) walk(child);
  };
  walk(tree.rootNode);
  return errors;
}

export function bicepFiles(dir = INFRA): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.bicep'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

const named = (node: Node): Node[] =>
  node.namedChildren.filter((child): child is Node => !!child && !child.type.endsWith('comment'));

/** The text of a string literal without interpolation, else undefined. */
export function literalString(node: Node | undefined): string | undefined {
  if (node?.type !== 'string') return undefined;
  const parts = named(node);
  if (parts.some((part) => part.type !== 'string_content' && part.type !== 'escape_sequence')) return undefined;
  return parts.map((part) => part.text).join('');
}

/** key → value of an object literal (keys unquoted). */
export function properties(object: Node | undefined): Map<string, Node> {
  const map = new Map<string, Node>();
  if (object?.type !== 'object') return map;
  for (const property of named(object).filter((child) => child.type === 'object_property')) {
    const [key, ...rest] = named(property);
    const value = rest.at(-1);
    if (!key || !value) continue;
    map.set(literalString(key) ?? key.text, value);
  }
  return map;
}

/** A nested property by dotted path (`properties.siteConfig.minTlsVersion`). */
export function property(object: Node | undefined, dotted: string): Node | undefined {
  let current = object;
  for (const key of dotted.split('.')) current = properties(current).get(key);
  return current;
}

export interface BicepResource {
  symbol: string;
  type: string;
  apiVersion: string;
  existing: boolean;
  /** The `if (...)` condition, when the resource is conditional. */
  condition: Node | undefined;
  /** The `[for ...]` loop, when the resource is repeated. */
  loop: Node | undefined;
  body: Node;
}

export interface BicepModule {
  symbol: string;
  path: string;
  condition: Node | undefined;
  params: Map<string, Node>;
}

export interface BicepParam {
  type: string;
  defaultValue: Node | undefined;
}

export class BicepFile {
  readonly tree: Tree;

  constructor(
    readonly file: string,
    readonly source: string,
    parser: Parser,
  ) {
    const tree = parser.parse(withExtensionStatementsAsProviders(source));
    if (!tree) throw new Error(`tree-sitter returned no tree for ${file}`);
    this.tree = tree;
  }

  static async load(file: string): Promise<BicepFile> {
    const absolute = path.isAbsolute(file) ? file : path.join(INFRA, file);
    return new BicepFile(absolute, readFileSync(absolute, 'utf8'), await bicepParser());
  }

  private declarations(type: string): Node[] {
    return named(this.tree.rootNode).filter((node) => node.type === type);
  }

  get params(): Map<string, BicepParam> {
    return new Map(
      this.declarations('parameter_declaration').map((node) => {
        const [name, type, defaultValue] = named(node);
        return [name!.text, { type: type!.text, defaultValue }];
      }),
    );
  }

  get vars(): Map<string, Node> {
    return new Map(
      this.declarations('variable_declaration').map((node) => {
        const [name, value] = named(node);
        return [name!.text, value!];
      }),
    );
  }

  get outputs(): Map<string, Node> {
    return new Map(
      this.declarations('output_declaration').map((node) => {
        const [name, , value] = named(node);
        return [name!.text, value!];
      }),
    );
  }

  get resources(): BicepResource[] {
    return this.declarations('resource_declaration').map((node) => {
      const [symbol, typeString, body] = named(node);
      const [type, apiVersion] = literalString(typeString)!.split('@') as [string, string];
      const { object, condition, loop } = unwrap(body!);
      return {
        symbol: symbol!.text,
        type,
        apiVersion,
        existing: node.children.some((child) => child?.type === 'existing'),
        condition,
        loop,
        body: object,
      };
    });
  }

  get modules(): BicepModule[] {
    return this.declarations('module_declaration').map((node) => {
      const [symbol, pathString, body] = named(node);
      const { object, condition } = unwrap(body!);
      return {
        symbol: symbol!.text,
        path: literalString(pathString)!,
        condition,
        params: properties(properties(object).get('params')),
      };
    });
  }

  resource(symbol: string): BicepResource {
    const found = this.resources.find((resource) => resource.symbol === symbol);
    if (!found) throw new Error(`${path.relative(ROOT, this.file)} declares no resource ${symbol}`);
    return found;
  }

  resourcesOfType(type: string): BicepResource[] {
    return this.resources.filter((resource) => resource.type.toLowerCase() === type.toLowerCase());
  }
}

/** A resource or module body: `{...}`, `if (c) {...}` or `[for x in xs: {...}]` (or `[for ...: if (c) {...}]`). */
function unwrap(body: Node): { object: Node; condition: Node | undefined; loop: Node | undefined } {
  if (body.type === 'object') return { object: body, condition: undefined, loop: undefined };
  if (body.type === 'if_statement') {
    const [condition, object] = named(body);
    return { object: object!, condition, loop: undefined };
  }
  if (body.type === 'for_statement') {
    const inner = named(body).at(-1)!;
    return { ...unwrap(inner), loop: body };
  }
  throw new Error(`unexpected resource body ${body.type}`);
}

/** Every string literal (including interpolated parts as written) anywhere under a node. */
export function descendantsOfType(node: Node, type: string): Node[] {
  return node.descendantsOfType(type).filter((child): child is Node => !!child);
}

export function childNodes(node: Node): Node[] {
  return named(node);
}
