import { describeWindow, hourOfWeek, isTimeZone } from '../hour-of-week';

// Windows on the wall clock of a time zone: UTC, zones with daylight saving time, and zones whose
// offset is not a whole hour.

const TUESDAY_15 = 24 + 15;

it('numbers the hours of the week from Monday 00:00 in UTC', () => {
  expect(hourOfWeek(Date.UTC(2026, 10, 23, 0, 0))).toBe(0); // a Monday
  expect(hourOfWeek(Date.UTC(2026, 10, 24, 15, 59, 59))).toBe(TUESDAY_15);
  expect(hourOfWeek(Date.UTC(2026, 10, 29, 23, 30))).toBe(167); // a Sunday
  expect(describeWindow(TUESDAY_15)).toBe('Tuesdays 15:00-16:00 UTC');
  expect(describeWindow(167, 'Europe/Berlin')).toBe('Sundays 23:00-24:00 Europe/Berlin');
});

it('follows daylight saving time: 15:00 in Berlin is the same window in winter and in summer', () => {
  const winter = Date.UTC(2026, 2, 24, 14, 10); // Tuesday 15:10 CET (UTC+1)
  const summer = Date.UTC(2026, 2, 31, 13, 10); // Tuesday 15:10 CEST (UTC+2), after the switch on 29 March
  expect(hourOfWeek(winter, 'Europe/Berlin')).toBe(TUESDAY_15);
  expect(hourOfWeek(summer, 'Europe/Berlin')).toBe(TUESDAY_15);
  expect(hourOfWeek(summer, 'UTC')).toBe(24 + 13);
  // New York switches on another day (8 March 2026): 10:00 there on both sides of it.
  expect(hourOfWeek(Date.UTC(2026, 2, 3, 15), 'America/New_York')).toBe(24 + 10);
  expect(hourOfWeek(Date.UTC(2026, 2, 10, 14), 'America/New_York')).toBe(24 + 10);
});

it('handles offsets that are not whole hours, and the day boundary they move', () => {
  // 18:45 UTC on a Monday is 00:15 on Tuesday in Kolkata (UTC+5:30), and 08:30 on Tuesday in Chatham
  // (UTC+13:45 in its November summer).
  expect(hourOfWeek(Date.UTC(2026, 10, 23, 18, 45), 'Asia/Kolkata')).toBe(24);
  expect(hourOfWeek(Date.UTC(2026, 10, 23, 18, 29), 'Asia/Kolkata')).toBe(23);
  expect(hourOfWeek(Date.UTC(2026, 10, 23, 18, 45), 'Pacific/Chatham')).toBe(24 + 8);
});

it('knows real time zones and refuses others', () => {
  expect(isTimeZone('Europe/Berlin')).toBe(true);
  expect(isTimeZone('UTC')).toBe(true);
  expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  expect(() => hourOfWeek(Date.UTC(2026, 0, 1), 'Mars/Olympus_Mons')).toThrow(RangeError);
  expect(() => hourOfWeek(Number.NaN)).toThrow(RangeError);
});
