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
