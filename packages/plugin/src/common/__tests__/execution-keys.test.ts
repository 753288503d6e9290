import { mergeKeys } from '../execution-keys';

// Keys are merged from the most general (inherited from a parent or a previous run) to the most
// specific (the run's or the activity's own rules): the specific ones win.

it('lets the later event time and entities win, and unites tags', () => {
  const inherited = {
    tags: ['orders'],
    entities: { customer: 'C1', region: 'eu' },
    eventTime: '2026-01-01T00:00:00.000Z',
  };
  const own = { tags: ['payment'], entities: { customer: 'C2' }, eventTime: '2026-11-25T06:00:00.000Z' };
  expect(mergeKeys(inherited, own)).toEqual({
    tags: ['orders', 'payment'],
    entities: { customer: 'C2', region: 'eu' },
    eventTime: '2026-11-25T06:00:00.000Z',
  });
});

it('keeps the inherited event time when the own keys have none', () => {
  const inherited = { tags: [], entities: {}, eventTime: '2026-01-01T00:00:00.000Z' };
  expect(mergeKeys(inherited, { tags: [], entities: {} }, undefined)).toEqual({
    tags: [],
    entities: {},
    eventTime: '2026-01-01T00:00:00.000Z',
  });
  expect(mergeKeys()).toEqual({ tags: [], entities: {} });
});

it("lets an activity's own time zone win over the one its workflow passed on, and keeps that one otherwise", () => {
  const workflow = { tags: [], entities: { customer: 'C1' }, timeZone: 'Europe/Berlin' };
  expect(mergeKeys(workflow, { tags: [], entities: {} })).toEqual(workflow);
  expect(mergeKeys(workflow, { tags: [], entities: {}, timeZone: 'Asia/Tokyo' })).toEqual({
    tags: [],
    entities: { customer: 'C1' },
    timeZone: 'Asia/Tokyo',
  });
});
