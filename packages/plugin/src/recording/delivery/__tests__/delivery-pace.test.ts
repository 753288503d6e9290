import { BUSY_CALLS_PER_SECOND, DeliveryPace } from '../delivery-pace';

describe('DeliveryPace', () => {
  it('waits the quiet debounce until more than the busy number of calls went out in one second', () => {
    const pace = new DeliveryPace(20, 100);
    expect(pace.debounceMs(0)).toBe(20);
    for (let call = 0; call < BUSY_CALLS_PER_SECOND; call++) pace.called(call * 100);
    expect(pace.debounceMs(500)).toBe(20);
    pace.called(550);
    expect(pace.debounceMs(600)).toBe(100);
  });

  it('is quiet again once the calls of the busy second are more than a second old', () => {
    const pace = new DeliveryPace(20, 100);
    for (let call = 0; call <= BUSY_CALLS_PER_SECOND; call++) pace.called(1_000 + call * 10);
    expect(pace.debounceMs(1_999)).toBe(100);
    // The first call (at 1,000) leaves the window at 2,000: five are left, not more than five.
    expect(pace.debounceMs(2_000)).toBe(20);
    expect(pace.debounceMs(10_000)).toBe(20);
  });

  it('stays busy under a steady stream of one call per busy debounce, as a loaded worker sends', () => {
    const pace = new DeliveryPace(20, 100);
    let now = 0;
    for (let call = 0; call < 30; call++) {
      pace.called(now);
      now += pace.debounceMs(now) + 5; // the call itself takes a few ms
    }
    expect(pace.debounceMs(now)).toBe(100);
  });
});
