import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGraphEmulatorServer } from '../../local/emulators/graph/graph-emulator-extension';

/**
 * The Graph emulator with Lifecycle Workflows on a clock the test moves, and a small fake receiver standing for the
 * app's POST /api/lcw/tasks (it records what it gets and answers what the test says).
 */
export const TENANT = '11111111-1111-4111-8111-111111111111';
export const APP_ID = '22222222-2222-4222-8222-222222222222';
export const LOGIC_APP_ID = '11111111-1111-4111-8111-111111111111';
export const SEEDED_EXTENSION = 'c0000000-0000-4000-8000-000000000001';
export const SEEDED_WORKFLOW = 'd0000000-0000-4000-8000-000000000001';
export const RUN_CUSTOM_TASK = '4262b724-8dba-4fad-afc3-43fcbb497a0e';
const GRAPH = 'https://graph.microsoft.com';

export interface Received {
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface GraphAnswer {
  status: number;
  body: {
    id?: string;
    value?: Record<string, unknown>[];
    error?: { code: string; message: string; innerError?: Record<string, string> };
    [property: string]: unknown;
  };
}

export async function startLcwEmulator() {
  // Ahead of real time, as the local clock always is (it only moves forward).
  let nowMs = Date.parse('2030-11-25T08:00:00Z');
  const received: Received[] = [];
  /** Status codes the receiver answers, in order; 202 once they run out. */
  const answers: number[] = [];
  const receiver: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      res.writeHead(answers.shift() ?? 202).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/lcw/tasks`;
  const server = await startGraphEmulatorServer({
    dataDir: mkdtempSync(path.join(tmpdir(), 'jml-lcw-')),
    lifecycle: { now: () => nowMs, calloutUrl: () => receiverUrl, intervalMs: 0 },
  });
  const tokens = server.emulator.tokens;
  const appToken = await tokens.mint({
    aud: GRAPH,
    appid: APP_ID,
    roles: ['User.ReadWrite.All', 'User-LifeCycleInfo.ReadWrite.All', 'LifecycleWorkflows.ReadWrite.All'],
  });
  /** A tenant admin's delegated token (scp), as `az account get-access-token --resource-type ms-graph` gives. */
  const adminToken = await tokens.mint({
    aud: GRAPH,
    appid: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
    scp: 'LifecycleWorkflows.ReadWrite.All User.Read',
  });

  const graph = async (
    method: string,
    target: string,
    options: { body?: unknown; token?: string; version?: 'v1.0' | 'beta' } = {},
  ): Promise<GraphAnswer> => {
    const res = await fetch(`${server.baseUrl}/_local/graph/${options.version ?? 'v1.0'}${target}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token ?? appToken}`,
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as GraphAnswer['body'] };
  };

  const admin = async (method: string, action: string): Promise<Record<string, unknown>> =>
    (await (await fetch(`${server.baseUrl}/_local/graph/_admin/${action}`, { method })).json()) as Record<
      string,
      unknown
    >;

  return {
    server,
    received,
    answers,
    receiverUrl,
    appToken,
    adminToken,
    graph,
    admin,
    /** One scheduler pass, as `POST /_local/graph/_admin/lcw/run` does. */
    runPass: () => admin('POST', 'lcw/run'),
    lcwState: async () => (await admin('GET', 'state')).lifecycleWorkflows as LcwState,
    advanceDays: (days: number) => {
      nowMs += days * 86_400_000;
    },
    advanceMinutes: (minutes: number) => {
      nowMs += minutes * 60_000;
    },
    now: () => nowMs,
    mint: (claims: Parameters<typeof tokens.mint>[0]) => tokens.mint(claims),
    async close() {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      await server.close();
    },
  };
}

export type LcwEmulator = Awaited<ReturnType<typeof startLcwEmulator>>;

export interface LcwState {
  customTaskExtensions: Record<string, unknown>[];
  workflows: Record<string, unknown>[];
  runs: Record<string, unknown>[];
  userProcessingResults: Record<string, unknown>[];
  taskProcessingResults: Record<string, unknown>[];
  callouts: Record<string, unknown>[];
  resumes: Record<string, unknown>[];
}

export const extensionBody = (extra: Record<string, unknown> = {}) => ({
  displayName: 'entra-jml test extension',
  description: 'forwards to the app',
  endpointConfiguration: {
    '@odata.type': '#microsoft.graph.logicAppTriggerEndpointConfiguration',
    subscriptionId: 'c500b67c-e9b7-4ad2-a90d-77d41385ae55',
    resourceGroupName: 'rg-jml',
    logicAppWorkflowName: 'logic-jml-lcw',
  },
  authenticationConfiguration: { '@odata.type': '#microsoft.graph.azureAdPopTokenAuthentication' },
  clientConfiguration: {
    '@odata.type': '#microsoft.graph.customExtensionClientConfiguration',
    maximumRetries: 1,
    timeoutInMilliseconds: 1000,
  },
  callbackConfiguration: {
    '@odata.type': '#microsoft.graph.identityGovernance.customTaskExtensionCallbackConfiguration',
    timeoutDuration: 'PT5M',
    authorizedApps: [{ appId: APP_ID }],
  },
  ...extra,
});

export const workflowBody = (extensionId: string, extra: Record<string, unknown> = {}) => ({
  category: 'joiner',
  displayName: `Joiner ${Math.random().toString(36).slice(2, 8)}`,
  description: 'custom task on the hire date',
  isEnabled: true,
  isSchedulingEnabled: true,
  executionConditions: {
    '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions',
    scope: {
      '@odata.type': '#microsoft.graph.identityGovernance.ruleBasedSubjectSet',
      rule: "(department eq 'Engineering')",
    },
    trigger: {
      '@odata.type': '#microsoft.graph.identityGovernance.timeBasedAttributeTrigger',
      timeBasedAttribute: 'employeeHireDate',
      offsetInDays: 0,
    },
  },
  tasks: [
    {
      continueOnError: false,
      displayName: 'Hand over to entra-jml',
      isEnabled: true,
      taskDefinitionId: RUN_CUSTOM_TASK,
      arguments: [{ name: 'customTaskExtensionID', value: extensionId }],
    },
  ],
  ...extra,
});

/** A user created through Graph (the way the app creates joiners). */
export async function createUser(lcw: LcwEmulator, name: string, extra: Record<string, unknown> = {}) {
  const answer = await lcw.graph('POST', '/users', {
    body: {
      accountEnabled: false,
      displayName: name,
      mailNickname: name,
      userPrincipalName: `${name}@contoso.com`,
      passwordProfile: { password: 'Secret-123-abc!' },
      department: 'Engineering',
      ...extra,
    },
  });
  if (answer.status !== 201) throw new Error(`user ${name}: ${JSON.stringify(answer.body)}`);
  return answer.body as { id: string; userPrincipalName: string };
}
