import { CircuitBreaker } from '../circuit-breaker';

// The circuit breaker of delivery: it opens after a number of calls in a row went unanswered, lets one
// probe through after the cool-down, and closes again on an answer.

describe('CircuitBreaker', () => {
  it('opens after the threshold, probes once after the cool-down, closes on an answer', () => {
    const circuit = new CircuitBreaker(3, 1_000);
    expect(circuit.onUnavailable(0)).toBe('counted');
    expect(circuit.onUnavailable(0)).toBe('counted');
    expect(circuit.onUnavailable(10)).toBe('opened');
    expect(circuit.state).toBe('open');
    expect(circuit.waitMs(500)).toBe(510);
    expect(circuit.probeIfCooledDown(500)).toBe(false);
    expect(circuit.probeIfCooledDown(1_010)).toBe(true);
    expect(circuit.state).toBe('half-open');
    expect(circuit.onAnswer()).toBe(true);
    expect(circuit.state).toBe('closed');
    expect(circuit.consecutiveFailures).toBe(0);
    expect(circuit.onAnswer()).toBe(false);
  });

  it('opens again at once when the probe goes unanswered', () => {
    const circuit = new CircuitBreaker(1, 100);
    circuit.onUnavailable(0);
    circuit.probeIfCooledDown(100);
    expect(circuit.onUnavailable(100)).toBe('reopened');
    expect(circuit.waitMs(100)).toBe(100);
  });

  it('an answer between failures starts the count again', () => {
    const circuit = new CircuitBreaker(2, 100);
    circuit.onUnavailable(0);
    circuit.onAnswer();
    expect(circuit.onUnavailable(0)).toBe('counted');
  });
});
