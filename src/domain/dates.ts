/**
 * Calendar dates for the rules. Rules, test dates and as-of dates are *calendar dates* (no time zone);
 * they travel as ISO strings "YYYY-MM-DD" (which sort lexicographically) and all arithmetic on them goes
 * through Temporal.PlainDate, never hand-rolled month or year math.
 */
import { Temporal } from "temporal-polyfill";

export type IsoDate = string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True when `value` is a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
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

/** Completed years from `from` to `asOf`; someone born on 29 February completes a year on 1 March in common years. */
export function completedYears(from: IsoDate, asOf: IsoDate): number {
  return plainDate(from).until(plainDate(asOf), { largestUnit: "years" }).years;
}

export function addYears(date: IsoDate, years: number): IsoDate {
  return plainDate(date).add({ years }).toString();
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return plainDate(date).add({ days }).toString();
}

/** Today's date in Ottawa: the rules' effective dates are Canadian (Eastern) calendar dates. */
export function todayInOttawa(): IsoDate {
  return Temporal.Now.plainDateISO("America/Toronto").toString();
}
