import { z } from 'zod';
import { toCountryCode } from '../domain/country';
import { EmployeeId, TimeZone, type HrEventInput } from '../domain/hr-event';
import { applyMapping, type Expression } from './attribute-mapping';

/**
 * The SCIM BulkRequest that Entra API-driven inbound provisioning accepts
 * (https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-post-bulkupload and
 * resources/synchronization-bulkupload): at most 50 operations, each POST /Users with a unique bulkId and
 * data carrying the core User schema; `externalId` is the employee id.
 *
 * Two levels, as Entra validates: the envelope (this schema) refuses the whole request with 400; what an
 * operation's user says (ScimUser, the mapped HR event) only fails or warns that operation.
 */
const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** SCIM limits the operations per request; Graph's bulkUpload allows 50. */
const MAX_OPERATIONS = 50;

const Operation = z.object({
  method: z.literal('POST'),
  bulkId: z.string().min(1).max(256),
  path: z.literal('/Users'),
  data: z
    .object({
      schemas: z.array(z.string()).refine((s) => s.includes(CORE_USER), `must include ${CORE_USER}`),
    })
    .passthrough(),
});

export const BulkRequest = z
  .object({
    schemas: z.array(z.string()).refine((s) => s.includes(BULK_REQUEST_SCHEMA), `must include ${BULK_REQUEST_SCHEMA}`),
    Operations: z
      .array(Operation)
      .min(1)
      .max(MAX_OPERATIONS, `at most ${MAX_OPERATIONS} operations per request`)
      .superRefine((operations, ctx) => {
        const seen = new Set<string>();
        operations.forEach((o, i) => {
          if (seen.has(o.bulkId))
            ctx.addIssue({ code: 'custom', path: [i, 'bulkId'], message: `bulkId ${o.bulkId} is not unique` });
          seen.add(o.bulkId);
        });
      }),
    failOnErrors: z.number().int().nullable().optional(),
  })
  .passthrough();
export type BulkRequest = z.infer<typeof BulkRequest>;

/** One operation's user, leniently typed: what it lacks or gets wrong fails that operation only. */
export const ScimUser = z
  .object({
    externalId: z.string().min(1, 'the matching attribute externalId (employee id) is required'),
    userName: z.string().optional(),
    name: z
      .object({ givenName: z.string(), familyName: z.string(), formatted: z.string() })
      .partial()
      .passthrough()
      .optional(),
    displayName: z.string().optional(),
    nickName: z.string().optional(),
    title: z.string().optional(),
    userType: z.string().optional(),
    active: z.boolean().optional(),
    emails: z
      .array(
        z.object({ value: z.string(), type: z.string().optional(), primary: z.boolean().optional() }).passthrough(),
      )
      .optional(),
    addresses: z
      .array(
        z
          .object({ country: z.string().optional(), locality: z.string().optional(), primary: z.boolean().optional() })
          .passthrough(),
      )
      .optional(),
    timezone: z.string().optional(),
    preferredLanguage: z.string().optional(),
    phoneNumbers: z.array(z.object({ value: z.string(), type: z.string().optional() }).passthrough()).optional(),
    [ENTERPRISE_USER]: z
      .object({
        employeeNumber: z.string(),
        costCenter: z.string(),
        organization: z.string(),
        division: z.string(),
        department: z.string(),
        manager: z.object({ value: z.string().optional() }).passthrough(),
      })
      .partial()
      .passthrough()
      .optional(),
  })
  .passthrough();
export type ScimUser = z.infer<typeof ScimUser>;

/** Finds a custom-namespace attribute such as "urn:contoso:employee".HireDate, case-insensitively. */
function customAttribute(data: Record<string, unknown>, name: RegExp): string | undefined {
  for (const [key, value] of Object.entries(data)) {
    if (!key.startsWith('urn:') || key === ENTERPRISE_USER || !value || typeof value !== 'object') continue;
    for (const [attribute, v] of Object.entries(value as Record<string, unknown>))
      if (name.test(attribute) && typeof v === 'string') return v;
  }
  return undefined;
}

/** A mapped operation before matching: the hire date may still be unknown (partial update). */
export type MappedEvent = Omit<HrEventInput, 'worker'> & {
  worker: Omit<HrEventInput['worker'], 'hireDate'> & { hireDate?: string };
};

/** What the manager reference names, before the directory is asked. */
export type ManagerReference =
  | { kind: 'none' }
  | { kind: 'employeeId'; value: string }
  | { kind: 'objectId'; value: string }
  | { kind: 'unusable'; value: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `manager.value` names the manager by external id (Entra's default mapping: the manager's employeeId,
 * https://learn.microsoft.com/entra/identity/app-provisioning/inbound-provisioning-api-concepts) or by a
 * directory object id (a GUID).
 */
export function managerReference(user: ScimUser): ManagerReference {
  const value = user[ENTERPRISE_USER]?.manager?.value?.trim();
  if (!value) return { kind: 'none' };
  if (EmployeeId.safeParse(value).success) return { kind: 'employeeId', value };
  if (GUID.test(value)) return { kind: 'objectId', value: value.toLowerCase() };
  return { kind: 'unusable', value };
}

/**
 * Default attribute mapping (as Entra's default inbound mapping: externalId ↔ employeeId, active drives
 * accountEnabled) to the canonical HR event, with a warning for every value it cannot carry over. The
 * manager is left out: the intake resolves `managerReference` against the directory first.
 */
export function toHrEvent(
  user: ScimUser,
  eventId: string,
  receivedAt: Date,
  mapping?: Record<string, Expression>,
): { event: MappedEvent; warnings: string[] } {
  const warnings: string[] = [];
  const enterprise = user[ENTERPRISE_USER] ?? {};
  const primaryAddress = user.addresses?.find((a) => a.primary) ?? user.addresses?.[0];
  const givenCountry = primaryAddress?.country?.trim();
  // Alpha-3 ("USA", as in Microsoft's samples) and country names become alpha-2; anything else is this
  // operation's warning, never the request's failure.
  const country = givenCountry ? (toCountryCode(givenCountry) ?? undefined) : undefined;
  if (givenCountry && !country)
    warnings.push(`addresses.country "${givenCountry}" is not a known country: country and usage location not set`);
  const timeZone = user.timezone && TimeZone.safeParse(user.timezone).success ? user.timezone : undefined;
  if (user.timezone && !timeZone) warnings.push(`timezone "${user.timezone}" is not an IANA time zone: UTC used`);
  const hireDate = customAttribute(user, /hire.?date/i);
  const leaveDate = customAttribute(user, /(leave|termination).?date/i);
  const event: MappedEvent = {
    eventId,
    type: user.active === false ? 'terminate' : 'hire',
    immediate: user.active === false,
    occurredAt: receivedAt.toISOString(),
    source: 'bulkUpload',
    worker: {
      employeeId: user.externalId,
      legalGivenName: user.name?.givenName ?? user.nickName ?? '',
      legalFamilyName: user.name?.familyName ?? '',
      preferredGivenName: user.nickName || undefined,
      personalEmail: user.emails?.find((e) => e.type === 'home' || e.type === 'personal')?.value,
      department: enterprise.department,
      jobTitle: user.title,
      costCenter: enterprise.costCenter,
      division: enterprise.division,
      businessPhone: user.phoneNumbers?.find((p) => p.type === 'work')?.value,
      mobilePhone: user.phoneNumbers?.find((p) => p.type === 'mobile')?.value,
      company: enterprise.organization,
      country,
      displayName: user.displayName,
      preferredLanguage: user.preferredLanguage,
      city: primaryAddress?.locality,
      ...(timeZone ? { timeZone } : {}),
      ...(hireDate ? { hireDate } : {}),
      ...(leaveDate ? { leaveDate } : {}),
      // A configured mapping (BULK_UPLOAD_MAPPING_FILE) overrides the defaults field by field.
      ...(mapping ? applyMapping(mapping, user) : {}),
    },
  };
  return { event, warnings };
}

/** Directory attributes a partial operation keeps (the matched user's current values). */
export interface MatchedUser {
  givenName: string | null;
  surname: string | null;
  department: string | null;
  jobTitle: string | null;
  companyName: string | null;
  usageLocation: string | null;
  city: string | null;
  employeeHireDate: string | null;
}

/**
 * Entra matches each operation to an existing user (externalId ↔ employeeId) and applies only the
 * attributes sent (Microsoft's Example 3 sends just `active` and a department). The canonical event is a
 * full snapshot, so attributes the operation leaves out are taken from the matched directory user.
 */
export function completeFromDirectory(event: MappedEvent, user: MatchedUser | null, receivedAt: Date): HrEventInput {
  const w = event.worker;
  // An operation without a hire date is someone already employed (Entra creates them at once, as `active` says).
  // Today in UTC would still be tomorrow for a person west of Greenwich until midnight UTC passes there, making them a
  // pre-hire with a disabled account; today at UTC-12, the last time zone to reach a date, has begun everywhere.
  const today = new Date(receivedAt.getTime() - 12 * 3_600_000).toISOString().slice(0, 10);
  if (!user) return { ...event, worker: { ...w, hireDate: w.hireDate ?? today } };
  return {
    ...event,
    worker: {
      ...w,
      legalGivenName: w.legalGivenName || user.givenName || '',
      legalFamilyName: w.legalFamilyName || user.surname || '',
      department: w.department ?? user.department ?? undefined,
      jobTitle: w.jobTitle ?? user.jobTitle ?? undefined,
      company: w.company ?? user.companyName ?? undefined,
      country: w.country ?? user.usageLocation ?? undefined,
      city: w.city ?? user.city ?? undefined,
      hireDate: w.hireDate ?? user.employeeHireDate ?? today,
    },
  };
}

/** Whether the operation sends attributes besides the match key and `active` (then they are applied too). */
export function carriesAttributes(user: ScimUser): boolean {
  return Object.keys(user).some((k) => !['schemas', 'externalId', 'active', 'id', 'meta'].includes(k));
}
