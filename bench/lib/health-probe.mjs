// GET /api/health every ~50 ms from a worker thread, open loop: a request is sent on schedule whether or not the
// previous one answered, so a host that stops answering for seconds shows as seconds of latency in many samples
// (not one late sample), and the probe's own schedule does not depend on the host's event loop when the bench
// runs the host in-process. Failures (non-2xx, errors, 30 s without an answer) are counted and kept as samples.
import { Worker } from 'node:worker_threads';
import { percentile } from './report.mjs';

const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, intervalMs } = workerData;
const samples = [];
let failures = 0;
const inFlight = new Set();
const timer = setInterval(() => {
  const sent = performance.now();
  const request = fetch(url, { signal: AbortSignal.timeout(30000) })
    .then(async (res) => {
      await res.arrayBuffer();
      if (!res.ok) failures++;
    })
    .catch(() => failures++)
    .finally(() => {
      samples.push(performance.now() - sent);
      inFlight.delete(request);
    });
  inFlight.add(request);
}, intervalMs);
parentPort.once('message', async () => {
  clearInterval(timer);
  await Promise.allSettled([...inFlight]);
  parentPort.postMessage({ samples, failures });
});
`;

/**
 * Starts probing `${baseUrl}/api/health`; stop() ends it and resolves with the latencies (ms) and failures.
 * @param {string} baseUrl
 * @param {{ intervalMs?: number }} [options]
 */
export function startHealthProbe(baseUrl, { intervalMs = 50 } = {}) {
  const worker = new Worker(PROBE, { eval: true, workerData: { url: `${baseUrl}/api/health`, intervalMs } });
  return {
    /** @returns {Promise<{ samples: number[], failures: number, p99: number }>} */
    stop: () =>
      new Promise((resolve, reject) => {
        worker.once('message', (result) => {
          void worker.terminate();
          resolve({ ...result, p99: percentile(result.samples, 99) });
        });
        worker.once('error', reject);
        worker.postMessage('stop');
      }),
  };
}

/** Probes for `ms` milliseconds (e.g. an idle baseline before the load starts). */
export async function measureHealth(baseUrl, ms, options) {
  const probe = startHealthProbe(baseUrl, options);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return probe.stop();
}
