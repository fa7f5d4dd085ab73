import { WorkerRecord, type HrEventInput } from '../../../shared/domain/hr-event';
import { loadPolicy, parsePolicy, type Policy } from '../../../shared/domain/policy';
import type { DirectoryUser } from '../../../shared/ports/directory';

export const demoPolicy: Policy = loadPolicy('policy/policy.yaml');

/** Group ids of the demo tenant: a0000000-0000-4000-8000-0000000000NN. */
export const G = (nn: number): string => `a0000000-0000-4000-8000-0000000000${String(nn).padStart(2, '0')}`;

export function worker(overrides: Partial<HrEventInput['worker']> = {}): WorkerRecord {
  return WorkerRecord.parse({
    employeeId: 'E1001',
    legalGivenName: 'Ada',
    legalFamilyName: 'Lovelace',
    hireDate: '2026-12-01',
    timeZone: 'Europe/Paris',
    country: 'FR',
    department: 'Engineering',
    jobTitle: 'Software Engineer',
    employmentType: 'employee',
    ...overrides,
  });
}

/** A policy from YAML with only the fields a test cares about. */
export function policyFrom(yaml: string): Policy {
  return parsePolicy(yaml, 'yaml');
}

export function directoryUser(overrides: Partial<DirectoryUser> = {}): DirectoryUser {
  return {
    id: 'u-1001',
    userPrincipalName: 'ada.lovelace@contoso.com',
    mailNickname: 'ada.lovelace',
    displayName: 'Ada Lovelace',
    givenName: 'Ada',
    surname: 'Lovelace',
    mail: null,
    otherMails: [],
    employeeId: 'E1001',
    employeeType: 'Employee',
    employeeHireDate: '2026-11-30T23:00:00Z',
    employeeLeaveDateTime: null,
    department: 'Engineering',
    jobTitle: 'Software Engineer',
    companyName: null,
    officeLocation: null,
    city: null,
    country: 'FR',
    usageLocation: 'FR',
    accountEnabled: true,
    deletedDateTime: null,
    ...overrides,
  };
}
