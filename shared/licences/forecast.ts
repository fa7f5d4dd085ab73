/**
 * Trend and forecast of one product from its daily history: a least-squares line through (day, assigned) gives
 * the growth per day; from it, the days until the purchased units run out, and the monthly cost of the gap
 * between purchased and assigned (positive: paid for and unused; negative: missing and to buy).
 */
export interface ProductDay {
  /** YYYY-MM-DD (UTC). */
  date: string;
  key: string;
  name: string;
  purchased: number;
  assigned: number;
  consumed: number;
}

export interface Forecast {
  /** Assigned units gained per day (negative: shrinking); null with fewer than two days of history. */
  growthPerDay: number | null;
  /** Days until assigned reaches purchased at that growth; 0 when already there; null when it never does. */
  daysUntilExhausted: number | null;
  exhaustedOn: string | null;
  /** Assigned expected in 30 days. */
  assignedIn30Days: number | null;
  /** purchased - assigned today. */
  gap: number;
  /** gap × unit price per month; null without a price. */
  monthlyGapCost: number | null;
}

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

/** Slope of the least-squares line through the points; null when it is not defined. */
function slope(points: { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx === 0) return null;
  return points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
}

export function forecast(history: ProductDay[], today: ProductDay, unitPrice: number | null): Forecast {
  const byDate = new Map(history.filter((d) => d.key === today.key).map((d) => [d.date, d]));
  byDate.set(today.date, today);
  const points = [...byDate.values()].map((d) => ({ x: dayNumber(d.date), y: d.assigned }));
  const growth = slope(points);
  const gap = today.purchased - today.assigned;
  let days: number | null = null;
  if (gap <= 0) days = 0;
  else if (growth !== null && growth > 0) days = Math.ceil(gap / growth);
  const exhaustedOn =
    days === null ? null : new Date((dayNumber(today.date) + days) * DAY_MS).toISOString().slice(0, 10);
  return {
    growthPerDay: growth === null ? null : Math.round(growth * 1000) / 1000,
    daysUntilExhausted: days,
    exhaustedOn,
    assignedIn30Days: growth === null ? null : Math.max(0, Math.round(today.assigned + growth * 30)),
    gap,
    monthlyGapCost: unitPrice === null ? null : Math.round(gap * unitPrice * 100) / 100,
  };
}
