import type { HttpRequest } from '@azure/functions';
import { EmployeeId } from '../shared/domain/hr-event';

/** The `{employeeId}` route parameter, validated, or the 400 problem that names why it is not one. */
export function employeeIdParam(
  request: HttpRequest,
): { employeeId: string; problem?: undefined } | { employeeId?: undefined; problem: { path: string; reason: string } } {
  const parsed = EmployeeId.safeParse(request.params.employeeId);
  return parsed.success
    ? { employeeId: parsed.data }
    : { problem: { path: 'employeeId', reason: parsed.error.issues[0]?.message ?? 'invalid employee id' } };
}
