import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The OpenAPI document and the app's registrations describe the same routes: the built app is loaded through the
 * local host's @azure/functions-core shim (as the host loads it), and every registered `ops/...` route and method
 * is compared with the document's paths, both ways.
 */
const repoRoot = path.resolve(__dirname, '../..');
const load = createRequire(__filename);

interface Registered {
  metadata: { name: string };
  trigger: { type?: string | null; route?: string; methods?: string[] };
}

/** `{name:constraint}` → `{name}`; `{name:regex(^(a|b)$)}` → a path per alternative; `{x?}` → with and without. */
function expand(route: string): string[] {
  let paths = [''];
  for (const segment of route.split('/')) {
    const param = /^\{([^:}?]+)(?::(.*?))?(\?)?\}$/.exec(segment);
    const regex = param?.[2] ? /^regex\(\^\(?([^)$]*)\)?\$\)$/.exec(param[2]) : null;
    const options = regex ? regex[1]!.split('|') : param ? [`{${param[1]}}`] : [segment];
    const optional = param?.[3] === '?';
    paths = paths.flatMap((p) => [...options.map((o) => `${p}/${o}`), ...(optional ? [p] : [])]);
  }
  return paths;
}

describe('OpenAPI document of /api/ops', () => {
  let registered: Set<string>;
  let documented: Set<string>;
  beforeAll(async () => {
    const { FunctionsCoreApi, installCoreApi } = load(path.join(repoRoot, 'dist/local/host/core-api.js')) as {
      FunctionsCoreApi: new () => { functions: Map<string, Registered> };
      installCoreApi(this: void, api: unknown): void;
    };
    const { loadEntryPoints, resolveEntryPoints } = load(path.join(repoRoot, 'dist/local/host/load-app.js')) as {
      resolveEntryPoints(this: void, root: string): Promise<string[]>;
      loadEntryPoints(this: void, files: string[], root: string): Promise<void>;
    };
    const api = new FunctionsCoreApi();
    installCoreApi(api);
    await loadEntryPoints(await resolveEntryPoints(repoRoot), repoRoot);
    registered = new Set(
      [...api.functions.values()]
        .filter((fn) => fn.trigger.type === 'httpTrigger' && fn.trigger.route?.startsWith('ops/'))
        .flatMap((fn) =>
          expand(fn.trigger.route!).flatMap((p) => (fn.trigger.methods ?? []).map((m) => `${m.toUpperCase()} ${p}`)),
        ),
    );
    const { OPS_OPENAPI } = load(path.join(repoRoot, 'dist/shared/ops/openapi.js')) as {
      OPS_OPENAPI: { openapi: string; paths: Record<string, Record<string, unknown>> };
    };
    expect(OPS_OPENAPI.openapi).toBe('3.1.0');
    documented = new Set(
      Object.entries(OPS_OPENAPI.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)),
    );
  });

  it('documents every registered ops route', () => {
    expect(registered.size).toBeGreaterThan(15);
    expect([...registered].filter((r) => !documented.has(r))).toEqual([]);
  });

  it('documents no route the app does not register', () => {
    expect([...documented].filter((d) => !registered.has(d))).toEqual([]);
  });

  it('expands route templates the way the host matches them', () => {
    expect(expand('ops/holds/{holdId:guid}/{decision:regex(^(approve|reject)$)}')).toEqual([
      '/ops/holds/{holdId}/approve',
      '/ops/holds/{holdId}/reject',
    ]);
    expect(expand('ops/dead-letters/{sequenceNumber:long}/{action:regex(^replay$)?}')).toEqual([
      '/ops/dead-letters/{sequenceNumber}/replay',
      '/ops/dead-letters/{sequenceNumber}',
    ]);
  });
});
