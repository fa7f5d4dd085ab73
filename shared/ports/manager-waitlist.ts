/**
 * People whose manager had no account yet when their access was applied, by the manager's employee id. When that
 * manager's account is created, their reports are asked to apply access again at once (a manager and their report
 * hired in the same import), instead of at their next hourly manager check.
 */
export interface ManagerWaitlist {
  /** Records that `reportEmployeeId` waits for `managerEmployeeId` (idempotent). */
  wait(managerEmployeeId: string, reportEmployeeId: string): Promise<void>;
  /** The reports waiting for this manager. */
  waiting(managerEmployeeId: string): Promise<string[]>;
  /** Forgets these reports once they have been told (idempotent). */
  done(managerEmployeeId: string, reportEmployeeIds: string[]): Promise<void>;
}
