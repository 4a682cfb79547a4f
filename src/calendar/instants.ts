/**
 * UTC instants (stored and compared in one fixed-width form) and the Ottawa calendar date of an
 * instant: the rules' effective dates are Canadian (Eastern) dates, so a round or a profile's
 * submission is judged on its Ottawa date.
 */
import { Temporal } from "temporal-polyfill";
import { dayFromParts, type Day, isoOf } from "./days.js";
import { addMonths, isIsoDate } from "./dates.js";

const SIMPLE_INSTANT = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;
/** An ISO instant with an explicit UTC offset "Z", seconds 00–59 (no leap second), optional fraction. */
/** The whole-second and the stored (milliseconds) forms, read without Temporal. */
const FIXED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?Z$/;

/** How instants are to be written, for messages. */
export const UTC_INSTANT_FORM = "a UTC timestamp like 2026-02-19T14:24:23Z (seconds 00-59)";

/** True for a real UTC instant written like 2026-02-19T14:24:23Z (a fraction of a second may follow). */
export function isUtcInstant(value: string): boolean {
  if (!UTC_INSTANT.test(value) || !isIsoDate(value.slice(0, 10))) return false;
  try {
    Temporal.Instant.from(value);
    return true;
  } catch {
    return false;
  }
}

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
/** The last second of a date (YYYY-MM-DD, checked by the caller) in Ottawa, where the rules' dates are kept. */
export function endOfOttawaDay(date: string): string {
  return normalizeInstant(
    Temporal.PlainDate.from(date, { overflow: "reject" })
      .toZonedDateTime({ timeZone: "America/Toronto", plainTime: "23:59:59" })
      .toInstant()
      .toString(),
  );
}

export function todayInOttawa(): string {
  return Temporal.Now.plainDateISO("America/Toronto").toString();
}

const OTTAWA = "America/Toronto";
const MS_PER_DAY = 86_400_000;

/**
 * Ottawa's UTC offset by year, read from Temporal's time zone data on first use of each year: for each
 * year, the transition instants (ms) and the offset (ms) in force from each on.
 */
const offsetsByYear = new Map<number, { from: number[]; offset: number[] }>();

function ottawaOffsetsOf(year: number) {
  let o = offsetsByYear.get(year);
  if (o) return o;
  let z = Temporal.ZonedDateTime.from({ timeZone: OTTAWA, year, month: 1, day: 1 });
  const end = Temporal.ZonedDateTime.from({
    timeZone: OTTAWA,
    year: year + 1,
    month: 1,
    day: 2,
  }).epochMilliseconds;
  o = { from: [Number.NEGATIVE_INFINITY], offset: [z.offsetNanoseconds / 1e6] };
  for (;;) {
    const next = z.getTimeZoneTransition("next");
    if (!next || next.epochMilliseconds >= end) break;
    o.from.push(next.epochMilliseconds);
    o.offset.push(next.offsetNanoseconds / 1e6);
    z = next;
  }
  offsetsByYear.set(year, o);
  return o;
}

/** The Ottawa day number of an instant given in epoch milliseconds. */
export function ottawaDayOfMs(ms: number): Day {
  // Ottawa is 4 or 5 hours behind UTC: its year is that of UTC minus half a day, give or take.
  const { from, offset } = ottawaOffsetsOf(new Date(ms - 12 * 3_600_000).getUTCFullYear());
  let k = 0;
  for (let i = 1; i < from.length; i++) if ((from[i] as number) <= ms) k = i;
  return Math.floor((ms + (offset[k] as number)) / MS_PER_DAY);
}

/** Epoch milliseconds of a UTC instant string (any form Temporal reads). */
export function instantMs(instant: string): number {
  if (FIXED_INSTANT.test(instant)) {
    const day = dayFromParts(
      Number(instant.slice(0, 4)),
      Number(instant.slice(5, 7)),
      Number(instant.slice(8, 10)),
    );
    const seconds =
      Number(instant.slice(11, 13)) * 3600 +
      Number(instant.slice(14, 16)) * 60 +
      Number(instant.slice(17, 19));
    const millis = instant.length === 24 ? Number(instant.slice(20, 23)) : 0;
    return day * MS_PER_DAY + seconds * 1000 + millis;
  }
  return Temporal.Instant.from(instant).epochMilliseconds;
}

/** The Ottawa day number of a UTC instant. */
export function ottawaDay(instant: string): Day {
  return ottawaDayOfMs(instantMs(instant));
}

/** The Ottawa calendar date of a UTC instant: rules and ages are judged on that day. */
export function ottawaDate(instant: string): string {
  return isoOf(ottawaDay(instant));
}
