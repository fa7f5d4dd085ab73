import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** Starts `entra-jml-host start` (the built CLI) on an app folder in a child process. */
export interface HostProcess {
  baseUrl: string;
  port: number;
  pid: number;
  child: ChildProcess;
  output(): string;
  /** Sends a signal (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGKILL, no cleanup: crash simulation. */
  kill(): Promise<void>;
}

const CLI = path.resolve(__dirname, '../../dist/local/host/cli.js');

export async function startHostProcess(opts: {
  appRoot: string;
  port?: number;
  env?: Record<string, string>;
  dataDir?: string;
  timeoutMs?: number;
  /** --host: the address to listen on (default loopback). */
  bindAddress?: string;
  /** --emulators: Graph emulator and SCIM targets in a worker thread (the CLI's default) or in-process. */
  emulators?: 'worker' | 'in-process';
}): Promise<HostProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, ENTRA_JML_LOG_LEVEL: 'warn', ...opts.env };
  if (opts.dataDir) env.ENTRA_JML_DATA_DIR = opts.dataDir;
  // The child chooses WEBSITE_HOSTNAME from its own port.
  delete env.WEBSITE_HOSTNAME;
  const args = [CLI, 'start', '--cwd', opts.appRoot, '--port', String(opts.port ?? 0)];
  if (opts.bindAddress) args.push('--host', opts.bindAddress);
  if (opts.emulators) args.push('--emulators', opts.emulators);
  const child = spawn(process.execPath, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in time:\n${out}`)), opts.timeoutMs ?? 20_000);
    const check = () => {
      const m = /Host listening on http:\/\/localhost:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code} before listening:\n${out}`));
    });
  });
  return {
    baseUrl: `http://localhost:${port}`,
    port,
    pid: child.pid!,
    child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
