/** Field schemas shared by the questionnaire and the profile, with messages people can act on. */
import { z } from "zod";
import { isoDateSchema } from "../rules/schema.js";

/** A message for a wrong value, and "is required" for a missing one. */
export const says =
  (message: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? "is required" : message;

export const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: says(`must be one of ${values.join(", ")}`) });

export const dateField = z.string({ error: says("must be a date written YYYY-MM-DD") }).pipe(isoDateSchema);

export const flag = z.boolean({ error: says("must be true or false") });
