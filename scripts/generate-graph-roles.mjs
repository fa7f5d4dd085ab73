// Writes infra/generated/graph-permissions.json from the one list of Graph application permissions
// (shared/adapters/graph/permissions.ts), so the app roles main.bicep grants cannot drift from what the app needs.
// Each permission belongs to a feature; infra grants a feature's permissions only when that feature is on.
// Run after changing the list: npm run infra:roles (npm run build && node scripts/generate-graph-roles.mjs)
// test/infra/graph-permissions.test.ts fails while the file is stale.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const GENERATED_FILE = path.join(root, 'infra', 'generated', 'graph-permissions.json');

/**
 * Features whose Graph permissions are optional. `directoryMethods` are the Directory port methods
 * (shared/ports/directory.ts) that need the permission: a feature the app calls must be granted, one it never
 * calls must not be (test/infra/graph-permissions.test.ts checks both). Every other permission is "core".
 */
export const OPTIONAL_GRAPH_FEATURES = {
  mail: {
    permissions: ['Mail.Send'],
    directoryMethods: ['sendMail'],
    switchedBy: 'mailSender (and mailSendGrant = entra)',
  },
  // Self-activation (policy `activation`, on in the shipped policy): issues the Temporary Access Pass and fits it
  // in the tenant's TAP policy. On by default; off only with the policy's activation off too (azd preflight).
  activation: {
    permissions: ['UserAuthenticationMethod.ReadWrite.All', 'Policy.Read.AuthenticationMethod'],
    directoryMethods: ['createTemporaryAccessPass', 'deleteTemporaryAccessPass', 'getTemporaryAccessPassPolicy'],
    switchedBy: 'enableActivation',
  },
  directLicences: {
    permissions: ['LicenseAssignment.ReadWrite.All'],
    directoryMethods: ['assignLicenses'],
    switchedBy: 'enableDirectLicences',
  },
  licenceReports: {
    permissions: ['Organization.Read.All', 'AuditLog.Read.All', 'PrivilegedAssignmentSchedule.Read.AzureADGroup'],
    directoryMethods: ['listSubscribedSkus', 'getLastSignIn', 'listUsersForLicences', 'listTimeLimitedMemberships'],
    switchedBy: 'enableLicenceReports',
  },
  // Resuming a custom task extension needs no Graph permission when our app is in the extension's
  // callbackConfiguration.authorizedApps, as infra/lcw/custom-task-extension.json sets it (least privilege:
  // https://learn.microsoft.com/graph/api/identitygovernance-taskprocessingresult-resume, CONTRACTS §3.5). The
  // permission is granted only for a tenant that cannot list us there (enableLifecycleWorkflows).
  lifecycleWorkflows: {
    permissions: ['LifecycleWorkflows.ReadWrite.All'],
    directoryMethods: [],
    switchedBy: 'enableLifecycleWorkflows',
  },
};

/** The generated document: every permission of the list, in its order, with the feature that needs it (the
 * reasons stay in the list). main.bicep grants the appRoles whose feature is on. */
export function graphPermissionsDocument(requiredGraphPermissions) {
  const featureOf = new Map();
  for (const [feature, spec] of Object.entries(OPTIONAL_GRAPH_FEATURES)) {
    for (const permission of spec.permissions) featureOf.set(permission, feature);
  }
  return {
    $comment: 'Generated from shared/adapters/graph/permissions.ts by scripts/generate-graph-roles.mjs',
    appRoles: requiredGraphPermissions.map(({ permission }) => ({
      permission,
      feature: featureOf.get(permission) ?? 'core',
    })),
  };
}

async function main() {
  const require = createRequire(import.meta.url);
  const compiled = path.join(root, 'dist', 'shared', 'adapters', 'graph', 'permissions.js');
  const { requiredGraphPermissions } = require(compiled);
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(GENERATED_FILE)) ?? {};
  const text = await prettier.format(JSON.stringify(graphPermissionsDocument(requiredGraphPermissions)), {
    ...options,
    parser: 'json',
  });
  writeFileSync(GENERATED_FILE, text);
  console.log(`wrote ${path.relative(root, GENERATED_FILE)} (${requiredGraphPermissions.length} app roles)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
