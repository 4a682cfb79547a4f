/**
 * The forecast reads only the history strictly before its date; the naive baseline; intervals around
 * the point; a reproducible backtest. Hand-built histories, so these run without any data file.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDaysToIso } from "../src/calendar/days.js";
import { forecastRound, runBacktest } from "../src/app/forecast-service.js";
import { backtestOf } from "../src/domain/forecast/backtest.js";
import { ForecastContext, naiveForecast } from "../src/domain/forecast/forecast.js";
import { averageInflow, knownDistributions, projectedPool } from "../src/domain/forecast/pool-model.js";
import { inflows } from "../src/domain/history/analytics.js";
import type { HistoryRound } from "../src/domain/history/round-record.js";
import { defaultRuleBook } from "../src/index.js";
import { forecastSettings } from "../src/rules/forecast-parameters.js";

const bands = defaultRuleBook().poolBands;
const settings = forecastSettings();
const LEAVES = bands.bands.filter((b) => !b.subtotalOf).map((b) => b.key);

type Kind = "general" | "CEC" | "PNP" | "healthcare";
function round(
  i: number,
  date: string,
  kind: Kind,
  invitations: number,
  cutoff: number,
  counts?: number[],
): HistoryRound {
  const bandsOf = counts ? Object.fromEntries(LEAVES.map((k, j) => [k, counts[j] ?? 0])) : undefined;
  return {
    number: String(i),
    order: i,
    date,
    at: null,
    name: kind,
    kind: kind === "general" ? "general" : kind === "healthcare" ? "category" : "program",
    ...(kind === "CEC" || kind === "PNP" ? { program: kind } : {}),
    ...(kind === "healthcare" ? { category: "healthcare", categoryVersion: "healthcare-v2" } : {}),
    invitations,
    cutoff,
    tieBreak: null,
    distribution: bandsOf ? { asOf: addDaysToIso(date, -3), bands: bandsOf } : null,
    source: "ircc",
  };
}

/** A history of rounds 2–12 days apart from 2024-01-01, most with a distribution. */
const arbHistory = fc
  .array(
    fc.record({
      gap: fc.integer({ min: 2, max: 12 }),
      kind: fc.constantFrom<Kind>("general", "CEC", "PNP", "healthcare"),
      invitations: fc.integer({ min: 200, max: 6000 }),
      cutoff: fc.integer({ min: 380, max: 800 }),
      counts: fc.option(fc.array(fc.integer({ min: 0, max: 20000 }), { minLength: 15, maxLength: 15 }), {
        freq: 5,
      }),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((rows) => {
    let date = "2024-01-01";
    return rows.map((r, i) => {
      date = addDaysToIso(date, r.gap);
      return round(i + 1, date, r.kind, r.invitations, r.cutoff, r.counts ?? undefined);
    });
  });

const request = (at: string, invitations = 3000) => ({
  roundName: "Canadian Experience Class",
  target: { kind: "CEC", class: "program" as const },
  invitations,
  at,
});

describe("naive baseline", () => {
  const h = [
    round(1, "2025-01-07", "CEC", 1000, 530),
    round(2, "2025-01-08", "PNP", 500, 750),
    round(3, "2025-01-21", "CEC", 2000, 520),
    round(4, "2025-01-22", "healthcare", 2500, 470),
  ];
  it("is the cut-off of the last round of the same kind strictly before the date", () => {
    expect(naiveForecast(h, "CEC", "2025-01-22")).toBe(520);
    expect(naiveForecast(h, "CEC", "2025-01-21")).toBe(530); // a round on the day itself is not known
    expect(naiveForecast(h, "PNP", "2025-03-01")).toBe(750);
    expect(naiveForecast(h, "healthcare", "2025-01-22")).toBeNull();
    expect(naiveForecast(h, "general", "2025-03-01")).toBeNull();
  });
  it("does not depend on the order the rounds are given in", () => {
    expect(naiveForecast([...h].reverse(), "CEC", "2025-02-01")).toBe(520);
  });
});

describe("what a forecaster knows", () => {
  it("a round's own distribution is not known on its date, only after", () => {
    const h = [
      round(
        1,
        "2025-01-07",
        "CEC",
        1000,
        530,
        LEAVES.map(() => 100),
      ),
    ];
    expect(knownDistributions(h, "2025-01-07")).toEqual([]);
    expect(knownDistributions(h, "2025-01-08").map((d) => d.asOf)).toEqual(["2025-01-04"]);
  });

  it("adding rounds on or after the date does not change the forecast", () => {
    let forecasts = 0;
    fc.assert(
      fc.property(arbHistory, arbHistory, fc.integer({ min: 0, max: 60 }), (h, later, offset) => {
        const at = addDaysToIso(h[h.length - 1]?.date ?? "2024-01-01", 1 + (offset % 5));
        const shifted = later.map((r, i) => ({
          ...r,
          number: `L${i}`,
          order: 10_000 + i,
          date: addDaysToIso(r.date, offset + 1000),
        }));
        const onTheDay = {
          ...round(
            9999,
            at,
            "CEC",
            5000,
            400,
            LEAVES.map(() => 5),
          ),
          order: 9999,
        };
        const run = (rounds: HistoryRound[]) => {
          try {
            return forecastRound(rounds, request(at), bands, settings);
          } catch (e) {
            return (e as Error).message;
          }
        };
        const alone = run(h);
        if (typeof alone !== "string") forecasts++;
        expect(run([...h, ...shifted, onTheDay])).toEqual(alone);
      }),
      { numRuns: 60 },
    );
    // Not only "no history" both times: most runs forecast.
    expect(forecasts).toBeGreaterThan(20);
  });
});

describe("the projected pool", () => {
  const flat = (n: number) => Object.fromEntries(LEAVES.map((k) => [k, n]));
  it("is the latest known snapshot plus the inflow per day since, less the invitations since", () => {
    // Snapshots of 01-05 and 01-15 (published with rounds 2 and 3); between them a PNP round took 200
    // from 601–1200, so 300 arrived there in 10 days: 30 a day.
    const d1 = round(
      1,
      "2025-01-08",
      "PNP",
      200,
      601,
      LEAVES.map(() => 1000),
    );
    const d2 = {
      ...round(2, "2025-01-18", "CEC", 100, 501),
      distribution: { asOf: "2025-01-15", bands: { ...flat(1000), dd1: 1100 } },
    };
    const later = round(3, "2025-01-20", "PNP", 50, 601);
    const h = [d1, d2, later];
    const known = inflows(h.slice(0, 2), bands);
    expect(averageInflow(known, "2025-01-15", 90).dd1).toBeCloseTo(30);
    expect(averageInflow(known, "2025-01-15", 90).dd2).toBeCloseTo(0);
    // On 01-25: 1100 + 10 days × 30 − the CEC round's share of 601–1200 − the 50 of the PNP round.
    const p = projectedPool(h, known, "2025-01-25", bands, { inflowWindowDays: 90 });
    expect(p?.basedOn.asOf).toBe("2025-01-15");
    const cecFromTop = (100 * 1400) / (1400 + 1000);
    expect(p?.counts.dd1).toBeCloseTo(1400 - cecFromTop - 50, 0);
    // On 01-18 the second snapshot is not known yet (it comes out with round 2 that day).
    expect(projectedPool(h, [], "2025-01-18", bands, { inflowWindowDays: 90 })?.basedOn.asOf).toBe(
      "2025-01-05",
    );
  });
});

describe("intervals and the backtest", () => {
  it("every forecast's interval contains its point", () => {
    fc.assert(
      fc.property(arbHistory, (h) => {
        for (const e of new ForecastContext(h, bands, settings.params).walk()) {
          expect(e.forecast.low).toBeLessThanOrEqual(e.forecast.cutoff);
          expect(e.forecast.cutoff).toBeLessThanOrEqual(e.forecast.high);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("the backtest gives the same figures twice, and its naive MAE is the naive baseline's", () => {
    fc.assert(
      fc.property(arbHistory, (h) => {
        const a = runBacktest(h, bands, { ...settings, backtestFrom: "2024-01-01" });
        const b = runBacktest([...h].reverse(), bands, { ...settings, backtestFrom: "2024-01-01" });
        expect(b.backtest).toEqual(a.backtest);
        const scored = a.entries;
        const naive = scored.reduce(
          (s, e) =>
            s + Math.abs((naiveForecast(h, e.forecast.kind, e.round.date) as number) - e.round.cutoff),
          0,
        );
        if (scored.length)
          expect(a.backtest.overall.naiveMae).toBe(Math.round((naive / scored.length) * 10) / 10);
      }),
      { numRuns: 30 },
    );
  });

  it("coverage counts the rounds within the interval", () => {
    const h = [
      round(1, "2025-01-07", "CEC", 1000, 530),
      round(2, "2025-01-21", "CEC", 1000, 520),
      round(3, "2025-02-04", "CEC", 1000, 520),
    ];
    const walk = new ForecastContext(h, bands, settings.params).walk();
    // No distribution at all: the walk has nothing to start from.
    expect(walk).toEqual([]);
    const withPool = h.map((r, i) =>
      i === 0
        ? round(
            1,
            r.date,
            "CEC",
            1000,
            530,
            LEAVES.map(() => 1000),
          )
        : r,
    );
    const figures = backtestOf(new ForecastContext(withPool, bands, settings.params).walk(), "2025-01-01");
    // Round 2: naive 530, no earlier errors, so the interval is the point: outside. Round 3: naive 520.
    expect(figures.overall).toEqual({ rounds: 2, mae: 5, naiveMae: 5, coverage: 0.5 });
  });
});
