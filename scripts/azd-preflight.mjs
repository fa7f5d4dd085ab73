// azd preprovision/predeploy hook: refuses, before anything is created, the settings the deployed app would refuse
// or fail on at run time. azd passes the environment's values (azd env set NAME value) as environment variables.
//  - HR_WEBHOOK_SECRETS, when given: every key at least 32 characters, not the public development key, not a Key
//    Vault reference (shared/intake/webhook-keys.ts refuses all of these; the webhook would answer 503).
//  - MAIL_SENDER: required when the policy sends mail (manager notifications, activation codes); the app's default
//    sender is a contoso.com address that no tenant owns.
//  - ACTIVATION_HMAC_KEY, when given: at least 32 characters, not the public local development key, not a Key Vault
//    reference, not a placeholder of few distinct characters (it protects the stored code and link hashes).
//  - Activation (policy `activation.enabled`): ENABLE_ACTIVATION not false (the Graph grants it needs) and an
//    ACTIVATION_ORG_NAME (else every page and mail says "Contoso"); logo and sign-in URLs are https.
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
export const MIN_ACTIVATION_KEY_LENGTH = 32;
// shared/adapters/activation/create-activation-adapters.ts: the key only the local host may run on (it is public).
export const LOCAL_ACTIVATION_KEY = 'local-development-activation-hmac-key-not-for-any-tenant';
// A random key of 32+ characters has far more; fewer means a placeholder such as 'x' repeated or 'changeme…'.
const MIN_DISTINCT_KEY_CHARACTERS = 10;

/** True when the policy makes the app send mail from MAIL_SENDER. */
export function policySendsMail(policy) {
  return Boolean(policy.leaver?.notifyManager || policy.mover?.notifyManagers || policy.activation?.enabled);
}

/** True when the policy activates new joiners (Temporary Access Pass after an emailed one-time code). */
export function policyActivates(policy) {
  return Boolean(policy.activation?.enabled);
}

function httpsUrl(value) {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

function activationKeyProblem(key) {
  if (KEY_VAULT_REFERENCE.test(key))
    return 'ACTIVATION_HMAC_KEY holds a Key Vault reference: give the key itself (it goes to Key Vault)';
  if (key === LOCAL_ACTIVATION_KEY)
    return 'ACTIVATION_HMAC_KEY is the public local development key: use `openssl rand -base64 48`';
  if (key.length < MIN_ACTIVATION_KEY_LENGTH)
    return `ACTIVATION_HMAC_KEY needs at least ${MIN_ACTIVATION_KEY_LENGTH} characters (openssl rand -base64 48)`;
  if (!KEY_CHARACTERS.test(key))
    return 'ACTIVATION_HMAC_KEY: printable ASCII without spaces, commas, quotes or backslashes (base64 is fine)';
  if (new Set(key).size < MIN_DISTINCT_KEY_CHARACTERS)
    return 'ACTIVATION_HMAC_KEY looks like a placeholder, not a random key: use `openssl rand -base64 48`';
  return undefined;
}

function activationProblems(env, policy) {
  const problems = [];
  // Unset means "keep the stored key or generate one"; anything else is stored as given.
  const key = env.ACTIVATION_HMAC_KEY ?? '';
  if (key) {
    const problem = activationKeyProblem(key);
    if (problem) problems.push(problem);
  }
  const enabled = (env.ENABLE_ACTIVATION ?? '').trim().toLowerCase();
  if (enabled && enabled !== 'true' && enabled !== 'false') problems.push('ENABLE_ACTIVATION must be true or false');
  if (policyActivates(policy)) {
    if (enabled === 'false')
      problems.push(
        'ENABLE_ACTIVATION is false but the policy activates joiners (activation.enabled): without its Graph ' +
          'permissions every Temporary Access Pass fails. Turn activation off in the policy or unset ENABLE_ACTIVATION',
      );
    if (!(env.ACTIVATION_ORG_NAME ?? '').trim())
      problems.push(
        'ACTIVATION_ORG_NAME is required: the policy activates joiners and the page and mails would say "Contoso". ' +
          'Run `azd env set ACTIVATION_ORG_NAME "<your organisation>"`',
      );
  }
  for (const setting of ['ACTIVATION_ORG_LOGO_URL', 'ACTIVATION_SIGN_IN_URL', 'ENTRA_JML_PUBLIC_URL']) {
    const value = (env[setting] ?? '').trim();
    if (value && !httpsUrl(value)) problems.push(`${setting} "${value}" is not an https URL`);
  }
  if ((env.ACTIVATION_ORG_NAME ?? '').trim().length > 100) problems.push('ACTIVATION_ORG_NAME: at most 100 characters');
  return problems;
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
  problems.push(...activationProblems(env, policy));
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
