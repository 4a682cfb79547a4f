/** The round instruction's instant: one definition with the CLI's (a UTC timestamp, seconds 00–59). */
import { describe, expect, it } from "vitest";
import { roundSchema } from "../src/domain/rounds/round.js";

const round = (at: string) => ({
  number: 1,
  name: "No Program Specified",
  kind: "general",
  invitations: 1,
  at,
});

describe("a round's at", () => {
  it.each([
    ["2026-02-19T14:24:23Z", "2026-02-19T14:24:23.000Z"],
    ["2026-02-19T14:24:23.5Z", "2026-02-19T14:24:23.500Z"],
  ])("%s is read as %s", (at, stored) => {
    const parsed = roundSchema.safeParse(round(at));
    expect(parsed.success && parsed.data.at).toBe(stored);
  });
  it.each([
    "2026-02-19T14:24:60Z", // a 60th second is not the 59th
    "2026-02-19 14:24:23Z",
    "2026-02-19T14Z",
    "+002026-02-19T14:24:23Z",
    "2026-02-19T14:24:23+01:00",
    "2026-02-30T14:24:23Z",
  ])("%s is refused, naming the field", (at) => {
    const parsed = roundSchema.safeParse(round(at));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["at"]);
  });
});
