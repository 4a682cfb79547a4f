import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { replay } from "../bench/replay.js";
import { shippedHistory } from "../src/adapters/history/shipped-history.js";
import { validateProfile } from "../src/domain/eligibility/report.js";
import { profileSchema } from "../src/domain/profile/profile.js";
import { generatePool } from "../src/domain/synthetic/generate.js";
import { nearestDistribution, sharesFor } from "../src/domain/synthetic/pool.js";
import { disjointBands } from "../src/domain/synthetic/target.js";
import { defaultRuleBook } from "../src/rules/index.js";
import { ee, requireBuiltCli } from "./ee.js";

const book = defaultRuleBook();
const rounds = shippedHistory();
const distribution = nearestDistribution(rounds, "2026-02-19");
if (!distribution) throw new Error("the shipped history has no distribution near 2026-02-19");
const shares = sharesFor(rounds, distribution.asOf, book.poolBands);
const generate = (size: number, seed: number) => [
  ...generatePool({ distribution, size, seed, shares, book }),
];

describe("synthetic pools", () => {
  it("fill every published band within 0.5 points of its share, whatever the seed", () => {
    const total = distribution.bands.dd18 as number;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const size = 400;
        const pool = generate(size, seed);
        expect(pool).toHaveLength(size);
        for (const b of disjointBands(book.poolBands)) {
          const got = pool.filter((g) => g.band === b.key).length / size;
          expect(Math.abs(got - (distribution.bands[b.key] as number) / total), b.key).toBeLessThanOrEqual(
            0.005,
          );
          // The band is the engine's CRS, not a label.
          for (const g of pool.filter((p) => p.band === b.key)) {
            expect(g.evaluation.crs).toBeGreaterThanOrEqual(b.from);
            expect(g.evaluation.crs).toBeLessThanOrEqual(b.to);
          }
        }
      }),
      { numRuns: 3 },
    );
  });

  it("is deterministic for a seed and gives valid profiles in the pool on the date", () => {
    const a = generate(200, 11).map((g) => g.profile);
    expect(generate(200, 11).map((g) => g.profile)).toEqual(a);
    expect(generate(200, 12).map((g) => g.profile)).not.toEqual(a);
    for (const p of a) {
      const parsed = profileSchema.safeParse(JSON.parse(JSON.stringify(p)));
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      expect(p.submittedAt < `${distribution.asOf}T00:00:00Z`).toBe(true);
    }
  });

  it("gives only profiles the import accepts (seed 1 of 20,000: profile 4,701 once had a job ending before it began)", () => {
    const bad: string[] = [];
    let n = 0;
    for (const g of generatePool({ distribution, size: 20_000, seed: 1, shares, book })) {
      if (++n > 4_800) break;
      const v = validateProfile(JSON.parse(JSON.stringify(g.profile)), book);
      if (v.status !== "ok") bad.push(`${n}: ${JSON.stringify(v.errors)}`);
    }
    expect(bad).toEqual([]);
  }, 60_000);

  it("replays two CEC rounds within 20 points of the published cut-off", () => {
    const rows = replay(rounds, {
      scale: 0.02,
      from: "2026-01-01",
      to: "2026-12-31",
      numbers: ["396", "400"],
    });
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(Math.abs(r.error ?? Infinity), `round ${r.round}`).toBeLessThanOrEqual(20);
  }, 60_000);
});

describe("ee pool generate", () => {
  requireBuiltCli();
  const dir = mkdtempSync(join(tmpdir(), "ee-generate-"));

  it("writes JSON lines that pool import reads", () => {
    const out = join(dir, "pool.jsonl");
    const run = ee([
      "pool",
      "generate",
      "--like",
      "2026-02-19",
      "--size",
      "50",
      "--seed",
      "3",
      "--out",
      out,
      "--json",
    ]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ generated: 50, distributionAsOf: distribution.asOf });
    expect(readFileSync(out, "utf8").trim().split("\n")).toHaveLength(50);
    const db = join(dir, "pool.sqlite");
    expect(ee(["pool", "import", out, "--db", db]).status).toBe(0);
    const stdout = ee(["pool", "generate", "--like", "2026-02-19", "--size", "50", "--seed", "3"]).stdout;
    expect(stdout).toBe(readFileSync(out, "utf8"));
  });

  it.each([
    [["--like", "2026-02-30", "--size", "5", "--seed", "1"], "--like"],
    [["--like", "2010-01-01", "--size", "5", "--seed", "1"], "--like"],
    [["--like", "2026-02-19", "--size", "0", "--seed", "1"], "--size"],
    [["--like", "2026-02-19", "--size", "5", "--seed", "x"], "--seed"],
  ])("refuses %j naming the option, exit 2, nothing written", (args, option) => {
    const out = join(dir, "bad.jsonl");
    const run = ee(["pool", "generate", ...args, "--out", out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(option);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses an unwritable --out with exit 2", () => {
    const run = ee([
      "pool",
      "generate",
      "--like",
      "2026-02-19",
      "--size",
      "5",
      "--seed",
      "1",
      "--out",
      join(dir, "no/such/dir/x.jsonl"),
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--out");
    rmSync(dir, { recursive: true, force: true });
  });
});
