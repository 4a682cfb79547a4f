/**
 * Language test → CLB/NCLC charts, checked against the reference text
 * (/work/shared/reference/express-entry-rules.md, section 2), not against the rule data files.
 *
 * Every expected threshold below is transcribed by hand from that text, keeping its column order
 * (Reading, Writing, Listening, Speaking), so that a data-entry slip in rules/language-tests/*.json
 * shows up as a failing row here.
 */
import { describe, expect, it } from "vitest";
import { convertLanguageResult, defaultRuleBook } from "../src/index.js";
import { line, pointsOf, scoreOf } from "./helpers.js";

type Ability = "speaking" | "listening" | "reading" | "writing";
type TestCode = "IELTS" | "CELPIP" | "PTE_CORE" | "TEF" | "TCF";
type Scores = Record<Ability, number>;

const ABILITIES: readonly Ability[] = ["speaking", "listening", "reading", "writing"];
const CLB_ROWS = [4, 5, 6, 7, 8, 9, 10] as const;

const book = defaultRuleBook();

function convert(test: TestCode, date: string, scores: Scores, asOf: string) {
  return convertLanguageResult({ test, date, ...scores }, asOf, book);
}

/** The converted result; fails the test with the problems if the conversion did not succeed. */
function converted(test: TestCode, date: string, scores: Scores, asOf: string) {
  const outcome = convert(test, date, scores, asOf);
  if (!outcome.ok)
    throw new Error(
      `expected ${test} ${JSON.stringify(scores)} to convert: ${JSON.stringify(outcome.problems)}`,
    );
  return outcome.result;
}

// ---------------------------------------------------------------------------------------------------
// Reference tables (transcribed from the rules text, §2.1–2.6)
// ---------------------------------------------------------------------------------------------------

/** One row of a "minimum score for the CLB" table, in the reference's column order. */
interface MinRow {
  clb: number;
  reading: number;
  writing: number;
  listening: number;
  speaking: number;
}

/** One row of a "score range per NCLC" table, in the reference's column order. */
interface RangeRow {
  clb: number;
  reading: [number, number];
  writing: [number, number];
  listening: [number, number];
  speaking: [number, number];
}

/** §2.1 CELPIP-General: level = CLB for 4–9; 10, 11, 12 → CLB 10. */
const CELPIP_MIN: MinRow[] = CLB_ROWS.map((clb) => ({
  clb,
  reading: clb,
  writing: clb,
  listening: clb,
  speaking: clb,
}));

/** §2.2 IELTS General Training (minimum band). */
const IELTS_MIN: MinRow[] = [
  { clb: 10, reading: 8.0, writing: 7.5, listening: 8.5, speaking: 7.5 },
  { clb: 9, reading: 7.0, writing: 7.0, listening: 8.0, speaking: 7.0 },
  { clb: 8, reading: 6.5, writing: 6.5, listening: 7.5, speaking: 6.5 },
  { clb: 7, reading: 6.0, writing: 6.0, listening: 6.0, speaking: 6.0 },
  { clb: 6, reading: 5.0, writing: 5.5, listening: 5.5, speaking: 5.5 },
  { clb: 5, reading: 4.0, writing: 5.0, listening: 5.0, speaking: 5.0 },
  { clb: 4, reading: 3.5, writing: 4.0, listening: 4.5, speaking: 4.0 },
];

/** §2.3 PTE Core (minimum score). */
const PTE_CORE_MIN: MinRow[] = [
  { clb: 10, reading: 88, writing: 90, listening: 89, speaking: 89 },
  { clb: 9, reading: 78, writing: 88, listening: 82, speaking: 84 },
  { clb: 8, reading: 69, writing: 79, listening: 71, speaking: 76 },
  { clb: 7, reading: 60, writing: 69, listening: 60, speaking: 68 },
  { clb: 6, reading: 51, writing: 60, listening: 50, speaking: 59 },
  { clb: 5, reading: 42, writing: 51, listening: 39, speaking: 51 },
  { clb: 4, reading: 33, writing: 41, listening: 28, speaking: 42 },
];

/** §2.4 TEF Canada, new scale (tests on/after 2023-12-11), minimum score. */
const TEF_NEW_MIN: MinRow[] = [
  { clb: 10, reading: 546, writing: 558, listening: 546, speaking: 556 },
  { clb: 9, reading: 503, writing: 512, listening: 503, speaking: 518 },
  { clb: 8, reading: 462, writing: 472, listening: 462, speaking: 494 },
  { clb: 7, reading: 434, writing: 428, listening: 434, speaking: 456 },
  { clb: 6, reading: 393, writing: 379, listening: 393, speaking: 422 },
  { clb: 5, reading: 352, writing: 330, listening: 352, speaking: 387 },
  { clb: 4, reading: 306, writing: 268, listening: 306, speaking: 328 },
];

/** §2.5 TEF Canada, old scale (tests before 2023-12-11), score ranges. */
const TEF_OLD_RANGES: RangeRow[] = [
  { clb: 10, reading: [263, 300], writing: [393, 450], listening: [316, 360], speaking: [393, 450] },
  { clb: 9, reading: [248, 262], writing: [371, 392], listening: [298, 315], speaking: [371, 392] },
  { clb: 8, reading: [233, 247], writing: [349, 370], listening: [280, 297], speaking: [349, 370] },
  { clb: 7, reading: [207, 232], writing: [310, 348], listening: [249, 279], speaking: [310, 348] },
  { clb: 6, reading: [181, 206], writing: [271, 309], listening: [217, 248], speaking: [271, 309] },
  { clb: 5, reading: [151, 180], writing: [226, 270], listening: [181, 216], speaking: [226, 270] },
  { clb: 4, reading: [121, 150], writing: [181, 225], listening: [145, 180], speaking: [181, 225] },
];

/** §2.6 TCF Canada, score ranges. */
const TCF_RANGES: RangeRow[] = [
  { clb: 10, reading: [549, 699], writing: [16, 20], listening: [549, 699], speaking: [16, 20] },
  { clb: 9, reading: [524, 548], writing: [14, 15], listening: [523, 548], speaking: [14, 15] },
  { clb: 8, reading: [499, 523], writing: [12, 13], listening: [503, 522], speaking: [12, 13] },
  { clb: 7, reading: [453, 498], writing: [10, 11], listening: [458, 502], speaking: [10, 11] },
  { clb: 6, reading: [406, 452], writing: [7, 9], listening: [398, 457], speaking: [7, 9] },
  { clb: 5, reading: [375, 405], writing: [6, 6], listening: [369, 397], speaking: [6, 6] },
  { clb: 4, reading: [342, 374], writing: [4, 5], listening: [331, 368], speaking: [4, 5] },
];

// ---------------------------------------------------------------------------------------------------
// Charts under test
// ---------------------------------------------------------------------------------------------------

interface ChartCase {
  name: string;
  test: TestCode;
  /** A test date that selects this chart, and an as-of date on which that result is still valid. */
  date: string;
  asOf: string;
  /** Smallest difference between two scores on the scale. */
  step: number;
  /** Top of the scale per ability (always maps to CLB 10). */
  top: Scores;
  /** Band minimum per CLB row. */
  minimums: Record<number, Scores>;
  /** Band maximum per CLB row, where the reference gives ranges. */
  ranges?: Record<number, Scores>;
  /** Whether the chosen chart should be the old TEF chart ("before" in its id). */
  chartIdHasBefore?: boolean;
}

const perAbility = (f: (a: Ability) => number): Scores => ({
  speaking: f("speaking"),
  listening: f("listening"),
  reading: f("reading"),
  writing: f("writing"),
});
const minimumsOf = (rows: MinRow[]): Record<number, Scores> =>
  Object.fromEntries(rows.map((r) => [r.clb, perAbility((a) => r[a])]));
const rangeMinimumsOf = (rows: RangeRow[]): Record<number, Scores> =>
  Object.fromEntries(rows.map((r) => [r.clb, perAbility((a) => r[a][0])]));
const rangeMaximumsOf = (rows: RangeRow[]): Record<number, Scores> =>
  Object.fromEntries(rows.map((r) => [r.clb, perAbility((a) => r[a][1])]));
const same = (n: number): Scores => perAbility(() => n);

const CHARTS: ChartCase[] = [
  {
    name: "IELTS General Training",
    test: "IELTS",
    date: "2025-06-01",
    asOf: "2025-06-02",
    step: 0.5,
    top: same(9),
    minimums: minimumsOf(IELTS_MIN),
  },
  {
    name: "CELPIP-General",
    test: "CELPIP",
    date: "2025-06-01",
    asOf: "2025-06-02",
    step: 1,
    top: same(12),
    minimums: minimumsOf(CELPIP_MIN),
  },
  {
    name: "PTE Core",
    test: "PTE_CORE",
    date: "2025-06-01",
    asOf: "2025-06-02",
    step: 1,
    top: same(90),
    minimums: minimumsOf(PTE_CORE_MIN),
  },
  {
    name: "TEF Canada (new scale)",
    test: "TEF",
    date: "2025-06-01",
    asOf: "2025-06-02",
    step: 1,
    top: same(699),
    minimums: minimumsOf(TEF_NEW_MIN),
    chartIdHasBefore: false,
  },
  {
    name: "TEF Canada (old scale)",
    test: "TEF",
    date: "2023-06-01",
    asOf: "2023-06-02",
    step: 1,
    top: { speaking: 450, listening: 360, reading: 300, writing: 450 },
    minimums: rangeMinimumsOf(TEF_OLD_RANGES),
    ranges: rangeMaximumsOf(TEF_OLD_RANGES),
    chartIdHasBefore: true,
  },
  {
    name: "TCF Canada",
    test: "TCF",
    date: "2025-06-01",
    asOf: "2025-06-02",
    step: 1,
    top: { speaking: 20, listening: 699, reading: 699, writing: 20 },
    minimums: rangeMinimumsOf(TCF_RANGES),
    ranges: rangeMaximumsOf(TCF_RANGES),
  },
];

interface ScoreCase {
  ability: Ability;
  score: number;
  clb: number;
  why: string;
}

function bandCases(chart: ChartCase): ScoreCase[] {
  const cases: ScoreCase[] = [];
  for (const ability of ABILITIES) {
    for (const clb of CLB_ROWS) {
      const min = chart.minimums[clb]?.[ability];
      if (min === undefined) throw new Error(`${chart.name}: no CLB ${clb} row`);
      cases.push({ ability, score: min, clb, why: `minimum of CLB ${clb}` });
      cases.push({
        ability,
        score: min - chart.step,
        clb: clb === 4 ? 0 : clb - 1,
        why: `just below CLB ${clb}`,
      });
      const max = chart.ranges?.[clb]?.[ability];
      if (max !== undefined) cases.push({ ability, score: max, clb, why: `top of the CLB ${clb} range` });
    }
    cases.push({ ability, score: chart.top[ability], clb: 10, why: "top of the scale" });
  }
  return cases;
}

/** A valid record for the chart (every ability at its CLB 7 minimum) with one ability replaced. */
function scoresWith(chart: ChartCase, ability: Ability, score: number): Scores {
  const base = chart.minimums[7];
  if (!base) throw new Error(`${chart.name}: no CLB 7 row`);
  return { ...base, [ability]: score };
}

// ---------------------------------------------------------------------------------------------------
// 1. Every chart, every ability, every band boundary
// ---------------------------------------------------------------------------------------------------

describe.each(CHARTS)("$name: score → CLB/NCLC", (chart) => {
  it.each(bandCases(chart))("$ability $score ($why) → CLB $clb", ({ ability, score, clb }) => {
    const result = converted(chart.test, chart.date, scoresWith(chart, ability, score), chart.asOf);
    expect(result.clb[ability]).toBe(clb);
  });

  if (chart.chartIdHasBefore !== undefined) {
    it(`uses the ${chart.chartIdHasBefore ? "old" : "new"} TEF chart for a test dated ${chart.date}`, () => {
      const result = converted(chart.test, chart.date, chart.minimums[7] as Scores, chart.asOf);
      expect(result.chart.id.includes("before")).toBe(chart.chartIdHasBefore);
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// 2. TEF: the chart is chosen by the test date (cut-over 2023-12-11)
// ---------------------------------------------------------------------------------------------------

describe("TEF Canada chart selection by test date", () => {
  // Old scale: all four are at the bottom of NCLC 10 (§2.5).
  // New scale (§2.4): speaking 450 → 6 (422–455), listening 316 → 4 (306–351),
  // reading 263 → below 4 (< 306), writing 393 → 6 (379–427).
  const scores: Scores = { speaking: 450, listening: 316, reading: 263, writing: 393 };
  const asOf = "2024-01-15";

  it("a test dated 2023-12-10 (the day before the cut-over) uses the old chart", () => {
    const result = converted("TEF", "2023-12-10", scores, asOf);
    expect(result.chart.id).toContain("before");
    expect(result.clb).toEqual({ speaking: 10, listening: 10, reading: 10, writing: 10 });
  });

  it("a test dated 2023-12-11 (the cut-over day) uses the new chart", () => {
    const result = converted("TEF", "2023-12-11", scores, asOf);
    expect(result.chart.id).not.toContain("before");
    expect(result.clb).toEqual({ speaking: 6, listening: 4, reading: 0, writing: 6 });
  });

  it("reading 500 is off the old scale (0–300) but NCLC 8 on the new one", () => {
    const withReading500 = { ...scores, reading: 500 };
    const old = convert("TEF", "2023-12-10", withReading500, asOf);
    expect(old.ok).toBe(false);
    if (!old.ok)
      expect(old.problems).toContainEqual(expect.objectContaining({ field: "reading", kind: "invalid" }));
    expect(converted("TEF", "2023-12-11", withReading500, asOf).clb.reading).toBe(8);
  });
});

// ---------------------------------------------------------------------------------------------------
// 3. Validity: two years from the test date
// ---------------------------------------------------------------------------------------------------

describe("result validity", () => {
  const ielts: Scores = { speaking: 7, listening: 8, reading: 7, writing: 7 };

  it.each([
    // Test dated D is valid through D + 2 years − 1 day.
    { date: "2024-03-15", asOf: "2024-03-15", validUntil: "2026-03-14" },
    { date: "2024-03-15", asOf: "2026-03-14", validUntil: "2026-03-14" },
    // Leap day: "two or more years old" is counted in completed years, as ages are (MI 2017-1 s.3(4));
    // a 29 February date completes two years on 1 March 2026, so 28 February is still valid.
    { date: "2024-02-29", asOf: "2026-02-28", validUntil: "2026-02-28" },
  ])("a test dated $date is still valid on $asOf (valid until $validUntil)", ({ date, asOf, validUntil }) => {
    const result = converted("IELTS", date, ielts, asOf);
    expect(result.validUntil).toBe(validUntil);
    expect(result.clb).toEqual({ speaking: 9, listening: 9, reading: 9, writing: 9 });
  });

  it.each([
    { date: "2024-03-15", asOf: "2026-03-15" },
    { date: "2024-03-15", asOf: "2027-01-01" },
    { date: "2024-02-29", asOf: "2026-03-01" },
  ])("a test dated $date has expired on $asOf", ({ date, asOf }) => {
    const outcome = convert("IELTS", date, ielts, asOf);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toHaveLength(1);
    expect(outcome.problems[0]).toMatchObject({ field: "date", kind: "not-scorable" });
    expect(outcome.problems[0]?.message).toMatch(/expired/);
  });

  it.each([
    { test: "IELTS" as const, date: "2025-06-02", asOf: "2025-06-01" },
    { test: "CELPIP" as const, date: "2026-01-01", asOf: "2025-12-31" },
  ])("a $test test dated $date, after the as-of date $asOf, is not scorable", ({ test, date, asOf }) => {
    const scores = test === "IELTS" ? ielts : same(9);
    const outcome = convert(test, date, scores, asOf);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toContainEqual(expect.objectContaining({ field: "date", kind: "not-scorable" }));
    expect(outcome.problems.every((p) => p.kind === "not-scorable")).toBe(true);
  });

  it("a test taken on the as-of date itself is scorable", () => {
    expect(converted("IELTS", "2025-06-01", ielts, "2025-06-01").validUntil).toBe("2027-05-31");
  });
});

// ---------------------------------------------------------------------------------------------------
// 4. PTE Core is accepted from 2024-01-30
// ---------------------------------------------------------------------------------------------------

describe("PTE Core acceptance date", () => {
  const pte: Scores = { speaking: 89, listening: 89, reading: 88, writing: 90 };

  it.each([
    { date: "2024-01-29", asOf: "2024-01-29" },
    { date: "2024-01-15", asOf: "2024-01-29" },
  ])("is not scorable as of $asOf (test dated $date)", ({ date, asOf }) => {
    const outcome = convert("PTE_CORE", date, pte, asOf);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toContainEqual(expect.objectContaining({ field: "test", kind: "not-scorable" }));
  });

  it("is scorable as of 2024-01-30 for a test dated 2024-01-30", () => {
    const result = converted("PTE_CORE", "2024-01-30", pte, "2024-01-30");
    expect(result.clb).toEqual({ speaking: 10, listening: 10, reading: 10, writing: 10 });
    expect(result.validUntil).toBe("2026-01-29");
  });
});

// ---------------------------------------------------------------------------------------------------
// 5. Scores off the scale are invalid, naming the ability
// ---------------------------------------------------------------------------------------------------

describe("scores off the scale", () => {
  const valid: Record<string, Scores> = {
    IELTS: same(7),
    CELPIP: same(7),
    PTE_CORE: same(70),
    TEF_NEW: same(450),
    TEF_OLD: same(250),
    TCF: { speaking: 10, listening: 450, reading: 450, writing: 10 },
  };

  it.each([
    { test: "IELTS" as const, chart: "IELTS", date: "2025-06-01", ability: "speaking" as const, score: 7.3 },
    { test: "IELTS" as const, chart: "IELTS", date: "2025-06-01", ability: "reading" as const, score: 9.5 },
    {
      test: "IELTS" as const,
      chart: "IELTS",
      date: "2025-06-01",
      ability: "listening" as const,
      score: -0.5,
    },
    { test: "CELPIP" as const, chart: "CELPIP", date: "2025-06-01", ability: "writing" as const, score: 13 },
    {
      test: "CELPIP" as const,
      chart: "CELPIP",
      date: "2025-06-01",
      ability: "speaking" as const,
      score: 7.5,
    },
    {
      test: "CELPIP" as const,
      chart: "CELPIP",
      date: "2025-06-01",
      ability: "listening" as const,
      score: -1,
    },
    {
      test: "PTE_CORE" as const,
      chart: "PTE_CORE",
      date: "2025-06-01",
      ability: "listening" as const,
      score: 9,
    },
    {
      test: "PTE_CORE" as const,
      chart: "PTE_CORE",
      date: "2025-06-01",
      ability: "reading" as const,
      score: 91,
    },
    {
      test: "PTE_CORE" as const,
      chart: "PTE_CORE",
      date: "2025-06-01",
      ability: "writing" as const,
      score: 70.5,
    },
    { test: "TEF" as const, chart: "TEF_NEW", date: "2025-06-01", ability: "speaking" as const, score: 700 },
    { test: "TEF" as const, chart: "TEF_NEW", date: "2025-06-01", ability: "reading" as const, score: -1 },
    { test: "TEF" as const, chart: "TEF_OLD", date: "2023-06-01", ability: "reading" as const, score: 301 },
    { test: "TEF" as const, chart: "TEF_OLD", date: "2023-06-01", ability: "listening" as const, score: 361 },
    { test: "TEF" as const, chart: "TEF_OLD", date: "2023-06-01", ability: "writing" as const, score: 451 },
    { test: "TEF" as const, chart: "TEF_OLD", date: "2023-06-01", ability: "speaking" as const, score: 451 },
    { test: "TCF" as const, chart: "TCF", date: "2025-06-01", ability: "writing" as const, score: 21 },
    { test: "TCF" as const, chart: "TCF", date: "2025-06-01", ability: "speaking" as const, score: 21 },
    { test: "TCF" as const, chart: "TCF", date: "2025-06-01", ability: "reading" as const, score: 700 },
    { test: "TCF" as const, chart: "TCF", date: "2025-06-01", ability: "listening" as const, score: 700 },
  ])("$chart $ability $score is invalid", ({ test, chart, date, ability, score }) => {
    const base = valid[chart] as Scores;
    const asOf = date === "2023-06-01" ? "2023-06-02" : "2025-06-02";
    // Sanity: the record is valid before the one ability is pushed off the scale.
    expect(convert(test, date, base, asOf).ok).toBe(true);
    const outcome = convert(test, date, { ...base, [ability]: score }, asOf);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toEqual([expect.objectContaining({ field: ability, kind: "invalid" })]);
  });
});

// ---------------------------------------------------------------------------------------------------
// 6. Through the full scorer
// ---------------------------------------------------------------------------------------------------

describe("IELTS first language through the CRS scorer", () => {
  // §2.2: speaking 6.5 → CLB 8, listening 7.5 → CLB 8, reading 6.5 → CLB 8, writing 6.5 → CLB 8.
  // §1 first official language, CLB 8 without spouse: 23 per ability.
  const result = scoreOf({
    firstLanguage: {
      test: "IELTS",
      date: "2026-01-10",
      speaking: 6.5,
      listening: 7.5,
      reading: 6.5,
      writing: 6.5,
    },
  });

  it.each(ABILITIES)("%s is CLB 8 and earns 23 points (single)", (ability) => {
    expect(pointsOf(result, `core.firstLanguage.${ability}`)).toBe(23);
    expect(line(result, `core.firstLanguage.${ability}`).input).toMatch(/CLB 8/);
  });

  it("first official language totals 92", () => {
    expect(pointsOf(result, "core.firstLanguage")).toBe(92);
  });
});
