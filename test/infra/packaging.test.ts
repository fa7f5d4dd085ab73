import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './bicep';

/**
 * What `azd deploy` uploads: with remoteBuild, Flex Consumption installs dependencies and runs `npm run build` on
 * Linux x64 (https://learn.microsoft.com/azure/azure-functions/typescript-build-options#remote-build), so the package
 * is sources + manifests, without this machine's node_modules (dev dependencies, a better-sqlite3 built for another
 * OS) or dist/.
 */
const funcignore = readFileSync(path.join(ROOT, '.funcignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

/** gitignore-style matching for the pattern forms .funcignore uses: `/name`, `name`, `*` globs. */
function ignored(file: string): boolean {
  const segments = file.split('/');
  return funcignore.some((pattern) => {
    const anchored = pattern.startsWith('/');
    const glob = new RegExp(
      `^${pattern
        .replace(/^\//, '')
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')}$`,
    );
    return anchored ? glob.test(segments[0]!) : segments.some((segment) => glob.test(segment));
  });
}

describe('deployment package', () => {
  it('azure.yaml deploys the Function App with a remote build', () => {
    const azureYaml = readFileSync(path.join(ROOT, 'azure.yaml'), 'utf8');
    expect(azureYaml).toMatch(/host: function/);
    expect(azureYaml).toMatch(/remoteBuild: true/);
    expect(azureYaml).not.toMatch(/prepackage:/);
  });

  it.each([
    'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    'node_modules/vitest/package.json',
    'dist/functions/health.js',
    'test/infra/settings.test.ts',
    'local/host/host.ts',
    'bench/run.mjs',
    '.data/graph-emulator.sqlite',
    'local.settings.json',
    'infra/main.bicep',
    '.azure/dev/.env',
    '.git/config',
  ])('leaves out %s', (file) => expect(ignored(file)).toBe(true));

  it.each([
    'package.json',
    'package-lock.json',
    'host.json',
    'tsconfig.json',
    'functions/health.ts',
    'functions/activities/notify-manager.ts',
    'shared/adapters/queue/local-event-queue.ts',
    'shared/domain/policy.ts',
    'policy/policy.yaml',
  ])('ships %s', (file) => expect(ignored(file)).toBe(false));

  it('the remote build has a build script and the runtime finds the compiled functions', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      main: string;
      scripts: Record<string, string>;
      engines: { node: string };
    };
    expect(pkg.scripts.build).toMatch(/tsc -p tsconfig\.json/);
    expect(pkg.main).toBe('dist/functions/**/*.js');
    const tsconfig = readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8');
    expect(tsconfig).toMatch(/"outDir": "dist"/);
  });
});
