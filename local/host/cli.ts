#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EMULATOR_MODE_SETTING, emulatorModeFrom } from './emulator-mode';
import { startHost } from './start-host';

/**
 * `entra-jml-host start [--cwd DIR] [--port N]`: runs a Functions v4 Node app the way `func start`
 * does (port 7071 by default, local.settings.json Values as environment, Host.LocalHttpPort).
 */
const USAGE =
  'usage: entra-jml-host start [--cwd DIR] [--port N] [--host ADDRESS] [--data-dir DIR] ' +
  '[--emulators worker|in-process]';

function localHttpPort(appRoot: string): number | undefined {
  const file = path.join(appRoot, 'local.settings.json');
  if (!existsSync(file)) return undefined;
  try {
    const port = (JSON.parse(readFileSync(file, 'utf8')) as { Host?: { LocalHttpPort?: unknown } }).Host?.LocalHttpPort;
    return typeof port === 'number' ? port : undefined;
  } catch {
    return undefined;
  }
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      cwd: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      // Where the Graph emulator and SCIM demo targets run (default: a worker thread, off the app's loop).
      emulators: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals[0] !== 'start') {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const appRoot = path.resolve(values.cwd ?? process.cwd());
  const port = values.port !== undefined ? Number(values.port) : (localHttpPort(appRoot) ?? 7071);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be an integer between 0 and 65535, got "${values.port}"`);
    process.exit(2);
  }
  let emulators;
  try {
    emulators = emulatorModeFrom(values.emulators ?? process.env[EMULATOR_MODE_SETTING]);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  }
  const started = Date.now();
  const host = await startHost({ appRoot, port, bindAddress: values.host, dataDir: values['data-dir'], emulators });
  printBanner(host, Date.now() - started);

  let signals = 0;
  const shutdown = (signal: string) => {
    signals++;
    if (signals > 1) process.exit(130);
    console.log(`\n${signal} received: finishing in-flight work, then stopping.`);
    host.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

function printBanner(host: Awaited<ReturnType<typeof startHost>>, ms: number): void {
  const base = `http://localhost:${host.listeningPort}`;
  const http = host.extensionNamed('http') as unknown as
    | {
        routes?: () => { name: string; route: string; methods: string[] | null; authLevel: string }[];
        keysEnforced?: () => boolean;
      }
    | undefined;
  const routes = new Map((http?.routes?.() ?? []).map((r) => [r.name, r]));
  console.log(`\nFunctions (${host.services.functions().length}):\n`);
  for (const fn of host.services.functions()) {
    const route = routes.get(fn.metadata.name);
    const trigger = String(fn.trigger.type);
    if (route) {
      console.log(
        `  ${fn.metadata.name}: [${(route.methods ?? ['ALL']).join(',')}] ${base}${route.route}` +
          (route.authLevel !== 'anonymous' ? ` (${route.authLevel})` : ''),
      );
    } else {
      console.log(`  ${fn.metadata.name}: ${trigger}`);
    }
  }
  if (http?.keysEnforced && !http.keysEnforced()) {
    console.log(
      '\n  Function keys are not enforced ' +
        '(no ENTRA_JML_HOST_MASTER_KEY / ENTRA_JML_HOST_FUNCTION_KEYS set), as with Core Tools.',
    );
  }
  const worker = host.extensionNamed('emulator-worker') as { threadId?: () => number | undefined } | undefined;
  if (host.extensionNamed('graph-emulator') || worker) {
    const where = worker ? `worker thread ${worker.threadId?.() ?? '?'}` : 'on the host thread';
    console.log(`\nLocal stand-ins (no tenant configured; Graph emulator and SCIM targets ${where}):`);
    console.log(
      `  Graph emulator   ${base}/_local/graph/v1.0   ` +
        `(tenant state: ${base}/_local/graph/_admin/state, mail outbox: ${base}/_local/graph/_admin/outbox)`,
    );
    console.log(`  Entra tokens     ${base}/_local/entra/11111111-1111-4111-8111-111111111111/oauth2/v2.0/token`);
  }
  if (host.extensionNamed('servicebus')) console.log(`  Service Bus      ${base}/_local/servicebus/queues/{queue}`);
  if (host.extensionNamed('scim-demo-targets') || worker) {
    console.log(`  SCIM acme-crm    ${base}/_local/scim/acme-crm/v2   (standards-compliant)`);
    console.log(
      `  SCIM globex-wiki ${base}/_local/scim/globex-wiki/v2   ` +
        `(quirky; state: ${base}/_local/scim/_admin/{target}/state)`,
    );
    console.log(`  SCIM initech-hr  ${base}/_local/scim/initech-hr/v2   (compliant, no bulk; benches)`);
  }
  if (host.extensionNamed('durable')) console.log(`  Durable API      ${base}/runtime/webhooks/durabletask/instances`);
  console.log(`\nData folder: ${host.dataDir}`);
  console.log(`Started in ${ms} ms.`);
  console.log(`Host listening on ${base}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
