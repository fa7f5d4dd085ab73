import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AzureNamedKeyCredential, TableClient } from '@azure/data-tables';
import { BlobServiceClient, StorageSharedKeyCredential, type ContainerClient } from '@azure/storage-blob';

/**
 * Azurite's Table service (Microsoft's storage emulator, npm `azurite`) in a child process, in memory, on a
 * free loopback port, for tests of the Table Storage adapters (and its Blob service: startAzuriteBlob). Clients
 * authenticate with the emulator's
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
const BLOB_MAIN = path.resolve(__dirname, '../../node_modules/azurite/dist/src/blob/main.js');

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

async function launch(port: number, cwd: string, service: 'table' | 'blob' = 'table'): Promise<ChildProcess> {
  const args =
    service === 'table'
      ? [MAIN, '--inMemoryPersistence', '--tableHost', '127.0.0.1', '--tablePort', String(port), '--disableTelemetry']
      : // @azure/storage-blob 12.32 sends x-ms-version 2026-04-06, newer than Azurite 3.35 knows: its documented
        // switch lets the request through (https://github.com/Azure/Azurite#skip-api-version-check).
        [
          BLOB_MAIN,
          '--inMemoryPersistence',
          '--blobHost',
          '127.0.0.1',
          '--blobPort',
          String(port),
          '--disableTelemetry',
          '--skipApiVersionCheck',
        ];
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // The Table service says "successfully started", the Blob service "successfully listens".
      if (/successfully (started|listens)/.test(output)) {
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

export interface AzuriteBlob {
  endpoint: string;
  /** A new, empty container with a unique name, and a client for it (Shared Key, as the tests' account allows). */
  createContainer(prefix?: string): Promise<ContainerClient>;
  stop(): Promise<void>;
}

/**
 * Azurite's Blob service for one test file, in memory, on a free loopback port (the one `.ci/run` started when
 * AZURITE_BLOB_ENDPOINT names it; containers have unique names, so files share it safely).
 */
export async function startAzuriteBlob(): Promise<AzuriteBlob> {
  const shared = process.env.AZURITE_BLOB_ENDPOINT;
  if (shared) return connectBlob(shared, async () => {});
  const cwd = mkdtempSync(path.join(tmpdir(), 'jml-azurite-blob-'));
  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 0; !child; attempt++) {
    port = await freePort();
    try {
      child = await launch(port, cwd, 'blob');
    } catch (error) {
      if (attempt >= 4) throw error;
    }
  }
  const running = child;
  const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
  return connectBlob(`http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`, async () => {
    if (running.exitCode === null) running.kill('SIGTERM');
    await exited;
    rmSync(cwd, { recursive: true, force: true });
  });
}

function connectBlob(endpoint: string, stop: () => Promise<void>): AzuriteBlob {
  const service = new BlobServiceClient(endpoint, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
  return {
    endpoint,
    async createContainer(prefix = 'jml') {
      const container = service.getContainerClient(`${prefix}-${randomUUID().replace(/-/g, '').slice(0, 16)}`);
      await container.create();
      return container;
    },
    stop,
  };
}
