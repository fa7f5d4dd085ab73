import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The mechanical guards .ci/run relies on (Prettier, ESLint, dependency-cruiser) really refuse what they are meant
 * to: each runs on a temporary bad file placed in shared/domain, removed afterwards. A config that silently stopped
 * matching (a wrong glob, a rule turned off) would let this test pass no longer.
 */
const repoRoot = path.resolve(__dirname, '../..');
const run = promisify(execFile);
const bin = (name: string) => path.join(repoRoot, 'node_modules/.bin', name);
const probe = path.join(repoRoot, 'shared/domain/zz-guard-probe.ts');

async function exitCode(command: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

afterAll(() => rmSync(probe, { force: true }));

describe('CI guards refuse bad code', () => {
  it('Prettier refuses a badly formatted file', async () => {
    writeFileSync(probe, 'export const probe   =  {a:1}\n');
    const { code } = await exitCode(bin('prettier'), ['--check', '--ignore-path', '.prettierignore', probe]);
    expect(code).not.toBe(0);
  });

  it('ESLint refuses a floating promise (type-checked rule)', async () => {
    writeFileSync(probe, 'export function probe(): void {\n  Promise.resolve(1);\n}\n');
    const { code, out } = await exitCode(bin('eslint'), [probe]);
    expect(code).not.toBe(0);
    expect(out).toContain('@typescript-eslint/no-floating-promises');
  });

  it('dependency-cruiser refuses an SDK import in the pure domain', async () => {
    writeFileSync(
      probe,
      "import { DefaultAzureCredential } from '@azure/identity';\nexport const probe = DefaultAzureCredential;\n",
    );
    const { code, out } = await exitCode(bin('depcruise'), [probe, '--config', '.dependency-cruiser.cjs']);
    expect(code).not.toBe(0);
    expect(out).toContain('pure-core-imports-no-sdk');
  });

  it('dependency-cruiser refuses the app reaching into the local host', async () => {
    writeFileSync(probe, "import { startHost } from '../../local/host/start-host';\nexport const probe = startHost;\n");
    const { code, out } = await exitCode(bin('depcruise'), [probe, '--config', '.dependency-cruiser.cjs']);
    expect(code).not.toBe(0);
    expect(out).toContain('app-never-imports-local-host');
  });
});
