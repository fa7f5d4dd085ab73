// azd preprovision/predeploy hook: refuses, before anything is created, the settings the deployed app would refuse
// or fail on at run time. azd passes the environment's values (azd env set NAME value) as environment variables.
//  - HR_WEBHOOK_SECRETS, when given: every key at least 32 characters, not the public development key, not a Key
//    Vault reference (shared/intake/webhook-keys.ts refuses all of these; the webhook would answer 503).
//  - MAIL_SENDER: required when the policy sends mail (manager notifications, activation codes); the app's default
//    sender is a contoso.com address that no tenant owns.
// Needs the compiled policy parser: the hook runs `npm run build` first (azure.yaml).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const MIN_WEBHOOK_KEY_LENGTH = 32;
export const LOCAL_WEBHOOK_SECRET = 'local-dev-webhook-secret';
const KEY_VAULT_REFERENCE = /^\s*@Microsoft\.KeyVault\(/i;
// Keys travel through azd's JSON parameter file and a comma-separated setting: no separators, quotes or spaces.
const KEY_CHARACTERS = /^[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAIL_SEND_GRANTS = ['entra', 'exchangeRbac'];

/** True when the policy makes the app send mail from MAIL_SENDER. */
export function policySendsMail(policy) {
  return Boolean(policy.leaver?.notifyManager || policy.mover?.notifyManagers || policy.activation?.enabled);
}

/** Problems with the deployment's settings, one sentence each; empty when it may go ahead. */
export function preflightProblems(env, policy) {
  const problems = [];
  const secrets = env.HR_WEBHOOK_SECRETS ?? '';
  if (secrets) {
    const keys = secrets
      .split(',')
      .map((key) => key.trim())
      .filter(Boolean);
    // Infra stores a non-empty value as given: blanks alone would leave the webhook with no key at all.
    if (keys.length === 0)
      problems.push('HR_WEBHOOK_SECRETS holds no key: unset it (azd env set HR_WEBHOOK_SECRETS "") or give keys');
    else if (keys.some((key) => KEY_VAULT_REFERENCE.test(key)))
      problems.push('HR_WEBHOOK_SECRETS holds a Key Vault reference: give the keys themselves (they go to Key Vault)');
    else if (keys.includes(LOCAL_WEBHOOK_SECRET))
      problems.push('HR_WEBHOOK_SECRETS holds the public development key: the deployed webhook refuses it');
    else if (keys.some((key) => key.length < MIN_WEBHOOK_KEY_LENGTH))
      problems.push(`HR_WEBHOOK_SECRETS: every key needs at least ${MIN_WEBHOOK_KEY_LENGTH} characters`);
    else if (keys.some((key) => !KEY_CHARACTERS.test(key)))
      problems.push('HR_WEBHOOK_SECRETS: keys are printable ASCII without spaces, commas, quotes or backslashes');
  }
  const sender = (env.MAIL_SENDER ?? '').trim();
  if (!sender && policySendsMail(policy))
    problems.push(
      'MAIL_SENDER is required: the policy sends mail (leaver.notifyManager, mover.notifyManagers or activation). ' +
        'Run `azd env set MAIL_SENDER hr-noreply@<your domain>` or turn those off in the policy',
    );
  if (sender && !EMAIL.test(sender)) problems.push(`MAIL_SENDER "${sender}" is not a mailbox address`);
  const grant = (env.MAIL_SEND_GRANT ?? '').trim();
  if (grant && !MAIL_SEND_GRANTS.includes(grant))
    problems.push(`MAIL_SEND_GRANT must be one of ${MAIL_SEND_GRANTS.join(', ')}`);
  return problems;
}

function main() {
  const require = createRequire(import.meta.url);
  const policyModule = path.join(root, 'dist', 'shared', 'domain', 'policy.js');
  const { loadPolicy } = require(policyModule);
  // The file the deployed app reads: ENTRA_JML_POLICY_FILE's default, shipped in the package.
  const policy = loadPolicy(path.join(root, 'policy', 'policy.yaml'));
  const problems = preflightProblems(process.env, policy);
  if (problems.length) {
    console.error(`entra-jml: not deploying:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    process.exit(1);
  }
  console.log('entra-jml: deployment settings checked');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
