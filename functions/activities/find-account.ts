import { registerActivity } from './register';
import { z } from 'zod';
import { services } from '../../shared/services';
import { Correlation, parseInput } from './activity-input';

/**
 * The account a dropped joiner or rehire may have created or restored before it failed: found by employee id
 * (the joiner's own idempotency key), so the rescind or leaver that superseded it acts on it. Read only.
 */
export async function findAccount(input: unknown): Promise<{ userId: string | null }> {
  const { employeeId } = parseInput(Correlation.extend({ employeeId: z.string() }), input);
  const user = await services().directory.findUserByEmployeeId(employeeId);
  return { userId: user?.id ?? null };
}

registerActivity('findAccount', findAccount);
