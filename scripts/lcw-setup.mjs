#!/usr/bin/env node
// Creates the Lifecycle Workflows side of entra-jml in a tenant, after `azd up` deployed the Logic App
// (infra/modules/lifecycle-logic-app.bicep): the custom task extension (infra/lcw/custom-task-extension.json) that
// calls the Logic App, then a sample joiner workflow (infra/lcw/sample-workflow.json) that runs it on the hire date.
//
//   node scripts/lcw-setup.mjs [--dry-run] [--graph https://graph.microsoft.com/v1.0]
//
// Values come from the environment, else from `azd env get-values`: LCW_LOGIC_APP_NAME,
// LCW_LOGIC_APP_RESOURCE_GROUP, LCW_LOGIC_APP_SUBSCRIPTION_ID, AZURE_MANAGED_IDENTITY_CLIENT_ID (the app allowed to
// resume) and LCW_SCOPE_RULE (who the sample workflow runs for; default below).
// Token: creating a custom task extension is delegated only (LifecycleWorkflows.ReadWrite.All, with the Lifecycle
// Workflows Administrator role and Logic App Contributor on the Logic App:
// https://learn.microsoft.com/graph/api/identitygovernance-lifecycleworkflowscontainer-post-customtaskextensions).
// GRAPH_TOKEN, else `az account get-access-token --resource-type ms-graph` as the signed-in admin.
// --dry-run prints the requests and sends nothing (no token needed).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REQUIRED = [
  'LCW_LOGIC_APP_NAME',
  'LCW_LOGIC_APP_RESOURCE_GROUP',
  'LCW_LOGIC_APP_SUBSCRIPTION_ID',
  'AZURE_MANAGED_IDENTITY_CLIENT_ID',
];
const DEFAULT_SCOPE_RULE = "(department eq 'Engineering')";
const EXTENSION_ID_PLACEHOLDER = '<id of the custom task extension created above>';

/** `azd env get-values` as an object (KEY="value" lines); empty when azd is not installed or has no environment. */
function azdValues() {
  try {
    const text = execFileSync('azd', ['env', 'get-values'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return Object.fromEntries(
      text
        .split('\n')
        .map((line) => /^([A-Z0-9_]+)="?(.*?)"?$/.exec(line.trim()))
        .filter(Boolean)
        .map((m) => [m[1], m[2]]),
    );
  } catch {
    return {};
  }
}

/** The JSON template with every ${NAME} replaced; an unknown name stops the script. */
function render(file, values) {
  const text = readFileSync(path.join(root, 'infra', 'lcw', file), 'utf8');
  return JSON.parse(
    text.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name) => {
      if (values[name] === undefined) throw new Error(`${file}: no value for ${name}`);
      return JSON.stringify(values[name]).slice(1, -1);
    }),
  );
}

function parseArgs(argv) {
  const options = { dryRun: false, graph: 'https://graph.microsoft.com/v1.0' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dry-run') options.dryRun = true;
    else if (argv[i] === '--graph') options.graph = argv[++i];
    else throw new Error(`unknown argument ${argv[i]} (use --dry-run, --graph URL)`);
  }
  return options;
}

function graphToken() {
  if (process.env.GRAPH_TOKEN) return process.env.GRAPH_TOKEN;
  return execFileSync(
    'az',
    ['account', 'get-access-token', '--resource-type', 'ms-graph', '--query', 'accessToken', '-o', 'tsv'],
    { encoding: 'utf8' },
  ).trim();
}

async function post(url, token, body) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST ${url}: ${res.status} ${text}`);
  return JSON.parse(text);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const env = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ''));
  const values = { LCW_SCOPE_RULE: DEFAULT_SCOPE_RULE, ...azdValues(), ...env };
  const missing = REQUIRED.filter((name) => !values[name]);
  if (missing.length) {
    console.error(`lcw-setup: missing ${missing.join(', ')} (run after azd up, or set them in the environment)`);
    process.exit(1);
  }
  const base = `${options.graph.replace(/\/+$/, '')}/identityGovernance/lifecycleWorkflows`;
  const extension = render('custom-task-extension.json', values);
  if (options.dryRun) {
    const workflow = render('sample-workflow.json', { ...values, CUSTOM_TASK_EXTENSION_ID: EXTENSION_ID_PLACEHOLDER });
    console.log(`# dry run: nothing is sent\nPOST ${base}/customTaskExtensions`);
    console.log(JSON.stringify(extension, null, 2));
    console.log(`POST ${base}/workflows`);
    console.log(JSON.stringify(workflow, null, 2));
    return;
  }
  const token = graphToken();
  const created = await post(`${base}/customTaskExtensions`, token, extension);
  console.log(`created custom task extension "${created.displayName}" ${created.id}`);
  const workflow = render('sample-workflow.json', { ...values, CUSTOM_TASK_EXTENSION_ID: created.id });
  const createdWorkflow = await post(`${base}/workflows`, token, workflow);
  console.log(
    `created workflow "${createdWorkflow.displayName}" ${createdWorkflow.id} for ${values.LCW_SCOPE_RULE} ` +
      '(scheduling off: check it, then turn on "Enable schedule" in the Entra admin center)',
  );
}

main().catch((error) => {
  console.error(`lcw-setup: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
