/**
 * Calendar dates as ISO strings "YYYY-MM-DD" (which sort lexicographically), for the edges: input,
 * output and rule data. The arithmetic is the day-number calendar's (days.ts, derived from Temporal and
 * checked against it), so a date computed from a string and one computed from a day number agree.
 */
import { Temporal } from "temporal-polyfill";
import {
  addDaysToIso,
  addMonthsToDay,
  completedYearsBetween,
  dayOf,
  FIRST_YEAR,
  isCalendarDate,
  isoOf,
  LAST_YEAR,
  lastDayUnder,
} from "./days.js";

export type IsoDate = string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

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

/** Completed years from `from` to `asOf`; someone born on 29 February completes a year on 1 March in common years. */
export function completedYears(from: IsoDate, asOf: IsoDate): number {
  return completedYearsBetween(dayOf(from), dayOf(asOf));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return addDaysToIso(date, days);
}

/**
 * The last day on which something dated `date` is less than `n` years old, in completed years — the
 * same counting as ages (a 29 February date turns n years old on 1 March in common years).
 */
export function lastDayUnderYears(date: IsoDate, n: number): IsoDate {
  return isoOf(lastDayUnder(dayOf(date), n));
}

/** `date` plus `n` calendar months, constrained to the month's last day. */
export function addMonths(date: IsoDate, n: number): IsoDate {
  return isoOf(addMonthsToDay(dayOf(date), n));
}
