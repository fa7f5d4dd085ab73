/** One reason an input is refused (or noticed): the field's path and why, as every HR door answers it. */
export interface Problem {
  path: string;
  reason: string;
}
