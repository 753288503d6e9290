// The time windows insights count in: the hour of the week, Monday 00:00-01:00 being window 0 and
// Sunday 23:00-24:00 window 167, on the wall clock of a time zone (daylight saving time included).

/** Windows in a week: one per hour. */
export const WINDOWS_PER_WEEK = 168;

const DAY_NAMES = ['Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'];
const WEEKDAY_INDEX: Readonly<Record<string, number>> = {
  Mon: 0,
  Tue: 1,
  Wed: 2,
  Thu: 3,
  Fri: 4,
  Sat: 5,
  Sun: 6,
};
/** Every time zone's offset is a multiple of 15 minutes: within such a slot the window cannot change. */
const SLOT_MS = 15 * 60_000;
const MAX_REMEMBERED_SLOTS = 4096;

const formatters = new Map<string, Intl.DateTimeFormat>();
const remembered = new Map<string, number>();

/** Whether `timeZone` is an IANA time zone name this runtime knows (`UTC`, `Europe/Berlin`, ...). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The hour-of-week window (0..167) of an instant on the wall clock of `timeZone`. Throws a RangeError
 * for an unknown time zone (check it once with {@link isTimeZone}) or an instant that is not finite.
 */
export function hourOfWeek(epochMs: number, timeZone = 'UTC'): number {
  if (!Number.isFinite(epochMs)) throw new RangeError(`not an instant: ${epochMs}`);
  if (timeZone === 'UTC') {
    const date = new Date(epochMs);
    return ((date.getUTCDay() + 6) % 7) * 24 + date.getUTCHours();
  }
  const slotKey = `${timeZone}\u0000${Math.floor(epochMs / SLOT_MS)}`;
  const known = remembered.get(slotKey);
  if (known !== undefined) return known;
  let day = -1;
  let hour = -1;
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type === 'weekday') day = WEEKDAY_INDEX[part.value] ?? -1;
    else if (part.type === 'hour') hour = Number(part.value) % 24;
  }
  if (day < 0 || hour < 0) throw new RangeError(`cannot read the wall clock of ${timeZone}`);
  const window = day * 24 + hour;
  if (remembered.size >= MAX_REMEMBERED_SLOTS) remembered.clear();
  remembered.set(slotKey, window);
  return window;
}

/** A window as people say it: `Tuesdays 15:00-16:00 UTC`. */
export function describeWindow(window: number, timeZone = 'UTC'): string {
  const day = DAY_NAMES[Math.floor(window / 24)] ?? `day ${Math.floor(window / 24)}`;
  const hour = window % 24;
  return `${day} ${clock(hour)}-${clock(hour + 1)} ${timeZone}`;
}

function clock(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
