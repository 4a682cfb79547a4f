/**
 * Integers on the command line: ids and round numbers are plain positive decimals, parsed by one
 * function (src/adapters/cli/args.ts) for every argument and option that takes one.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { positiveInteger } from "../src/adapters/cli/args.js";
import { CommandError } from "../src/adapters/cli/errors.js";
import { ee, requireBuiltCli, tempDir } from "./ee.js";

requireBuiltCli();

const DIGITS = "must be a positive whole number written with the digits 0-9 only";
const REFUSED: [string, string][] = [
  ["0x1", DIGITS],
  ["1e0", DIGITS],
  [" 1", DIGITS],
  ["1 ", DIGITS],
  ["1.0", DIGITS],
  ["-1", DIGITS],
  ["+1", DIGITS],
  ["1_000", DIGITS],
  ["\uff19", DIGITS], // a full-width 9
  ["0", "must be 1 or more"],
  ["000", "must be 1 or more"],
  ["01", "must be written without a leading 0"],
  ["", "is empty; give a positive whole number such as 397"],
  ["9007199254740993", "must be at most 9007199254740991"],
];

describe("positiveInteger", () => {
  it.each(["1", "12", "397", "9007199254740991"])("reads %j", (value) => {
    expect(positiveInteger(value, "ID")).toBe(Number(value));
  });

  it.each(REFUSED)("refuses %j, naming the option and the reason", (value, reason) => {
    let error: unknown;
    try {
      positiveInteger(value, "--number");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CommandError);
    expect(error).toMatchObject({ exitCode: 2, message: `--number: ${reason} (got '${value}')` });
  });
});

describe("every id and round number of the CLI goes through it (exit 2, nothing stored)", () => {
  const db = join(tempDir(), "pool.sqlite");
  const round = (number: string, invitations: string) => [
    "round",
    "run",
    "--number",
    number,
    "--name",
    "Physicians with Canadian Work Experience, 2026-Version 1",
    "--kind",
    "category",
    "--invitations",
    invitations,
    "--at",
    "2026-02-19T14:24:23Z",
  ];

  it.each([
    [
      ["ita", "accept", "0x1"],
      "ID: must be a positive whole number written with the digits 0-9 only (got '0x1')",
    ],
    [
      ["ita", "decline", "1.0"],
      "ID: must be a positive whole number written with the digits 0-9 only (got '1.0')",
    ],
    [["ita", "list", "0"], "ROUND: must be 1 or more (got '0')"],
    [
      ["round", "show", " 1"],
      "N: must be a positive whole number written with the digits 0-9 only (got ' 1')",
    ],
    [
      round("0x10", "5"),
      "--number: must be a positive whole number written with the digits 0-9 only (got '0x10')",
    ],
    [
      round("1e0", "5"),
      "--number: must be a positive whole number written with the digits 0-9 only (got '1e0')",
    ],
    [
      round("16", "-1"),
      "--invitations: must be a positive whole number written with the digits 0-9 only (got '-1')",
    ],
    [round("16", ""), "--invitations: is empty; give a positive whole number such as 397 (got '')"],
  ])("ee %j", (args, message) => {
    const run = ee([...args, "--db", db]);
    expect(run.stderr).toBe(`ee: ${message}\n`);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(existsSync(db), "a database was created").toBe(false);
  });
});
