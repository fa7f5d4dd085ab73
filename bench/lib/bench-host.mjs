// The local host as the benches run it: a fresh data folder, the settings every bench gives it, and HR events
// posted signed like the webhook (README "Webhook contract").
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

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

/** POSTs `payload` (one event, `{ events }`, or a CSV upload to /api/hr/csv) signed like the webhook. */
export function postSigned(base, payload, route = '/api/hr/events') {
  const body = JSON.stringify(payload);
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v1=${createHmac('sha256', WEBHOOK_SECRET).update(`${ts}.`).update(body).digest('hex')}`;
  return fetch(`${base}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-entra-jml-timestamp': String(ts), 'x-entra-jml-signature': sig },
    body,
  });
}

/** Posts a batch of events and fails the bench unless they are accepted (202). */
export async function postEvents(base, events) {
  const res = await postSigned(base, { events });
  if (res.status !== 202) throw new Error(`webhook ${res.status} ${await res.text()}`);
}
