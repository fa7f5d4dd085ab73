import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AzureNamedKeyCredential, TableClient } from '@azure/data-tables';

/**
 * Azurite's Table service (Microsoft's storage emulator, npm `azurite`) in a child process, in memory, on a
 * free loopback port, for tests of the Table Storage adapters. Clients authenticate with the emulator's
 * well-known account and key (https://learn.microsoft.com/azure/storage/common/storage-use-azurite
 * #well-known-storage-account-and-key), signed with Shared Key as in Azure.
 */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  endpoint: string;
  /** A new, empty table with a unique name, and a client for it. */
  createTable(prefix?: string): Promise<TableClient>;
  stop(): Promise<void>;
}

const MAIN = path.resolve(__dirname, '../../node_modules/azurite/dist/src/table/main.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function launch(port: number, cwd: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [MAIN, '--inMemoryPersistence', '--tableHost', '127.0.0.1', '--tablePort', String(port), '--disableTelemetry'],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('successfully started')) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        child.stderr.resume();
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`azurite exited (${code}) on port ${port}:\n${output}`)));
    child.once('error', reject);
  });
}

/**
 * Azurite for one test file: the one `.ci/run` started when AZURITE_TABLE_ENDPOINT names it (tables have
 * unique names, so files share it safely), else a new one of the file's own, stopped by `stop()`.
 */
export async function startAzurite(): Promise<Azurite> {
  const shared = process.env.AZURITE_TABLE_ENDPOINT;
  if (shared) return connect(shared, async () => {});
  const cwd = mkdtempSync(path.join(tmpdir(), 'jml-azurite-'));
  let child: ChildProcess | undefined;
  let port = 0;
  // Another process may take the free port before Azurite binds it: try a few.
  for (let attempt = 0; !child; attempt++) {
    port = await freePort();
    try {
      child = await launch(port, cwd);
    } catch (error) {
      if (attempt >= 4) throw error;
    }
  }
  const running = child;
  const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
  return connect(`http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`, async () => {
    if (running.exitCode === null) running.kill('SIGTERM');
    await exited;
    rmSync(cwd, { recursive: true, force: true });
  });
}

function connect(endpoint: string, stop: () => Promise<void>): Azurite {
  const credential = new AzureNamedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY);
  return {
    endpoint,
    async createTable(prefix = 'jml') {
      const name = `${prefix}${randomUUID().replace(/-/g, '').slice(0, 16)}`;
      const client = new TableClient(endpoint, name, credential, { allowInsecureConnection: true });
      await client.createTable();
      return client;
    },
    stop,
  };
}
