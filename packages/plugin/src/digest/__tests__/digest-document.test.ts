import { generateOutcomes } from '@temporal-stompy/testing';
import { readBaseDigest, readKeyDigest, renderBaseDigest, renderKeyDigest } from '../digest-document';
import { digestTopic } from '../digest-topics';
import { DIGEST_FORMAT, emptyDigest, foldOutcome, MAX_FAILED_HOURS } from '../key-digest';

function sampleDigest(): ReturnType<typeof emptyDigest> {
  const digest = emptyDigest('customer:C1', 'abcdefghij', 28);
  for (const o of generateOutcomes(200, 3, 1))
    foldOutcome(digest, { facts: o.facts, topic: o.topic, note: o.content, tags: ['customer:C1'] });
  return digest;
}

describe('digest documents', () => {
  it('read back what was rendered, behind a summary a person can read', () => {
    const digest = sampleDigest();
    const content = renderKeyDigest(digest);
    expect(content.split('\n')[0]).toMatch(
      /^Digest of customer:C1 by writer abcdefghij: 200 outcomes, \d+ failed/,
    );
    expect(readKeyDigest(content, 'customer:C1')).toEqual({
      digest: JSON.parse(JSON.stringify(digest)) as unknown,
    });
    const base = { format: DIGEST_FORMAT, writer: 'abcdefghij', runs: 10, failures: 2 } as const;
    expect(readBaseDigest(renderBaseDigest(base))).toEqual({ digest: base });
  });

  it.each([
    ['no marker', () => 'hello'],
    ['not JSON', () => 'x\n---\n{nope'],
    ['an array', () => 'x\n---\n[1,2]'],
    ['another format', () => renderKeyDigest(sampleDigest()).replace(DIGEST_FORMAT, 'other/9')],
    ['another key', () => renderKeyDigest({ ...sampleDigest(), key: 'customer:C2' })],
    ['negative runs', () => renderKeyDigest({ ...sampleDigest(), handling: { '': [-1, 0] } })],
    ['a window past 167', () => renderKeyDigest({ ...sampleDigest(), windows: { 200: sampleWindow() } })],
    [
      'a bad dimension',
      () => renderKeyDigest({ ...sampleDigest(), dimensions: [{ dimension: 'x' }] as never }),
    ],
    ['a bad memory', () => renderKeyDigest({ ...sampleDigest(), recent: [{ topic: 1 }] as never })],
    ['a string count', () => renderKeyDigest({ ...sampleDigest(), durations: { 5: '3' as never } })],
  ])('report a digest edited into garbage (%s) as a problem, never throw', (_name, content) => {
    const read = readKeyDigest(content(), 'customer:C1');
    expect('problem' in read && typeof read.problem).toBe('string');
  });

  it('refuse a base digest with more failures than runs', () => {
    const content = renderBaseDigest({ format: DIGEST_FORMAT, writer: 'w', runs: 1, failures: 2 });
    const read = readBaseDigest(content);
    expect('problem' in read && typeof read.problem).toBe('string');
  });

  it('list the newest failed hours of a window and count the older ones', () => {
    const digest = emptyDigest('activity:a', 'w', 28);
    const facts = generateOutcomes(1, 1)[0]!.facts;
    const weeks = MAX_FAILED_HOURS + 10;
    for (let week = weeks - 1; week >= 0; week -= 1) {
      const eventTimeMs = Date.UTC(2026, 0, 5) + week * 168 * 3_600_000;
      foldOutcome(digest, {
        facts: { ...facts, failed: true, eventTimeMs, window: 0, timeZone: 'UTC', handling: undefined },
        topic: `t${week}`,
        note: '',
        tags: [],
      });
    }
    const window = digest.windows[0]!;
    expect(window.failedHours).toHaveLength(MAX_FAILED_HOURS);
    expect(window.olderFailedHours).toBe(10);
    expect(window.failedHours.length + window.olderFailedHours).toBe(weeks);
  });

  it('give readable topics when they fit, hashed ones when not', () => {
    expect(digestTopic('abcdefghij', 'customer:C1')).toBe('temporal:digest:abcdefghij:customer:C1');
    const long = digestTopic('abcdefghij', `customer:${'x'.repeat(120)}`);
    expect(long.length).toBeLessThanOrEqual(100);
    expect(digestTopic('abcdefghij', 'customer:a b')).toMatch(/^temporal:digest:abcdefghij:h[a-z2-7]{40}$/);
  });
});

function sampleWindow(): ReturnType<typeof emptyDigest>['windows'][string] {
  return {
    runs: 1,
    failures: 0,
    latestHour: 1,
    weightedRuns: 1,
    weightedFailures: 0,
    failedHours: [],
    olderFailedHours: 0,
  };
}
