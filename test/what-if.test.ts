/**
 * What if: improvements and coming losses. Expected values are worked out by hand from the CRS tables
 * in rules/crs/*.json (each case cites its rows); the properties check every improvement and loss
 * against the normal scoring path (`score()`, and the eligibility report for profiles).
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "../src/calendar/dates.js";
import { anniversary, dayOf, isoOf } from "../src/calendar/days.js";
import {
  type LanguageResult,
  type Questionnaire,
  questionnaireSchema,
} from "../src/domain/crs/questionnaire.js";
import {
  adviseProfile,
  adviseQuestionnaire,
  type Improvement,
  NotScoredError,
  type ScoreAdvice,
} from "../src/domain/crs/what-if.js";
import { eligibilityOf, validateProfile } from "../src/domain/eligibility/report.js";
import { chartForTestDate, convertLanguageResult } from "../src/domain/language.js";
import { profileToQuestionnaire } from "../src/domain/profile/derive.js";
import { type Profile, type ProfileInput, profileSchema } from "../src/domain/profile/profile.js";
import { score } from "../src/index.js";
import { ABILITIES, type Ability, defaultRuleBook } from "../src/rules/index.js";
import { isoBetween, profileArb } from "./arbitraries.js";
import { celpip, questionnaire, tcf } from "./helpers.js";

const book = defaultRuleBook();
const AS_OF = "2026-06-01";

const q = (overrides: Parameters<typeof questionnaire>[0] = {}): Questionnaire =>
  questionnaireSchema.parse(questionnaire(overrides));
const example = (name: string): unknown => JSON.parse(readFileSync(`examples/${name}.json`, "utf8"));

/** The total of a questionnaire through the library's own entry point (validation included). */
function scoreTotal(input: Questionnaire, asOf: string): number | null {
  const outcome = score(input, { asOf, book });
  return outcome.status === "scored" ? outcome.total : null;
}

const find = (advice: ScoreAdvice, action: Improvement["action"], detail: Record<string, unknown> = {}) =>
  advice.improvements.filter(
    (i) => i.action === action && Object.entries(detail).every(([k, v]) => i.detail[k] === v),
  );

/** IELTS General Training: the chart's minimum per ability for each CLB (rules/language-tests). */
function ielts(s: number, l: number, r: number, w: number, date = "2026-01-10") {
  return { test: "IELTS", date, speaking: s, listening: l, reading: r, writing: w } as const;
}

describe("improvements, worked by hand from the CRS tables", () => {
  // Base: single, 29 (core.age withoutSpouse ageFrom 20: 110), bachelors (core.education 120), no
  // work, on 2026-06-01 (rule set crs-2025-03-25, resolved through its basedOn chain).
  const cases: {
    name: string;
    input: Questionnaire;
    action: Improvement["action"];
    detail?: Record<string, string | number>;
    gain: number;
  }[] = [
    {
      // IELTS S 6 = CLB 7, L 8 / R 7 / W 7 = CLB 9. core.firstLanguage withoutSpouse clbFrom 7: 17 → clbFrom 8:
      // 23 (+6). The lowest ability goes 7 → 8: transferability.education withLanguage minClb [7, 9] stays in
      // the first column (13): +0.
      name: "IELTS speaking CLB 7 → 8 (no transferability change)",
      input: q({ firstLanguage: ielts(6, 8, 7, 7) }),
      action: "language-next-clb",
      detail: { which: "first", test: "IELTS", ability: "speaking", fromClb: 7, toClb: 8 },
      gain: 6,
    },
    {
      // IELTS S 6.5 = CLB 8, the others CLB 9. core.firstLanguage withoutSpouse 23 → 31 (+8); the lowest
      // ability reaches 9: transferability.education withLanguage post-secondary 13 → 25 (+12).
      name: "IELTS speaking CLB 8 → 9 (education × language 13 → 25)",
      input: q({ firstLanguage: ielts(6.5, 8, 7, 7) }),
      action: "language-next-clb",
      detail: { which: "first", test: "IELTS", ability: "speaking", fromClb: 8, toClb: 9 },
      gain: 20,
    },
    {
      // additional.provincialNomination 600 (2015-01-01), under additional.total cap 600.
      name: "provincial nomination",
      input: q(),
      action: "provincial-nomination",
      gain: 600,
    },
    {
      // CELPIP 9 (CLB 9). core.canadianWork withoutSpouse yearsFrom 1: 40; transferability.education
      // withCanadianWork minYears [1, 2] post-secondary 13, added to withLanguage 25 (CLB 9): 38 ≤ cap 50.
      name: "Canadian work 0 → 1 year",
      input: q(),
      action: "canadian-work-year",
      detail: { fromYears: 0, toYears: 1 },
      gain: 53,
    },
    {
      // transferability.foreignWork: tier one-or-two-years (1), withLanguage at CLB 9 (second column): 25.
      name: "foreign work 0 → 1 year",
      input: q(),
      action: "foreign-work-year",
      detail: { fromYears: 0, toYears: 1 },
      gain: 25,
    },
    {
      // Tier three-years-or-more from 3: withLanguage at CLB 9: 25 → 50.
      name: "foreign work 2 → 3 years",
      input: q({ foreignWorkYears: 2 }),
      action: "foreign-work-year",
      detail: { fromYears: 2, toYears: 3 },
      gain: 25,
    },
    {
      // additional.canadianEducation (2016-11-19): three-year-or-more 30.
      name: "Canadian credential of three years or more",
      input: q(),
      action: "canadian-credential",
      detail: { credential: "three-year-or-more" },
      gain: 30,
    },
    {
      // additional.canadianEducation: one-or-two-year 15.
      name: "Canadian credential of one or two years",
      input: q(),
      action: "canadian-credential",
      detail: { credential: "one-or-two-year" },
      gain: 15,
    },
    {
      // core.secondLanguage clbFrom 7: 3 × 4 = 12 (cap 24); additional.frenchProficiency (2020-10-27) NCLC 7
      // in all four with English CLB 5+: 50.
      name: "French NCLC 7 as a second language",
      input: q(),
      action: "french-nclc-7",
      gain: 62,
    },
    {
      // TCF at NCLC 7 except speaking NCLC 5 (second language): core.secondLanguage speaking clbFrom 5: 1 →
      // clbFrom 7: 3 (+2), and French points now apply: 50.
      name: "French raised to NCLC 7 in the abilities below it",
      input: q({ secondLanguage: tcf(5, 7, 7, 7) }),
      action: "french-nclc-7",
      gain: 52,
    },
  ];

  it.each(cases)("$name: +$gain", ({ input, action, detail, gain }) => {
    const advice = adviseQuestionnaire(input, AS_OF, book);
    expect(advice.total).toBe(scoreTotal(input, AS_OF));
    const [found, ...more] = find(advice, action, detail);
    expect(more).toEqual([]);
    expect(found).toMatchObject({ action, gain, total: advice.total + gain });
  });

  it("the base cases' totals, by hand", () => {
    // 110 (age) + 120 (bachelors) + 17 + 31 + 31 + 31 (CLB 7, 9, 9, 9) + 13 (education × CLB 7) = 353.
    expect(adviseQuestionnaire(cases[0]!.input, AS_OF, book).total).toBe(353);
    // 110 + 120 + 4 × 31 + 25 (education × CLB 9) = 379.
    expect(adviseQuestionnaire(q(), AS_OF, book).total).toBe(379);
  });

  it("a level that earns nothing is skipped for the first one that does", () => {
    // Second language TCF NCLC 7: core.secondLanguage has rows at 5, 7 and 9 only, so NCLC 8 earns
    // nothing; NCLC 9 earns 6 − 3 = 3 (12 + 3 = 15 ≤ cap 24).
    const advice = adviseQuestionnaire(q({ secondLanguage: tcf(7) }), AS_OF, book);
    expect(find(advice, "language-next-clb", { which: "second", ability: "listening" })).toEqual([
      {
        action: "language-next-clb",
        detail: { which: "second", test: "TCF", ability: "listening", fromClb: 7, toClb: 9 },
        gain: 3,
        total: advice.total + 3,
      },
    ]);
  });

  it.each([
    ["CLB 10 in every ability: no retake", q({ firstLanguage: celpip(10) }), "language-next-clb"],
    ["already nominated", q({ provincialNomination: true }), "provincial-nomination"],
    ["foreign work at its cap (3 years)", q({ foreignWorkYears: 3 }), "foreign-work-year"],
    // core.canadianWork's last row is yearsFrom 5 (and the transferability thresholds are 1 and 2).
    ["Canadian work at its cap (5 years)", q({ canadianWorkYears: 5 }), "canadian-work-year"],
    ["French already at NCLC 7", q({ secondLanguage: tcf(7) }), "french-nclc-7"],
    ["no spouse", q(), "spouse-as-principal"],
    // A Canadian credential of either length implies post-secondary education (questionnaire.ts).
    ["secondary education: no Canadian credential", q({ education: "secondary" }), "canadian-credential"],
    [
      "already a three-year credential",
      q({ canadianEducation: "three-year-or-more" }),
      "canadian-credential",
    ],
  ] as const)("%s", (_name, input, action) => {
    expect(find(adviseQuestionnaire(input, AS_OF, book), action)).toEqual([]);
  });

  it("a questionnaire never proposes the spouse as principal (no spouse age or foreign work)", () => {
    const married = questionnaireSchema.parse(example("married-tef"));
    expect(find(adviseQuestionnaire(married, "2026-11-21", book), "spouse-as-principal")).toEqual([]);
  });

  it("sorts by gain, then action", () => {
    const advice = adviseQuestionnaire(
      questionnaireSchema.parse(example("single-ielts")),
      "2026-11-21",
      book,
    );
    expect(advice.improvements.map((i) => [i.action, i.gain]).slice(0, 4)).toEqual([
      // 600 − the 50 points of French proficiency the TEF already earns: additional.total caps at 600.
      ["provincial-nomination", 550],
      ["canadian-credential", 30],
      // core.canadianWork withoutSpouse 40 → 53 (+13); education × Canadian work 13 → 25 (+12), with 25 from
      // language: 50 = cap; foreign work (3 years) × Canadian work [1, 2]: 25 → 50, but the foreign group was
      // already at its cap 50 with language 50: +0. Total +25.
      ["canadian-work-year", 25],
      ["canadian-credential", 15],
    ]);
  });

  it("refuses a questionnaire that cannot be scored", () => {
    expect(() =>
      adviseQuestionnaire(q({ firstLanguage: celpip(9, 9, 9, 9, "2020-01-01") }), AS_OF, book),
    ).toThrow(NotScoredError);
  });
});

describe("coming losses of a questionnaire, by hand", () => {
  it("a 29-year-old's birthdays at 30 and 31, then the first test's expiry", () => {
    const input = q({ age: undefined, dateOfBirth: "1996-08-15" });
    const advice = adviseQuestionnaire(input, AS_OF, book);
    expect(advice.losses).toEqual([
      // core.age withoutSpouse: ageFrom 20: 110 → ageFrom 30: 105.
      { cause: "birthday", on: "2026-08-15", loss: 5, total: 374, detail: { fromAge: 29, toAge: 30 } },
      // ageFrom 31: 99.
      { cause: "birthday", on: "2027-08-15", loss: 6, total: 368, detail: { fromAge: 30, toAge: 31 } },
      // CELPIP of 2026-01-10, valid 2 years (language-validity.json): last valid 2028-01-09; unscorable after.
      {
        cause: "test-expires",
        on: "2028-01-10",
        loss: 368,
        total: 0,
        detail: { which: "first", test: "CELPIP", testDate: "2026-01-10", lastValidDay: "2028-01-09" },
      },
    ]);
  });

  it("born on 29 February: 30 on 1 March of a common year", () => {
    const input = q({
      age: undefined,
      dateOfBirth: "1996-02-29",
      firstLanguage: celpip(9, 9, 9, 9, "2025-06-01"),
    });
    const advice = adviseQuestionnaire(input, "2026-01-01", book);
    expect(advice.losses[0]).toMatchObject({ cause: "birthday", on: "2026-03-01", loss: 5 });
  });

  it("a second-language test taken 2024-12-01 is lost on 2026-12-01", () => {
    // MI 2017-1 s.3(4): results two or more years old no longer count: valid through 2026-11-30.
    // core.secondLanguage clbFrom 7: 3 × 4 = 12; additional.frenchProficiency with English: 50.
    const advice = adviseQuestionnaire(q({ secondLanguage: tcf(7, 7, 7, 7, "2024-12-01") }), AS_OF, book);
    expect(advice.losses[0]).toEqual({
      cause: "test-expires",
      on: "2026-12-01",
      loss: 62,
      total: advice.total - 62,
      detail: { which: "second", test: "TCF", testDate: "2024-12-01", lastValidDay: "2026-11-30" },
    });
  });

  it("a first-language test taken 2024-12-01: the score is lost on 2026-12-01", () => {
    const advice = adviseQuestionnaire(q({ firstLanguage: celpip(9, 9, 9, 9, "2024-12-01") }), AS_OF, book);
    expect(advice.losses).toEqual([
      {
        cause: "test-expires",
        on: "2026-12-01",
        loss: advice.total,
        total: 0,
        detail: { which: "first", test: "CELPIP", testDate: "2024-12-01", lastValidDay: "2026-11-30" },
      },
    ]);
  });

  it("a rule change: arranged-employment points end on 2025-03-25", () => {
    // crs-2016-11-19 additional.arrangedEmployment teer-0-1-2-3: 50; crs-2025-03-25 removes the table.
    const input = q({ jobOffer: "teer-0-1-2-3", firstLanguage: celpip(9, 9, 9, 9, "2024-10-01") });
    const advice = adviseQuestionnaire(input, "2025-01-01", book);
    expect(advice.losses[0]).toEqual({
      cause: "rule-change",
      on: "2025-03-25",
      loss: 50,
      total: advice.total - 50,
      detail: { ruleSet: "crs-2025-03-25", effectiveFrom: "2025-03-25" },
    });
  });

  it("the married TEF example: a birthday (with-spouse column) and the spouse's test", () => {
    const advice = adviseQuestionnaire(questionnaireSchema.parse(example("married-tef")), "2026-11-21", book);
    expect(advice.losses.slice(0, 2)).toEqual([
      // Born 1992-03-14: 35 on 2027-03-14; core.age withSpouse ageFrom 34: 75 → ageFrom 35: 70.
      {
        cause: "birthday",
        on: "2027-03-14",
        loss: 5,
        total: advice.total - 5,
        detail: { fromAge: 34, toAge: 35 },
      },
      // Spouse CELPIP 9 of 2026-01-10: spouse.language clbFrom 9: 5 × 4 = 20 (cap 20).
      {
        cause: "test-expires",
        on: "2028-01-10",
        loss: 20,
        total: advice.total - 25,
        detail: { which: "spouse", test: "CELPIP", testDate: "2026-01-10", lastValidDay: "2028-01-09" },
      },
    ]);
  });

  it("an age without a date of birth and a test taken on the as-of date: lost two years later, the horizon's last day", () => {
    const advice = adviseQuestionnaire(q({ firstLanguage: celpip(9, 9, 9, 9, AS_OF) }), AS_OF, book);
    expect(advice.losses).toEqual([
      {
        cause: "test-expires",
        on: "2028-06-01",
        loss: 379,
        total: 0,
        detail: { which: "first", test: "CELPIP", testDate: AS_OF, lastValidDay: "2028-05-31" },
      },
    ]);
  });
});

describe("a profile", () => {
  const physician = profileSchema.parse(example("physician-profile"));

  it("the physician example: total as the report's, birthday and the pool's 12 months", () => {
    const asOf = "2026-01-15";
    const advice = adviseProfile(physician, asOf, book);
    expect(advice.total).toBe(reportTotal(physician, asOf));
    // Born 1988-07-15: 38 on 2026-07-15; core.age withSpouse ageFrom 37: 60 → ageFrom 38: 55.
    expect(advice.losses[0]).toEqual({
      cause: "birthday",
      on: "2026-07-15",
      loss: 5,
      total: advice.total - 5,
      detail: { fromAge: 37, toAge: 38 },
    });
    // Submitted 2025-12-20T16:05Z: in the pool through 2026-12-20 (12 months); the score counts for nothing
    // after. By then the Canadian job (from 2024-09-02, 30 h/week counted) gave a second year (+11).
    expect(advice.losses[1]).toEqual({
      cause: "pool-expires",
      on: "2026-12-21",
      loss: reportTotal(physician, "2026-12-20"),
      total: 0,
      detail: { lastDayInPool: "2026-12-20" },
    });
    // provincial nomination +600; no spouse as principal without the spouse's date of birth.
    expect(find(advice, "provincial-nomination")[0]?.gain).toBe(600);
    expect(find(advice, "spouse-as-principal")).toEqual([]);
  });

  it("a work-window loss: foreign work leaving the 10-year window", () => {
    // Three years abroad (1,096 days at the 30 h/week counted: 4,697 h ≥ 3 × 1,560), ended 2017-12-31: a few
    // days into 2025 the 10-year window holds less than 4,680 h.
    const p = profile({
      workHistory: [
        { noc: "21231", country: "IN", start: "2015-01-01", end: "2017-12-31", hoursPerWeek: 40 },
      ],
      languageTests: [celpip(9, 9, 9, 9, "2024-06-01")],
    });
    const advice = adviseProfile(p, "2024-12-01", book);
    const loss = advice.losses.find((l) => l.cause === "work-window");
    // transferability.foreignWork withLanguage at CLB 9: three-years-or-more 50 → one-or-two-years 25.
    expect(loss).toMatchObject({ loss: 25, detail: { kind: "foreign", fromYears: 3, toYears: 2 } });
    expect(reportTotal(p, addDays(loss!.on, -1)) - reportTotal(p, loss!.on)).toBe(25);
  });

  it("spouse as principal, when the spouse's date of birth is given", () => {
    // Candidate: 30, secondary, CELPIP 5; spouse: masters, CELPIP 10, 30 on the as-of date.
    const p = profile({
      dateOfBirth: "1996-01-01",
      maritalStatus: "married",
      spouse: {
        canadianCitizenOrPR: false,
        accompanying: true,
        education: "masters",
        languageTests: [celpip(10, 10, 10, 10, "2026-01-10")],
        workHistory: [],
      },
      education: { level: "secondary", obtainedIn: "canada" },
      languageTests: [celpip(5, 5, 5, 5, "2026-01-10")],
    });
    const asOf = "2026-06-01";
    // As now: core.age withSpouse ageFrom 30: 95; core.education withSpouse secondary 28; core.firstLanguage
    // withSpouse clbFrom 4: 6 × 4 = 24; spouse.education masters 10; spouse.language clbFrom 9: 5 × 4 = 20.
    // 95 + 28 + 24 + 10 + 20 = 177.
    expect(adviseProfile(p, asOf, book).total).toBe(177);
    // Swapped: 95; masters 126; clbFrom 10: 32 × 4 = 128; spouse secondary 2; spouse CLB 5: 1 × 4 = 4;
    // transferability.education advanced with CLB 9+: 50. 95 + 126 + 128 + 2 + 4 + 50 = 405.
    const advice = adviseProfile(p, asOf, book, { spouseDateOfBirth: "1996-03-01" });
    expect(find(advice, "spouse-as-principal")).toEqual([
      { action: "spouse-as-principal", detail: { total: 405 }, gain: 228, total: 405 },
    ]);
    expect(advice.improvements[0]?.action).toBe("provincial-nomination");
    expect(advice.improvements[1]?.action).toBe("spouse-as-principal");
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties: every number goes through the normal scoring path.

function withTest(input: Questionnaire, which: "first" | "second", test: LanguageResult): Questionnaire {
  return which === "first" ? { ...input, firstLanguage: test } : { ...input, secondLanguage: test };
}

/** The questionnaire an improvement describes, rebuilt here from its detail and the rules' charts. */
function applied(input: Questionnaire, imp: Improvement, asOf: string): Questionnaire {
  const d = imp.detail;
  switch (imp.action) {
    case "provincial-nomination":
      return { ...input, provincialNomination: true };
    case "canadian-work-year":
      expect(d.fromYears).toBe(input.canadianWorkYears);
      return { ...input, canadianWorkYears: d.toYears as number };
    case "foreign-work-year":
      expect(d.fromYears).toBe(input.foreignWorkYears);
      return { ...input, foreignWorkYears: d.toYears as number };
    case "canadian-credential":
      return { ...input, canadianEducation: d.credential as Questionnaire["canadianEducation"] };
    case "language-next-clb": {
      const which = d.which as "first" | "second";
      const test = (which === "first" ? input.firstLanguage : input.secondLanguage) as LanguageResult;
      expect(d.test).toBe(test.test);
      const ability = d.ability as Ability;
      const chart = chartForTestDate(book.languageTest(test.test), test.date);
      const row = chart.minimumScores.find((r) => r.clb === d.toClb);
      expect(row).toBeDefined();
      return withTest(input, which, { ...test, [ability]: row![ability] });
    }
    case "french-nclc-7": {
      const nclc = book.crsRuleSetFor(asOf)!.tables["additional.frenchProficiency"]!.minNclcAllAbilities;
      const french = (t: LanguageResult | null) =>
        t !== null && book.languageTest(t.test).language === "french";
      const which = french(input.firstLanguage) ? "first" : "second";
      const held = which === "first" ? input.firstLanguage : input.secondLanguage;
      const test: LanguageResult = held ?? {
        test: "TEF",
        date: asOf,
        speaking: 0,
        listening: 0,
        reading: 0,
        writing: 0,
      };
      const row = chartForTestDate(book.languageTest(test.test), test.date).minimumScores.find(
        (r) => r.clb === nclc,
      )!;
      const raised = { ...test };
      for (const a of ABILITIES) raised[a] = Math.max(test[a], row[a]);
      return withTest(input, which, raised);
    }
    case "spouse-as-principal":
      throw new Error("not for a questionnaire");
  }
}

function checkImprovements(input: Questionnaire, asOf: string, advice: ScoreAdvice) {
  expect(advice.total).toBe(scoreTotal(input, asOf));
  for (const imp of advice.improvements) {
    expect(imp.gain).toBeGreaterThan(0);
    expect(imp.gain).toBe(imp.total - advice.total);
    if (imp.action !== "spouse-as-principal")
      expect(scoreTotal(applied(input, imp, asOf), asOf)).toBe(imp.total);
  }
  const gains = advice.improvements.map((i) => i.gain);
  expect(gains).toEqual([...gains].sort((a, b) => b - a));
}

const clb = fc.integer({ min: 0, max: 12 });
const questionnaireArb = fc
  .record({
    asOf: isoBetween("2016-01-01", "2027-06-30"),
    testAge: fc.integer({ min: 0, max: 700 }),
    partner: fc.constantFrom("none", "accompanying", "not-accompanying"),
    spouseEducation: fc.constantFrom("none", "secondary", "bachelors", "masters"),
    spouseWork: fc.integer({ min: 0, max: 6 }),
    spouseTest: fc.option(fc.tuple(clb, clb, clb, clb), { nil: null }),
    born: fc.integer({ min: 6000, max: 18000 }),
    education: fc.constantFrom(
      "secondary",
      "one-year",
      "two-year",
      "bachelors",
      "two-or-more",
      "masters",
      "doctoral",
    ),
    credential: fc.constantFrom(null, "one-or-two-year", "three-year-or-more"),
    first: fc.tuple(clb, clb, clb, clb),
    second: fc.option(fc.tuple(fc.constantFrom(0, 4, 5, 6, 7, 8, 9, 10), fc.integer({ min: 4, max: 10 })), {
      nil: null,
    }),
    canadianWorkYears: fc.integer({ min: 0, max: 7 }),
    foreignWorkYears: fc.integer({ min: 0, max: 5 }),
    certificate: fc.boolean(),
    jobOffer: fc.constantFrom(null, "teer-0-1-2-3", "major-group-00"),
    pnp: fc.boolean(),
    sibling: fc.boolean(),
  })
  .map((r) => {
    const date = addDays(r.asOf, -r.testAge);
    const candidate = {
      asOf: r.asOf,
      maritalStatus: r.partner === "none" ? "single" : "married",
      spouse:
        r.partner === "none"
          ? null
          : {
              canadianCitizenOrPR: false,
              accompanying: r.partner === "accompanying",
              education: r.spouseEducation,
              canadianWorkYears: r.spouseWork,
              language: r.spouseTest ? celpip(...r.spouseTest, date) : null,
            },
      dateOfBirth: isoOf(dayOf(r.asOf) - r.born),
      education: r.education,
      canadianEducation: r.credential,
      firstLanguage: celpip(...r.first, date),
      secondLanguage: r.second ? tcf(r.second[0], r.second[1], r.second[1], r.second[0], date) : null,
      canadianWorkYears: r.canadianWorkYears,
      foreignWorkYears: r.foreignWorkYears,
      certificateOfQualification: r.certificate,
      jobOffer: r.jobOffer,
      provincialNomination: r.pnp,
      siblingInCanada: r.sibling,
    };
    const parsed = questionnaireSchema.safeParse(candidate);
    return parsed.success ? parsed.data : null;
  })
  .filter((x): x is Questionnaire => x !== null && scoreTotal(x, x.asOf!) !== null);

/** The CRS total the eligibility report gives a profile on a day (0 when it cannot be scored). */
function reportTotal(p: Profile, asOf: string): number {
  const report = eligibilityOf(p, { asOf, book, today: () => asOf });
  if (report.status !== "evaluated") throw new Error(JSON.stringify(report));
  return report.crs.status === "scored" ? report.crs.total : 0;
}

function profile(overrides: Partial<ProfileInput>): Profile {
  return profileSchema.parse({
    dateOfBirth: "1996-01-01",
    maritalStatus: "single",
    education: { level: "bachelors", obtainedIn: "canada" },
    languageTests: [celpip(9)],
    ...overrides,
  });
}

describe("properties", () => {
  it("questionnaires: each improvement's total is the score of the modified questionnaire; gains > 0, sorted", () => {
    fc.assert(
      fc.property(questionnaireArb, (input) => {
        checkImprovements(input, input.asOf!, adviseQuestionnaire(input, input.asOf!, book));
      }),
      { numRuns: 150 },
    );
  });

  it("questionnaires: each loss is the score falling on its day, within two years, at most five, by date", () => {
    fc.assert(
      fc.property(questionnaireArb, (input) => {
        const asOf = input.asOf!;
        const { losses } = adviseQuestionnaire(input, asOf, book);
        expect(losses.length).toBeLessThanOrEqual(5);
        const on = (iso: string) => {
          // The questionnaire a candidate answers that day: results no longer valid left out.
          const valid = (t: LanguageResult | null | undefined) =>
            t && convertLanguageResult(t, iso, book).ok ? t : null;
          const later = {
            ...input,
            secondLanguage: valid(input.secondLanguage),
            spouse:
              input.spouse && input.spouse.language !== undefined
                ? { ...input.spouse, language: valid(input.spouse.language) }
                : input.spouse,
          };
          return scoreTotal(later, iso) ?? 0;
        };
        let last = asOf;
        for (const loss of losses) {
          expect(loss.on > last).toBe(true);
          expect(loss.on <= addDays(asOf, 731)).toBe(true);
          expect(loss.loss).toBeGreaterThan(0);
          expect(on(loss.on)).toBe(loss.total);
          expect(on(addDays(loss.on, -1))).toBe(loss.total + loss.loss);
          last = loss.on;
        }
      }),
      { numRuns: 100 },
    );
  });

  it("profiles: the spouse as principal is the report's total of the swapped profile", () => {
    fc.assert(
      fc.property(
        profileArb,
        isoBetween("2024-01-01", "2027-06-30"),
        isoBetween("1970-01-01", "2004-12-31"),
        (input, asOf, born) => {
          const v = validateProfile(input, book);
          if (v.status !== "ok" || v.profile.dateOfBirth > asOf || reportTotal(v.profile, asOf) === 0) return;
          const p = v.profile;
          const advice = adviseProfile(p, asOf, book, { spouseDateOfBirth: born });
          const [imp] = find(advice, "spouse-as-principal");
          const s = p.spouse;
          if (!s || s.canadianCitizenOrPR || born > asOf || s.languageTests.length === 0) {
            expect(imp).toBeUndefined();
            return;
          }
          // Built here: the CRS reads neither where the education was obtained nor the ECA.
          const swapped = profileSchema.parse({
            dateOfBirth: born,
            maritalStatus: p.maritalStatus,
            spouse: {
              canadianCitizenOrPR: false,
              accompanying: true,
              education: p.education.level,
              languageTests: p.languageTests,
              workHistory: p.workHistory,
            },
            education: { level: s.education, obtainedIn: "canada" },
            languageTests: s.languageTests,
            workHistory: s.workHistory,
            relativesInCanada: p.relativesInCanada,
          });
          const total = reportTotal(swapped, asOf);
          if (total > advice.total)
            expect(imp).toEqual({
              action: "spouse-as-principal",
              detail: { total },
              gain: total - advice.total,
              total,
            });
          else expect(imp).toBeUndefined();
        },
      ),
      { numRuns: 80 },
    );
  });

  it("profiles: improvements through the derived questionnaire, losses as the report sees them", () => {
    fc.assert(
      fc.property(profileArb, isoBetween("2024-01-01", "2027-06-30"), (input, asOf) => {
        const v = validateProfile(input, book);
        if (v.status !== "ok" || v.profile.dateOfBirth > asOf) return;
        const p = v.profile;
        let advice: ScoreAdvice;
        try {
          advice = adviseProfile(p, asOf, book);
        } catch (e) {
          expect(e).toBeInstanceOf(NotScoredError);
          expect(reportTotal(p, asOf)).toBe(0);
          return;
        }
        expect(advice.total).toBe(reportTotal(p, asOf));
        const derived = profileToQuestionnaire(p, asOf, book).questionnaire;
        // A profile may hold a Canadian credential its education level does not imply (the profile schema
        // does not check it; the questionnaire's does): then no modified questionnaire can be scored.
        if (scoreTotal(derived, asOf) === null) expect(advice.improvements).toEqual([]);
        else checkImprovements(derived, asOf, advice);
        expect(advice.losses.length).toBeLessThanOrEqual(5);
        let last = asOf;
        for (const loss of advice.losses) {
          expect(loss.on > last).toBe(true);
          expect(loss.on <= isoOf(anniversary(dayOf(asOf), 2))).toBe(true);
          expect(loss.loss).toBeGreaterThan(0);
          const before = reportTotal(p, addDays(loss.on, -1));
          if (loss.cause === "pool-expires") {
            expect(loss).toMatchObject({ total: 0, loss: before });
          } else {
            expect(reportTotal(p, loss.on)).toBe(loss.total);
            expect(before).toBe(loss.total + loss.loss);
          }
          last = loss.on;
        }
      }),
      { numRuns: 80 },
    );
  });
});
