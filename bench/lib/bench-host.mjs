// The local host as the benches run it: a fresh data folder, the settings every bench gives it, and HR events
// posted signed like the webhook (README "Webhook contract").
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HOST_HEAP } from './host-heap.mjs';

const require = createRequire(import.meta.url);
const WEBHOOK_SECRET = 'bench';

/** A new data folder under the system's temp folder, named after the bench. */
export function benchDataDir(name) {
  return mkdtempSync(path.join(tmpdir(), `jml-${name}-`));
}

/** The host's settings for a bench: its data folder, the webhook secret the posts sign with, quiet logs. */
export function benchSettings(dataDir, policyFile = path.resolve('policy/policy.yaml')) {
  return {
    ENTRA_JML_DATA_DIR: dataDir,
    HR_EVENTS_QUEUE: 'hr-events',
    HR_WEBHOOK_SECRETS: WEBHOOK_SECRET,
    ENTRA_JML_LOG_LEVEL: 'error',
    ENTRA_JML_POLICY_FILE: policyFile,
  };
}

/** Starts the built app (dist/) on the local host in this process, on a free port. */
export async function startBenchHost(name, { emulators, policyFile, dataDir = benchDataDir(name) } = {}) {
  Object.assign(process.env, benchSettings(dataDir, policyFile));
  const { startHost } = require('../../dist/local/host/start-host.js');
  const host = await startHost({ appRoot: process.cwd(), port: 0, dataDir, emulators });
  return { host, dataDir, base: `http://localhost:${host.listeningPort}`, durable: host.extensionNamed('durable') };
}

/**
 * Starts the built app on the local host in a process of its own (`npm start`'s heap budget), so that the load a
 * bench generates does not share the host's event loop; resolves once /api/health answers.
 */
export async function spawnBenchHost(name) {
  // A free port, not a fixed one: a fixed port measured whatever host another run had left listening on it.
  const port = await new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address();
      probe.close(() => resolve(free));
    });
  });
  const host = spawn(process.execPath, [HOST_HEAP, 'dist/local/host/cli.js', 'start', '--port', String(port)], {
    stdio: 'ignore',
    env: { ...process.env, ...benchSettings(benchDataDir(name)) },
  });
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 20));
  }
  return { host, base };
}

/** One hire as the webhook takes it, signed: the body and headers of a request (bench load generators). */
export function signedHire(i, hireDate) {
  const body = JSON.stringify({
    eventId: `ev-${i}`,
    type: 'hire',
    occurredAt: new Date().toISOString(),
    worker: { employeeId: `I${i}`, legalGivenName: 'Intake', legalFamilyName: `Bench${i}`, hireDate, country: 'FR' },
  });
  return { body, headers: signedHeaders(body) };
}

function signedHeaders(body) {
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v1=${createHmac('sha256', WEBHOOK_SECRET).update(`${ts}.`).update(body).digest('hex')}`;
  return { 'content-type': 'application/json', 'x-entra-jml-timestamp': String(ts), 'x-entra-jml-signature': sig };
}

/** POSTs `payload` (one event, `{ events }`, or a CSV upload to /api/hr/csv) signed like the webhook. */
export function postSigned(base, payload, route = '/api/hr/events') {
  const body = JSON.stringify(payload);
  return fetch(`${base}${route}`, { method: 'POST', headers: signedHeaders(body), body });
}

/** Posts a batch of events and fails the bench unless they are accepted (202). */
export async function postEvents(base, events) {
  const res = await postSigned(base, { events });
  if (res.status !== 202) throw new Error(`webhook ${res.status} ${await res.text()}`);
}
