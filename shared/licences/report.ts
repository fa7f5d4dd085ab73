import type { Policy } from '../domain/policy';
import { ReportContext, type Product } from './context';
import { forecast, type Forecast, type ProductDay } from './forecast';
import { findProblems, round2, type Problem } from './problems';
import { segment, type Segment, type SegmentDimension } from './segments';
import type { LicenceSnapshot } from './snapshot';

/**
 * The daily licence compliance report, computed from a snapshot, the policy and the stored daily history.
 * Pure: no I/O, `now` is given.
 */
/** A product's identity, units and price as the context holds them (Product), with the day's figures. */
type ProductLine = Pick<
  Product,
  'key' | 'kind' | 'id' | 'name' | 'tier' | 'groupId' | 'purchased' | 'warning' | 'suspended' | 'unitPrice' | 'currency'
> & {
  assigned: number;
  /** SKU: Graph's consumedUnits; app: holders active within idleDays (all holders when activity is unknown). */
  consumed: number;
  available: number;
  /** assigned / purchased; null when nothing is purchased. */
  utilisation: number | null;
  monthlyCost: number | null;
  idle: number;
  idleMonthlyCost: number | null;
  forecast: Forecast;
};

interface ThresholdCrossing {
  product: string;
  name: string;
  rule: 'utilisationBelow' | 'availableBelow';
  value: number;
  limit: number;
  message: string;
}

export interface LicenceReport {
  date: string;
  generatedAt: string;
  policyVersion: string;
  signInActivityAvailable: boolean;
  idleDays: number;
  totals: {
    users: number;
    products: number;
    problems: number;
    peopleWithProblems: number;
    monthlyCost: number | null;
    reclaimableMonthlyCost: number | null;
    currency: string | null;
  };
  products: ProductLine[];
  problems: Problem[];
  segments: Record<SegmentDimension, Segment[]>;
  /** Daily points per product, oldest first, today included. */
  trend: ProductDay[];
  thresholds: ThresholdCrossing[];
}

export function buildLicenceReport(input: {
  snapshot: LicenceSnapshot;
  policy: Policy;
  history: ProductDay[];
  now: Date;
}): LicenceReport {
  const ctx = new ReportContext(input.snapshot, input.policy, input.now);
  const date = input.now.toISOString().slice(0, 10);
  const problems = findProblems(ctx);
  const idleByProduct = new Map<string, number>();
  for (const p of problems.filter((x) => x.kind === 'idle-seat')) idleByProduct.set(p.products[0]!, p.people.length);
  const today = ctx.products.map((product) => productDay(ctx, product, date));
  const products = ctx.products.map((product, i) =>
    productLine(product, today[i]!, idleByProduct.get(product.key) ?? 0, input.history),
  );
  const currency = products.find((p) => p.currency !== null)?.currency ?? null;
  const sameCurrency = (value: number | null, c: string | null) => (value !== null && c === currency ? value : 0);
  const reclaimable = problems
    .filter((p) =>
      ['idle-seat', 'departed-holder', 'unknown-holder', 'overlapping-skus', 'duplicate-app-tiers'].includes(p.kind),
    )
    .reduce((sum, p) => sum + sameCurrency(p.monthlyCost, p.currency), 0);
  const trend = [...input.history.filter((d) => d.date !== date), ...today].sort(
    (a, b) => a.date.localeCompare(b.date) || a.key.localeCompare(b.key),
  );
  return {
    date,
    generatedAt: input.now.toISOString(),
    policyVersion: input.policy.version,
    signInActivityAvailable: input.snapshot.signInActivityAvailable,
    idleDays: ctx.licences.idleDays,
    totals: {
      users: input.snapshot.users.length,
      products: products.length,
      problems: problems.length,
      peopleWithProblems: new Set(problems.flatMap((p) => p.people.map((x) => x.id))).size,
      monthlyCost:
        currency === null ? null : round2(products.reduce((s, p) => s + sameCurrency(p.monthlyCost, p.currency), 0)),
      reclaimableMonthlyCost: currency === null ? null : round2(reclaimable),
      currency,
    },
    products,
    problems,
    segments: segment(ctx, problems, currency),
    trend,
    thresholds: thresholdCrossings(products, ctx.licences.thresholds),
  };
}

function productDay(ctx: ReportContext, product: Product, date: string): ProductDay {
  let consumed: number;
  if (product.reportedConsumed !== null) consumed = product.reportedConsumed;
  else
    consumed = product.holders.filter((id) => {
      const user = ctx.usersById.get(id);
      if (!user || ctx.departed(user)) return false;
      const idle = ctx.idleSince(user, product);
      return !idle?.idle;
    }).length;
  return {
    date,
    key: product.key,
    name: product.name,
    purchased: product.purchased,
    assigned: product.holders.length,
    consumed,
  };
}

function productLine(product: Product, day: ProductDay, idle: number, history: ProductDay[]): ProductLine {
  const price = product.unitPrice;
  return {
    key: product.key,
    kind: product.kind,
    id: product.id,
    name: product.name,
    tier: product.tier,
    groupId: product.groupId,
    purchased: product.purchased,
    warning: product.warning,
    suspended: product.suspended,
    assigned: day.assigned,
    consumed: day.consumed,
    available: product.purchased - day.assigned,
    utilisation: product.purchased > 0 ? Math.round((day.assigned / product.purchased) * 1000) / 1000 : null,
    unitPrice: price,
    currency: product.currency,
    monthlyCost: price === null ? null : round2(price * product.purchased),
    idle,
    idleMonthlyCost: price === null ? null : round2(price * idle),
    forecast: forecast(history, day, price),
  };
}

function thresholdCrossings(
  products: ProductLine[],
  limits: { utilisationBelow: number; availableBelow: number },
): ThresholdCrossing[] {
  const out: ThresholdCrossing[] = [];
  for (const p of products) {
    if (p.purchased === 0) continue;
    if (p.utilisation !== null && p.utilisation < limits.utilisationBelow)
      out.push({
        product: p.key,
        name: p.name,
        rule: 'utilisationBelow',
        value: p.utilisation,
        limit: limits.utilisationBelow,
        message:
          `${p.name}: ${p.assigned} of ${p.purchased} assigned (${percent(p.utilisation)}, ` +
          `below ${percent(limits.utilisationBelow)})`,
      });
    if (p.available < limits.availableBelow)
      out.push({
        product: p.key,
        name: p.name,
        rule: 'availableBelow',
        value: p.available,
        limit: limits.availableBelow,
        message: `${p.name}: ${p.available} left to assign (below ${limits.availableBelow})`,
      });
  }
  return out;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
