/**
 * The bug classes common in public CRS calculators (shared/reference/calculator-bugs.md, B1–B16), each as
 * the test that proves this engine does not make it. Expected values come from the published grid.
 */
import { describe, expect, it } from "vitest";
import { eligibility, score } from "../src/index.js";
import {
  accompanyingSpouse,
  celpip,
  expectSubtotalsAddUp,
  pointsOf,
  questionnaire,
  scoreOf,
  tcf,
} from "./helpers.js";

const ALL_AGES = Array.from({ length: 31 }, (_, i) => 17 + i); // 17..47

describe("B1 — one-year+ post-secondary is 13/25 in education transferability, not 25/50", () => {
  it.each(["bachelors", "two-year", "one-year"] as const)("%s", (education) => {
    const lang = (clb: [number, number, number, number]) =>
      pointsOf(
        scoreOf({ education, firstLanguage: celpip(...clb) }),
        "skillTransferability.education.language",
      );
    expect(lang([9, 9, 9, 8])).toBe(13); // CLB 7+ with one ability below 9
    expect(lang([7, 7, 7, 7])).toBe(13);
    expect(lang([9, 9, 9, 9])).toBe(25);
    const work = (years: number) =>
      pointsOf(
        scoreOf({ education, firstLanguage: celpip(4), canadianWorkYears: years }),
        "skillTransferability.education.canadianWork",
      );
    expect(work(1)).toBe(13);
    expect(work(2)).toBe(25);
  });
});

describe("B2 — master's, PhD and two-or-more credentials are 25/50", () => {
  it.each(["masters", "doctoral", "two-or-more"] as const)("%s", (education) => {
    expect(
      pointsOf(scoreOf({ education, firstLanguage: celpip(8) }), "skillTransferability.education.language"),
    ).toBe(25);
    expect(
      pointsOf(scoreOf({ education, firstLanguage: celpip(9) }), "skillTransferability.education.language"),
    ).toBe(50);
  });
});

describe("B3 — the 50 cap per transferability group", () => {
  it("master's + CLB 9 + 2 years in Canada → 50, not 100", () => {
    const r = scoreOf({ education: "masters", firstLanguage: celpip(9), canadianWorkYears: 2 });
    expect(pointsOf(r, "skillTransferability.education.language")).toBe(50);
    expect(pointsOf(r, "skillTransferability.education.canadianWork")).toBe(50);
    expect(pointsOf(r, "skillTransferability.education")).toBe(50);
    expect(r.skillTransferability.subtotal).toBe(50);
  });
});

describe("B4 — the 600 cap on additional points", () => {
  it("PNP + French 50 + Canadian study 30 + sibling 15 → 600", () => {
    const r = scoreOf({
      provincialNomination: true,
      firstLanguage: celpip(9),
      secondLanguage: tcf(8),
      education: "masters",
      canadianEducation: "three-year-or-more",
      siblingInCanada: true,
    });
    expect(pointsOf(r, "additional.frenchProficiency")).toBe(50);
    expect(r.additional.subtotal).toBe(600);
    expectSubtotalsAddUp(r);
  });
});

describe("B5 — first-language CLB 4 and 5 earn 6 points per ability in both columns", () => {
  it.each([4, 5])("CLB %i", (clb) => {
    expect(pointsOf(scoreOf({ firstLanguage: celpip(clb) }), "core.firstLanguage.reading")).toBe(6);
    const married = scoreOf({
      firstLanguage: celpip(clb),
      maritalStatus: "married",
      spouse: accompanyingSpouse(),
    });
    expect(pointsOf(married, "core.firstLanguage.reading")).toBe(6);
  });
});

describe("B6 — spouse language: ≤4 → 0, 5–6 → 1, 7–8 → 3, ≥9 → 5, cap 20", () => {
  it.each([
    [4, 0],
    [5, 1],
    [6, 1],
    [7, 3],
    [8, 3],
    [9, 5],
    [10, 5],
  ])("spouse CLB %i → %i per ability", (clb, points) => {
    const r = scoreOf({ maritalStatus: "married", spouse: accompanyingSpouse({ language: celpip(clb) }) });
    expect(pointsOf(r, "spouse.language.listening")).toBe(points);
  });
  it("cap 20", () => {
    const r = scoreOf({ maritalStatus: "married", spouse: accompanyingSpouse({ language: celpip(12) }) });
    expect(pointsOf(r, "spouse.language")).toBe(20);
  });
});

describe("B7 — TEF/TCF conversions are neither shifted nor capped", () => {
  // Bottom of every band NCLC 4–10; full band-edge coverage lives in language-charts.test.ts.
  it.each([4, 5, 6, 7, 8, 9, 10])("TCF at the bottom of NCLC %i scores as NCLC %i", (nclc) => {
    const r = scoreOf({ firstLanguage: tcf(nclc) });
    const expected = { 4: 6, 5: 6, 6: 9, 7: 17, 8: 23, 9: 31, 10: 34 }[nclc];
    expect(pointsOf(r, "core.firstLanguage.speaking")).toBe(expected);
    expect(pointsOf(r, "core.firstLanguage.listening")).toBe(expected);
    expect(pointsOf(r, "core.firstLanguage.reading")).toBe(expected);
    expect(pointsOf(r, "core.firstLanguage.writing")).toBe(expected);
  });
  it("TEF top of scale is NCLC 10 (new and old scale)", () => {
    const newTef = {
      test: "TEF",
      date: "2026-01-10",
      speaking: 699,
      listening: 699,
      reading: 699,
      writing: 699,
    } as const;
    expect(pointsOf(scoreOf({ firstLanguage: newTef }), "core.firstLanguage")).toBe(136);
    const oldTef = {
      test: "TEF",
      date: "2023-06-01",
      speaking: 450,
      listening: 360,
      reading: 300,
      writing: 450,
    } as const;
    expect(pointsOf(scoreOf({ firstLanguage: oldTef, asOf: "2024-06-01" }), "core.firstLanguage")).toBe(136);
  });
});

describe("B8 — arranged-employment CRS points end on 2025-03-25", () => {
  it.each([
    ["major-group-00", 200],
    ["teer-0-1-2-3", 50],
  ] as const)("%s: %i on 2025-03-24, 0 on 2025-03-25", (jobOffer, points) => {
    const q = questionnaire({ jobOffer, firstLanguage: celpip(9, 9, 9, 9, "2025-01-10") });
    const before = score(q, { asOf: "2025-03-24" });
    const after = score(q, { asOf: "2025-03-25" });
    if (before.status !== "scored" || after.status !== "scored") throw new Error("expected scores");
    expect(pointsOf(before, "additional.arrangedEmployment")).toBe(points);
    expect(pointsOf(after, "additional.arrangedEmployment")).toBe(0);
    expect(before.total - after.total).toBe(points);
    expect(after.ruleSet.id).toBe("crs-2025-03-25");
  });
});

describe("B9 — French bonus by its exact conditions, never self-declared", () => {
  it("NCLC 7+ all four and no English test → 25; with English CLB 5+ all four → 50", () => {
    expect(pointsOf(scoreOf({ firstLanguage: tcf(7) }), "additional.frenchProficiency")).toBe(25);
    expect(
      pointsOf(scoreOf({ firstLanguage: tcf(7), secondLanguage: celpip(4) }), "additional.frenchProficiency"),
    ).toBe(25);
    expect(
      pointsOf(scoreOf({ firstLanguage: tcf(7), secondLanguage: celpip(5) }), "additional.frenchProficiency"),
    ).toBe(50);
  });
  it("15/30 in the 2017-06-06 era, 25/50 from 2020-10-27", () => {
    const noEnglish = questionnaire({ firstLanguage: tcf(7, 7, 7, 7, "2019-06-01") });
    const withEnglish = questionnaire({
      firstLanguage: tcf(7, 7, 7, 7, "2019-06-01"),
      secondLanguage: celpip(5, 5, 5, 5, "2019-06-01"),
    });
    const french = (q: object, asOf: string) => {
      const r = score(q, { asOf });
      if (r.status !== "scored") throw new Error(JSON.stringify(r));
      return pointsOf(r, "additional.frenchProficiency");
    };
    expect(french(noEnglish, "2020-10-26")).toBe(15);
    expect(french(withEnglish, "2020-10-26")).toBe(30);
    expect(french(noEnglish, "2020-10-27")).toBe(25);
    expect(french(withEnglish, "2020-10-27")).toBe(50);
  });
  it("there is no input for a self-declared French bonus", () => {
    const r = score(questionnaire({ frenchBonus: true } as object));
    expect(r.status).toBe("invalid");
  });
});

describe("B10 — certificate of qualification points do not depend on a chosen program", () => {
  it("CoQ + CLB 5 (one below 7) → 25; CLB 7 all → 50", () => {
    expect(
      pointsOf(
        scoreOf({ certificateOfQualification: true, firstLanguage: celpip(6, 5, 7, 9) }),
        "skillTransferability.certificateOfQualification",
      ),
    ).toBe(25);
    expect(
      pointsOf(
        scoreOf({ certificateOfQualification: true, firstLanguage: celpip(7) }),
        "skillTransferability.certificateOfQualification",
      ),
    ).toBe(50);
    expect(score(questionnaire({ program: "FST" } as object)).status).toBe("invalid");
  });
});

describe("B11 — a citizen/PR or non-accompanying spouse is scored as single", () => {
  const base = { age: 30, education: "masters" as const, firstLanguage: celpip(9), canadianWorkYears: 1 };
  const single = scoreOf(base);
  it.each([
    ["citizen or PR", { canadianCitizenOrPR: true, accompanying: true }],
    ["not accompanying", { canadianCitizenOrPR: false, accompanying: false }],
  ])("%s", (_, spouse) => {
    const r = scoreOf({ ...base, maritalStatus: "married", spouse });
    expect(r.scoredAs).toBe("single");
    expect(r.spouse.subtotal).toBe(0);
    expect(r.spouse.lines).toEqual([]);
    expect(pointsOf(r, "core.age")).toBe(105);
    expect(r.total).toBe(single.total);
  });
  it("an accompanying foreign spouse uses the with-spouse columns", () => {
    const r = scoreOf({ ...base, maritalStatus: "common-law", spouse: accompanyingSpouse() });
    expect(r.scoredAs).toBe("with-spouse");
    expect(pointsOf(r, "core.age")).toBe(95);
  });
});

describe("B12 — the FSW grid is not the CRS grid", () => {
  // IRPR ss.78-83 as summarized in the reference notes §3.1: education 5/15/19/21/22/23/25,
  // language 4/5/6 per ability (CLB 7/8/9+), adaptability capped at 10.
  const profile = (level: string, clb: number) => ({
    dateOfBirth: "1990-01-01",
    maritalStatus: "single",
    education: { level, obtainedIn: "canada" },
    languageTests: [celpip(clb, clb, clb, clb, "2026-01-10")],
    workHistory: [{ noc: "21231", country: "IN", start: "2020-01-01", end: "2024-12-31", hoursPerWeek: 40 }],
  });
  const grid = (level: string, clb: number) => {
    const r = eligibility(profile(level, clb), { asOf: "2026-06-01" });
    if (r.status !== "evaluated") throw new Error(JSON.stringify(r));
    const fsw = r.programs.find((p) => p.program === "FSW");
    return Object.fromEntries((fsw?.grid?.lines ?? []).map((l) => [l.factor, l.points]));
  };
  it.each([
    ["secondary", 5],
    ["one-year", 15],
    ["two-year", 19],
    ["bachelors", 21],
    ["two-or-more", 22],
    ["masters", 23],
    ["doctoral", 25],
  ])("FSW education %s → %i (not the CRS value)", (level, points) => {
    expect(grid(level, 9)["fsw.education"]).toBe(points);
  });
  it.each([
    [7, 16],
    [8, 20],
    [9, 24],
    [10, 24],
  ])("FSW first language CLB %i in all four → %i", (clb, points) => {
    expect(grid("bachelors", clb)["fsw.language"]).toBe(points);
  });
});

describe("B13 — the age table is not flattened, in either column", () => {
  const WITH = [
    0, 90, 95, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 95, 90, 85, 80, 75, 70, 65, 60, 55, 50, 45,
    35, 25, 15, 5, 0, 0, 0,
  ];
  const WITHOUT = [
    0, 99, 105, 110, 110, 110, 110, 110, 110, 110, 110, 110, 110, 105, 99, 94, 88, 83, 77, 72, 66, 61, 55, 50,
    39, 28, 17, 6, 0, 0, 0,
  ];
  it.each(ALL_AGES)("age %i", (age) => {
    expect(
      pointsOf(scoreOf({ age, maritalStatus: "married", spouse: accompanyingSpouse() }), "core.age"),
    ).toBe(WITH[age - 17]);
    expect(pointsOf(scoreOf({ age }), "core.age")).toBe(WITHOUT[age - 17]);
  });
});

describe("B14 — foreign work inputs are years, not bracket indexes", () => {
  it.each([
    [1, 13],
    [2, 13],
    [3, 25],
    [4, 25],
  ])("%i years abroad with CLB 7 → %i", (years, points) => {
    expect(
      pointsOf(
        scoreOf({ foreignWorkYears: years, firstLanguage: celpip(7) }),
        "skillTransferability.foreignWork.language",
      ),
    ).toBe(points);
  });
});

describe("B15 — category experience rules are the ones in force", () => {
  // Reference notes §4.1: 6 months continuous within 3 years until 2026-02-17; from 2026-02-18,
  // 12 months in a single occupation, need not be continuous; physicians: 12 months in Canada.
  const nurse = (jobs: { start: string; end: string; country?: string }[]) => ({
    dateOfBirth: "1990-01-01",
    maritalStatus: "single",
    education: { level: "bachelors", obtainedIn: "canada" },
    languageTests: [celpip(9, 9, 9, 9, "2025-11-01")],
    workHistory: jobs.map((j) => ({
      noc: "31301",
      country: j.country ?? "CA",
      start: j.start,
      end: j.end,
      hoursPerWeek: 37.5,
    })),
  });
  const healthcare = (p: object, asOf: string) => {
    const r = eligibility(p, { asOf });
    if (r.status !== "evaluated") throw new Error(JSON.stringify(r));
    return r.categories.find((c) => c.category === "healthcare");
  };
  // Two 7-month stretches with a gap: 6 months continuous suffices before 2026-02-18 (and CEC keeps
  // the candidate in the pool: 14 months in Canada within 3 years).
  const twoStretches = nurse([
    { start: "2024-01-01", end: "2024-07-31" },
    { start: "2025-01-01", end: "2025-07-31" },
  ]);
  it("2026-02-17: two 7-month stretches pass the 6-months-continuous rule", () => {
    const c = healthcare(twoStretches, "2026-02-17");
    expect(c?.id).toBe("healthcare-v2");
    expect(c?.eligible).toBe(true);
  });
  it("2026-02-18: the same 14 months pass the 12-month non-continuous rule of 2026-Version 3", () => {
    const c = healthcare(twoStretches, "2026-02-18");
    expect(c?.roundName).toBe("Healthcare and Social Services Occupations, 2026-Version 3");
    expect(c?.eligible).toBe(true);
  });
  it("7 months continuous: enough on 2026-02-17, not from 2026-02-18", () => {
    // In the pool through FSW (2 years abroad in another occupation, funds), 7 months as a nurse.
    const p = {
      ...nurse([{ start: "2025-01-01", end: "2025-07-31" }]),
      settlementFunds: 20_000,
      workHistory: [
        { noc: "31301", country: "CA", start: "2025-01-01", end: "2025-07-31", hoursPerWeek: 37.5 },
        { noc: "21231", country: "IN", start: "2020-01-01", end: "2021-12-31", hoursPerWeek: 40 },
      ],
    };
    expect(healthcare(p, "2026-02-17")?.eligible).toBe(true);
    const after = healthcare(p, "2026-02-18");
    expect(after?.checks.find((c) => c.id === "pool")?.met).toBe(true);
    expect(after?.eligible).toBe(false);
  });
});

describe("B16 — the French bonus is never double-counted", () => {
  it("NCLC 7 + CLB 5 English → exactly 50, never 75", () => {
    const r = scoreOf({ firstLanguage: tcf(7), secondLanguage: celpip(5) });
    expect(pointsOf(r, "additional.frenchProficiency")).toBe(50);
    expect(r.additional.subtotal).toBe(50);
  });
});
