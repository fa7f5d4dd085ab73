import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';

/**
 * The whole local stack of one chaos trial (host, durable engine, Service Bus and Graph emulators) in a child
 * process that can be SIGKILLed at any moment and restarted on the same data folder and port, and the HR doors
 * as an HR system uses them: a send that gets no answer (the host died) is sent again until accepted.
 */
const CLI = path.resolve(__dirname, '../host/cli.js');
const CHAOS_WEBHOOK_SECRET = 'chaos-webhook-secret';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export class Stack {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  readonly baseUrl: string;

  constructor(
    private readonly appRoot: string,
    private readonly dataDir: string,
    readonly port: number,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ENTRA_JML_LOG_LEVEL: 'error',
      ENTRA_JML_DATA_DIR: this.dataDir,
      HR_WEBHOOK_SECRETS: CHAOS_WEBHOOK_SECRET,
      HR_EVENTS_QUEUE: 'hr-events',
      ENTRA_JML_POLICY_FILE: path.join(this.appRoot, 'policy/policy.yaml'),
    };
    delete env.WEBSITE_HOSTNAME;
    const child = spawn(process.execPath, [CLI, 'start', '--cwd', this.appRoot, '--port', String(this.port)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`host did not start in 60 s:\n${out.slice(-2000)}`)), 60_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        if (/Host listening on/.test(out)) {
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`host exited with ${code} before listening:\n${out.slice(-2000)}`));
      });
    });
    // Keep draining the pipes so a chatty host never blocks on a full pipe.
    child.stdout!.resume();
    child.stderr!.resume();
  }

  /** SIGKILL: no shutdown hook runs, exactly like a crashed worker. */
  async kill(): Promise<void> {
    if (this.running) this.child!.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.running) this.child!.kill('SIGTERM');
    await this.exited;
  }

  /** JSON from the stack, or null while it is down. */
  async get<T>(p: string): Promise<T | null> {
    try {
      const res = await fetch(`${this.baseUrl}${p}`, { signal: AbortSignal.timeout(10_000) });
      return res.ok ? ((await res.json()) as T) : null;
    } catch {
      return null;
    }
  }

  async post(p: string, body: unknown): Promise<number | null> {
    try {
      const res = await fetch(`${this.baseUrl}${p}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return null;
    }
  }

  /**
   * Sends a signed HR body to a door until it is accepted (2xx): a lost answer is sent again, as an HR system
   * retries. A 4xx other than 429 is a refusal, returned to the caller (the workload only sends valid events).
   */
  async sendSigned(door: '/api/hr/events' | '/api/hr/csv', body: unknown): Promise<{ status: number; json: unknown }> {
    const text = JSON.stringify(body);
    for (let attempt = 0; attempt < 600; attempt++) {
      const ts = Math.floor(Date.now() / 1000);
      const signature = createHmac('sha256', CHAOS_WEBHOOK_SECRET).update(`${ts}.`).update(text).digest('hex');
      try {
        const res = await fetch(`${this.baseUrl}${door}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-entra-jml-timestamp': String(ts),
            'x-entra-jml-signature': `v1=${signature}`,
          },
          body: text,
          signal: AbortSignal.timeout(15_000),
        });
        const json: unknown = await res.json().catch(() => null);
        if (res.status < 300 || (res.status < 500 && res.status !== 429 && res.status !== 404)) {
          return { status: res.status, json };
        }
      } catch {
        // Connection refused or reset: the host is down or died mid-request.
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${door} never accepted the request`);
  }
}
