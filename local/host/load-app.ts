import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { glob } from 'glob';

/**
 * Finds and loads the app's entry point files the way the Node worker does
 * (azure-functions-nodejs-worker src/startApp.ts: package.json `main`, a path or a glob, relative
 * to the app root; zero matches is an error; .mjs or "type": "module" load as ESM).
 */
export async function resolveEntryPoints(appRoot: string): Promise<string[]> {
  const packageJsonPath = path.join(appRoot, 'package.json');
  if (!existsSync(packageJsonPath)) {
    throw new Error(`No package.json in ${appRoot}: a Functions v4 Node app needs one with a "main" entry.`);
  }
  const pkg = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { main?: string };
  const main = pkg.main ?? 'index.js';
  const files = glob.hasMagic(main)
    ? (await glob(main, { cwd: appRoot, absolute: true, nodir: true, windowsPathsNoEscape: true })).sort()
    : [path.resolve(appRoot, main)];
  if (files.length === 0) {
    throw new Error(
      `Found zero files matching the supplied pattern "${main}" (package.json main) in ${appRoot}. ` +
        'Did you build the app?',
    );
  }
  for (const file of files) {
    if (!existsSync(file))
      throw new Error(`package.json main points at ${file}, which does not exist. Did you build the app?`);
  }
  return files;
}

export async function loadEntryPoints(files: string[], appRoot: string): Promise<void> {
  const pkg = JSON.parse(readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { type?: string };
  for (const file of files) {
    const esm = file.endsWith('.mjs') || (pkg.type === 'module' && !file.endsWith('.cjs'));
    if (esm) {
      await import(pathToFileURL(file).href);
    } else {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(file);
    }
  }
}
