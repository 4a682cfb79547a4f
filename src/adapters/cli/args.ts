/** Parsers for command-line values (arguments and options): one definition of each kind of value. */
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
