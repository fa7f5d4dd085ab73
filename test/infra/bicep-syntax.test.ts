import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BicepFile,
  bicepFiles,
  bicepParser,
  childNodes,
  descendantsOfType,
  INFRA,
  literalString,
  ROOT,
  syntaxErrors,
  withExtensionStatementsAsProviders,
} from './bicep';

/**
 * Every template in infra/ is valid Bicep syntax and the templates agree with each other (module paths, the
 * parameters each module is given, the outputs read from it, loaded files), without the Bicep CLI.
 */
async function errorsIn(source: string) {
  const tree = (await bicepParser()).parse(withExtensionStatementsAsProviders(source));
  return syntaxErrors(tree!);
}

describe('Bicep syntax (tree-sitter-bicep)', () => {
  it('finds the templates', () => {
    expect(bicepFiles().map((file) => path.relative(INFRA, file))).toEqual(
      expect.arrayContaining(['main.bicep', 'modules/function-app.bicep', 'modules/graph-permissions.bicep']),
    );
  });

  it.each(bicepFiles().map((file) => [path.relative(ROOT, file), file]))('%s parses', async (_name, file) => {
    const errors = await errorsIn(readFileSync(file, 'utf8'));
    expect(errors, JSON.stringify(errors)).toEqual([]);
  });

  it('catches syntax errors (the check can fail)', async () => {
    const good = "param name string\nresource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: name\n}\n";
    expect(await errorsIn(good)).toEqual([]);
    // A property without a value, an unclosed object, a missing `=`, a stray token.
    const broken = [
      "resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: \n}\n",
      "resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: 'kv'\n",
      'param name string\nvar x name\n',
      "output url string = 'https://${app.name}' )\n",
      'extension microsoftGraphV1 with {\n',
    ];
    for (const source of broken) expect((await errorsIn(source)).length, source).toBeGreaterThan(0);
    const firstError = (await errorsIn(broken[0]!))[0]!;
    expect(firstError.line).toBeGreaterThanOrEqual(2);
  });

  it('rewrites only the bare `extension <alias>` statement for the grammar', () => {
    expect(withExtensionStatementsAsProviders('extension microsoftGraphV1\nparam a string')).toBe(
      "provider 'microsoftGraphV1'\nparam a string",
    );
    expect(withExtensionStatementsAsProviders('extension foo bar')).toBe('extension foo bar');
  });
});

describe('templates agree with each other', () => {
  it('every module exists and gets exactly the parameters it declares (all required ones)', async () => {
    for (const file of bicepFiles()) {
      const template = await BicepFile.load(file);
      for (const module of template.modules) {
        const target = path.resolve(path.dirname(file), module.path);
        expect(existsSync(target), `${module.symbol} → ${module.path}`).toBe(true);
        const declared = (await BicepFile.load(target)).params;
        const passed = [...module.params.keys()];
        const unknown = passed.filter((name) => !declared.has(name));
        const missing = [...declared]
          .filter(([name, param]) => !param.defaultValue && !param.type.endsWith('?') && !passed.includes(name))
          .map(([name]) => name);
        expect({ module: module.symbol, unknown, missing }).toEqual({
          module: module.symbol,
          unknown: [],
          missing: [],
        });
      }
    }
  });

  it('every `<module>.outputs.<name>` read exists in that module', async () => {
    for (const file of bicepFiles()) {
      const template = await BicepFile.load(file);
      const outputsOf = new Map<string, Set<string>>();
      for (const module of template.modules) {
        const target = await BicepFile.load(path.resolve(path.dirname(file), module.path));
        outputsOf.set(module.symbol, new Set(target.outputs.keys()));
      }
      const reads = template.source.matchAll(/\b([A-Za-z_]\w*)\.outputs\.([A-Za-z_]\w*)/g);
      for (const [, symbol, output] of reads) {
        if (!outputsOf.has(symbol!)) continue;
        expect(outputsOf.get(symbol!)!.has(output!), `${path.relative(ROOT, file)}: ${symbol}.outputs.${output}`).toBe(
          true,
        );
      }
    }
  });

  it('files loaded with loadJsonContent/loadTextContent exist', async () => {
    for (const file of bicepFiles()) {
      const template = await BicepFile.load(file);
      const calls = descendantsOfType(template.tree.rootNode, 'call_expression').filter((call) =>
        /^load(Json|Text|Yaml)Content$/.test(call.childForFieldName('function')?.text ?? ''),
      );
      for (const call of calls) {
        const argument = childNodes(call.childForFieldName('arguments')!)[0];
        const loaded = literalString(argument);
        expect(loaded, call.text).toBeDefined();
        expect(existsSync(path.resolve(path.dirname(file), loaded!)), loaded).toBe(true);
      }
    }
  });

  it('bicepconfig.json declares every `extension` alias the templates use', async () => {
    const config = JSON.parse(
      readFileSync(path.join(INFRA, 'bicepconfig.json'), 'utf8').replace(/^\s*\/\/.*$/gm, ''),
    ) as { extensions?: Record<string, string> };
    const used = new Set<string>();
    for (const file of bicepFiles()) {
      for (const [, alias] of readFileSync(file, 'utf8').matchAll(/^extension (\w+)/gm)) used.add(alias!);
    }
    expect([...used]).toContain('microsoftGraphV1');
    for (const alias of used) {
      expect(config.extensions?.[alias], alias).toMatch(/^br:mcr\.microsoft\.com\/bicep\/extensions\/microsoftgraph\//);
    }
  });
});
