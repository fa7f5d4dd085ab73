// The Graph emulator's admin API (/_local/graph/_admin/...) for benches: the same calls whether the emulator runs
// in the host's worker thread (the default) or in-process (--emulators in-process).

/** @param {string} baseUrl the host's origin, e.g. http://localhost:7071 */
export function graphAdmin(baseUrl) {
  const call = async (method, action, body) => {
    const res = await fetch(`${baseUrl}/_local/graph/_admin/${action}`, {
      method,
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`emulator admin ${method} ${action}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    /**
     * @returns {Promise<{ httpRequests: number, requests: number, writes: number,
     *   writesByKind: Record<string, number> }>}
     */
    stats: () => call('GET', 'stats'),
    resetStats: () => call('POST', 'stats/reset', {}),
    setFaults: (faults) => call('POST', 'faults', faults),
    /** Forgets the writes of the last 150 s, so a run starts with Graph's whole write budget. */
    resetWriteBudget: () => call('POST', 'write-budget/reset', {}),
    /** @returns {Promise<{ id: string, employeeId: string | null, manager: string | null, groups: string[] }[]>} */
    relations: async () => (await call('GET', 'relations')).value,
  };
}
