import type { ReportContext } from './context';
import type { Problem } from './problems';
import type { SnapshotUser } from './snapshot';

/** Who holds licences, what they cost and how many are idle, by department, country, cost centre and user type. */
const SEGMENT_DIMENSIONS = ['department', 'country', 'costCenter', 'userType', 'employeeType'] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

export interface Segment {
  value: string;
  holders: number;
  licences: number;
  /** Monthly cost of the priced licences held; other currencies than the first priced one are not added. */
  monthlyCost: number;
  idle: number;
  problems: number;
}

const NONE = '(none)';

function valueOf(user: SnapshotUser | undefined, dimension: SegmentDimension): string {
  if (!user) return NONE;
  const value = dimension === 'country' ? (user.country ?? user.usageLocation) : user[dimension];
  return value?.trim() || NONE;
}

export function segment(
  ctx: ReportContext,
  problems: Problem[],
  currency: string | null,
): Record<SegmentDimension, Segment[]> {
  const idleIds = new Set(problems.filter((p) => p.kind === 'idle-seat').flatMap((p) => p.people.map((x) => x.id)));
  const problemIds = new Set(problems.flatMap((p) => p.people.map((x) => x.id)));
  // Each holder once (their licences and what they cost), then each dimension over the holders: products ×
  // holders + dimensions × people, instead of a set of people per segment row for every licence.
  const holders = new Map<string, { user: SnapshotUser | undefined; licences: number; monthlyCost: number }>();
  for (const product of ctx.products) {
    const price = product.unitPrice !== null && product.currency === currency ? product.unitPrice : 0;
    for (const id of product.holders) {
      let holder = holders.get(id);
      if (!holder) {
        holder = { user: ctx.usersById.get(id), licences: 0, monthlyCost: 0 };
        holders.set(id, holder);
      }
      holder.licences++;
      holder.monthlyCost += price;
    }
  }
  const out = {} as Record<SegmentDimension, Segment[]>;
  for (const dimension of SEGMENT_DIMENSIONS) {
    const rows = new Map<string, Segment>();
    for (const [id, holder] of holders) {
      const value = valueOf(holder.user, dimension);
      let row = rows.get(value);
      if (!row) {
        row = { value, holders: 0, licences: 0, monthlyCost: 0, idle: 0, problems: 0 };
        rows.set(value, row);
      }
      row.holders++;
      row.licences += holder.licences;
      row.monthlyCost += holder.monthlyCost;
      if (idleIds.has(id)) row.idle++;
      if (problemIds.has(id)) row.problems++;
    }
    out[dimension] = [...rows.values()]
      .map((row) => ({ ...row, monthlyCost: Math.round(row.monthlyCost * 100) / 100 }))
      .sort((a, b) => b.licences - a.licences || a.value.localeCompare(b.value));
  }
  return out;
}
