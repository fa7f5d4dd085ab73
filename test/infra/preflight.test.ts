import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/config';
import { loadPolicy } from '../../shared/domain/policy';
import { resolveWebhookKeys } from '../../shared/intake/webhook-keys';
import { randomBytes } from 'node:crypto';
import { activationHmacKey } from '../../shared/adapters/activation/create-activation-adapters';
import {
  LOCAL_ACTIVATION_KEY,
  LOCAL_WEBHOOK_SECRET,
  policyActivates,
  policySendsMail,
  preflightProblems,
} from '../../scripts/azd-preflight.mjs';
import { ROOT } from './bicep';

/** The azd hook refuses before provisioning what the deployed app would refuse (or fail on) at run time. */
const shippedPolicy = loadPolicy(path.join(ROOT, 'policy', 'policy.yaml'));
/** What the shipped policy needs from `azd env set`: a sender (it mails) and an organisation name (it activates). */
const sender = { MAIL_SENDER: 'hr-noreply@contoso.example', ACTIVATION_ORG_NAME: 'Contoso Pharma' };

/** The shipped policy with its leaver/mover/activation sections replaced (or removed, for the defaults). */
function policyWith(sections: string) {
  const shipped = readFileSync(path.join(ROOT, 'policy', 'policy.yaml'), 'utf8');
  const withoutNotifications = shipped.replace(/^(leaver|mover|activation):\n(?:[ \t]+.*\n|\s*\n)*/gm, '');
  expect(withoutNotifications).not.toMatch(/^(leaver|mover):/m);
  return policyFrom(`${withoutNotifications}\n${sections}`);
}

function policyFrom(yaml: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'entra-jml-preflight-'));
  const file = path.join(dir, 'policy.yaml');
  writeFileSync(file, yaml);
  return loadPolicy(file);
}

/** Whether the deployed app (a tenant, no local host) runs activation on that key. */
function azureActivatesWith(key: string): boolean {
  try {
    const config = parseConfig({
      ACTIVATION_HMAC_KEY: key,
      AZURE_TENANT_ID: 'tenant',
      GRAPH_USE_MANAGED_IDENTITY: 'true',
    });
    return activationHmacKey(config) === key;
  } catch {
    return false;
  }
}

/** What the deployed webhook does with those keys (no local host: Azure). */
function azureAccepts(secrets: string): boolean {
  try {
    return resolveWebhookKeys(parseConfig({ HR_WEBHOOK_SECRETS: secrets })).ok;
  } catch {
    return false; // refused at start-up (an unresolved Key Vault reference)
  }
}

describe('azd preflight', () => {
  it('is the preprovision and predeploy hook', () => {
    const azureYaml = readFileSync(path.join(ROOT, 'azure.yaml'), 'utf8');
    expect(azureYaml).toMatch(
      /preprovision:\s*\n\s*shell: sh\s*\n\s*run: npm run build --silent && node scripts\/azd-preflight\.mjs/,
    );
    expect(azureYaml).toMatch(
      /predeploy:\s*\n\s*shell: sh\s*\n\s*run: npm run build --silent && node scripts\/azd-preflight\.mjs/,
    );
  });

  it('no webhook keys given is fine (Key Vault keeps or generates them)', () => {
    expect(preflightProblems({ ...sender }, shippedPolicy)).toEqual([]);
  });

  it('refuses the keys the deployed webhook refuses', () => {
    const refused = [LOCAL_WEBHOOK_SECRET, 'short', `${'a'.repeat(40)},short`, '@Microsoft.KeyVault(x)', ' ', ' , '];
    for (const secrets of refused) {
      expect(azureAccepts(secrets), secrets).toBe(false);
      expect(preflightProblems({ ...sender, HR_WEBHOOK_SECRETS: secrets }, shippedPolicy), secrets).not.toEqual([]);
    }
  });

  it('whatever it lets through, the deployed webhook accepts (property)', () => {
    const key = fc.string({ minLength: 1, maxLength: 48, unit: 'grapheme-ascii' });
    fc.assert(
      fc.property(fc.array(key, { minLength: 1, maxLength: 3 }), (keys) => {
        const secrets = keys.join(',');
        if (preflightProblems({ ...sender, HR_WEBHOOK_SECRETS: secrets }, shippedPolicy).length === 0) {
          expect(azureAccepts(secrets)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accepts the key Bicep generates (two GUIDs without dashes)', () => {
    const generated = `${crypto.randomUUID()}${crypto.randomUUID()}`.replaceAll('-', '');
    expect(generated).toHaveLength(64);
    expect(azureAccepts(generated)).toBe(true);
    expect(preflightProblems({ ...sender, HR_WEBHOOK_SECRETS: generated }, shippedPolicy)).toEqual([]);
  });

  it('requires MAIL_SENDER when the policy mails, including by default', () => {
    expect(policySendsMail(shippedPolicy)).toBe(true);
    expect(preflightProblems({}, shippedPolicy).join()).toMatch(/MAIL_SENDER is required/);
    // A policy that says nothing about notifications gets the schema's defaults (notify), so it mails too.
    const defaults = policyWith('');
    expect(policySendsMail(defaults)).toBe(true);
    const quiet = policyWith('leaver:\n  notifyManager: false\nmover:\n  notifyManagers: false\n');
    expect(policySendsMail(policyWith('leaver:\n  notifyManager: false\n'))).toBe(true);
    expect(policySendsMail(quiet)).toBe(false);
    expect(preflightProblems({}, quiet)).toEqual([]);
  });

  it('checks MAIL_SENDER and MAIL_SEND_GRANT values', () => {
    expect(preflightProblems({ MAIL_SENDER: 'not a mailbox' }, shippedPolicy).join()).toMatch(/not a mailbox/);
    expect(preflightProblems({ ...sender, MAIL_SEND_GRANT: 'exchangeRbac' }, shippedPolicy)).toEqual([]);
    expect(preflightProblems({ ...sender, MAIL_SEND_GRANT: 'everyone' }, shippedPolicy).join()).toMatch(
      /MAIL_SEND_GRANT/,
    );
  });

  it('refuses the activation keys the deployed app refuses, and weak or public ones it would run on', () => {
    for (const key of ['short', '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x)', ' ']) {
      expect(azureActivatesWith(key), key).toBe(false);
      expect(preflightProblems({ ...sender, ACTIVATION_HMAC_KEY: key }, shippedPolicy), key).not.toEqual([]);
    }
    // The app accepts these (32+ characters) but they are public or guessable.
    for (const key of [LOCAL_ACTIVATION_KEY, 'x'.repeat(48), 'changeme'.repeat(5), `${'a'.repeat(40)} b`]) {
      expect(preflightProblems({ ...sender, ACTIVATION_HMAC_KEY: key }, shippedPolicy).join(), key).toMatch(
        /ACTIVATION_HMAC_KEY/,
      );
    }
  });

  it('accepts the activation keys Bicep generates and `openssl rand -base64 48` gives', () => {
    const generated = `${crypto.randomUUID()}${crypto.randomUUID()}`.replaceAll('-', '');
    for (const key of [generated, randomBytes(48).toString('base64')]) {
      expect(azureActivatesWith(key)).toBe(true);
      expect(preflightProblems({ ...sender, ACTIVATION_HMAC_KEY: key }, shippedPolicy)).toEqual([]);
    }
  });

  it('whatever activation key it lets through, the deployed app runs on (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64, unit: 'grapheme-ascii' }), (key) => {
        if (preflightProblems({ ...sender, ACTIVATION_HMAC_KEY: key }, shippedPolicy).length === 0)
          expect(azureActivatesWith(key)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('an activating policy needs its Graph grants (ENABLE_ACTIVATION) and an organisation name', () => {
    expect(policyActivates(shippedPolicy)).toBe(true);
    const { ACTIVATION_ORG_NAME: _name, ...noName } = sender;
    expect(preflightProblems(noName, shippedPolicy).join()).toMatch(/ACTIVATION_ORG_NAME is required/);
    expect(preflightProblems({ ...sender, ENABLE_ACTIVATION: 'false' }, shippedPolicy).join()).toMatch(
      /ENABLE_ACTIVATION is false/,
    );
    expect(preflightProblems({ ...sender, ENABLE_ACTIVATION: 'yes' }, shippedPolicy).join()).toMatch(/true or false/);
    expect(preflightProblems({ ...sender, ENABLE_ACTIVATION: 'true' }, shippedPolicy)).toEqual([]);
    // Activation off in the policy: the grants may go and no name is needed.
    const noActivation = policyWith('activation:\n  enabled: false\n');
    expect(policyActivates(noActivation)).toBe(false);
    expect(preflightProblems({ MAIL_SENDER: sender.MAIL_SENDER, ENABLE_ACTIVATION: 'false' }, noActivation)).toEqual(
      [],
    );
  });

  it('activation logo, sign-in and public URLs are https', () => {
    for (const setting of ['ACTIVATION_ORG_LOGO_URL', 'ACTIVATION_SIGN_IN_URL', 'ENTRA_JML_PUBLIC_URL']) {
      expect(preflightProblems({ ...sender, [setting]: 'http://contoso.example/x' }, shippedPolicy).join()).toMatch(
        setting,
      );
      expect(preflightProblems({ ...sender, [setting]: 'https://contoso.example/x' }, shippedPolicy)).toEqual([]);
    }
  });
});
