import { describe, expect, it } from 'vitest';
import {
  admit,
  CircuitSettings,
  closedCircuit,
  report,
  type Circuit,
  type Transition,
} from '../../shared/domain/scim-circuit';

const settings = CircuitSettings.parse({ minCalls: 10, failureRate: 0.4, coolDownMs: 60_000, probeLeaseMs: 30_000 });
const T0 = Date.parse('2026-01-05T10:00:00Z');

function calls(circuit: Circuit, at: number, results: boolean[]): { circuit: Circuit; transitions: Transition[] } {
  const transitions: Transition[] = [];
  for (const ok of results) {
    const next = report(circuit, at, { ok, status: ok ? 200 : 503, detail: ok ? '' : 'down' }, settings);
    circuit = next.circuit;
    transitions.push(next.transition);
  }
  return { circuit, transitions };
}

describe('SCIM target quarantine circuit', () => {
  it('stays closed below the minimum number of calls, even when all fail', () => {
    const { circuit } = calls(closedCircuit(), T0, Array<boolean>(9).fill(false));
    expect(circuit.state).toBe('closed');
    expect(admit(circuit, T0, settings).admission).toEqual({ send: true, probe: false });
  });

  it('stays closed at 40% failures and opens above it (Entra escrow proportion)', () => {
    const at40 = calls(closedCircuit(), T0, [...Array<boolean>(6).fill(true), ...Array<boolean>(4).fill(false)]);
    expect(at40.circuit.state).toBe('closed');
    const above = calls(at40.circuit, T0, [false]);
    expect(above.circuit.state).toBe('open');
    expect(above.transitions).toEqual(['quarantined']);
    expect(above.circuit.lastErrors).toHaveLength(5);
  });

  it('forgets calls older than the window', () => {
    const old = calls(closedCircuit(), T0, Array<boolean>(9).fill(false));
    const later = calls(old.circuit, T0 + settings.windowMs + 60_000, [false]);
    expect(later.circuit.state).toBe('closed');
  });

  it('refuses calls while open until the cool-down ends, then admits one probe at a time', () => {
    const { circuit } = calls(closedCircuit(), T0, Array<boolean>(10).fill(false));
    expect(admit(circuit, T0 + 1_000, settings).admission).toEqual({
      send: false,
      retryAt: new Date(T0 + 60_000).toISOString(),
    });
    const probe = admit(circuit, T0 + 60_000, settings);
    expect(probe.admission).toEqual({ send: true, probe: true });
    expect(probe.circuit.state).toBe('half-open');
    expect(admit(probe.circuit, T0 + 61_000, settings).admission).toEqual({
      send: false,
      retryAt: new Date(T0 + 90_000).toISOString(),
    });
    // A probe that never reports frees its slot when its lease ends.
    expect(admit(probe.circuit, T0 + 90_000, settings).admission).toEqual({ send: true, probe: true });
  });

  it('a failed probe reopens it with a doubled cool-down; a successful one closes it', () => {
    const { circuit } = calls(closedCircuit(), T0, Array<boolean>(10).fill(false));
    const probe = admit(circuit, T0 + 60_000, settings).circuit;
    const failed = report(probe, T0 + 61_000, { ok: false, status: 503, probe: true }, settings);
    expect(failed.transition).toBe('probe-failed');
    expect(failed.circuit.probeAt).toBe(new Date(T0 + 61_000 + 120_000).toISOString());
    const second = admit(failed.circuit, T0 + 181_000, settings).circuit;
    const recovered = report(second, T0 + 182_000, { ok: true, probe: true }, settings);
    expect(recovered.transition).toBe('recovered');
    expect(recovered.circuit).toMatchObject({ state: 'closed', buckets: [], failedProbes: 0, openedAt: null });
  });

  it('a late answer to a call admitted before the quarantine does not close it', () => {
    const { circuit } = calls(closedCircuit(), T0, Array<boolean>(10).fill(false));
    const late = report(circuit, T0 + 2_000, { ok: true }, settings);
    expect(late).toMatchObject({ transition: null, circuit: { state: 'open' } });
    const probing = admit(circuit, T0 + 60_000, settings).circuit;
    expect(report(probing, T0 + 60_500, { ok: true }, settings).circuit.state).toBe('half-open');
  });

  it('caps the cool-down', () => {
    let { circuit } = calls(closedCircuit(), T0, Array<boolean>(10).fill(false));
    let at = T0;
    for (let i = 0; i < 12; i++) {
      at = Date.parse(circuit.probeAt!);
      circuit = report(admit(circuit, at, settings).circuit, at, { ok: false, probe: true }, settings).circuit;
    }
    expect(Date.parse(circuit.probeAt!) - at).toBe(settings.maxCoolDownMs);
  });
});
