/**
 * Calendar dates as integer day numbers (days since 1970-01-01) for hot paths: a pool of a million
 * profiles is evaluated over many dates, and Temporal objects or ISO strings cost too much there.
 *
 * Nothing here encodes a calendar rule by hand: the year starts, month lengths and leap years come from
 * Temporal (temporal-polyfill) once, into small tables, and every operation is a lookup in them. The
 * semantics are Temporal's: adding years or months keeps the day of the month, constrained to the
 * month's last day (29 February + 1 year = 28 February). Tests compare every operation with Temporal
 * over whole centuries.
 */
import { Temporal } from "temporal-polyfill";

/** Days since 1970-01-01 (negative before). */
export type Day = number;

/** The range the tables cover; rule and input dates are limited to 1900–2199, windows reach around them. */
export const FIRST_YEAR = 1800;
export const LAST_YEAR = 2400;

interface Tables {
  /** Day number of 1 January of FIRST_YEAR + i (one more entry: the start of LAST_YEAR + 1). */
  yearStart: Int32Array;
  leap: Uint8Array;
  /** [common, leap]: day of the year (0-based) on which each month 1–12 starts (index 0 unused). */
  monthStart: [Int16Array, Int16Array];
  /** [common, leap]: month length, 1–12. */
  monthLength: [Uint8Array, Uint8Array];
  /** [common, leap]: month (1–12) of each day of the year (0-based). */
  monthOfDay: [Uint8Array, Uint8Array];
}

let tables: Tables | undefined;

function build(): Tables {
  const years = LAST_YEAR - FIRST_YEAR + 1;
  const yearStart = new Int32Array(years + 1);
  const leap = new Uint8Array(years);
  const epoch = Temporal.PlainDate.from("1970-01-01");
  const first = Temporal.PlainDate.from({ year: FIRST_YEAR, month: 1, day: 1 });
  yearStart[0] = epoch.until(first, { largestUnit: "days" }).days;
  for (let i = 0; i < years; i++) {
    const jan1 = Temporal.PlainDate.from({ year: FIRST_YEAR + i, month: 1, day: 1 });
    leap[i] = jan1.inLeapYear ? 1 : 0;
    yearStart[i + 1] = (yearStart[i] as number) + jan1.daysInYear;
  }
  const forYear = (year: number) => {
    const starts = new Int16Array(13);
    const lengths = new Uint8Array(13);
    const ofDay = new Uint8Array(366);
    let doy = 0;
    for (let m = 1; m <= 12; m++) {
      const length = Temporal.PlainDate.from({ year, month: m, day: 1 }).daysInMonth;
      starts[m] = doy;
      lengths[m] = length;
      ofDay.fill(m, doy, doy + length);
      doy += length;
    }
    return { starts, lengths, ofDay };
  };
  const common = forYear(2001);
  const leapYear = forYear(2000);
  return {
    yearStart,
    leap,
    monthStart: [common.starts, leapYear.starts],
    monthLength: [common.lengths, leapYear.lengths],
    monthOfDay: [common.ofDay, leapYear.ofDay],
  };
}

const t = (): Tables => (tables ??= build());

function checkYear(year: number): number {
  if (!(year >= FIRST_YEAR && year <= LAST_YEAR))
    throw new RangeError(`year ${year} is outside the calendar tables (${FIRST_YEAR}–${LAST_YEAR})`);
  return year - FIRST_YEAR;
}

/** Day number of a (valid) calendar date. */
export function dayFromParts(year: number, month: number, day: number): Day {
  const k = t();
  const i = checkYear(year);
  return (k.yearStart[i] as number) + (k.monthStart[k.leap[i] as 0 | 1][month] as number) + day - 1;
}

/** Year, month and day of a day number. */
export function partsOfDay(day: Day): { year: number; month: number; day: number } {
  const k = t();
  const i = yearIndexOf(day, k);
  const l = k.leap[i] as 0 | 1;
  const doy = day - (k.yearStart[i] as number);
  const month = k.monthOfDay[l][doy] as number;
  return { year: FIRST_YEAR + i, month, day: doy - (k.monthStart[l][month] as number) + 1 };
}

function yearIndexOf(day: Day, k: Tables): number {
  const first = k.yearStart[0] as number;
  let i = Math.floor((day - first) / 365.2425);
  if (i < 0) i = 0;
  const last = k.leap.length - 1;
  if (i > last) i = last;
  while (i < last && (k.yearStart[i + 1] as number) <= day) i++;
  while (i > 0 && (k.yearStart[i] as number) > day) i--;
  if (day < first || day >= (k.yearStart[last + 1] as number))
    throw new RangeError(`day ${day} is outside the calendar tables (${FIRST_YEAR}–${LAST_YEAR})`);
  return i;
}

/** True when year-month-day is a real date (the year within the tables). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (!(month >= 1 && month <= 12 && day >= 1)) return false;
  const k = t();
  return day <= (k.monthLength[k.leap[checkYear(year)] as 0 | 1][month] as number);
}

/** True in a leap year. */
export function isLeapYear(year: number): boolean {
  return t().leap[checkYear(year)] === 1;
}

const CHAR_0 = 48;
/** Day number of an ISO date "YYYY-MM-DD" (assumed valid: validation happens at the edges). */
export function dayOf(iso: string): Day {
  const year =
    (iso.charCodeAt(0) - CHAR_0) * 1000 +
    (iso.charCodeAt(1) - CHAR_0) * 100 +
    (iso.charCodeAt(2) - CHAR_0) * 10 +
    (iso.charCodeAt(3) - CHAR_0);
  const month = (iso.charCodeAt(5) - CHAR_0) * 10 + (iso.charCodeAt(6) - CHAR_0);
  const day = (iso.charCodeAt(8) - CHAR_0) * 10 + (iso.charCodeAt(9) - CHAR_0);
  return dayFromParts(year, month, day);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
/** The same few days recur across a pool (rounds' dates, lapse days): their ISO form is kept. */
const isoCache = new Map<Day, string>();
/** ISO date "YYYY-MM-DD" of a day number. */
export function isoOf(day: Day): string {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    const p = partsOfDay(day);
    iso = `${p.year}-${pad2(p.month)}-${pad2(p.day)}`;
    if (isoCache.size >= 100_000) isoCache.clear();
    isoCache.set(day, iso);
  }
  return iso;
}

function constrained(year: number, month: number, dayOfMonth: number): Day {
  const k = t();
  const length = k.monthLength[k.leap[checkYear(year)] as 0 | 1][month] as number;
  return dayFromParts(year, month, dayOfMonth > length ? length : dayOfMonth);
}

/** An ISO date plus a number of days. */
export function addDaysToIso(iso: string, days: number): string {
  return isoOf(dayOf(iso) + days);
}

/** `day` plus `n` years, Temporal's way: 29 February becomes 28 February in a common year. */
export function addYearsToDay(day: Day, n: number): Day {
  const p = partsOfDay(day);
  return constrained(p.year + n, p.month, p.day);
}

/** `day` plus `n` calendar months, Temporal's way (31 January + 1 month = 28 or 29 February). */
export function addMonthsToDay(day: Day, n: number): Day {
  const p = partsOfDay(day);
  const index = p.year * 12 + (p.month - 1) + n;
  const year = Math.floor(index / 12);
  return constrained(year, index - year * 12 + 1, p.day);
}

/**
 * The first day on which something dated `from` is `n` completed years old: the n-th anniversary, or
 * 1 March when the anniversary would be a 29 February that the year lacks (counted as ages are).
 */
export function anniversary(from: Day, n: number): Day {
  const p = partsOfDay(from);
  const shifted = constrained(p.year + n, p.month, p.day);
  return partsOfDay(shifted).day === p.day ? shifted : shifted + 1;
}

/** Completed years from `from` to `day` (0 when `day` is before the first anniversary, negative never). */
export function completedYearsBetween(from: Day, day: Day): number {
  if (day < from) return -1;
  const a = partsOfDay(from);
  const b = partsOfDay(day);
  let years = b.year - a.year;
  if (years > 0 && anniversary(from, years) > day) years--;
  return years;
}

/** The last day on which something dated `from` is less than `n` years old. */
export function lastDayUnder(from: Day, n: number): Day {
  return anniversary(from, n) - 1;
}

/** The next 29 February or 1 March after `day`: the days on which "N years before" moves irregularly. */
export function nextLeapSeam(day: Day): Day {
  const p = partsOfDay(day);
  for (let year = p.year; ; year++) {
    const march1 = dayFromParts(year, 3, 1);
    if (isLeapYear(year) && march1 - 1 > day) return march1 - 1;
    if (march1 > day) return march1;
  }
}
