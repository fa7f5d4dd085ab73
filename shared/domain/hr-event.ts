import { z } from 'zod';
import { toCountryCode } from './country';
import { normaliseText, unsafeNameReason, unsafeTextReason } from './names';

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
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, underscore or hyphen only')
  // "." and ".." are dot-segments (RFC 3986 §5.2.4): a URL client removes them, so /api/persons/.. never
  // reaches this person.
  .refine((id) => !/^\.+$/.test(id), 'dots only: cannot be a URL path segment (RFC 3986 dot-segment)');

/** ISO 8601 date (YYYY-MM-DD) or date-time with offset. */
const IsoDateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** Zones Intl accepted already: building a DateTimeFormat per record was a hot spot of every parse. */
const knownTimeZones = new Set<string>();

/** IANA time zone name such as Europe/Paris; validated with Intl. */
export const TimeZone = z.string().refine((tz) => {
  // Stryker disable next-line ConditionalExpression: the set of zones seen saves time only; Intl gives the same answer
  if (knownTimeZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    knownTimeZones.add(tz);
    return true;
    // Stryker disable next-line BlockStatement: an empty catch returns undefined, which refine reads as false too
  } catch {
    return false;
  }
}, 'unknown IANA time zone');

/** Directory text: at most `max` characters; control, bidi and broken characters refused (names.ts); NFC; trimmed. */
function Text(max: number, check: (text: string) => string | null = unsafeTextReason) {
  return z
    .string()
    .max(max)
    .superRefine((text, ctx) => {
      const reason = check(text);
      if (reason) ctx.addIssue({ code: 'custom', message: reason });
    })
    .transform(normaliseText);
}

/** A person's name: directory text without invisible characters, at least one character. */
const Name = Text(64, unsafeNameReason).pipe(z.string().min(1, 'empty after trimming spaces'));

/** Extension keys are named in the policy as `extensions.<key>`: one word, no dots or spaces. */
const ExtensionKey = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, underscore or hyphen only');

/** ISO 3166-1 alpha-2, converted from alpha-3 ("USA") or a country name ("United States"). */
const Country = z.string().transform((value, ctx) => {
  const code = toCountryCode(value);
  if (code) return code;
  ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 64)}" is not an ISO 3166 country code or name` });
  return z.NEVER;
});

/** At most 50 extensions (documented in the README and the JSON Schema). */
const MAX_EXTENSIONS = 50;

export const WorkerRecord = z
  .object({
    employeeId: EmployeeId,
    legalGivenName: Name,
    legalFamilyName: Name,
    preferredGivenName: Name.optional(),
    preferredFamilyName: Name.optional(),
    /** Personal address used for the self-activation one-time code before the person has an account. */
    personalEmail: z.email().optional(),
    /** Display name as HR writes it (SCIM displayName); the policy pattern is used when absent. */
    displayName: Text(256, unsafeNameReason).optional(),
    department: Text(64).optional(),
    jobTitle: Text(128).optional(),
    costCenter: Text(64).optional(),
    /** Entra's inbound mapping puts it in employeeOrgData.division (SCIM enterprise division). */
    division: Text(64).optional(),
    /** Work and mobile numbers (SCIM phoneNumbers work / mobile; Graph businessPhones[0] / mobilePhone). */
    businessPhone: Text(64).optional(),
    mobilePhone: Text(64).optional(),
    company: Text(64).optional(),
    /** ISO 3166-1 alpha-2 (alpha-3 and country names are converted); also the licence usageLocation. */
    country: Country.optional(),
    city: Text(128).optional(),
    officeLocation: Text(128).optional(),
    /**
     * ISO 639-1 language with optional ISO 3166 region, e.g. en-US (Graph user preferredLanguage); also the
     * language of the activation mail and page (else chosen from country).
     */
    preferredLanguage: z
      .string()
      .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'a language tag such as en-US')
      .optional(),
    managerEmployeeId: EmployeeId.optional(),
    employmentType: z.enum(['employee', 'contractor', 'intern', 'temporary']).default('employee'),
    hireDate: IsoDateOrDateTime,
    leaveDate: IsoDateOrDateTime.optional(),
    timeZone: TimeZone.default('UTC'),
    /** Free attributes an organisation maps through policy (strings only, 50 at most). */
    extensions: z
      .record(ExtensionKey, Text(1024))
      .refine((extensions) => Object.keys(extensions).length <= MAX_EXTENSIONS, `${MAX_EXTENSIONS} at most`)
      .meta({ maxProperties: MAX_EXTENSIONS })
      .default({}),
  })
  .strict()
  .superRefine((worker, ctx) => {
    if (typeof worker.leaveDate === 'string' && typeof worker.hireDate === 'string') {
      if (Date.parse(worker.leaveDate) < Date.parse(worker.hireDate))
        ctx.addIssue({
          code: 'custom',
          path: ['leaveDate'],
          message: `${worker.leaveDate} is before the hire date ${worker.hireDate}`,
        });
    }
  });
export type WorkerRecord = z.infer<typeof WorkerRecord>;

const HrEventType = z.enum([
  'hire',
  'update',
  'terminate',
  'rehire',
  'rescind',
  'leave-of-absence-start',
  'leave-of-absence-end',
]);
type HrEventType = z.infer<typeof HrEventType>;

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
