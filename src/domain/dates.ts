/**
 * Calendar dates for the rules. Rules, test dates and as-of dates are *calendar dates* (no time zone);
 * they travel as ISO strings "YYYY-MM-DD" (which sort lexicographically) and all arithmetic on them goes
 * through Temporal.PlainDate, never hand-rolled month or year math. Results are memoized because the
 * same few thousand dates recur across a pool of a million profiles and Temporal objects are costly.
 */
import { Temporal } from "temporal-polyfill";

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

const validDates = memo<boolean>();
/** True when `value` is a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  return validDates(value, () => {
    try {
      Temporal.PlainDate.from(value, { overflow: "reject" });
      return true;
    } catch {
      return false;
    }
  });
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

const SIMPLE_INSTANT = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;

/**
 * A UTC instant in one fixed-width form, "2026-01-03T03:25:14.000Z" (milliseconds; finer digits are
 * truncated), so stored instants compare correctly as strings. The common whole-second form is
 * converted without building a Temporal object.
 */
export function normalizeInstant(value: string): string {
  const m = SIMPLE_INSTANT.exec(value);
  if (m && isIsoDate(m[1] as string)) return `${value.slice(0, 19)}.000Z`;
  return Temporal.Instant.from(value).toString({ fractionalSecondDigits: 3, roundingMode: "trunc" });
}

/** An instant as IRCC writes it: whole seconds when there is no fraction ("2026-01-03T03:25:14Z"). */
export function displayInstant(value: string): string {
  return value.endsWith(".000Z") ? `${value.slice(0, 19)}Z` : value;
}

/** An instant plus a number of hours (e.g. an invitation's 60 days), in the fixed-width form. */
export function addHoursToInstant(instant: string, hours: number): string {
  return normalizeInstant(Temporal.Instant.from(instant).add({ hours }).toString());
}

/** The current instant in the fixed-width form. */
export function nowInstant(): string {
  return normalizeInstant(Temporal.Now.instant().toString());
}

/** A UTC instant plus calendar months (UTC has no daylight saving, so the time of day is kept). */
export function addMonthsToInstant(instant: string, months: number): string {
  const canonical = normalizeInstant(instant);
  return `${addMonths(canonical.slice(0, 10), months)}${canonical.slice(10)}`;
}

/** Today's date in Ottawa: the rules' effective dates are Canadian (Eastern) calendar dates. */
export function todayInOttawa(): IsoDate {
  return Temporal.Now.plainDateISO("America/Toronto").toString();
}
