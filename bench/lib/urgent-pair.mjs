// Two people for an urgent-work measurement (issue 16 item 4): L, active, and R, hired in three days (pre-hire
// account created). urgentPair() hires them and resolves, once both are ready, to send(): it posts an immediate
// termination for L and a rescind for R and resolves to the milliseconds until L's lifecycle shows phase "left"
// (account disabled, access removed) and R's "rescinded" (pre-hire account deleted). Used by bench urgent and bench
// joiners (urgent_leaver_ms_during_bulk).
/** The date `offset` days from today (YYYY-MM-DD). */
export const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const worker = (employeeId, hireDate) => ({
  employeeId,
  legalGivenName: 'Urgent',
  legalFamilyName: `Bench${employeeId}`,
  department: 'Engineering',
  country: 'FR',
  hireDate,
});

/** A hire of `employeeId` on `hireDate` (YYYY-MM-DD). */
export const hireEvent = (employeeId, hireDate) => ({
  eventId: `hire-${employeeId}`,
  type: 'hire',
  occurredAt: new Date().toISOString(),
  worker: worker(employeeId, hireDate),
});

/** The Graph writes the pair's urgent events make (a joiner makes none of these kinds): left out of a joiner figure. */
export const URGENT_WRITE_KINDS = /^(DELETE |PATCH \/users\/|POST \/users\/\{id\}\/revokeSignInSessions)/;

/**
 * @typedef {{ customStatus?: { phase?: string, userId?: string } } | undefined} Instance
 * @param {(events: object[]) => Promise<void>} post
 * @param {{ getInstance(id: string): Instance | Promise<Instance> }} durable the engine in this process, or the
 *   status API of a host in another (its answers are awaited)
 */
export async function urgentPair(post, durable, suffix) {
  const leaver = `L${suffix}`;
  const rescinded = `R${suffix}`;
  const phases = async () => {
    const [l, r] = await Promise.all([leaver, rescinded].map((id) => durable.getInstance(`person-${id}`)));
    return { leaver: l?.customStatus, rescinded: r?.customStatus };
  };
  const until = async (check) => {
    while (!check(await phases())) await new Promise((r) => setTimeout(r, 10));
  };
  await post([hireEvent(leaver, day(0)), hireEvent(rescinded, day(3))]);
  await until((s) => s.leaver?.phase === 'active' && s.rescinded?.phase === 'pre-hire' && s.rescinded?.userId);
  return async () => {
    const sent = performance.now();
    await post([
      {
        eventId: `terminate-${leaver}`,
        type: 'terminate',
        immediate: true,
        occurredAt: new Date().toISOString(),
        worker: { ...worker(leaver, day(0)), leaveDate: day(0) },
      },
      {
        eventId: `rescind-${rescinded}`,
        type: 'rescind',
        occurredAt: new Date().toISOString(),
        worker: worker(rescinded, day(3)),
      },
    ]);
    const times = {};
    await until((s) => {
      if (times.leaver === undefined && s.leaver?.phase === 'left') times.leaver = performance.now() - sent;
      if (times.rescind === undefined && s.rescinded?.phase === 'rescinded') times.rescind = performance.now() - sent;
      return times.leaver !== undefined && times.rescind !== undefined;
    });
    return times;
  };
}
