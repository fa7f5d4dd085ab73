import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { HrEventInput } from '../domain/hr-event';
import { applyMapping, type Expression } from './attribute-mapping';

/**
 * The SCIM BulkRequest that Entra API-driven inbound provisioning accepts
 * (https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-post-bulkupload and
 * resources/synchronization-bulkupload): at most 50 operations, each POST /Users with a unique bulkId and
 * data carrying the core User and enterprise extension schemas; `externalId` is the employee id.
 */
export const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const ScimUser = z
  .object({
    schemas: z.array(z.string()).refine((s) => s.includes(CORE_USER), `must include ${CORE_USER}`),
    externalId: z.string().min(1),
    userName: z.string().optional(),
    name: z
      .object({ givenName: z.string().optional(), familyName: z.string().optional(), formatted: z.string().optional() })
      .partial()
      .optional(),
    displayName: z.string().optional(),
    nickName: z.string().optional(),
    title: z.string().optional(),
    userType: z.string().optional(),
    active: z.boolean().optional(),
    emails: z
      .array(z.object({ value: z.string(), type: z.string().optional(), primary: z.boolean().optional() }))
      .optional(),
    addresses: z
      .array(
        z
          .object({ country: z.string().optional(), locality: z.string().optional(), primary: z.boolean().optional() })
          .passthrough(),
      )
      .optional(),
    timezone: z.string().optional(),
    [ENTERPRISE_USER]: z
      .object({
        employeeNumber: z.string().optional(),
        costCenter: z.string().optional(),
        organization: z.string().optional(),
        division: z.string().optional(),
        department: z.string().optional(),
        manager: z.object({ value: z.string().optional() }).passthrough().optional(),
      })
      .partial()
      .optional(),
  })
  .passthrough();

export const BulkRequest = z.object({
  schemas: z.array(z.string()).refine((s) => s.includes(BULK_REQUEST_SCHEMA), `must include ${BULK_REQUEST_SCHEMA}`),
  Operations: z
    .array(
      z.object({ method: z.literal('POST'), bulkId: z.string().min(1), path: z.literal('/Users'), data: ScimUser }),
    )
    .min(1)
    .max(50, 'at most 50 operations per request'),
  failOnErrors: z.number().int().nullable().optional(),
});
export type BulkRequest = z.infer<typeof BulkRequest>;

/** Finds a custom-namespace attribute such as "urn:contoso:employee".HireDate, case-insensitively. */
function customAttribute(data: Record<string, unknown>, name: RegExp): string | undefined {
  for (const [key, value] of Object.entries(data)) {
    if (!key.startsWith('urn:') || key === ENTERPRISE_USER || !value || typeof value !== 'object') continue;
    for (const [attribute, v] of Object.entries(value as Record<string, unknown>))
      if (name.test(attribute) && typeof v === 'string') return v;
  }
  return undefined;
}

/**
 * Default attribute mapping (as Entra's default inbound mapping: externalId ↔ employeeId, active drives
 * accountEnabled) to the canonical HR event. The event id is derived from the bulkId and the data, so the
 * same upload sent twice is de-duplicated by the queue.
 */
/** A mapped operation before matching: the hire date may still be unknown (partial update). */
export type MappedEvent = Omit<HrEventInput, 'worker'> & {
  worker: Omit<HrEventInput['worker'], 'hireDate'> & { hireDate?: string };
};

export function toHrEvent(
  operation: BulkRequest['Operations'][number],
  receivedAt: Date,
  mapping?: Record<string, Expression>,
): MappedEvent {
  const data = operation.data;
  const enterprise = data[ENTERPRISE_USER] ?? {};
  const country = data.addresses?.find((a) => a.primary)?.country ?? data.addresses?.[0]?.country;
  const hireDate = customAttribute(data, /hire.?date/i);
  const leaveDate = customAttribute(data, /(leave|termination).?date/i);
  const digest = createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 16);
  const event: MappedEvent = {
    eventId: `bulk-${operation.bulkId}-${digest}`.slice(0, 128).replace(/[^A-Za-z0-9._:-]/g, '-'),
    type: data.active === false ? 'terminate' : 'hire',
    immediate: data.active === false,
    occurredAt: receivedAt.toISOString(),
    source: 'bulkUpload',
    worker: {
      employeeId: data.externalId,
      legalGivenName: data.name?.givenName ?? data.nickName ?? '',
      legalFamilyName: data.name?.familyName ?? '',
      preferredGivenName: data.nickName,
      personalEmail: data.emails?.find((e) => e.type === 'home' || e.type === 'personal')?.value,
      department: enterprise.department,
      jobTitle: data.title,
      costCenter: enterprise.costCenter,
      company: enterprise.organization,
      // Converted (alpha-3 "USA", names) or refused by the event schema; never dropped here (issue 23 item 2).
      country,
      displayName: data.displayName,
      preferredLanguage: typeof data.preferredLanguage === 'string' ? data.preferredLanguage : undefined,
      city: data.addresses?.find((a) => a.primary)?.locality,
      managerEmployeeId: enterprise.manager?.value,
      ...(hireDate ? { hireDate } : {}),
      ...(leaveDate ? { leaveDate } : {}),
      // A configured mapping (BULK_UPLOAD_MAPPING_FILE) overrides the defaults field by field.
      ...(mapping ? applyMapping(mapping, data) : {}),
    },
  };
  return event;
}

/**
 * Entra matches each operation to an existing user (externalId ↔ employeeId) and applies only the
 * attributes sent (Microsoft's Example 3 sends just `active` and a department). The canonical event is a
 * full snapshot, so attributes the operation leaves out are taken from the matched directory user.
 */
export function completeFromDirectory(
  event: MappedEvent,
  user: {
    givenName: string | null;
    surname: string | null;
    department: string | null;
    jobTitle: string | null;
    companyName: string | null;
    usageLocation: string | null;
    city: string | null;
    employeeHireDate: string | null;
  } | null,
  receivedAt: Date,
): HrEventInput {
  const w = event.worker;
  const today = receivedAt.toISOString().slice(0, 10);
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
