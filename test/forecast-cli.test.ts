/** `ee forecast`: the forecast as JSON and text, and its errors with their exit codes (JSON on stderr). */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { ee, requireBuiltCli, ROOT, tempDir } from "./ee.js";

requireBuiltCli();

const SHIPPED = `${ROOT}rules/ircc-rounds.json`;
const HAS_HISTORY = existsSync(SHIPPED);

function jsonError(args: string[]) {
  const run = ee([...args, "--json"]);
  expect(run.stdout).toBe("");
  const parsed = JSON.parse(run.stderr) as { error: { exitCode: number; kind: string; message: string } };
  expect(parsed.error.exitCode).toBe(run.status);
  return parsed.error;
}

describe("ee forecast: errors", () => {
  const base = ["forecast", "--round-name", "Canadian Experience Class"];
  it("a bad --invitations is exit 2 naming the option", () => {
    for (const n of ["x", "0", "-5", "1.5", ""]) {
      const e = jsonError([...base, "--invitations", n]);
      expect(e).toMatchObject({ exitCode: 2, kind: "invalid" });
      expect(e.message).toMatch(/^--invitations: /);
    }
  });
  it("a bad --at is exit 2 naming the option", () => {
    for (const at of ["2026-02-30", "tomorrow", "2026-2-3"]) {
      const e = jsonError([...base, "--invitations", "3000", "--at", at]);
      expect(e).toMatchObject({ exitCode: 2, kind: "invalid" });
      expect(e.message).toMatch(/^--at: /);
    }
  });
  it("an unknown round name is exit 2 naming --round-name", () => {
    const e = jsonError(["forecast", "--round-name", "Astronaut occupations", "--invitations", "10"]);
    expect(e).toMatchObject({ exitCode: 2, kind: "invalid" });
    expect(e.message).toMatch(/^--round-name: unknown round name 'Astronaut occupations'; known names: /);
    if (HAS_HISTORY) expect(e.message).toContain("Canadian Experience Class");
    const text = ee(["forecast", "--round-name", "Astronaut occupations", "--invitations", "10"]);
    expect(text.status).toBe(2);
    expect(text.stderr).toMatch(/^ee: --round-name: unknown round name/);
  });
  it("a missing option is a usage error (exit 2)", () => {
    expect(jsonError(["forecast", "--invitations", "10"])).toMatchObject({ exitCode: 2 });
  });
  it("no round of the kind before the date is exit 5 (not found)", () => {
    const e = jsonError([...base, "--invitations", "3000", "--at", "2015-01-01"]);
    expect(e).toMatchObject({ exitCode: 5, kind: "not-found" });
    expect(e.message).toMatch(/no published round of the kind CEC/);
  });
});

describe.skipIf(!HAS_HISTORY)("ee forecast: forecasts (needs the shipped rules/ircc-rounds.json)", () => {
  it("prints the forecast as JSON, from the rounds before --at only", () => {
    const run = ee([
      "forecast",
      "--round-name",
      "Healthcare and Social Services Occupations, 2026-Version 3",
      "--invitations",
      "4000",
      "--at",
      "2026-06-25",
      "--json",
    ]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const f = JSON.parse(run.stdout);
    expect(f).toMatchObject({ kind: "healthcare", at: "2026-06-25", invitations: 4000 });
    // #422 of 2026-06-25 is the forecast round itself: the last known is #398 (2026-02-20, 467).
    expect(f.basedOn).toMatchObject({ lastRound: "398", lastCutoff: 467 });
    expect(f.basedOn.distributionAsOf < "2026-06-25").toBe(true);
    expect(f.low).toBeLessThanOrEqual(f.cutoff);
    expect(f.cutoff).toBeLessThanOrEqual(f.high);
    expect(typeof f.method).toBe("string");
    expect(f.backtest.rounds).toBeGreaterThan(0);
    expect(f.note === undefined).toBe(f.backtest.mae < f.backtest.naiveMae);
  });
  it("says so beside the forecast where the kind does not beat naive, in text too", () => {
    const run = ee(["forecast", "--round-name", "Canadian Experience Class", "--invitations", "3000"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Forecast for 'Canadian Experience Class' \(CEC\), 3,000 invitations on /);
    expect(run.stdout).toMatch(/cut-off \d+ +\(interval \d+–\d+\)/);
    const json = JSON.parse(
      ee(["forecast", "--round-name", "Canadian Experience Class", "--invitations", "3000", "--json"]).stdout,
    );
    expect(run.stdout.includes("note: for this kind the forecast does not beat")).toBe(
      json.note !== undefined,
    );
  });
  it("--db forecasts from the history synced there, not the shipped table", () => {
    const db = join(tempDir(), "history.sqlite");
    const sample = `${ROOT}examples/ee_rounds_123_en.sample.json`;
    expect(ee(["history", "sync", "--from", sample, "--db", db]).status).toBe(0);
    const args = ["forecast", "--round-name", "Canadian Experience Class", "--invitations", "3000"];
    const run = ee([...args, "--at", "2026-08-20", "--db", db, "--json"]);
    expect(run.status).toBe(0);
    // The sample's only CEC round is #392 (2026-01-21, 509); the shipped table has later ones.
    expect(JSON.parse(run.stdout).basedOn).toMatchObject({ lastRound: "392", lastCutoff: 509 });
    const shipped = JSON.parse(ee([...args, "--at", "2026-08-20", "--json"]).stdout);
    expect(shipped.basedOn.lastRound).not.toBe("392");
  });
});
