import { compileExpression, type Expression } from '../intake/attribute-mapping';
import type { WorkerRecord } from './hr-event';
import {
  CORE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  parseMappingPath,
  writeAttribute,
  type AttributePath,
  type ScimResource,
} from './scim-path';

/**
 * Person → the SCIM User a target should hold. A mapping is target attribute path → expression in the bulkUpload
 * mapping language (shared/intake/attribute-mapping.ts), evaluated over the person's data: the worker record, the
 * names as used (preferred or legal), and the account (upn, mail, enabled, userId).
 */

/** The enterprise manager: its value is the manager's SCIM id in the target, resolved from the employee id mapped. */
export const MANAGER_PATH = `${ENTERPRISE_USER_SCHEMA}:manager.value`;

/**
 * Entra's default outbound mapping, in our sources (section "Design your user and group schema" of
 * https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups):
 * userPrincipalName → userName, the HR employee id as externalId (the match key HR-driven apps share), names,
 * the work email, active, title and the enterprise employeeNumber, department and manager.
 */
const DEFAULT_SCIM_MAPPING: Readonly<Record<string, string>> = {
  userName: 'upn',
  externalId: 'employeeId',
  'name.givenName': 'givenName',
  'name.familyName': 'familyName',
  displayName: 'displayName',
  'emails[type eq "work"].value': 'mail',
  active: 'enabled',
  title: 'jobTitle',
  [`${ENTERPRISE_USER_SCHEMA}:employeeNumber`]: 'employeeId',
  [`${ENTERPRISE_USER_SCHEMA}:department`]: 'department',
  [MANAGER_PATH]: 'managerEmployeeId',
};

/** Attributes of type boolean in the core User schema (RFC 7643 §4.1): mapped text is sent as a boolean. */
const BOOLEAN_ATTRIBUTES = new Set(['active', 'primary']);

export type ScimValue = string | boolean;

export interface MappedAttribute {
  path: AttributePath;
  expression: Expression;
  boolean: boolean;
}

/**
 * The default mapping with the target's entries merged over it (null drops a default attribute). `booleanPaths`:
 * further attribute paths the target's /Schemas declare boolean, lower-case.
 */
export function compileScimMapping(
  overrides: Readonly<Record<string, string | null>>,
  booleanPaths: ReadonlySet<string> = new Set(),
): MappedAttribute[] {
  const merged = new Map<string, [string, string]>();
  for (const [path, expression] of Object.entries(DEFAULT_SCIM_MAPPING))
    merged.set(path.toLowerCase(), [path, expression]);
  for (const [path, expression] of Object.entries(overrides)) {
    if (expression === null) merged.delete(path.toLowerCase());
    else merged.set(path.toLowerCase(), [path, expression]);
  }
  return [...merged.values()].map(([text, expression]) => {
    const path = parseMappingPath(text);
    const last = (path.subAttribute ?? path.attribute).toLowerCase();
    return {
      path,
      expression: compileExpression(expression),
      boolean: BOOLEAN_ATTRIBUTES.has(last) || booleanPaths.has(text.toLowerCase()),
    };
  });
}

/** What the mapping reads from the account (a DirectoryUser fits). */
export interface ScimAccount {
  id: string;
  userPrincipalName: string;
  mail: string | null;
  accountEnabled: boolean;
  displayName: string;
}

/** The data the mapping's expressions read: the worker record's fields plus the names and the account. */
export function scimPersonData(record: WorkerRecord, account: ScimAccount): Record<string, unknown> {
  const givenName = record.preferredGivenName ?? record.legalGivenName;
  const familyName = record.preferredFamilyName ?? record.legalFamilyName;
  return {
    ...record,
    givenName,
    familyName,
    displayName: account.displayName || record.displayName || `${givenName} ${familyName}`,
    upn: account.userPrincipalName,
    mail: account.mail ?? undefined,
    enabled: account.accountEnabled ? 'true' : 'false',
    userId: account.id,
  };
}

/** One mapped attribute's wanted value; undefined = the target should not hold one. */
export interface DesiredAttribute {
  path: AttributePath;
  value: ScimValue | undefined;
}

function toBoolean(text: string): ScimValue {
  if (/^true$/i.test(text)) return true;
  if (/^false$/i.test(text)) return false;
  return text;
}

/** Evaluates every mapped attribute over the person's data. */
export function desiredAttributes(mapping: MappedAttribute[], data: Record<string, unknown>): DesiredAttribute[] {
  return mapping.map(({ path, expression, boolean }) => {
    const text = expression(data);
    // Stryker disable next-line ConditionalExpression: equivalent, undefined text gives undefined either way.
    const value = text === undefined || text === '' ? undefined : boolean ? toBoolean(text) : text;
    return { path, value };
  });
}

/** The resource to POST (or PUT): every wanted value, with the schemas it uses. */
export function scimUserResource(desired: DesiredAttribute[]): ScimResource {
  const resource: ScimResource = {};
  for (const { path, value } of desired) if (value !== undefined) writeAttribute(resource, path, value);
  const extensions = [
    ...new Set(desired.filter((d) => d.value !== undefined && d.path.schema).map((d) => d.path.schema!)),
  ];
  return { schemas: [CORE_USER_SCHEMA, ...extensions], ...resource };
}

/** The wanted value at one path (case-insensitive), e.g. userName for the lookup. */
export function desiredValue(desired: DesiredAttribute[], pathText: string): ScimValue | undefined {
  const wanted = pathText.toLowerCase();
  return desired.find((d) => d.path.text.toLowerCase() === wanted)?.value;
}
