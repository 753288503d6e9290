import { decodeKeys, encodeKeys, MAX_HEADER_ENTITIES, MAX_HEADER_TAGS } from '../keys-header';
import { MAX_KEY_VALUE_LENGTH } from '../value-path';
import { defaultPayloadConverter } from '@temporalio/common';

// The keys header goes with every activity and child workflow a run schedules, into its history:
// it is bounded when written, and when read (any client may set it).

const many = {
  tags: Array.from({ length: 100 }, (_, i) => `tag-${i}`),
  entities: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`entity${i}`, 'v'.repeat(5000)])),
  eventTime: '2026-11-25T06:00:00.000Z',
};

it('round-trips keys as they are, with the time zone activities inherit', () => {
  const keys = {
    tags: ['orders'],
    entities: { customer: 'C1' },
    eventTime: '2026-11-25T06:00:00.000Z',
    timeZone: 'Europe/Berlin',
  };
  expect(decodeKeys(encodeKeys(keys))).toEqual(keys);
  expect(decodeKeys(encodeKeys({ tags: [], entities: {} }))).toEqual({ tags: [], entities: {} });
});

it('bounds what it writes: the first tags and entities, values cut to length', () => {
  const payload = encodeKeys(many);
  const keys = decodeKeys(payload)!;
  expect(keys.tags).toEqual(many.tags.slice(0, MAX_HEADER_TAGS));
  expect(Object.keys(keys.entities)).toHaveLength(MAX_HEADER_ENTITIES);
  expect(Object.values(keys.entities).every((v) => v.length === MAX_KEY_VALUE_LENGTH)).toBe(true);
  expect(payload.data!.length).toBeLessThan(5 * 1024);
});

it('bounds what it reads, and reads anything malformed as no keys', () => {
  const foreign = defaultPayloadConverter.toPayload(many);
  expect(Object.keys(decodeKeys(foreign)!.entities)).toHaveLength(MAX_HEADER_ENTITIES);
  expect(decodeKeys(defaultPayloadConverter.toPayload({ tags: 'x', entities: {} }))).toBeUndefined();
  expect(
    decodeKeys(defaultPayloadConverter.toPayload({ tags: [], entities: {}, timeZone: 7 })),
  ).toBeUndefined();
  const longZone = decodeKeys(
    defaultPayloadConverter.toPayload({ tags: [], entities: {}, timeZone: 'Z'.repeat(500) }),
  );
  expect(longZone?.timeZone).toHaveLength(64);
  expect(
    decodeKeys({
      metadata: { encoding: new TextEncoder().encode('json/plain') },
      data: new TextEncoder().encode('{'),
    }),
  ).toBeUndefined();
  expect(decodeKeys(undefined)).toBeUndefined();
});
