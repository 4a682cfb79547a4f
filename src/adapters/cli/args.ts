/** Parsers for command-line values (arguments and options): one definition of each kind of value. */
import {
  endOfOttawaDay,
  isUtcInstant,
  normalizeInstant,
  nowInstant,
  UTC_INSTANT_FORM,
} from "../../calendar/instants.js";
import { CommandError, EXIT } from "./errors.js";

/**
 * A positive whole number written plainly in decimal ("397"), for ids and round numbers. Number()
 * alone would take "0x10" as 16, "1e0" and "1.0" as 1 and " 1" as 1; those are refused, naming the
 * argument or option (`name`) and the reason.
 */
export function positiveInteger(value: string, name: string): number {
  const refuse = (reason: string): never => {
    throw new CommandError(EXIT.invalid, `${name}: ${reason} (got '${value}')`);
  };
  if (value === "") refuse("is empty; give a positive whole number such as 397");
  if (!/^\d+$/.test(value)) refuse("must be a positive whole number written with the digits 0-9 only");
  if (/^0+$/.test(value)) refuse("must be 1 or more");
  if (value.startsWith("0")) refuse("must be written without a leading 0");
  const n = Number(value);
  if (!Number.isSafeInteger(n)) refuse(`must be at most ${Number.MAX_SAFE_INTEGER}`);
  return n;
}

/** How an instant must be written, for messages (a 60th second is refused, not read as :59). */
export { UTC_INSTANT_FORM };

/**
 * An instant option in the fixed-width stored form: a UTC timestamp, or (when `dates` is allowed) a
 * date YYYY-MM-DD meaning the end of that day in Ottawa, where the rules' dates are kept. No value
 * means now.
 */
export function instantOption(value: string | undefined, name: string, { dates = true } = {}): string {
  if (value === undefined) return nowInstant();
  if (dates && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    try {
      return endOfOttawaDay(value);
    } catch {
      throw new CommandError(EXIT.invalid, `${name}: ${value} is not a real calendar date`);
    }
  }
  if (isUtcInstant(value)) return normalizeInstant(value);
  const leapSecond = /T\d{2}:\d{2}:60(\.\d+)?Z$/.test(value) ? "; a 60th second is not accepted" : "";
  throw new CommandError(
    EXIT.invalid,
    `${name}: must be ${UTC_INSTANT_FORM}${dates ? " or a date YYYY-MM-DD" : ""}${leapSecond} (got '${value}')`,
  );
}
