/**
 * The candidate profile: its validation (schema + facts that need the rule data) and the CRS
 * questionnaire derived from it for an as-of date. Expected values are derived by hand from the
 * reference notes (shared/reference/express-entry-rules.md §1 CRS grid, §1.7 counting work, §6 NOC/TEER):
 * 1 year = 1,560 h; at most 30 h a week count; a job of 30+ h/week earns 30/7 h per calendar day.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { CrsOutcome, FieldError, ProfileInput } from "../src/index.js";
import { defaultRuleBook, profileSchema, profileToQuestionnaire, score } from "../src/index.js";
import { eligibilityOf } from "../src/domain/eligibility/report.js";
import { celpip, pointsOf, scored, tcf } from "./helpers.js";

const AS_OF = "2026-06-01";
const book = defaultRuleBook();

type Job = NonNullable<ProfileInput["workHistory"]>[number];

function job(noc: string, start: string, end: string | null, extra: Partial<Job> = {}): Job {
  return { noc, country: "IN", start, end, hoursPerWeek: 40, ...extra };
}
const inCanada = (noc: string, start: string, end: string | null, extra: Partial<Job> = {}) =>
  job(noc, start, end, { country: "CA", ...extra });

/** Single, 30 on 2026-06-01, Canadian master's, CELPIP 9 of 2025-01-10, no work. */
function profile(overrides: Partial<ProfileInput> = {}): ProfileInput {
  return {
    dateOfBirth: "1996-01-15",
    maritalStatus: "single",
    education: { level: "masters", obtainedIn: "canada" },
    languageTests: [celpip(9, 9, 9, 9, "2025-01-10")],
    workHistory: [],
    ...overrides,
  };
}

/** The validation errors of a profile (eligibilityOf validates before evaluating). */
function errorsOf(input: unknown, asOf = AS_OF): FieldError[] {
  const r = eligibilityOf(input, { asOf, book, today: () => asOf });
  return r.status === "invalid" ? r.errors : [];
}

function derive(input: ProfileInput, asOf = AS_OF) {
  return profileToQuestionnaire(profileSchema.parse(input), asOf, book);
}

describe("profile validation", () => {
  it("the base profile is valid", () => {
    expect(errorsOf(profile())).toEqual([]);
  });

  it("an unknown NOC code is invalid, naming its path", () => {
    // 99999 is five digits but no NOC 2021 unit group (there is no TEER 9).
    expect(errorsOf(profile({ workHistory: [job("99999", "2024-01-01", "2024-12-31")] }))).toEqual([
      { field: "workHistory.0.noc", message: "99999 is not a NOC 2021 unit group" },
    ]);
    const second = errorsOf(
      profile({ workHistory: [job("21231", "2020-01-01", "2020-12-31"), job("99999", "2024-01-01", null)] }),
    );
    expect(second.map((e) => e.field)).toEqual(["workHistory.1.noc"]);
  });

  it("unknown NOC codes in the spouse's work, the job offer and the certificate name their paths", () => {
    const errors = errorsOf(
      profile({
        maritalStatus: "married",
        spouse: {
          canadianCitizenOrPR: false,
          accompanying: true,
          workHistory: [job("99999", "2024-01-01", null)],
        },
        jobOffer: { noc: "99998", basis: "lmia", fullTime: true, atLeastOneYear: true },
        certificateOfQualification: { noc: "99997", issuedBy: "Ontario" },
      }),
    );
    expect(errors.map((e) => e.field).sort()).toEqual(
      ["certificateOfQualification.noc", "jobOffer.noc", "spouse.workHistory.0.noc"].sort(),
    );
  });

  it("a NOC code that is not 5 digits is refused by the schema at its path", () => {
    expect(errorsOf(profile({ workHistory: [job("2123", "2024-01-01", null)] }))).toEqual([
      { field: "workHistory.0.noc", message: "must be a 5-digit NOC 2021 code" },
    ]);
  });

  it("a foreign credential needs an ECA date; a Canadian one or no credential does not", () => {
    const missing = errorsOf(profile({ education: { level: "masters", obtainedIn: "abroad" } }));
    expect(missing.map((e) => e.field)).toEqual(["education.ecaDate"]);
    expect(missing[0]?.message).toMatch(/credential obtained abroad/);
    expect(
      errorsOf(profile({ education: { level: "masters", obtainedIn: "abroad", ecaDate: "2024-03-12" } })),
    ).toEqual([]);
    expect(errorsOf(profile({ education: { level: "masters", obtainedIn: "canada" } }))).toEqual([]);
    expect(errorsOf(profile({ education: { level: "none", obtainedIn: "abroad" } }))).toEqual([]);
  });

  it("a job that ends before it starts is invalid; a one-day job is fine", () => {
    expect(errorsOf(profile({ workHistory: [job("21231", "2025-01-01", "2024-12-31")] }))).toEqual([
      { field: "workHistory.0.end", message: "is before start" },
    ]);
    expect(errorsOf(profile({ workHistory: [job("21231", "2025-01-01", "2025-01-01")] }))).toEqual([]);
  });

  it("two English tests (or two French) are invalid; one of each is fine", () => {
    const ielts = {
      test: "IELTS",
      date: "2025-02-01",
      speaking: 7,
      listening: 8,
      reading: 7,
      writing: 7,
    } as const;
    expect(errorsOf(profile({ languageTests: [celpip(9, 9, 9, 9, "2025-01-10"), ielts] }))).toEqual([
      { field: "languageTests", message: "holds at most one English and one French test" },
    ]);
    const tef = {
      test: "TEF",
      date: "2025-02-01",
      speaking: 456,
      listening: 434,
      reading: 434,
      writing: 428,
    } as const;
    expect(
      errorsOf(profile({ languageTests: [tcf(7, 7, 7, 7, "2025-01-10"), tef] })).map((e) => e.field),
    ).toEqual(["languageTests"]);
    expect(errorsOf(profile({ languageTests: [celpip(9, 9, 9, 9, "2025-01-10"), tef] }))).toEqual([]);
    // Three tests: at most two by the schema.
    expect(
      errorsOf(profile({ languageTests: [celpip(9, 9, 9, 9, "2025-01-10"), tef, ielts] })).map(
        (e) => e.field,
      ),
    ).toContain("languageTests");
  });

  it("the spouse's two English tests are invalid at spouse.languageTests", () => {
    const errors = errorsOf(
      profile({
        maritalStatus: "common-law",
        spouse: {
          canadianCitizenOrPR: false,
          accompanying: true,
          languageTests: [
            celpip(7, 7, 7, 7, "2025-01-10"),
            { test: "IELTS", date: "2025-02-01", speaking: 6, listening: 6, reading: 6, writing: 6 },
          ],
        },
      }),
    );
    expect(errors.map((e) => e.field)).toEqual(["spouse.languageTests"]);
  });

  it("no language test is invalid", () => {
    expect(errorsOf(profile({ languageTests: [] }))).toEqual([
      { field: "languageTests", message: "needs at least one test result" },
    ]);
  });

  it.each(["married", "common-law"] as const)("%s without a spouse is invalid", (maritalStatus) => {
    expect(errorsOf(profile({ maritalStatus }))).toEqual([
      { field: "spouse", message: `is required when maritalStatus is ${maritalStatus}` },
    ]);
  });

  it("single, divorced or widowed need no spouse", () => {
    for (const maritalStatus of ["single", "divorced", "widowed"] as const)
      expect(errorsOf(profile({ maritalStatus }))).toEqual([]);
  });

  it("a date of birth after the as-of date is invalid", () => {
    expect(errorsOf(profile({ dateOfBirth: "2026-06-02" })).map((e) => e.field)).toEqual(["dateOfBirth"]);
  });

  it("work fields are checked: hours above 0 and at most 168, a two-letter country", () => {
    expect(
      errorsOf(profile({ workHistory: [job("21231", "2024-01-01", null, { hoursPerWeek: 0 })] })).map(
        (e) => e.field,
      ),
    ).toEqual(["workHistory.0.hoursPerWeek"]);
    expect(
      errorsOf(profile({ workHistory: [job("21231", "2024-01-01", null, { hoursPerWeek: 169 })] })).map(
        (e) => e.field,
      ),
    ).toEqual(["workHistory.0.hoursPerWeek"]);
    expect(
      errorsOf(profile({ workHistory: [job("21231", "2024-01-01", null, { country: "Canada" })] })).map(
        (e) => e.field,
      ),
    ).toEqual(["workHistory.0.country"]);
  });

  // Regression (was a bug): a profile declaring French as its first official language with only an English test passes
  // validation, and then profileToQuestionnaire dereferences a null first language: eligibilityOf throws
  // "TypeError: Cannot read properties of null (reading 'test')" (and `ee crs`/`ee eligibility` exit 1 with
  // "internal error"). §1.2: the first official language is the one declared; with no French result the
  // declaration cannot be honoured, so the profile should be refused as invalid at firstOfficialLanguage.
  it("declaring French first with no French test is invalid at firstOfficialLanguage (not a crash)", () => {
    const errors = errorsOf(profile({ firstOfficialLanguage: "french" }));
    expect(errors.map((e) => e.field)).toContain("firstOfficialLanguage");
  });
});

describe("derived CRS questionnaire — age from the date of birth", () => {
  it("the questionnaire carries the date of birth and the as-of date", () => {
    const q = derive(profile({ dateOfBirth: "1996-06-02" })).questionnaire;
    expect(q.dateOfBirth).toBe("1996-06-02");
    expect(q.asOf).toBe(AS_OF);
  });
  it.each([
    // Single (no spouse column), §1.2: 20–29 → 110, 30 → 105, 31 → 99, 45 → 0.
    ["1996-06-02", 29, 110],
    ["1996-06-01", 30, 105],
    ["1995-06-01", 31, 99],
    ["1981-06-01", 45, 0],
  ])("born %s: %i completed years on 2026-06-01 → %i age points", (dateOfBirth, _age, points) => {
    const q = derive(profile({ dateOfBirth })).questionnaire;
    expect(pointsOf(scored(score(q, { asOf: AS_OF })), "core.age")).toBe(points);
  });
});

describe("derived CRS questionnaire — Canadian and foreign years from hours (§1.7)", () => {
  const years = (workHistory: Job[], asOf = AS_OF) => {
    const d = derive(profile({ workHistory }), asOf);
    return {
      canadian: d.questionnaire.canadianWorkYears,
      foreign: d.questionnaire.foreignWorkYears,
      canadianHours: d.work.canadianHours,
      foreignHours: d.work.foreignHours,
    };
  };

  it("part-time in Canada: 15 h/week for 728 days = 1,560 h = 1 year; 727 days = 1,557.9 h = 0", () => {
    // 2024-01-01 → 2025-12-28 = 366 + 362 = 728 days × 15/7 = 1,560 h.
    const one = years([inCanada("21231", "2024-01-01", "2025-12-28", { hoursPerWeek: 15 })]);
    expect(one.canadianHours).toBeCloseTo(1560, 3);
    expect(one.canadian).toBe(1);
    expect(years([inCanada("21231", "2024-01-01", "2025-12-27", { hoursPerWeek: 15 })]).canadian).toBe(0);
  });

  it("overlapping jobs are capped at 30 h/week: two full-time jobs for 2025 make 1 year, not 2", () => {
    // 365 days × 30/7 = 1,564.3 h (not 2 × 40 h/week).
    const y = years([
      inCanada("21231", "2025-01-01", "2025-12-31"),
      inCanada("21211", "2025-01-01", "2025-12-31"),
    ]);
    expect(y.canadianHours).toBeCloseTo((365 * 30) / 7, 2);
    expect(y.canadian).toBe(1);
  });

  it("several part-time jobs combine up to 30 h/week: three of 10 h/week for 2025 make 1 year", () => {
    const y = years([
      inCanada("21231", "2025-01-01", "2025-12-31", { hoursPerWeek: 10 }),
      inCanada("21211", "2025-01-01", "2025-12-31", { hoursPerWeek: 10 }),
      inCanada("13100", "2025-01-01", "2025-12-31", { hoursPerWeek: 10 }),
    ]);
    expect(y.canadianHours).toBeCloseTo((365 * 30) / 7, 2);
    expect(y.canadian).toBe(1);
  });

  it.each([
    ["self-employed", { selfEmployed: true }],
    ["while a full-time student", { fullTimeStudent: true }],
    ["without authorization", { authorized: false }],
    ["unpaid", { paid: false }],
  ] as const)("work in Canada %s is excluded (and is not foreign either)", (_, extra) => {
    // 2020-01-01 → 2025-12-31 would be 6 years.
    const y = years([inCanada("21231", "2020-01-01", "2025-12-31", extra)]);
    expect(y).toEqual({ canadian: 0, foreign: 0, canadianHours: 0, foreignHours: 0 });
  });

  it("TEER 4/5 work does not count", () => {
    const y = years([
      inCanada("14100", "2020-01-01", "2025-12-31"),
      job("65200", "2020-01-01", "2025-12-31"),
    ]);
    expect(y).toEqual({ canadian: 0, foreign: 0, canadianHours: 0, foreignHours: 0 });
  });

  it("foreign and Canadian experience are counted apart", () => {
    // Abroad 2019-01-01 → 2023-12-31 = 1,826 days = 7,825.7 h = 5 years; in Canada 2025: 365 days = 1 year.
    const y = years([
      job("21231", "2019-01-01", "2023-12-31"),
      inCanada("21231", "2025-01-01", "2025-12-31"),
    ]);
    expect(y.foreign).toBe(5);
    expect(y.canadian).toBe(1);
    expect(y.foreignHours).toBeCloseTo((1826 * 30) / 7, 2);
  });

  it("only the 10 years before the as-of date count", () => {
    // Window on 2026-06-01: 2016-06-02 → 2026-06-01. 2015-06-02 → 2017-05-31 has 364 days in it = 1,560 h.
    expect(years([job("21231", "2015-06-02", "2017-05-31")]).foreign).toBe(1);
    expect(years([job("21231", "2015-06-02", "2017-05-30")]).foreign).toBe(0);
  });

  it("an ongoing job counts up to the as-of date", () => {
    // In Canada from 2025-06-01: 366 days to 2026-06-01 = 1,568.6 h = 1 year; to 2026-05-29: 363 days = 0.
    const ongoing = [inCanada("21231", "2025-06-01", null)];
    expect(years(ongoing, "2026-06-01").canadian).toBe(1);
    expect(years(ongoing, "2026-05-29").canadian).toBe(0);
  });

  it("the spouse's Canadian years are derived the same way", () => {
    const d = derive(
      profile({
        maritalStatus: "married",
        spouse: {
          canadianCitizenOrPR: false,
          accompanying: true,
          education: "bachelors",
          languageTests: [celpip(7, 7, 7, 7, "2025-01-10")],
          workHistory: [inCanada("13100", "2023-01-01", "2025-12-31")],
        },
      }),
    );
    // 2023-01-01 → 2025-12-31 = 1,096 days = 4,697 h = 3 years.
    expect(d.questionnaire.spouse).toMatchObject({
      canadianCitizenOrPR: false,
      accompanying: true,
      education: "bachelors",
      canadianWorkYears: 3,
      language: { test: "CELPIP" },
    });
  });
});

describe("derived CRS questionnaire — job offer (§1.5, §6)", () => {
  const offerOf = (noc: string, fullTime = true, atLeastOneYear = true) =>
    derive(profile({ jobOffer: { noc, basis: "lmia", fullTime, atLeastOneYear } })).questionnaire.jobOffer;
  it.each([
    ["00012 senior managers (major group 00)", "00012", "major-group-00"],
    ["00015 senior managers (major group 00)", "00015", "major-group-00"],
    ["10010 financial managers (TEER 0, major group 10)", "10010", "teer-0-1-2-3"],
    ["31102 family physicians (TEER 1)", "31102", "teer-0-1-2-3"],
    ["72310 carpenters (TEER 2)", "72310", "teer-0-1-2-3"],
    ["13100 administrative officers (TEER 3)", "13100", "teer-0-1-2-3"],
    ["14100 office support workers (TEER 4)", "14100", null],
  ])("full-time offer in %s → %s", (_, noc, expected) => {
    expect(offerOf(noc)).toBe(expected);
  });
  it("a part-time offer, or one shorter than a year, does not qualify", () => {
    expect(offerOf("31102", false)).toBeNull();
    expect(offerOf("00012", false)).toBeNull();
    expect(offerOf("31102", true, false)).toBeNull();
  });
  it("no offer → null", () => {
    expect(derive(profile()).questionnaire.jobOffer).toBeNull();
  });
});

describe("derived CRS questionnaire — first official language (§1.2)", () => {
  const pick = (
    languageTests: ProfileInput["languageTests"],
    firstOfficialLanguage?: "english" | "french",
  ) => {
    const q = derive(profile({ languageTests, firstOfficialLanguage })).questionnaire;
    return [q.firstLanguage.test, q.secondLanguage?.test ?? null];
  };
  it("declared French is first even when English is stronger", () => {
    expect(pick([celpip(9, 9, 9, 9, "2025-01-10"), tcf(5, 5, 5, 5, "2025-01-10")], "french")).toEqual([
      "TCF",
      "CELPIP",
    ]);
  });
  it("declared English is first even when French is stronger", () => {
    expect(pick([celpip(5, 5, 5, 5, "2025-01-10"), tcf(9, 9, 9, 9, "2025-01-10")], "english")).toEqual([
      "CELPIP",
      "TCF",
    ]);
  });
  it("undeclared: the stronger test (more CLB/NCLC levels in total) is first", () => {
    // CLB 7 ×4 = 28 vs NCLC 9 ×4 = 36: French first.
    expect(pick([celpip(7, 7, 7, 7, "2025-01-10"), tcf(9, 9, 9, 9, "2025-01-10")])).toEqual([
      "TCF",
      "CELPIP",
    ]);
    // CLB 9 ×4 = 36 vs NCLC 5 ×4 = 20: English first.
    expect(pick([celpip(9, 9, 9, 9, "2025-01-10"), tcf(5, 5, 5, 5, "2025-01-10")])).toEqual([
      "CELPIP",
      "TCF",
    ]);
  });
  it("undeclared tie (28 vs 28): English first", () => {
    expect(pick([celpip(7, 7, 7, 7, "2025-01-10"), tcf(7, 7, 7, 7, "2025-01-10")])).toEqual([
      "CELPIP",
      "TCF",
    ]);
  });
  it("a single test is the first language, with no second", () => {
    expect(pick([tcf(7, 7, 7, 7, "2025-01-10")])).toEqual(["TCF", null]);
    expect(pick([celpip(7, 7, 7, 7, "2025-01-10")])).toEqual(["CELPIP", null]);
  });
  it("the choice changes the score: NCLC 9 first + CLB 5 second scores the French bonus 50 (§1.5)", () => {
    const q = derive(
      profile({ languageTests: [celpip(5, 5, 5, 5, "2025-01-10"), tcf(9, 9, 9, 9, "2025-01-10")] }),
    ).questionnaire;
    expect(pointsOf(scored(score(q, { asOf: AS_OF })), "additional.frenchProficiency")).toBe(50);
  });
});

describe("`ee crs` with a full profile gives the questionnaire's score", () => {
  const CLI = fileURLToPath(new URL("../dist/src/adapters/cli/main.js", import.meta.url));
  const ROOT = fileURLToPath(new URL("..", import.meta.url));
  const EXAMPLE = "examples/physician-profile.json";
  const example = JSON.parse(readFileSync(new URL(`../${EXAMPLE}`, import.meta.url), "utf8")) as ProfileInput;

  it("examples/physician-profile.json as of 2026-02-19: CLI = score(profileToQuestionnaire) = 463 by hand", () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    const run = spawnSync(process.execPath, [CLI, "crs", EXAMPLE, "--as-of", "2026-02-19", "--json"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const cli = scored(JSON.parse(run.stdout) as CrsOutcome);

    const q = derive(example, "2026-02-19").questionnaire;
    const lib = scored(score(q, { asOf: "2026-02-19" }));
    expect(cli.total).toBe(lib.total);

    // By hand (§1, with-spouse column: married, spouse accompanying and not a citizen/PR):
    //  core: age 37 (born 1988-07-15) 60; master's 126; IELTS S7.5 L8.5 R7.5 W7 = CLB 10/10/9/9 →
    //        32 + 32 + 29 + 29 = 122; Canadian work 2024-09-02 → 2026-02-19 = 536 days = 2,297 h = 1 year → 35.
    //        343.
    //  spouse: bachelor's 8; CELPIP 7/8/7/7 → 3 × 4 = 12; no Canadian work 0. 20.
    //  transferability: master's + CLB 9+ all four 50, master's + 1 year Canadian 25 → capped 50;
    //        foreign 2016-02-20 → 2024-06-30 (8+ years, 3+) + CLB 9+ 50, + 1 year Canadian 25 → capped 50. 100.
    //  additional: none (job-offer points removed 2025-03-25). 0.
    //  total 343 + 20 + 100 + 0 = 463.
    expect(q.canadianWorkYears).toBe(1);
    expect(q.foreignWorkYears).toBe(8);
    expect(cli.total).toBe(463);
    expect(cli.core.subtotal).toBe(343);
    expect(cli.spouse.subtotal).toBe(20);
    expect(cli.skillTransferability.subtotal).toBe(100);
    expect(cli.additional.subtotal).toBe(0);
  });
});
