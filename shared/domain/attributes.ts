import type { NewUser, UserAttributes } from '../ports/directory';
import type { WorkerRecord } from './hr-event';
import { MAPPABLE_WORKER_FIELDS, type Policy } from './policy';
import { hireInstant, leaveInstant, toGraphDateTime } from './schedule';
import type { UpnCandidate } from './upn';

/*
 * Worker record → the Entra user attributes the app owns (Graph user property names,
 * learn.microsoft.com/graph/api/resources/user). HR is the source of truth: a field HR leaves empty
 * is written as null so a stale value is cleared, except usageLocation, which is never cleared
 * because group-based licences need it.
 */

/**
 * Graph limits (user resource): displayName 256, department 64, jobTitle 128, companyName 64, city 128,
 * officeLocation 128.
 */
const LIMITS = {
  displayName: 256,
  department: 64,
  jobTitle: 128,
  companyName: 64,
  city: 128,
  officeLocation: 128,
} as const;

function clip(value: string | undefined, max: number): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, max) : null;
}

/**
 * Display name: the one HR sends (SCIM displayName, mapped to Entra displayName as Entra's default inbound
 * mapping does), else the policy pattern over the names as written (preferred names where given).
 */
function displayNameFor(worker: WorkerRecord, policy: Policy): string {
  if (worker.displayName) return worker.displayName.slice(0, LIMITS.displayName);
  const values: Record<string, string> = {
    given: worker.legalGivenName,
    family: worker.legalFamilyName,
    preferredGiven: worker.preferredGivenName ?? worker.legalGivenName,
    preferredFamily: worker.preferredFamilyName ?? worker.legalFamilyName,
    employeeId: worker.employeeId,
  };
  const rendered = policy.attributeMapping.displayName
    .replace(/\{([A-Za-z]+)\}/g, (_, token: string) => values[token] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return (rendered || worker.employeeId).slice(0, LIMITS.displayName);
}

/** The value of a mapping source: a worker field or `extensions.<key>`. */
function workerFieldValue(worker: WorkerRecord, source: string): string | null {
  if (source.startsWith('extensions.')) return worker.extensions[source.slice('extensions.'.length)] ?? null;
  if (!(MAPPABLE_WORKER_FIELDS as readonly string[]).includes(source)) return null;
  const value = worker[source as (typeof MAPPABLE_WORKER_FIELDS)[number]];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Every attribute the app manages on the person's Entra user. */
export function userAttributesFor(worker: WorkerRecord, policy: Policy): UserAttributes {
  const leave = leaveInstant(worker);
  const attributes: UserAttributes = {
    displayName: displayNameFor(worker, policy),
    givenName: clip(worker.preferredGivenName ?? worker.legalGivenName, 64),
    surname: clip(worker.preferredFamilyName ?? worker.legalFamilyName, 64),
    employeeId: worker.employeeId,
    employeeType: policy.attributeMapping.employeeType[worker.employmentType],
    employeeHireDate: toGraphDateTime(hireInstant(worker)),
    employeeLeaveDateTime: leave ? toGraphDateTime(leave) : null,
    department: clip(worker.department, LIMITS.department),
    jobTitle: clip(worker.jobTitle, LIMITS.jobTitle),
    companyName: clip(worker.company, LIMITS.companyName),
    officeLocation: clip(worker.officeLocation, LIMITS.officeLocation),
    city: clip(worker.city, LIMITS.city),
    country: worker.country ?? null,
    mobilePhone: clip(worker.mobilePhone, 64),
    businessPhones: worker.businessPhone ? [worker.businessPhone] : [],
    employeeOrgData: { division: clip(worker.division, 64), costCenter: clip(worker.costCenter, 64) },
  };
  // Set when HR sends one; a language the person chose themselves is not cleared by HR's silence.
  if (worker.preferredLanguage) attributes.preferredLanguage = worker.preferredLanguage;
  // usageLocation (ISO 3166-1 alpha-2) is required before a licence can be assigned.
  if (worker.country) attributes.usageLocation = worker.country;

  const mapping = Object.entries(policy.attributeMapping.extensionAttributes);
  if (mapping.length > 0) {
    // onPremisesExtensionAttributes values are at most 1024 characters.
    attributes.extensionAttributes = Object.fromEntries(
      mapping.map(([attribute, source]) => [attribute, workerFieldValue(worker, source)?.slice(0, 1024) ?? null]),
    );
  }
  return attributes;
}

/**
 * The create-user body for a joiner: disabled until day 1 (pre-hire). The password is the caller's
 * random secret; it goes into the Graph request only, never into plans, logs or history.
 */
export function newUserFor(worker: WorkerRecord, policy: Policy, upn: UpnCandidate, password: string): NewUser {
  const attributes = userAttributesFor(worker, policy);
  return {
    ...attributes,
    // Stryker disable next-line LogicalOperator: userAttributesFor always renders a display name (never empty)
    displayName: attributes.displayName ?? displayNameFor(worker, policy),
    userPrincipalName: upn.userPrincipalName,
    mailNickname: upn.mailNickname,
    accountEnabled: false,
    password,
  };
}
