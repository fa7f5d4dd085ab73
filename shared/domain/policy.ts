import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { durationMs, MAX_CALLBACK_TIMEOUT_MS, MIN_CALLBACK_TIMEOUT_MS } from '../lcw/callback-timeout';
import { describeIssues, WorkerRecord } from './hr-event';
import { compileExpression } from '../intake/attribute-mapping';
import { parseMappingPath } from './scim-path';

/**
 * The JML policy: everything an organisation configures about joiners, movers and leavers (UPN
 * pattern, birthright rules, licence groups, grace and retention periods, SCIM targets, the
 * accidental-deletion threshold). Versioned: its `version` is recorded on every plan and audit row.
 * Loaded from YAML or JSON; a bad file fails start-up with every problem as `path: reason`.
 * Editors validate with policy/policy.schema.json (generated from this schema: npm run policy:schema).
 */

/** Tokens a UPN pattern may use; each renders a transliterated, lower-cased name part. */
const UPN_TOKENS = [
  'given',
  'family',
  'givenInitial',
  'familyInitial',
  'preferredGiven',
  'preferredFamily',
  'employeeId',
] as const;
export type UpnToken = (typeof UPN_TOKENS)[number];

/** Tokens a display-name pattern may use; they render the names as written (not transliterated). */
const DISPLAY_NAME_TOKENS = ['given', 'family', 'preferredGiven', 'preferredFamily', 'employeeId'] as const;

const TOKEN_PATTERN = /\{([^{}]*)\}/g;

function unknownTokens(pattern: string, allowed: readonly string[]): string[] {
  // Stryker disable next-line StringLiteral: the group of TOKEN_PATTERN always takes part, m[1] is never undefined
  return [...pattern.matchAll(TOKEN_PATTERN)].map((m) => m[1] ?? '').filter((t) => !allowed.includes(t));
}

/**
 * Characters Entra accepts in the local part of a userPrincipalName: A-Z a-z 0-9 ' . - _ ! # ^ ~
 * (https://learn.microsoft.com/en-us/graph/api/resources/user — userPrincipalName). They are also
 * valid in mailNickname, which forbids @ ( ) \ [ ] " ; : < > , and space.
 */
const UPN_LOCAL_PART_CHARS = /^[A-Za-z0-9'.\-_!#^~]*$/;

const UpnPattern = z
  .string()
  .min(1)
  .superRefine((pattern, ctx) => {
    const unknown = unknownTokens(pattern, UPN_TOKENS);
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message:
          `unknown token(s) ${unknown.map((t) => `{${t}}`).join(', ')}; ` +
          `allowed: ${UPN_TOKENS.map((t) => `{${t}}`).join(' ')}`,
      });
    }
    if (![...pattern.matchAll(TOKEN_PATTERN)].length) {
      ctx.addIssue({ code: 'custom', message: 'must contain at least one token such as {given} or {family}' });
    }
    const literal = pattern.replace(TOKEN_PATTERN, '');
    if (!UPN_LOCAL_PART_CHARS.test(literal)) {
      ctx.addIssue({
        code: 'custom',
        message: `literal characters must be UPN-safe (A-Z a-z 0-9 ' . - _ ! # ^ ~), got "${literal}"`,
      });
    }
  });

/** Entra object ids are GUIDs. */
const ObjectId = z.guid('an Entra object id (GUID)');

const GroupRef = z
  .object({
    /** Object id of the Entra group. */
    id: ObjectId.describe('Object id of the Entra group.'),
    /** Display name (for plans, audit and explanations; the id is what counts). */
    name: z
      .string()
      .min(1)
      .max(256)
      .describe('Display name (for plans, audit and explanations; the id is what counts).'),
  })
  .strict();
type GroupRef = z.infer<typeof GroupRef>;

const ValueList = z.array(z.string().min(1)).min(1, 'list at least one value (omit the condition to match everyone)');

const JobTitleCondition = z
  .object({
    /** Regular expression, matched case-insensitively against the job title. */
    pattern: z
      .string()
      .min(1)
      .refine((source) => {
        try {
          // Stryker disable next-line StringLiteral: the i flag does not change whether a pattern compiles
          new RegExp(source, 'i');
          return true;
        } catch {
          return false;
        }
      }, 'not a valid regular expression'),
  })
  .strict();

/**
 * Conditions on the worker record. Every listed condition must match (AND); within one list any
 * value may match (OR); comparisons ignore case and surrounding spaces. An empty `when` matches everyone.
 */
export const Condition = z
  .object({
    department: ValueList.optional(),
    jobTitle: JobTitleCondition.optional(),
    /** ISO 3166-1 alpha-2 codes. */
    country: ValueList.optional().describe('ISO 3166-1 alpha-2 codes.'),
    employmentType: z.array(WorkerRecord.shape.employmentType.unwrap()).min(1).optional(),
    costCenter: ValueList.optional(),
    company: ValueList.optional(),
    city: ValueList.optional(),
    officeLocation: ValueList.optional(),
    /** Worker extension attributes: key → accepted values. */
    extension: z
      .record(z.string().min(1), ValueList)
      .optional()
      .describe('Worker extension attributes: key → accepted values.'),
  })
  .strict()
  .describe(
    'Conditions on the worker record: every listed condition must match; any value of a list may match; ' +
      'case-insensitive. Empty = everyone.',
  );
export type Condition = z.infer<typeof Condition>;

const BirthrightRule = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, . _ - (starting with a letter or digit)'),
    description: z.string().min(1).optional(),
    when: Condition.default({}),
    groups: z.array(GroupRef).min(1),
  })
  .strict();
type BirthrightRule = z.infer<typeof BirthrightRule>;

const LicenceGroup = GroupRef.extend({
  /** skuPartNumber of the licence the group assigns (group-based licensing), e.g. SPE_E3. */
  sku: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/, 'a skuPartNumber such as SPE_E3')
    .describe('skuPartNumber of the licence the group assigns (group-based licensing), e.g. SPE_E3.'),
  when: Condition.default({}),
  /**
   * Licence groups are tried in order and a person gets the FIRST that matches (one base licence);
   * an `addOn` group is granted whenever it matches, in addition (Visio, Power BI Pro ...).
   */
  addOn: z.boolean().default(false),
}).strict();
type LicenceGroup = z.infer<typeof LicenceGroup>;

/** Mailbox-style names no account may take (RFC 2142 role mailboxes and common admin names). */
const DEFAULT_RESERVED_WORDS = [
  'abuse',
  'admin',
  'administrator',
  'billing',
  'ftp',
  'helpdesk',
  'hostmaster',
  'info',
  'it',
  'marketing',
  'news',
  'noc',
  'no-reply',
  'noreply',
  'postmaster',
  'root',
  'sales',
  'security',
  'ssl-admin',
  'ssladmin',
  'support',
  'sysadmin',
  'system',
  'usenet',
  'uucp',
  'webmaster',
  'www',
];

const UpnPolicy = z
  .object({
    /**
     * e.g. '{given}.{family}'. Tokens: {given} {family} {givenInitial} {familyInitial} {preferredGiven}
     * {preferredFamily} {employeeId}.
     */
    pattern: UpnPattern.describe(
      "e.g. '{given}.{family}'. Tokens: {given} {family} {givenInitial} {familyInitial} " +
        '{preferredGiven} {preferredFamily} {employeeId}.',
    ),
    /** Tried in order when the pattern's result is taken or reserved, before numbered suffixes. */
    fallbackPatterns: z
      .array(UpnPattern)
      .default([])
      .describe("Tried in order when the pattern's result is taken or reserved, before numbered suffixes."),
    /** Local-part length limit: 64 (RFC 5321 local part; Entra's UPN prefix limit). */
    maxLocalPartLength: z
      .number()
      .int()
      .min(8)
      .max(64)
      .default(64)
      .describe("Local-part length limit: 64 (RFC 5321 local part; Entra's UPN prefix limit)."),
    /** Local parts that are never generated (compared case-insensitively). */
    reservedWords: z
      .array(z.string().min(1))
      .default(DEFAULT_RESERVED_WORDS)
      .describe('Local parts that are never generated (compared case-insensitively).'),
    /** Spaces inside one name ("da Silva", "Anne Marie"): dropped, or turned into a separator. */
    whitespace: z
      .enum(['remove', 'hyphen', 'dot'])
      .default('remove')
      .describe('Spaces inside one name ("da Silva", "Anne Marie"): dropped, or turned into a separator.'),
    /** Hyphens inside a name (Anne-Marie). */
    hyphens: z.enum(['keep', 'remove']).default('keep').describe('Hyphens inside a name (Anne-Marie).'),
    /** Apostrophes (O'Brien): valid in a UPN but refused by many downstream apps, so removed by default. */
    apostrophes: z
      .enum(['keep', 'remove'])
      .default('remove')
      .describe("Apostrophes (O'Brien): valid in a UPN but refused by many downstream apps, so removed by default."),
    /** Placed between the base and its collision number: '' gives jose.nunez2, '.' gives jose.nunez.2. */
    suffixSeparator: z
      .enum(['', '.', '-', '_'])
      .default('')
      .describe("Placed between the base and its collision number: '' gives jose.nunez2, '.' gives jose.nunez.2."),
    /** First collision number (2 gives base2, base3 ...). */
    firstSuffix: z
      .number()
      .int()
      .min(1)
      .max(9)
      .default(2)
      .describe('First collision number (2 gives base2, base3 ...).'),
  })
  .strict();
type UpnPolicy = z.infer<typeof UpnPolicy>;

const Hostname = z
  .string()
  .regex(
    /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/,
    'a DNS domain such as contoso.com',
  );

/** Worker fields an extension attribute can take its value from ("extensions.<key>" for worker extensions). */
export const MAPPABLE_WORKER_FIELDS = [
  'employeeId',
  'department',
  'jobTitle',
  'costCenter',
  'company',
  'country',
  'city',
  'officeLocation',
  'employmentType',
  'managerEmployeeId',
  'hireDate',
  'leaveDate',
] as const;

const AttributeSource = z
  .string()
  .refine(
    (source) => (MAPPABLE_WORKER_FIELDS as readonly string[]).includes(source) || /^extensions\.[^.\s]+$/.test(source),
    `one of ${MAPPABLE_WORKER_FIELDS.join(', ')} or extensions.<key>`,
  );

const EXTENSION_ATTRIBUTE_NAMES = Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`);

const AttributeMapping = z
  .object({
    /**
     * Display name as written (not transliterated). Tokens: {given} {family} {preferredGiven} {preferredFamily}
     * {employeeId}.
     */
    displayName: z
      .string()
      .min(1)
      .refine(
        (p) => unknownTokens(p, DISPLAY_NAME_TOKENS).length === 0,
        `tokens: ${DISPLAY_NAME_TOKENS.map((t) => `{${t}}`).join(' ')}`,
      )
      .default('{preferredGiven} {preferredFamily}'),
    /** Entra employeeType written for each HR employment type. */
    employeeType: z
      .object({
        employee: z.string().min(1).default('Employee'),
        contractor: z.string().min(1).default('Contractor'),
        intern: z.string().min(1).default('Intern'),
        temporary: z.string().min(1).default('Temporary'),
      })
      .strict()
      .default({ employee: 'Employee', contractor: 'Contractor', intern: 'Intern', temporary: 'Temporary' }),
    /** extensionAttribute1..15 (onPremisesExtensionAttributes) → worker field or extensions.<key>. */
    extensionAttributes: z
      .record(z.string(), AttributeSource)
      .superRefine((record, ctx) => {
        for (const key of Object.keys(record)) {
          if (!EXTENSION_ATTRIBUTE_NAMES.includes(key)) {
            ctx.addIssue({ code: 'custom', path: [key], message: 'only extensionAttribute1 .. extensionAttribute15' });
          }
        }
      })
      .default({}),
  })
  .strict();
type AttributeMapping = z.infer<typeof AttributeMapping>;

/**
 * Name of an app setting (environment variable; in Azure often a Key Vault reference) holding a secret: the policy
 * names where the secret is, never the secret.
 */
const AppSettingName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an app setting name (letters, digits and _), e.g. SCIM_CRM_TOKEN');

/** Target attribute paths the SCIM mapping can write (shared/domain/scim-path.ts parses them). */
function checkScimAttributePaths(mapping: Record<string, unknown>, ctx: z.core.$RefinementCtx): void {
  for (const text of Object.keys(mapping)) {
    try {
      parseMappingPath(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: [text], message: (error as Error).message });
    }
  }
}

/** An expression of the bulkUpload mapping language; an unknown function fails when the policy loads. */
const ScimMappingExpression = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    try {
      compileExpression(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

/** How entra-jml authenticates to the target (RFC 7644 §2: the SCIM protocol leaves it to HTTP/OAuth). */
const ScimAuth = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('bearer'),
      /** App setting holding the long-lived bearer token (the "Secret Token" of Entra's provisioning config). */
      tokenSetting: AppSettingName.describe('App setting holding the long-lived bearer token.'),
    })
    .strict(),
  z
    .object({
      /** OAuth 2.0 client credentials grant (RFC 6749 §4.4); the token is cached until it expires. */
      type: z.literal('oauthClientCredentials'),
      tokenUrl: z.url(),
      clientId: z.string().min(1),
      /** App setting holding the client secret. */
      clientSecretSetting: AppSettingName.describe('App setting holding the client secret.'),
      scope: z.string().min(1).optional(),
    })
    .strict(),
]);

/**
 * What discovery (/ServiceProviderConfig) would say, for servers whose answer is wrong or missing: `patch: false`
 * sends PUT of the whole resource, `filter: false` pages through /Users, `etag: true` sends If-Match.
 */
const ScimOverrides = z
  .object({ patch: z.boolean().optional(), filter: z.boolean().optional(), etag: z.boolean().optional() })
  .strict();

const ScimTarget = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens'),
    name: z.string().min(1),
    /** SCIM 2.0 base URL (RFC 7644), e.g. https://app.example.com/scim/v2. */
    baseUrl: z.url().describe('SCIM 2.0 base URL (RFC 7644), e.g. https://app.example.com/scim/v2.'),
    enabled: z.boolean().default(true),
    /** Scoping: only people matching this condition are provisioned to the target. */
    when: Condition.default({}),
    /** Earlier form of `auth: {type: bearer, tokenSetting}`: the app setting holding the bearer token. */
    tokenSecretName: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Earlier form of auth {type: bearer, tokenSetting}: the app setting holding the bearer token; ' +
          'never the token itself.',
      ),
    /** Absent (with no tokenSecretName): no Authorization header (a local demo target). */
    auth: ScimAuth.optional(),
    /**
     * Target attribute path → expression over the person (the bulkUpload mapping's language: a source, "constant",
     * Coalesce, Join, Replace, Left). Sources: worker record fields (employeeId, legalGivenName, department,
     * extensions.<key> ...), givenName/familyName (preferred or legal), displayName, and the account's upn, mail,
     * enabled, userId. Merged over the default mapping; null drops a default attribute.
     */
    mapping: z
      .record(z.string().min(1), ScimMappingExpression.nullable())
      .superRefine(checkScimAttributePaths)
      .default({})
      .describe(
        'Target attribute path → expression over the person, merged over the default mapping ' +
          '(null drops a default attribute).',
      ),
    /** Disabled accounts are created or kept with active: false instead of being left out (deactivated). */
    provisionDisabled: z.boolean().default(false),
    /** Entra groups whose membership is pushed (display names or object ids), or none. */
    groups: z
      .union([z.literal('none'), z.array(z.string().min(1)).min(1)])
      .default('none')
      .describe('Entra groups whose membership is pushed (display names or object ids), or none.'),
    /** What a leaver becomes in the target before retention ends: deactivated (active: false) or deleted. */
    onLeave: z.enum(['deactivate', 'delete']).default('deactivate'),
    /** Requests in flight to this target at once. */
    concurrency: z.number().int().min(1).max(64).default(4),
    /** Seconds one request may take before it counts as a (retryable) timeout. */
    timeoutSeconds: z.number().int().min(1).max(120).default(15),
    /** Requests per second to this target. */
    ratePerSecond: z.number().positive().max(1000).default(10),
    overrides: ScimOverrides.default({}),
  })
  .strict()
  .superRefine((target, ctx) => {
    if (target.auth && target.tokenSecretName)
      ctx.addIssue({ code: 'custom', path: ['tokenSecretName'], message: 'set either auth or tokenSecretName' });
  });
export type ScimTarget = z.infer<typeof ScimTarget>;

/**
 * Lifecycle Workflows custom task extension callouts (POST /api/lcw/tasks): which work a task runs. The first entry
 * whose `match` fits the callout wins; every criterion given must fit (names compared case-insensitively).
 */
const LcwTaskMatch = z
  .object({
    taskDisplayName: z.string().min(1).optional(),
    workflowDisplayName: z.string().min(1).optional(),
    taskId: ObjectId.optional(),
  })
  .strict()
  .refine(
    (match) => Object.keys(match).length > 0,
    'name at least one of taskDisplayName, workflowDisplayName, taskId',
  );

const LcwTask = z
  .object({
    match: LcwTaskMatch,
    /**
     * activation: the self-activation flow, resumed when it ends; accessPackage: add the named groups (and SCIM
     * targets); leaver: the person's leaver now; refreshAccess: apply the policy to the person again.
     */
    run: z
      .enum(['activation', 'accessPackage', 'leaver', 'refreshAccess'])
      .describe(
        'activation: self-activation, resumed when it ends; accessPackage: add the named groups; ' +
          "leaver: the person's leaver now; refreshAccess: apply the policy to the person again.",
      ),
    accessPackage: z
      .object({
        groups: z.array(GroupRef).min(1),
        /** Ids of scimTargets to provision the person to (noted; the SCIM fan-out applies them). */
        scimTargets: z
          .array(z.string().min(1))
          .default([])
          .describe('Ids of scimTargets to provision the person to (noted; the SCIM fan-out applies them).'),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((task) => (task.run === 'accessPackage') === (task.accessPackage !== undefined), {
    path: ['accessPackage'],
    message: 'required with run: accessPackage, and only then',
  });

const LifecycleWorkflows = z
  .object({
    tasks: z.array(LcwTask).default([]),
    /**
     * The custom task extension's callback timeout (callbackConfiguration.timeoutDuration, PT5M..PT3H:
     * https://learn.microsoft.com/graph/api/resources/identitygovernance-customtaskextensioncallbackconfiguration).
     * Work not done shortly before it is resumed Failed with the reason instead of left to time out.
     */
    callbackTimeout: z
      .string()
      .refine((text) => {
        const ms = durationMs(text);
        return ms !== null && ms >= MIN_CALLBACK_TIMEOUT_MS && ms <= MAX_CALLBACK_TIMEOUT_MS;
      }, 'an ISO 8601 duration from PT5M to PT3H (the custom task extension callback timeout)')
      .default('PT1H')
      .describe("The custom task extension's callback timeout (ISO 8601, PT5M..PT3H), as configured in Entra."),
  })
  .strict();

/** ISO 4217 currency code. */
const Currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as EUR');

const LicenceTier = z
  .object({
    /** The group whose members hold a seat of this tier (e.g. "Acme Pro"). */
    groupId: ObjectId.describe('The group whose members hold a seat of this tier (e.g. "Acme Pro").'),
    tier: z.string().min(1).max(64),
    /** Seats purchased for this tier. */
    seats: z.number().int().min(0).describe('Seats purchased for this tier.'),
    /** Price of one seat per month. */
    unitPrice: z.number().min(0).describe('Price of one seat per month.'),
    currency: Currency,
  })
  .strict();

const LicensedApp = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens'),
    name: z.string().min(1).max(128),
    licenceGroups: z.array(LicenceTier).min(1),
    /** Groups giving access without a seat (admins, service accounts): not counted, not flagged. */
    unlicensedGroups: z
      .array(ObjectId)
      .default([])
      .describe('Groups giving access without a seat (admins, service accounts): not counted, not flagged.'),
    /** The SCIM target that provisions the app: its `when` is the app's scope unless `when` is given here. */
    scimTargetId: z
      .string()
      .optional()
      .describe("The SCIM target that provisions the app: its `when` is the app's scope unless `when` is given here."),
    /** Who may hold a seat; people in a licence group outside it are reported. Empty: everyone. */
    when: Condition.optional().describe('Who may hold a seat; licence group members outside it are reported.'),
  })
  .strict();

export const LicenceReportPolicy = z
  .object({
    apps: z.array(LicensedApp).default([]),
    /** Who receives the mail when a threshold is crossed. */
    owners: z.array(z.email()).default([]).describe('Who receives the mail when a threshold is crossed.'),
    thresholds: z
      .object({
        /** Mail when assigned / purchased falls below this share (paying for unused licences). */
        utilisationBelow: z
          .number()
          .min(0)
          .max(1)
          .default(0.8)
          .describe('Mail when assigned / purchased falls below this share (paying for unused licences).'),
        /** Mail when fewer than this many units are left to assign (about to run out). */
        availableBelow: z
          .number()
          .int()
          .min(0)
          .default(5)
          .describe('Mail when fewer than this many units are left to assign (about to run out).'),
      })
      .strict()
      .default({ utilisationBelow: 0.8, availableBelow: 5 }),
    /** A seat whose holder has not signed in (or used the app) for this many days is a reclaim candidate. */
    idleDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(30)
      .describe('A seat whose holder has not signed in (or used the app) for this many days is a reclaim candidate.'),
    /** Time-limited memberships ending within this many days are reported as expiring. */
    expiringWithinDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .default(14)
      .describe('Time-limited memberships ending within this many days are reported as expiring.'),
    /**
     * Remediation (shared/licences/remediation.ts): each action is off until switched on here; the API and the CLI
     * show a dry run unless asked to apply; a run with more changes than maxChanges is refused without approval.
     */
    remediation: z
      .object({
        /** Take licences and app seats back from disabled, departed and deleted accounts. */
        removeFromDeparted: z
          .boolean()
          .default(false)
          .describe('Take licences and app seats back from disabled, departed and deleted accounts.'),
        /** Move licences assigned directly to the policy's licence group for that SKU. */
        moveDirectToGroup: z
          .boolean()
          .default(false)
          .describe("Move licences assigned directly to the policy's licence group for that SKU."),
        /** End time-limited access (a licence or app seat group membership) whose end date has passed. */
        endExpiredAccess: z
          .boolean()
          .default(false)
          .describe('End time-limited access (a licence or app seat group membership) whose end date has passed.'),
        /** More changes than this in one run are refused until an admin approves that exact plan. */
        maxChanges: z
          .number()
          .int()
          .min(0)
          .max(100_000)
          .default(20)
          .describe('More changes than this in one run are refused until an admin approves that exact plan.'),
        /** The daily licence report timer also applies the switched-on actions (within maxChanges). */
        daily: z
          .boolean()
          .default(false)
          .describe('The daily licence report timer also applies the switched-on actions (within maxChanges).'),
      })
      .strict()
      .default({
        removeFromDeparted: false,
        moveDirectToGroup: false,
        endExpiredAccess: false,
        maxChanges: 20,
        daily: false,
      })
      .describe('Remediation: each action off until switched on; dry run unless applied; a change limit per run.'),
    /** Mail a person (and their manager) when a licence or app seat is assigned to or removed from them. */
    notifications: z
      .object({
        /** Mail the person at their work mail. */
        person: z.boolean().default(false).describe('Mail the person at their work mail.'),
        /** Mail their manager too. */
        manager: z.boolean().default(false).describe('Mail their manager too.'),
      })
      .strict()
      .default({ person: false, manager: false })
      .describe('Mail a person (and their manager) when a licence or app seat is assigned to or removed from them.'),
    /** Monthly price of one unit of a Microsoft SKU, by skuPartNumber (reclaim and gap costs). */
    costs: z
      .array(
        z
          .object({
            skuPartNumber: z.string().regex(/^[A-Za-z0-9_]+$/, 'a skuPartNumber such as SPE_E3'),
            unitPrice: z.number().min(0),
            currency: Currency,
          })
          .strict(),
      )
      .default([])
      .describe('Monthly price of one unit of a Microsoft SKU, by skuPartNumber (reclaim and gap costs).'),
  })
  .strict();
export type LicenceReportPolicy = z.infer<typeof LicenceReportPolicy>;

const PolicyObject = z
  .object({
    /** Recorded on every plan and audit row; change it whenever the file changes. */
    version: z
      .string()
      .min(1)
      .max(64)
      .describe('Recorded on every plan and audit row; change it whenever the file changes.'),
    description: z.string().optional(),
    tenant: z
      .object({
        /** Verified domain of generated UPNs. */
        upnDomain: Hostname.describe('Verified domain of generated UPNs.'),
        /** Mail domain when it differs from the UPN domain. */
        mailDomain: Hostname.optional().describe('Mail domain when it differs from the UPN domain.'),
      })
      .strict(),
    upn: UpnPolicy,
    /** The account is created (disabled) this many days before the hire date. */
    prehireDays: z
      .number()
      .int()
      .min(0)
      .max(90)
      .default(7)
      .describe('The account is created (disabled) this many days before the hire date.'),
    leaver: z
      .object({
        /** Days between leaving (disable) and deletion (soft delete in Entra, restorable for 30 more days). */
        retentionDays: z
          .number()
          .int()
          .min(0)
          .max(3650)
          .default(30)
          .describe('Days between leaving (disable) and deletion (soft delete in Entra, restorable for 30 more days).'),
        revokeSessions: z.boolean().default(true),
        removeGroups: z.boolean().default(true),
        removeLicences: z.boolean().default(true),
        notifyManager: z.boolean().default(true),
      })
      .strict()
      .default({
        retentionDays: 30,
        revokeSessions: true,
        removeGroups: true,
        removeLicences: true,
        notifyManager: true,
      }),
    mover: z
      .object({
        /** Days during which a mover keeps the old role's groups before they are removed. */
        graceDays: z
          .number()
          .int()
          .min(0)
          .max(365)
          .default(0)
          .describe("Days during which a mover keeps the old role's groups before they are removed."),
        notifyManagers: z.boolean().default(true),
        /** Worker fields whose change is worth a mail to the managers; other changes (an office move) are silent. */
        notifyOn: z
          .array(z.enum(['department', 'jobTitle', 'managerEmployeeId', 'company', 'costCenter', 'employmentType']))
          .default(['department', 'jobTitle', 'managerEmployeeId'])
          .describe('Worker fields whose change is worth a mail to the managers; other changes are silent.'),
      })
      .strict()
      .default({ graceDays: 0, notifyManagers: true, notifyOn: ['department', 'jobTitle', 'managerEmployeeId'] }),
    birthright: z
      .object({ rules: z.array(BirthrightRule).default([]) })
      .strict()
      .default({ rules: [] }),
    licenceGroups: z
      .array(LicenceGroup)
      .default([])
      .describe(
        'Licences through groups: tried in order, the first matching base licence wins; add-ons whenever they match.',
      ),
    /** Groups the policy used to grant: their members are removed on the next evaluation of each person. */
    retiredGroups: z
      .array(GroupRef)
      .default([])
      .describe('Groups the policy used to grant: their members are removed on the next evaluation of each person.'),
    /**
     * Accidental-deletion protection, as in Entra provisioning: when one intake batch or one rolling hour
     * would disable or delete more than maxPerHour accounts, or more than maxPercent of them, leavers are held
     * for approval.
     */
    deletionThreshold: z
      .object({
        maxPerHour: z.number().int().min(1).default(500),
        maxPercent: z.number().min(0).max(100).default(10),
        percentAppliesFrom: z
          .number()
          .int()
          .min(0)
          .default(100)
          .describe(
            'The percentage rule applies from this many accounts in the tenant up; ' +
              'below it (a small tenant) only maxPerHour does.',
          ),
      })
      .strict()
      .describe(
        'Accidental-deletion protection: leavers beyond maxPerHour (per intake batch or rolling hour) ' +
          'or maxPercent of accounts are held for approval.',
      )
      .default({ maxPerHour: 500, maxPercent: 10, percentAppliesFrom: 100 }),
    activation: z
      .object({
        enabled: z.boolean().default(false),
        /** One-time code mailed to the personal address. */
        otpTtlMinutes: z
          .number()
          .int()
          .min(1)
          .max(1440)
          .default(15)
          .describe('One-time code mailed to the personal address.'),
        otpLength: z.number().int().min(6).max(10).default(6),
        otpMaxAttempts: z.number().int().min(1).max(20).default(5),
        /** Temporary Access Pass lifetime: 10..43200 minutes and within the tenant TAP policy (default max 8 h). */
        tapLifetimeMinutes: z
          .number()
          .int()
          .min(10)
          .max(43200)
          .default(60)
          .describe(
            'Temporary Access Pass lifetime: 10..43200 minutes and within the tenant TAP policy (default max 8 h).',
          ),
        tapUsableOnce: z.boolean().default(true),
        /** Hours after day-1 start at which an unactivated person is reminded. */
        reminderHours: z
          .array(z.number().int().min(1))
          .default([24, 72])
          .describe('Hours after day-1 start at which an unactivated person is reminded.'),
        /** Days after the hire date after which the activation link expires. */
        expiryDays: z
          .number()
          .int()
          .min(1)
          .max(90)
          .default(14)
          .describe('Days after the hire date after which the activation link expires.'),
        notifyManager: z.boolean().default(true),
      })
      .strict()
      .default({
        enabled: false,
        otpTtlMinutes: 15,
        otpLength: 6,
        otpMaxAttempts: 5,
        tapLifetimeMinutes: 60,
        tapUsableOnce: true,
        reminderHours: [24, 72],
        expiryDays: 14,
        notifyManager: true,
      }),
    scimTargets: z
      .array(ScimTarget)
      .default([])
      .describe('Apps provisioned over SCIM 2.0, each scoped by a condition.'),
    lifecycleWorkflows: LifecycleWorkflows.optional().describe(
      'Lifecycle Workflows custom task extension: which work each task runs (POST /api/lcw/tasks).',
    ),
    /** Licence compliance reports (shared/licences): app licence groups, owners, thresholds, costs. */
    licences: LicenceReportPolicy.optional().describe(
      'Licence compliance reports: app licence groups, owners, thresholds, idle days, SKU costs.',
    ),
    attributeMapping: AttributeMapping.default({
      displayName: '{preferredGiven} {preferredFamily}',
      employeeType: { employee: 'Employee', contractor: 'Contractor', intern: 'Intern', temporary: 'Temporary' },
      extensionAttributes: {},
    }),
  })
  .strict();

// Cross-field checks run only on a well-shaped policy (zod 4 would otherwise run them on partial data).
export const Policy = PolicyObject.superRefine((policy, ctx) => checkConsistency(policy, ctx), {
  when: (payload) => payload.issues.length === 0,
});
export type Policy = z.infer<typeof Policy>;

/** Cross-field rules the shape alone cannot say. */
function checkConsistency(policy: z.infer<typeof PolicyObject>, ctx: z.core.$RefinementCtx): void {
  const names = new Map<string, string>();
  const noteGroup = (group: GroupRef, path: (string | number)[]): void => {
    const id = group.id.toLowerCase();
    const known = names.get(id);
    if (known !== undefined && known !== group.name) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'name'],
        message: `group ${group.id} is named "${known}" elsewhere in the policy`,
      });
    }
    names.set(id, group.name);
  };

  const ruleIds = new Set<string>();
  policy.birthright.rules.forEach((rule, r) => {
    if (ruleIds.has(rule.id))
      ctx.addIssue({
        code: 'custom',
        path: ['birthright', 'rules', r, 'id'],
        message: `duplicate rule id "${rule.id}"`,
      });
    ruleIds.add(rule.id);
    rule.groups.forEach((group, g) => noteGroup(group, ['birthright', 'rules', r, 'groups', g]));
  });

  const birthrightIds = new Set(policy.birthright.rules.flatMap((rule) => rule.groups.map((g) => g.id.toLowerCase())));
  const licenceIds = new Set<string>();
  policy.licenceGroups.forEach((group, i) => {
    const id = group.id.toLowerCase();
    if (licenceIds.has(id))
      ctx.addIssue({
        code: 'custom',
        path: ['licenceGroups', i, 'id'],
        message: `duplicate licence group ${group.id}`,
      });
    if (birthrightIds.has(id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['licenceGroups', i, 'id'],
        message: `group ${group.id} is also a birthright group; licence groups must be distinct`,
      });
    }
    licenceIds.add(id);
    noteGroup(group, ['licenceGroups', i]);
  });

  policy.retiredGroups.forEach((group, i) => {
    const id = group.id.toLowerCase();
    if (birthrightIds.has(id) || licenceIds.has(id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['retiredGroups', i, 'id'],
        message: `group ${group.id} is retired but still granted by the policy`,
      });
    }
  });

  const targetIds = new Set<string>();
  policy.scimTargets.forEach((target, i) => {
    if (targetIds.has(target.id))
      ctx.addIssue({
        code: 'custom',
        path: ['scimTargets', i, 'id'],
        message: `duplicate SCIM target id "${target.id}"`,
      });
    if (target.id === 'entra')
      ctx.addIssue({
        code: 'custom',
        path: ['scimTargets', i, 'id'],
        message: '"entra" is reserved for the directory itself',
      });
    targetIds.add(target.id);
  });

  policy.lifecycleWorkflows?.tasks.forEach((task, t) => {
    task.accessPackage?.groups.forEach((group, g) =>
      noteGroup(group, ['lifecycleWorkflows', 'tasks', t, 'accessPackage', 'groups', g]),
    );
    task.accessPackage?.scimTargets.forEach((id, i) => {
      if (!targetIds.has(id))
        ctx.addIssue({
          code: 'custom',
          path: ['lifecycleWorkflows', 'tasks', t, 'accessPackage', 'scimTargets', i],
          message: `no scimTargets entry has id "${id}"`,
        });
    });
  });
  checkLicences(policy, ctx);

  if (policy.tenant.upnDomain.length + 1 + policy.upn.maxLocalPartLength > 113) {
    // userPrincipalName is at most 113 characters: 64 local part + '@' + 48 domain (Graph user resource).
    ctx.addIssue({
      code: 'custom',
      path: ['upn', 'maxLocalPartLength'],
      message: `local part (${policy.upn.maxLocalPartLength}) + domain exceed the 113-character UPN limit`,
    });
  }
}

/** Licence report rules: unique app ids, a group counted once, a known SCIM target, one currency per app. */
function checkLicences(policy: z.infer<typeof PolicyObject>, ctx: z.core.$RefinementCtx): void {
  const licences = policy.licences;
  if (!licences) return;
  const appIds = new Set<string>();
  const groupOwner = new Map<string, string>();
  const targetIds = new Set(policy.scimTargets.map((t) => t.id));
  licences.apps.forEach((app, a) => {
    const path = ['licences', 'apps', a];
    if (appIds.has(app.id))
      ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `duplicate app id "${app.id}"` });
    appIds.add(app.id);
    if (app.scimTargetId !== undefined && !targetIds.has(app.scimTargetId))
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'scimTargetId'],
        message: `no SCIM target "${app.scimTargetId}" in scimTargets`,
      });
    const groups = [
      ...app.licenceGroups.map((tier, t) => ({ id: tier.groupId, at: [...path, 'licenceGroups', t, 'groupId'] })),
      ...app.unlicensedGroups.map((id, u) => ({ id, at: [...path, 'unlicensedGroups', u] })),
    ];
    for (const group of groups) {
      const id = group.id.toLowerCase();
      const owner = groupOwner.get(id);
      if (owner !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: group.at,
          message: `group ${group.id} is already used by app "${owner}"`,
        });
      groupOwner.set(id, app.id);
    }
    const currencies = new Set(app.licenceGroups.map((tier) => tier.currency));
    if (currencies.size > 1)
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'licenceGroups'],
        message: 'all tiers of an app use one currency',
      });
  });
}

export interface PolicyProblem {
  path: string;
  reason: string;
}

/** A policy that cannot be used; `message` lists every problem as `path: reason`. */
export class PolicyError extends Error {
  constructor(
    readonly problems: PolicyProblem[],
    readonly source = 'policy',
  ) {
    super(`Invalid ${source}:\n${problems.map((p) => `  ${p.path}: ${p.reason}`).join('\n')}`);
    this.name = 'PolicyError';
  }
}

export type PolicyFormat = 'yaml' | 'json';

/** Parses and validates a policy document. YAML is a superset of JSON, but JSON is parsed strictly when declared. */
export function parsePolicy(text: string, format: PolicyFormat = 'yaml', source = 'policy'): Policy {
  let raw: unknown;
  if (format === 'json') {
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new PolicyError([{ path: '(root)', reason: `not valid JSON: ${(error as Error).message}` }], source);
    }
  } else {
    // Stryker disable next-line ObjectLiteral: yaml 2 defaults both to true; stated so an upgrade cannot loosen them
    const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (document.errors.length > 0) {
      throw new PolicyError(
        document.errors.map((error) => ({
          path: error.linePos ? `(line ${error.linePos[0].line}, column ${error.linePos[0].col})` : '(root)',
          reason: error.message.split('\n')[0] ?? error.code,
        })),
        source,
      );
    }
    raw = document.toJS();
  }
  const result = Policy.safeParse(raw);
  if (!result.success) throw new PolicyError(describeIssues(result.error), source);
  return result.data;
}

/** Reads a policy file (.json → JSON, anything else → YAML). Throws PolicyError naming the file. */
export function loadPolicy(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyError(
      [
        {
          path: '(file)',
          reason: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        },
      ],
      `policy file ${path}`,
    );
  }
  return parsePolicy(text, extname(path).toLowerCase() === '.json' ? 'json' : 'yaml', `policy file ${path}`);
}

/** JSON Schema (draft 2020-12) of the policy file, for editors (yaml-language-server, VS Code). */
function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Policy, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://entra-jml.local/policy.schema.json',
    title: 'entra-jml policy',
    description:
      'Joiner/mover/leaver policy for entra-jml. ' +
      'Generated from shared/domain/policy.ts by `npm run policy:schema`; do not edit.',
  };
}

/** The exact text of policy/policy.schema.json. */
export function policyJsonSchemaText(): string {
  return `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
}

/** Every group the policy manages (grants or has retired): only these are ever removed from a person by policy. */
export function managedGroupIds(policy: Policy): string[] {
  const ids = new Map<string, string>();
  for (const rule of policy.birthright.rules)
    for (const group of rule.groups) ids.set(group.id.toLowerCase(), group.id);
  for (const group of policy.licenceGroups) ids.set(group.id.toLowerCase(), group.id);
  for (const group of policy.retiredGroups) ids.set(group.id.toLowerCase(), group.id);
  return [...ids.values()];
}

/** Name of a group the policy knows, by id (case-insensitive). */
export function groupName(policy: Policy, groupId: string): string | undefined {
  const id = groupId.toLowerCase();
  for (const rule of policy.birthright.rules)
    for (const group of rule.groups) if (group.id.toLowerCase() === id) return group.name;
  for (const group of [...policy.licenceGroups, ...policy.retiredGroups])
    if (group.id.toLowerCase() === id) return group.name;
  return undefined;
}

/**
 * Accidental-deletion threshold: true when disabling/deleting `pending` more accounts (on top of
 * `alreadyInWindow` in the current hour or batch) would exceed maxPerHour or maxPercent of `totalAccounts`.
 * Mirrors Entra provisioning's "accidental deletions" setting
 * (learn.microsoft.com/entra/identity/app-provisioning/accidental-deletions).
 */
export function exceedsDeletionThreshold(
  counts: { pending: number; alreadyInWindow?: number; totalAccounts: number },
  policy: Policy,
): boolean {
  const total = counts.pending + (counts.alreadyInWindow ?? 0);
  if (total > policy.deletionThreshold.maxPerHour) return true;
  // In a small tenant one or two leavers are a large share: the percentage only guards larger ones.
  if (counts.totalAccounts <= 0 || counts.totalAccounts < policy.deletionThreshold.percentAppliesFrom) return false;
  return (total / counts.totalAccounts) * 100 > policy.deletionThreshold.maxPercent;
}
