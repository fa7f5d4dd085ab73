import { matchCondition } from '../domain/rules';
import type { WorkerRecord } from '../domain/hr-event';
import type { Condition } from '../domain/policy';
import { MS_PER_DAY, type Product, type ReportContext } from './context';
import type { SnapshotUser } from './snapshot';

/**
 * The problems a software asset manager acts on, each with the people and groups concerned and, where a seat could
 * be given back, what it costs per month.
 */
// The list is the source of the ProblemKind type (one place to add a kind).
// eslint-disable-next-line @typescript-eslint/no-unused-vars
const PROBLEM_KINDS = [
  'licensing-error',
  'direct-assignment',
  'overlapping-skus',
  'duplicate-app-tiers',
  'departed-holder',
  'unknown-holder',
  'out-of-scope',
  'idle-seat',
  'expiring-membership',
  'expired-membership',
  'missing-group',
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

interface PersonRef {
  id: string;
  userPrincipalName: string | null;
  displayName: string | null;
  department: string | null;
  country: string | null;
  costCenter: string | null;
  userType: string | null;
  /** Why this person is listed, when it differs from one to the other (last sign-in, leave date...). */
  note: string | null;
}

export interface Problem {
  kind: ProblemKind;
  /** Product keys concerned (sku:SPE_E3, app:acme:pro). */
  products: string[];
  detail: string;
  people: PersonRef[];
  groups: string[];
  /** Monthly cost of the licences involved that could be reclaimed; null when no price is configured. */
  monthlyCost: number | null;
  currency: string | null;
}

/**
 * Group-based licensing errors (licenseAssignmentState.error; what each means and how to fix it:
 * https://learn.microsoft.com/entra/identity/users/licensing-group-advanced and
 * https://learn.microsoft.com/entra/identity/users/licensing-groups-resolve-problems).
 */
const ERROR_MEANING: Record<string, string> = {
  CountViolation: 'not enough licences: buy more or free some',
  MutuallyExclusiveViolation: 'conflicting service plans with another licence the user holds',
  DependencyViolation: 'a service plan needs another plan the user does not have',
  ProhibitedInUsageLocationViolation: "the service is not available in the user's usage location",
  UniquenessViolation: 'a property that must be unique (proxy address) conflicts',
  UsageLocationNotAllowed: 'no usage location on the user',
  UsageLocationNotSet: 'no usage location on the user',
  Other: 'see the user in the Entra admin center',
};

function personRef(user: SnapshotUser | undefined, id: string, note: string | null = null): PersonRef {
  return {
    id,
    userPrincipalName: user?.userPrincipalName ?? null,
    displayName: user?.displayName ?? null,
    department: user?.department ?? null,
    country: user?.country ?? user?.usageLocation ?? null,
    costCenter: user?.costCenter ?? null,
    userType: user?.userType ?? null,
    note,
  };
}

function cost(product: Product | undefined, seats: number): { monthlyCost: number | null; currency: string | null } {
  if (!product || product.unitPrice === null) return { monthlyCost: null, currency: null };
  return { monthlyCost: round2(product.unitPrice * seats), currency: product.currency };
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Collects problems keyed by what they are about, so one problem lists everyone it concerns. */
class ProblemBook {
  private readonly byKey = new Map<string, { problem: Problem; listed: Set<string> }>();

  add(key: string, make: () => Omit<Problem, 'people'>, person: PersonRef): void {
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = { problem: { ...make(), people: [] }, listed: new Set() };
      this.byKey.set(key, entry);
    }
    // A set, not a search of the list: one problem may list tens of thousands of people.
    if (entry.listed.has(person.id)) return;
    entry.listed.add(person.id);
    entry.problem.people.push(person);
  }

  all(): Problem[] {
    return [...this.byKey.values()].map((entry) => entry.problem);
  }
}

export function findProblems(ctx: ReportContext): Problem[] {
  const book = new ProblemBook();
  licensingErrors(ctx, book);
  directAssignments(ctx, book);
  overlappingSkus(ctx, book);
  duplicateAppTiers(ctx, book);
  departedAndUnknownHolders(ctx, book);
  outOfScope(ctx, book);
  idleSeats(ctx, book);
  timeLimited(ctx, book);
  const missing = missingGroups(ctx);
  // Costs are per person: price each problem by the number of people it lists.
  return [...missing, ...book.all().map((problem) => priced(ctx, problem))];
}

/** A group the policy names that the directory does not have: its seats cannot be counted. */
function missingGroups(ctx: ReportContext): Problem[] {
  return ctx.snapshot.missingGroups.map((groupId) => {
    const product = ctx.products.find((p) => p.groupId?.toLowerCase() === groupId.toLowerCase());
    return {
      kind: 'missing-group' as const,
      products: product ? [product.key] : [],
      detail:
        `group ${groupId} named in the policy's licences does not exist in the directory` +
        (product ? ` (${product.name})` : ' (an unlicensed group)'),
      people: [],
      groups: [groupId],
      monthlyCost: null,
      currency: null,
    };
  });
}

function priced(ctx: ReportContext, problem: Problem): Problem {
  if (problem.kind === 'licensing-error' || problem.kind === 'expiring-membership') return problem;
  // The licence that would be given back: the product itself, or the cheaper of two overlapping ones.
  const candidates = problem.products
    .map((key) => ctx.products.find((p) => p.key === key))
    .filter((p): p is Product => !!p && p.unitPrice !== null);
  const cheapest = candidates.sort((a, b) => a.unitPrice! - b.unitPrice!)[0];
  return { ...problem, ...cost(cheapest, problem.people.length) };
}

function skuName(ctx: ReportContext, skuId: string): string {
  return ctx.skuById.get(skuId)?.skuPartNumber ?? skuId;
}

function licensingErrors(ctx: ReportContext, book: ProblemBook): void {
  for (const user of ctx.snapshot.users)
    for (const state of user.licenseAssignmentStates) {
      if (!/Error/i.test(state.state) && (state.error === 'None' || !state.error)) continue;
      const via = state.assignedByGroup ? `group ${state.assignedByGroup}` : 'direct assignment';
      const meaning = ERROR_MEANING[state.error] ?? 'see the user in the Entra admin center';
      book.add(
        `error|${state.skuId}|${state.assignedByGroup}|${state.error}`,
        () => ({
          kind: 'licensing-error',
          products: [`sku:${skuName(ctx, state.skuId)}`],
          detail: `${skuName(ctx, state.skuId)} through ${via}: ${state.error} (${meaning})`,
          groups: state.assignedByGroup ? [state.assignedByGroup] : [],
          monthlyCost: null,
          currency: null,
        }),
        personRef(user, user.id, `state ${state.state}`),
      );
    }
}

function directAssignments(ctx: ReportContext, book: ProblemBook): void {
  for (const user of ctx.snapshot.users)
    for (const state of user.licenseAssignmentStates) {
      if (state.assignedByGroup !== null) continue;
      const part = skuName(ctx, state.skuId);
      const group = ctx.policy.licenceGroups.find((g) => g.sku === part);
      book.add(
        `direct|${state.skuId}`,
        () => ({
          kind: 'direct-assignment',
          products: [`sku:${part}`],
          detail:
            `${part} assigned directly instead of through a group` +
            (group ? `; the policy's group is "${group.name}"` : '; no licence group in the policy assigns it'),
          groups: group ? [group.id] : [],
          monthlyCost: null,
          currency: null,
        }),
        personRef(user, user.id),
      );
    }
}

function overlappingSkus(ctx: ReportContext, book: ProblemBook): void {
  const plansOf = new Map(ctx.snapshot.skus.map((s) => [s.skuId, new Set(s.servicePlans.map((p) => p.servicePlanId))]));
  // The plans two SKUs share depend on the pair only: worked out once per pair, not once per person.
  const sharedNames = new Map<string, string[]>();
  const sharedPlanNames = (a: string, b: string): string[] => {
    let names = sharedNames.get(`${a}|${b}`);
    if (!names) {
      const shared = new Set([...(plansOf.get(a) ?? [])].filter((plan) => plansOf.get(b)?.has(plan)));
      names = ctx.skuById
        .get(a)!
        .servicePlans.filter((p) => shared.has(p.servicePlanId))
        .map((p) => p.servicePlanName);
      sharedNames.set(`${a}|${b}`, names);
    }
    return names;
  };
  for (const user of ctx.snapshot.users) {
    const inEffect = ctx.heldSkuIds(user);
    if (inEffect.size < 2) continue;
    const held = ctx.snapshot.skus.filter((s) => inEffect.has(s.skuId)).map((s) => s.skuId);
    for (let i = 0; i < held.length; i++)
      for (let j = i + 1; j < held.length; j++) {
        const pair = [held[i]!, held[j]!].sort((x, y) => skuName(ctx, x).localeCompare(skuName(ctx, y)));
        const a = pair[0]!;
        const b = pair[1]!;
        const names = sharedPlanNames(a, b);
        if (names.length === 0) continue;
        book.add(
          `overlap|${a}|${b}`,
          () => ({
            kind: 'overlapping-skus',
            products: [`sku:${skuName(ctx, a)}`, `sku:${skuName(ctx, b)}`],
            detail:
              `${skuName(ctx, a)} and ${skuName(ctx, b)} both include ${names.slice(0, 5).join(', ')}` +
              (names.length > 5 ? ` and ${names.length - 5} more` : '') +
              ': one of them is paid twice',
            groups: [],
            monthlyCost: null,
            currency: null,
          }),
          personRef(user, user.id),
        );
      }
  }
}

function duplicateAppTiers(ctx: ReportContext, book: ProblemBook): void {
  for (const app of ctx.licences.apps) {
    const tiers = ctx.products.filter((p) => p.kind === 'app' && p.id === app.id);
    const tiersOf = new Map<string, Product[]>();
    for (const tier of tiers) for (const id of tier.holders) tiersOf.set(id, [...(tiersOf.get(id) ?? []), tier]);
    for (const [id, held] of tiersOf) {
      if (held.length < 2) continue;
      book.add(
        `tiers|${app.id}|${held.map((t) => t.key).join('|')}`,
        () => ({
          kind: 'duplicate-app-tiers',
          products: held.map((t) => t.key),
          detail: `${app.name}: in ${held.map((t) => `"${t.tier}"`).join(' and ')} at once; keep one tier`,
          groups: held.map((t) => t.groupId!),
          monthlyCost: null,
          currency: null,
        }),
        personRef(ctx.usersById.get(id), id),
      );
    }
  }
}

function departedAndUnknownHolders(ctx: ReportContext, book: ProblemBook): void {
  for (const product of ctx.products)
    for (const id of product.holders) {
      const user = ctx.usersById.get(id);
      if (!user) {
        book.add(
          `unknown|${product.key}`,
          () => ({
            kind: 'unknown-holder',
            products: [product.key],
            detail: `${product.name}: seats held by accounts that no longer exist (deleted) or are not users`,
            groups: product.groupId ? [product.groupId] : [],
            monthlyCost: null,
            currency: null,
          }),
          personRef(undefined, id, 'not found among the users'),
        );
        continue;
      }
      const why = ctx.departed(user);
      if (!why) continue;
      book.add(
        `departed|${product.key}`,
        () => ({
          kind: 'departed-holder',
          products: [product.key],
          detail: `${product.name}: held by disabled or departed accounts`,
          groups: product.groupId ? [product.groupId] : [],
          monthlyCost: null,
          currency: null,
        }),
        personRef(user, id, why),
      );
    }
}

/** The directory attributes a policy condition can be judged on (worker extensions cannot: scope "unknown"). */
function asWorker(ctx: ReportContext, user: SnapshotUser): WorkerRecord {
  const types = ctx.policy.attributeMapping.employeeType;
  const employmentType = (Object.entries(types) as [string, string][]).find(
    ([, value]) => value.toLowerCase() === (user.employeeType ?? '').toLowerCase(),
  )?.[0];
  const defined = <T>(value: T | null): T | undefined => value ?? undefined;
  return {
    department: defined(user.department),
    jobTitle: defined(user.jobTitle),
    country: defined(user.country ?? user.usageLocation),
    employmentType,
    costCenter: defined(user.costCenter),
    company: defined(user.companyName),
    city: defined(user.city),
    officeLocation: defined(user.officeLocation),
    extensions: {},
  } as unknown as WorkerRecord;
}

function scopeOf(ctx: ReportContext, appId: string): Condition | undefined {
  const app = ctx.licences.apps.find((a) => a.id === appId)!;
  if (app.when) return app.when;
  return ctx.policy.scimTargets.find((t) => t.id === app.scimTargetId)?.when;
}

function outOfScope(ctx: ReportContext, book: ProblemBook): void {
  for (const product of ctx.products.filter((p) => p.kind === 'app')) {
    const when = scopeOf(ctx, product.id);
    if (!when || Object.keys(when).length === 0 || when.extension) continue;
    for (const id of product.holders) {
      const user = ctx.usersById.get(id);
      if (!user || ctx.departed(user)) continue;
      const result = matchCondition(asWorker(ctx, user), when);
      if (result.matched) continue;
      book.add(
        `scope|${product.key}`,
        () => ({
          kind: 'out-of-scope',
          products: [product.key],
          detail: `${product.name}: members outside the app's scope`,
          groups: [product.groupId!],
          monthlyCost: null,
          currency: null,
        }),
        personRef(user, id, result.reasons.join('; ')),
      );
    }
  }
}

function idleSeats(ctx: ReportContext, book: ProblemBook): void {
  for (const product of ctx.products)
    for (const id of product.holders) {
      const user = ctx.usersById.get(id);
      // Departed and unknown holders are reported as such; idleness is about people who are still here.
      if (!user || ctx.departed(user)) continue;
      const idle = ctx.idleSince(user, product);
      if (!idle?.idle) continue;
      book.add(
        `idle|${product.key}`,
        () => ({
          kind: 'idle-seat',
          products: [product.key],
          detail: `${product.name}: no activity for ${ctx.licences.idleDays} days; reclaim candidates`,
          groups: product.groupId ? [product.groupId] : [],
          monthlyCost: null,
          currency: null,
        }),
        personRef(user, id, idle.lastActivity ? `last activity ${idle.lastActivity.slice(0, 10)}` : 'never active'),
      );
    }
}

function timeLimited(ctx: ReportContext, book: ProblemBook): void {
  const now = ctx.now.getTime();
  const soon = now + ctx.licences.expiringWithinDays * MS_PER_DAY;
  for (const membership of ctx.snapshot.timeLimited) {
    const end = Date.parse(membership.endDateTime);
    if (end > soon) continue;
    const group = membership.groupId.toLowerCase();
    const skuGroup = ctx.policy.licenceGroups.find((g) => g.id.toLowerCase() === group);
    const product =
      ctx.products.find((p) => p.groupId?.toLowerCase() === group) ??
      (skuGroup ? ctx.products.find((p) => p.key === `sku:${skuGroup.sku}`) : undefined);
    // An app seat is held while the user is in the group; a SKU while group-based licensing assigns it from there.
    const user = ctx.usersById.get(membership.userId);
    const stillHeld =
      ctx.isMember(membership.groupId, membership.userId) ||
      !!user?.licenseAssignmentStates.some((s) => s.assignedByGroup?.toLowerCase() === group);
    const expired = end <= now;
    if (expired && !stillHeld) continue;
    const kind = expired ? 'expired-membership' : 'expiring-membership';
    const name = product?.name ?? `group ${membership.groupId}`;
    book.add(
      `${kind}|${membership.groupId}`,
      () => ({
        kind,
        products: product ? [product.key] : [],
        detail: expired
          ? `${name}: time-limited access ended but is still held`
          : `${name}: time-limited access ends soon`,
        groups: [membership.groupId],
        monthlyCost: null,
        currency: null,
      }),
      personRef(user, membership.userId, `ends ${membership.endDateTime.slice(0, 10)}`),
    );
  }
}
