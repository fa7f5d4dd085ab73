import type { HrEventInput } from '../../shared/domain/hr-event';
import { planOperations } from '../../shared/intake/bulk-intake';
import { BulkRequest } from '../../shared/intake/bulk-upload';

/**
 * Hires through POST /api/hr/bulkUpload (Entra's API-driven inbound provisioning format): the SCIM bulk request
 * an HR connector would send, and the exact HR events the door makes of one accepted request, computed by the
 * door's own code (planOperations) from the request id it answered. The persons are new, so the directory the
 * door reads holds none of them; the manager is named by employee id.
 */
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:chaos:employee';

export function bulkHireRequest(hires: readonly HrEventInput[]): BulkRequest {
  return BulkRequest.parse({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
    Operations: hires.map(({ worker: w }) => ({
      method: 'POST',
      bulkId: w.employeeId,
      path: '/Users',
      data: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE, CUSTOM],
        externalId: w.employeeId,
        name: { givenName: w.legalGivenName, familyName: w.legalFamilyName },
        active: true,
        addresses: w.country ? [{ type: 'work', country: w.country, primary: true }] : [],
        [ENTERPRISE]: {
          department: w.department,
          ...(w.managerEmployeeId ? { manager: { value: w.managerEmployeeId } } : {}),
        },
        [CUSTOM]: { HireDate: w.hireDate },
      },
    })),
  });
}

/** The events the door queued for an accepted request (202 with this request id), in operation order. */
export async function bulkHireEvents(
  request: BulkRequest,
  requestId: string,
  receivedAt: Date,
): Promise<HrEventInput[]> {
  const planned = await planOperations(request, {
    requestId,
    receivedAt,
    directory: { findUsersByEmployeeIds: async () => new Map(), getUser: async () => null },
  });
  const refused = planned.filter((p) => p.intake !== 'queued');
  if (refused.length) throw new Error(`chaos bulkUpload refused: ${JSON.stringify(refused)}`);
  return planned.map((p) => p.events[0]! as HrEventInput);
}
