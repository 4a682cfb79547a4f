/**
 * Calendar dates as ISO strings, for the edges (input, output, rule data). Rules, test dates and as-of dates are *calendar dates* (no time zone);
 * they travel as ISO strings "YYYY-MM-DD" (which sort lexicographically) and all arithmetic on them goes
 * through Temporal.PlainDate, never hand-rolled month or year math. Results are memoized because the
 * same few thousand dates recur across a pool of a million profiles and Temporal objects are costly.
 */
import { Temporal } from "temporal-polyfill";
import { FIRST_YEAR, isCalendarDate, LAST_YEAR } from "./days.js";

export type IsoDate = string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A bounded memo: cleared when full, which is cheap and good enough for recurring dates. */
function memo<T>(limit = 200_000) {
  const cache = new Map<string, T>();
  return (key: string, compute: () => T): T => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = compute();
    if (cache.size >= limit) cache.clear();
    cache.set(key, value);
    return value;
  };
}

/** True when `value` is a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const year = Number(value.slice(0, 4));
  // Within the calendar tables (derived from Temporal), a lookup; outside them, Temporal itself.
  if (year >= FIRST_YEAR && year <= LAST_YEAR)
    return isCalendarDate(year, Number(value.slice(5, 7)), Number(value.slice(8, 10)));
  try {
    Temporal.PlainDate.from(value, { overflow: "reject" });
    return true;
  } catch {
    return false;
  }
}

export function plainDate(value: IsoDate): Temporal.PlainDate {
  return Temporal.PlainDate.from(value, { overflow: "reject" });
}

const years = memo<number>();
/** Completed years from `from` to `asOf`; someone born on 29 February completes a year on 1 March in common years. */
export function completedYears(from: IsoDate, asOf: IsoDate): number {
  return years(
    `${from}|${asOf}`,
    () => plainDate(from).until(plainDate(asOf), { largestUnit: "years" }).years,
  );
}

const yearsAdded = memo<IsoDate>();
/** `date` plus `n` years (29 February becomes 28 February in common years). */
export function addYears(date: IsoDate, n: number): IsoDate {
  return yearsAdded(`${date}|${n}`, () => plainDate(date).add({ years: n }).toString());
}

const daysAdded = memo<IsoDate>();
export function addDays(date: IsoDate, days: number): IsoDate {
  return daysAdded(`${date}|${days}`, () => plainDate(date).add({ days }).toString());
}

const lastDays = memo<IsoDate>();
/**
 * The last day on which something dated `date` is less than `n` years old, in completed years — the
 * same counting as ages (a 29 February date turns n years old on 1 March in common years).
 */
export function lastDayUnderYears(date: IsoDate, n: number): IsoDate {
  return lastDays(`${date}|${n}`, () => {
    let reached = addYears(date, n);
    if (completedYears(date, reached) < n) reached = addDays(reached, 1);
    return addDays(reached, -1);
  });
}

const EPOCH = Temporal.PlainDate.from("1970-01-01");
const epochDays = memo<number>();
/** Days since 1970-01-01: an integer to do interval arithmetic on many dates cheaply. */
export function epochDay(date: IsoDate): number {
  return epochDays(date, () => EPOCH.until(plainDate(date), { largestUnit: "days" }).days);
}

const isoDays = memo<IsoDate>();
export function isoFromEpochDay(day: number): IsoDate {
  return isoDays(String(day), () => EPOCH.add({ days: day }).toString());
}

const monthsAdded = memo<IsoDate>();
export function addMonths(date: IsoDate, n: number): IsoDate {
  return monthsAdded(`${date}|${n}`, () => plainDate(date).add({ months: n }).toString());
}
