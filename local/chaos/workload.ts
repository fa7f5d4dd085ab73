import type { HrEventInput, WorkerRecord } from '../../shared/domain/hr-event';
import type { Prng } from './prng';

/**
 * The mixed HR workload of one chaos trial: hires with a manager and birthright groups, movers, leavers
 * (immediate and dated, the dated ones reached by moving the local clock), rehires, rescinds of future hires,
 * duplicates (the same event delivered again) and stale deliveries. Each person's events are sent in order
 * (an HR system does not send a person's next change before the previous one was accepted), through the
 * webhook, a CSV drop or bulkUpload (hires); persons run in parallel.
 */
type Door = 'webhook' | 'csv' | 'bulk';

interface PlannedEvent {
  event: HrEventInput;
  door: Door;
  /** Sent again after it was accepted (at-least-once delivery from HR). */
  duplicate: boolean;
}

export interface PlannedPerson {
  employeeId: string;
  events: PlannedEvent[];
}

export interface Workload {
  /** Phases run one after the other; inside a phase, every person's events go in parallel. */
  phases: PlannedPerson[][];
  /** Days the local clock moves forward once every phase is in (dated leave dates pass). */
  advanceDays: number;
}

const GIVEN = ['Zoë', 'José', 'Ana', 'Björn', 'Chloé', 'Dmitri', 'Eva', 'Łukasz', 'Siân', 'Ngozi'];
const FAMILY = ['Núñez', 'Müller', "O'Brien", 'García', 'Nørgaard', 'Dupont', 'Ivanov', 'Smith', 'da Silva', 'Kim'];
const DEPARTMENTS = ['Engineering', 'Sales', 'Finance'];
/** Hires come through the webhook, a CSV drop or Entra's bulkUpload format, 2:2:1. */
const HIRE_DOORS: readonly Door[] = ['webhook', 'webhook', 'csv', 'csv', 'bulk'];

const dayOffset = (today: string, days: number) =>
  new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export function buildWorkload(rng: Prng, trial: number, persons: number, today: string): Workload {
  const at = (phase: number) => new Date(Date.now() + phase).toISOString();
  const manager = `K${trial}M`;
  const people = Array.from({ length: persons }, (_, i) => {
    const employeeId = i === 0 ? manager : `K${trial}P${i}`;
    const worker: WorkerRecord = {
      employeeId,
      legalGivenName: rng.pick(GIVEN),
      legalFamilyName: rng.pick(FAMILY),
      employmentType: 'employee',
      department: rng.pick(DEPARTMENTS),
      country: rng.pick(['FR', 'US', 'DE']),
      hireDate: today,
      timeZone: 'UTC',
      extensions: {},
      ...(i === 0 ? {} : { managerEmployeeId: manager }),
    };
    return { employeeId, worker, i };
  });
  const event = (
    id: string,
    type: HrEventInput['type'],
    worker: WorkerRecord,
    phase: number,
    extra: Partial<HrEventInput> = {},
  ): HrEventInput => ({ eventId: id, type, occurredAt: at(phase), worker, ...extra });
  const planned = (e: HrEventInput, door: Door = 'webhook'): PlannedEvent => ({
    event: e,
    door,
    duplicate: rng.chance(0.2),
  });

  const hires: PlannedPerson[] = [];
  const changes: PlannedPerson[] = [];
  const leaves: PlannedPerson[] = [];
  for (const p of people) {
    const id = p.employeeId;
    // A tenth of the hires start in 10 days and are rescinded before: no account may stay behind.
    const rescinded = p.i > 0 && rng.chance(0.1);
    const hireWorker = rescinded ? { ...p.worker, hireDate: dayOffset(today, 10) } : p.worker;
    hires.push({
      employeeId: id,
      events: [planned(event(`${id}-h`, 'hire', hireWorker, 0), rng.pick(HIRE_DOORS))],
    });
    if (rescinded) {
      changes.push({ employeeId: id, events: [planned(event(`${id}-r`, 'rescind', hireWorker, 1))] });
      continue;
    }
    const moved = p.i > 0 && rng.chance(0.4);
    const current = moved
      ? { ...p.worker, department: rng.pick(DEPARTMENTS.filter((d) => d !== p.worker.department)) }
      : p.worker;
    if (moved) changes.push({ employeeId: id, events: [planned(event(`${id}-m`, 'update', current, 1))] });
    if (p.i === 0 || !rng.chance(0.5)) continue;
    const immediate = rng.chance(0.5);
    const leaver = { ...current, leaveDate: immediate ? today : dayOffset(today, 2) };
    const events = [planned(event(`${id}-t`, 'terminate', leaver, 2, { immediate }))];
    if (immediate && rng.chance(0.4)) {
      const { leaveDate: _left, ...back } = leaver;
      events.push(planned(event(`${id}-rh`, 'rehire', { ...back, hireDate: today }, 3)));
    }
    leaves.push({ employeeId: id, events });
  }
  return { phases: [hires, changes, leaves], advanceDays: 3 };
}
