import { extractWorkflowKeys, type SerializedWorkflowRule } from '../workflow-rules';
import { readPath, keyValue } from '../value-path';

// Workflow tag rules as the sandbox runs them: keys only from matching rules, nothing (and no throw)
// from missing paths, odd values or throwing getters, and only scalar key values, cut to fit a header.

const facts = {
  args: [{ customerId: 'C1', placedAt: '2026-11-25T06:00:00Z', region: { code: 'eu' } }],
  memo: { tier: 'gold' },
  workflowId: 'order-1',
  workflowType: 'OrderWorkflow',
};

describe('workflow rules (run in the sandbox)', () => {
  it('extracts entities, tags and event time from matching rules only', () => {
    const rules: SerializedWorkflowRule[] = [
      {
        match: { exact: 'OrderWorkflow' },
        tags: ['orders'],
        entities: { customer: 'args.0.customerId', region: 'args.0.region.code' },
        eventTime: 'args.0.placedAt',
      },
      { match: { pattern: '^Order', flags: 'i' }, tags: ['o'], entities: { tier: 'memo.tier' } },
      { match: { exact: 'Other' }, tags: ['never'], entities: { x: 'workflowId' } },
    ];
    expect(extractWorkflowKeys(rules, facts)).toEqual({
      tags: ['orders', 'o'],
      entities: { customer: 'C1', region: 'eu', tier: 'gold' },
      eventTime: '2026-11-25T06:00:00.000Z',
    });
  });

  it('gives the time zone of the first matching rule that has one', () => {
    const rules: SerializedWorkflowRule[] = [
      { match: { exact: 'OrderWorkflow' }, tags: [], entities: {} },
      { match: { pattern: '^Order', flags: '' }, tags: [], entities: {}, timeZone: 'Europe/Berlin' },
      { match: { exact: 'OrderWorkflow' }, tags: [], entities: {}, timeZone: 'Asia/Tokyo' },
    ];
    expect(extractWorkflowKeys(rules, facts).timeZone).toBe('Europe/Berlin');
  });

  it('leaves out an event time that is no time and reports the rule and the value', () => {
    const rule = (eventTime: string): SerializedWorkflowRule => ({
      match: { pattern: '^Order', flags: 'i' },
      tags: [],
      entities: {},
      eventTime,
    });
    const odd = {
      ...facts,
      args: [{ text: 'soon', micros: 1.7e15, year1066: '1066-10-14T09:00:00Z', none: null }],
    };
    const rejected: unknown[] = [];
    const keysOf = (path: string) => extractWorkflowKeys([rule(path)], odd, (r) => rejected.push(r));
    expect(keysOf('args.0.text').eventTime).toBeUndefined();
    expect(keysOf('args.0.micros').eventTime).toBeUndefined();
    expect(keysOf('args.0.year1066').eventTime).toBeUndefined();
    // Nothing there is no time given, not a bad one.
    expect(keysOf('args.0.none').eventTime).toBeUndefined();
    expect(keysOf('args.0.missing').eventTime).toBeUndefined();
    expect(rejected).toEqual([
      { rule: '/^Order/i', value: '"soon"' },
      { rule: '/^Order/i', value: '1700000000000000' },
      { rule: '/^Order/i', value: '"1066-10-14T09:00:00Z"' },
    ]);
  });

  it('reads nothing, rather than throwing, from missing paths, odd values and throwing getters', () => {
    const hostile = {
      args: [
        Object.defineProperty({}, 'boom', {
          get: () => {
            throw new Error('x');
          },
          enumerable: true,
        }),
      ],
      memo: undefined,
      workflowId: 'w',
      workflowType: 'T',
    };
    const rules: SerializedWorkflowRule[] = [
      {
        match: { exact: 'T' },
        tags: [],
        entities: { a: 'args.0.boom', b: 'args.5.x', c: 'memo.y', d: 'args.0' },
      },
      { match: { pattern: '(', flags: '' }, tags: ['bad-regexp'], entities: {} },
    ];
    expect(extractWorkflowKeys(rules, hostile)).toEqual({ tags: [], entities: {} });
  });

  it('turns only scalar values into key values, cut to a header-friendly length', () => {
    expect(keyValue(42)).toBe('42');
    expect(keyValue(10n)).toBe('10');
    expect(keyValue(' C1 ')).toBe('C1');
    expect(keyValue({})).toBeUndefined();
    expect(keyValue(NaN)).toBeUndefined();
    expect(keyValue('x'.repeat(500))).toHaveLength(200);
    expect(readPath({ a: [{ b: 1 }] }, 'a.0.b')).toBe(1);
    expect(readPath({ a: 1 }, 'a.__proto__')).toBeUndefined();
  });
});
