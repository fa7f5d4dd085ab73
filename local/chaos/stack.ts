import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { TRAP_LINE_PREFIX, TrapFired, type ArmedTrap } from './fault-plan';

/**
 * The whole local stack of one chaos trial (host, durable engine, Service Bus and Graph emulators) in a child
 * process that can be SIGKILLed at any moment and restarted on the same data folder and port, and the HR doors
 * as an HR system uses them: a send that gets no answer (the host died) is sent again until accepted.
 */
const CLI = path.resolve(__dirname, '../host/cli.js');
const TRAPS = path.resolve(__dirname, 'traps.js');
const CHAOS_WEBHOOK_SECRET = 'chaos-webhook-secret';
/** The app role Entra's bulkUpload callers hold (SynchronizationData-User.Upload). */
const BULK_UPLOAD_ROLE = 'SynchronizationData-User.Upload';

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
  private readonly trapListeners = new Set<(fired: TrapFired) => void>();
  /** The host's last stderr lines: what it said before dying on its own. */
  private stderrTail: string[] = [];
  private stopping = false;
  /** Exits the harness did not cause (no SIGKILL, no stop): each a host crash, with its last words. */
  readonly crashes: string[] = [];
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
      ENTRA_JML_CHAOS_TRAPS: '1',
      // The traps count Graph writes and $batch items inside the emulator, which only the host's own thread can see:
      // with the emulators in their worker thread (the default since issue 16) those milestones were never reached.
      ENTRA_JML_EMULATORS: 'in-process',
      // The Graph timeout fault (a request never answered) costs the step this long before its retry: 100 s by
      // default, 10 s here so a trial meets it in seconds (still far above an answer's time on a loaded machine).
      GRAPH_REQUEST_TIMEOUT_MS: '10000',
    };
    delete env.WEBSITE_HOSTNAME;
    const args = ['--require', TRAPS, CLI, 'start', '--cwd', this.appRoot, '--port', String(this.port)];
    // fd 3: the IPC channel the traps are armed through (traps.ts); they report on stderr.
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.child = child;
    this.stopping = false;
    this.stderrTail = [];
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (!this.stopping)
          this.crashes.push(`host exited on its own (${signal ?? code}): ${this.stderrTail.slice(-8).join(' | ')}`);
        resolve();
      }),
    );
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
    // Keep draining the pipes so a chatty host never blocks on a full pipe; stderr carries the traps' reports.
    child.stdout!.resume();
    createInterface({ input: child.stderr! }).on('line', (line) => {
      if (!line.startsWith(TRAP_LINE_PREFIX)) {
        this.stderrTail = [...this.stderrTail.slice(-49), line.slice(0, 500)];
        return;
      }
      const fired = TrapFired.safeParse(JSON.parse(line.slice(TRAP_LINE_PREFIX.length)));
      if (fired.success) for (const listener of this.trapListeners) listener(fired.data);
    });
  }

  /**
   * Restarts the host when it died on its own, as the Functions platform restarts a crashed worker, so a trial
   * goes on after a crash (each one is recorded in `crashes`). Returns the stop function.
   */
  watch(): () => void {
    let restarting = false;
    const timer = setInterval(() => {
      if (this.running || this.stopping || restarting) return;
      restarting = true;
      this.start().then(
        () => (restarting = false),
        () => (restarting = false),
      );
    }, 1000);
    return () => clearInterval(timer);
  }

  /** Arms one trap in the running host (the previous one is disarmed); false when the host is down. */
  arm(trap: ArmedTrap): boolean {
    if (!this.running || !this.child!.connected) return false;
    this.child!.send(trap);
    return true;
  }

  onTrap(listener: (fired: TrapFired) => void): () => void {
    this.trapListeners.add(listener);
    return () => this.trapListeners.delete(listener);
  }

  /** SIGKILL: no shutdown hook runs, exactly like a crashed worker. */
  async kill(): Promise<void> {
    this.stopping = true;
    if (this.running) this.child!.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    this.stopping = true;
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

  /**
   * POST /api/hr/bulkUpload with a token from the local Entra (the bulkUpload role, as an HR connector's app holds
   * it), until answered 202; a fresh token each attempt, since a restarted host may sign with new keys.
   */
  async sendBulk(body: unknown): Promise<{ requestId: string; receivedAt: Date }> {
    for (let attempt = 0; attempt < 600; attempt++) {
      try {
        const tokenRes = await fetch(`${this.baseUrl}/_local/entra/_admin/token`, {
          method: 'POST',
          body: JSON.stringify({ aud: 'api://entra-jml', roles: [BULK_UPLOAD_ROLE], appid: 'chaos-hr-connector' }),
          signal: AbortSignal.timeout(10_000),
        });
        const { access_token: token } = (await tokenRes.json()) as { access_token: string };
        const receivedAt = new Date();
        const res = await fetch(`${this.baseUrl}/api/hr/bulkUpload`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        const json = (await res.json().catch(() => null)) as { requestId?: string } | null;
        if (res.status === 202 && json?.requestId) return { requestId: json.requestId, receivedAt };
        if (res.status < 500 && res.status !== 429 && res.status !== 404 && res.status !== 401)
          throw new Error(`bulkUpload refused (${res.status}): ${JSON.stringify(json)}`);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('bulkUpload refused')) throw error;
        // Connection refused or reset: the host is down or died mid-request.
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('/api/hr/bulkUpload never accepted the request');
  }
}
