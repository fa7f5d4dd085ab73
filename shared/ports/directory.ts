/**
 * Directory port: every directory operation the JML flows need, independent of Microsoft Graph.
 * Implemented by shared/adapters/graph (real Microsoft Graph or the local emulator, chosen by base URL).
 *
 * Idempotency contract: "already a member" / "not a member" / "already disabled" are successes;
 * lookups return null for "not found" instead of throwing.
 */

export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  mailNickname: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  otherMails: string[];
  employeeId: string | null;
  employeeType: string | null;
  employeeHireDate: string | null;
  employeeLeaveDateTime: string | null;
  department: string | null;
  jobTitle: string | null;
  companyName: string | null;
  officeLocation: string | null;
  city: string | null;
  country: string | null;
  usageLocation: string | null;
  accountEnabled: boolean;
  /** Set when the user sits in deleted items (soft-deleted). */
  deletedDateTime: string | null;
  preferredLanguage?: string | null;
  mobilePhone?: string | null;
  businessPhones?: string[];
  employeeOrgData?: EmployeeOrgData | null;
  /** extensionAttribute1..15 as the directory holds them (compared before writing, never rewritten as is). */
  extensionAttributes?: Record<string, string | null>;
}

/** The user's employeeOrgData (Graph user resource): where Entra's inbound mapping puts division and cost centre. */
interface EmployeeOrgData {
  division: string | null;
  costCenter: string | null;
}

/** Attributes the app writes on users (Graph user property names). */
export interface UserAttributes {
  displayName?: string;
  givenName?: string | null;
  surname?: string | null;
  otherMails?: string[];
  employeeId?: string | null;
  employeeType?: string | null;
  employeeHireDate?: string | null;
  employeeLeaveDateTime?: string | null;
  department?: string | null;
  jobTitle?: string | null;
  companyName?: string | null;
  officeLocation?: string | null;
  city?: string | null;
  country?: string | null;
  usageLocation?: string | null;
  /** ISO 639-1 language, optionally with region (en-US). */
  preferredLanguage?: string | null;
  mobilePhone?: string | null;
  /** Graph accepts one number here (user resource, businessPhones). */
  businessPhones?: string[];
  employeeOrgData?: EmployeeOrgData;
  /** Free extension attributes (onPremisesExtensionAttributes style), keyed extensionAttribute1..15. */
  extensionAttributes?: Record<string, string | null>;
}

export interface NewUser extends UserAttributes {
  userPrincipalName: string;
  mailNickname: string;
  displayName: string;
  accountEnabled: boolean;
  /** Random initial password; never logged or persisted by the app. */
  password: string;
}

/** Relations applied to one user in as few round trips as the directory allows ($batch). */
export interface UserRelationsChange {
  /** Directory object id of the manager; null removes the manager; undefined leaves it. */
  managerId?: string | null;
  addGroupIds?: string[];
  removeGroupIds?: string[];
}

export interface RelationsResult {
  /** Per-operation failures that were not idempotent successes. */
  failures: { operation: string; target: string; code: string; message: string }[];
}

export interface SubscribedSku {
  skuId: string;
  skuPartNumber: string;
  enabledUnits: number;
  consumedUnits: number;
  /** Units by status (licenseUnitsDetail): enabled, warning (expired, in grace) and suspended (cancelled). */
  prepaidUnits?: { enabled: number; warning: number; suspended: number };
  /** Enabled, Warning, Suspended, Deleted or LockedOut (subscribedSku resource). */
  capabilityStatus?: string;
  /** Only SKUs that apply to User are assignable. */
  appliesTo?: string;
  servicePlans?: { servicePlanId: string; servicePlanName: string; appliesTo?: string }[];
}

/** A user as the licence report reads it: licences, state, segment attributes and (when readable) last sign-in. */
export interface LicenceUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail: string | null;
  accountEnabled: boolean;
  createdDateTime: string | null;
  employeeLeaveDateTime: string | null;
  department: string | null;
  country: string | null;
  usageLocation: string | null;
  costCenter: string | null;
  userType: string | null;
  employeeType: string | null;
  companyName: string | null;
  jobTitle: string | null;
  city: string | null;
  officeLocation: string | null;
  assignedSkuIds: string[];
  licenseAssignmentStates: LicenseAssignmentState[];
  /** signInActivity.lastSignInDateTime; null: never signed in (or not readable, see signInActivityAvailable). */
  lastSignInDateTime: string | null;
}

export interface LicenceUsers {
  users: LicenceUser[];
  /** false when signInActivity could not be read (no AuditLog.Read.All, or a tenant without Entra ID P1). */
  signInActivityAvailable: boolean;
}

/**
 * A group membership that ends: an active member assignment of PIM for Groups with an endDateTime
 * (privilegedAccessGroupAssignmentScheduleInstance).
 */
export interface TimeLimitedMembership {
  groupId: string;
  userId: string;
  endDateTime: string;
}

export interface LicenseAssignmentState {
  skuId: string;
  assignedByGroup: string | null;
  state: string;
  error: string;
}

export interface TemporaryAccessPass {
  id: string;
  /** The secret pass; only in the create response. Never persist or log it. */
  temporaryAccessPass: string | null;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
}

/** What a membership is, as memberOf reports it (user-list-memberof). */
export type MembershipKind = 'group' | 'dynamicGroup' | 'roleAssignableGroup' | 'directoryRole' | 'administrativeUnit';

export interface DirectoryMembership {
  id: string;
  displayName: string | null;
  kind: MembershipKind;
  /**
   * Why a leaver keeps this membership unless something else decides (null for a group with assigned
   * membership, which a member removal ends): dynamic groups refuse member writes, role-assignable groups need
   * a policy decision and another permission, directory roles and administrative units are not group access.
   */
  keptBecause: string | null;
}

/** The tenant's Temporary Access Pass policy: every pass must fit in it. */
export interface TemporaryAccessPassPolicy {
  minimumLifetimeInMinutes: number;
  maximumLifetimeInMinutes: number;
  /** true: every pass in the tenant is one-time; false: each pass chooses. */
  isUsableOnce: boolean;
}

export interface MailMessage {
  to: string[];
  subject: string;
  /** HTML body. */
  html: string;
}

export interface Directory {
  getUser(id: string): Promise<DirectoryUser | null>;
  /** Many users by object id in one round trip (keyed by id; ids without a user are missing from the map). */
  getUsers(ids: string[]): Promise<Map<string, DirectoryUser>>;
  findUserByEmployeeId(employeeId: string): Promise<DirectoryUser | null>;
  /** Many users by employee id in one round trip (keyed by employee id; absent ids are missing from the map). */
  findUsersByEmployeeIds(employeeIds: string[]): Promise<Map<string, DirectoryUser>>;
  findDeletedUserByEmployeeId(employeeId: string): Promise<DirectoryUser | null>;
  findUserByUpn(userPrincipalName: string): Promise<DirectoryUser | null>;
  /** Which of the candidate UPNs / mail nicknames are already used (one round trip where possible). */
  takenUpnsOrNicknames(candidates: { userPrincipalName: string; mailNickname: string }[]): Promise<Set<string>>;
  /**
   * Joiner lookup in one round trip: the person's account by employeeId, which candidate names are taken,
   * and (when asked) the manager's account by employeeId.
   */
  lookupForJoiner(
    employeeId: string,
    candidates: { userPrincipalName: string; mailNickname: string }[],
    managerEmployeeId?: string,
  ): Promise<{ existing: DirectoryUser | null; taken: Set<string>; manager: DirectoryUser | null }>;
  /** Accounts in the tenant (not deleted): the base of the accidental-deletion percentage. */
  countUsers(): Promise<number>;
  createUser(user: NewUser): Promise<DirectoryUser>;
  updateUser(id: string, attributes: UserAttributes): Promise<void>;
  setAccountEnabled(id: string, enabled: boolean): Promise<void>;
  getManagerId(id: string): Promise<string | null>;
  /**
   * Groups with assigned membership the user is a direct member of (all pages). Directory roles, administrative
   * units and dynamic-membership groups are left out: member writes cannot change them (see listMemberships).
   */
  listGroupIds(userId: string): Promise<string[]>;
  /** Every direct membership (groups, directory roles, administrative units), all pages, with its kind. */
  listMemberships(userId: string): Promise<DirectoryMembership[]>;
  applyRelations(userId: string, change: UserRelationsChange): Promise<RelationsResult>;
  /** Adds many users to one group (members@odata.bind, 20 per request). */
  addGroupMembers(groupId: string, userIds: string[]): Promise<RelationsResult>;
  listSubscribedSkus(): Promise<SubscribedSku[]>;
  listLicenseStates(userId: string): Promise<LicenseAssignmentState[]>;
  assignLicenses(userId: string, addSkuIds: string[], removeSkuIds: string[]): Promise<void>;
  /** Every user (all pages) with the licence fields, for the licence report. */
  listUsersForLicences(): Promise<LicenceUsers>;
  /**
   * Member assignments with an end date of these groups (PIM for Groups, all pages); null when they cannot be read
   * (no PrivilegedAssignmentSchedule.Read.AzureADGroup, or a tenant without PIM).
   */
  listTimeLimitedMemberships(groupIds: string[]): Promise<TimeLimitedMembership[] | null>;
  /** Object ids of a group's direct members (all pages); null when there is no such group. */
  listGroupMemberIds(groupId: string): Promise<string[] | null>;
  revokeSignInSessions(userId: string): Promise<void>;
  createTemporaryAccessPass(
    userId: string,
    options: { lifetimeInMinutes: number; isUsableOnce: boolean; startDateTime?: string },
  ): Promise<TemporaryAccessPass>;
  deleteTemporaryAccessPass(userId: string, passId: string): Promise<void>;
  getTemporaryAccessPassPolicy(): Promise<TemporaryAccessPassPolicy>;
  sendMail(fromMailbox: string, message: MailMessage): Promise<void>;
  deleteUser(id: string): Promise<void>;
  restoreDeletedUser(id: string): Promise<DirectoryUser>;
  getLastSignIn(userId: string): Promise<string | null>;
  resumeLifecycleTask(callbackUriPath: string, operationStatus: 'Completed' | 'Failed', source: string): Promise<void>;
}
