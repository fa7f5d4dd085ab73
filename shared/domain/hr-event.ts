import { z } from 'zod';

/**
 * The canonical HR event: what every intake door (webhook, Entra bulkUpload format, CSV) turns its
 * input into, what travels on the "hr-events" queue, and what the person orchestration consumes.
 * JSON Schema for HR integrators is generated from these schemas (z.toJSONSchema).
 */

/** Employee id as Entra stores it: employeeId is limited to 16 characters (Graph user resource). */
export const EmployeeId = z
  .string()
  .min(1)
  .max(16)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, underscore or hyphen only');

/** ISO 8601 date (YYYY-MM-DD) or date-time with offset. */
const IsoDateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** Zones Intl accepted already: building a DateTimeFormat per record was a hot spot of every parse. */
const knownTimeZones = new Set<string>();

/** IANA time zone name such as Europe/Paris; validated with Intl. */
export const TimeZone = z.string().refine((tz) => {
  if (knownTimeZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    knownTimeZones.add(tz);
    return true;
  } catch {
    return false;
  }
}, 'unknown IANA time zone');

const Name = z.string().trim().min(1).max(64);

export const WorkerRecord = z
  .object({
    employeeId: EmployeeId,
    legalGivenName: Name,
    legalFamilyName: Name,
    preferredGivenName: Name.optional(),
    preferredFamilyName: Name.optional(),
    /** Personal address used for the self-activation one-time code before the person has an account. */
    personalEmail: z.email().optional(),
    /** BCP 47 tag (fr, fr-CA, en-GB): the language of the activation mail and page (else chosen from country). */
    preferredLanguage: z
      .string()
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 language tag such as fr or en-GB')
      .optional(),
    department: z.string().max(64).optional(),
    jobTitle: z.string().max(128).optional(),
    costCenter: z.string().max(64).optional(),
    company: z.string().max(64).optional(),
    /** ISO 3166-1 alpha-2; also the licence usageLocation. */
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 code in capitals')
      .optional(),
    city: z.string().max(128).optional(),
    officeLocation: z.string().max(128).optional(),
    managerEmployeeId: EmployeeId.optional(),
    employmentType: z.enum(['employee', 'contractor', 'intern', 'temporary']).default('employee'),
    hireDate: IsoDateOrDateTime,
    leaveDate: IsoDateOrDateTime.optional(),
    timeZone: TimeZone.default('UTC'),
    /** Free attributes an organisation maps through policy (strings only, 50 at most). */
    extensions: z.record(z.string().max(64), z.string().max(1024)).default({}),
  })
  .strict();
export type WorkerRecord = z.infer<typeof WorkerRecord>;

export const HrEventType = z.enum([
  'hire',
  'update',
  'terminate',
  'rehire',
  'rescind',
  'leave-of-absence-start',
  'leave-of-absence-end',
]);
export type HrEventType = z.infer<typeof HrEventType>;

export const HrEvent = z
  .object({
    /** Unique per HR event; the queue's duplicate-detection key. */
    eventId: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only'),
    type: HrEventType,
    /** When HR recorded the change (ISO date-time with offset). */
    occurredAt: z.iso.datetime({ offset: true }),
    /** Which door it came through; set by the intake, not trusted from the body. */
    source: z.enum(['webhook', 'bulkUpload', 'csv', 'lifecycleWorkflows', 'admin', 'replay']).default('webhook'),
    worker: WorkerRecord,
    /** For 'terminate': leave now instead of at worker.leaveDate. */
    immediate: z.boolean().default(false),
  })
  .strict()
  .superRefine((event, ctx) => {
    if (event.type === 'terminate' && !event.immediate && !event.worker.leaveDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['worker', 'leaveDate'],
        message: 'required for a terminate that is not immediate',
      });
    }
  });
export type HrEvent = z.infer<typeof HrEvent>;
export type HrEventInput = z.input<typeof HrEvent>;

/** Turns zod issues into the (path, reason) list every door answers with. */
export function describeIssues(error: z.ZodError): { path: string; reason: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    reason: issue.message,
  }));
}
