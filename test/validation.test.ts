/** Library-level input validation: which questionnaires are invalid, not scorable, or scored — and where. */
import { describe, expect, it } from "vitest";
import type { CrsOutcome, QuestionnaireInput } from "../src/index.js";
import { score } from "../src/index.js";
import { AS_OF, accompanyingSpouse, celpip, pointsOf, questionnaire, scored } from "./helpers.js";

/** The base questionnaire without some keys (absent, not undefined, as in parsed JSON). */
function without(...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(questionnaire()).filter(([key]) => !keys.includes(key)));
}

/** A questionnaire with overrides that need not type-check (wrong types, unknown fields, …). */
function raw(overrides: Record<string, unknown>): Record<string, unknown> {
  return { ...questionnaire(), ...overrides };
}

const ielts = (date = "2026-01-10") =>
  ({ test: "IELTS", date, speaking: 7, listening: 8, reading: 7, writing: 7 }) as const;

/** A TEF Canada result on the current (0–699) scales, NCLC 7 apart from `speaking`. */
const tef = (speaking = 456, date = "2026-01-10") =>
  ({ test: "TEF", date, speaking, listening: 434, reading: 434, writing: 428 }) as const;

/** Asserts an invalid outcome that reports `field`, with a readable message matching `message`. */
function expectInvalidAt(outcome: CrsOutcome, field: string, message: RegExp = /\S/) {
  expect(outcome.status, JSON.stringify(outcome)).toBe("invalid");
  if (outcome.status !== "invalid") return;
  const error = outcome.errors.find((e) => e.field === field);
  expect(error, `no error at "${field}" in ${JSON.stringify(outcome.errors)}`).toBeDefined();
  expect(error?.message.trim()).not.toBe("");
  expect(error?.message).toMatch(message);
}

describe("missing required fields", () => {
  it.each([
    { field: "maritalStatus", message: /^is required$/ },
    { field: "education", message: /^is required$/ },
    { field: "canadianWorkYears", message: /^is required$/ },
    { field: "foreignWorkYears", message: /^is required$/ },
    { field: "age", message: /^is required \(or give dateOfBirth\)$/ },
    { field: "firstLanguage", message: /^is required$/ },
  ])("$field", ({ field, message }) => {
    const outcome = score(without(field));
    expectInvalidAt(outcome, field, message);
    if (outcome.status === "invalid") expect(outcome.errors).toHaveLength(1);
  });

  it.each(["speaking", "listening", "reading", "writing", "date", "test"])("firstLanguage.%s", (key) => {
    const firstLanguage = Object.fromEntries(Object.entries(celpip(9)).filter(([k]) => k !== key));
    expectInvalidAt(score(raw({ firstLanguage })), `firstLanguage.${key}`, /^is required$/);
  });

  it("a language result that is not an object says what it must be", () => {
    expectInvalidAt(score(raw({ firstLanguage: null })), "firstLanguage", /test result object/);
    expectInvalidAt(score(raw({ secondLanguage: "TEF" })), "secondLanguage", /test result object/);
  });

  it("optional fields may be left out: asOf defaults elsewhere, the rest to null/false", () => {
    const outcome = score(
      without(
        "canadianEducation",
        "secondLanguage",
        "certificateOfQualification",
        "jobOffer",
        "provincialNomination",
        "siblingInCanada",
      ),
    );
    expect(scored(outcome).total).toBe(scored(score(questionnaire())).total);
  });
});

describe("wrong values", () => {
  it.each([
    { name: "age and dateOfBirth both given", q: { dateOfBirth: "1997-01-01" }, field: "dateOfBirth" },
    { name: "fractional age", q: { age: 29.5 }, field: "age", message: /whole number/ },
    {
      name: "fractional Canadian work years",
      q: { canadianWorkYears: 1.5 },
      field: "canadianWorkYears",
      message: /whole number/,
    },
    {
      name: "fractional foreign work years",
      q: { foreignWorkYears: 2.5 },
      field: "foreignWorkYears",
      message: /whole number/,
    },
    { name: "negative age", q: { age: -1 }, field: "age", message: /negative/ },
    {
      name: "negative Canadian work years",
      q: { canadianWorkYears: -1 },
      field: "canadianWorkYears",
      message: /negative/,
    },
    {
      name: "negative foreign work years",
      q: { foreignWorkYears: -2 },
      field: "foreignWorkYears",
      message: /negative/,
    },
    {
      name: "negative language score",
      q: { firstLanguage: celpip(-1) },
      field: "firstLanguage.speaking",
      message: /between 0 and 12/,
    },
    { name: "age as a string", q: { age: "29" }, field: "age" },
    { name: "unknown education level", q: { education: "phd" }, field: "education", message: /one of/ },
    {
      name: "unknown marital status",
      q: { maritalStatus: "engaged" },
      field: "maritalStatus",
      message: /one of/,
    },
    {
      name: "unknown language test",
      q: { firstLanguage: { ...celpip(9), test: "TOEFL" } },
      field: "firstLanguage.test",
      message: /one of/,
    },
    {
      name: "unknown top-level field",
      q: { favouriteColour: "blue" },
      field: "",
      message: /unknown field.*favouriteColour/,
    },
    {
      name: "unknown field in a language result",
      q: { firstLanguage: { ...celpip(9), overall: 9 } },
      field: "firstLanguage",
      message: /unknown field.*overall/,
    },
    {
      name: "married without spouse",
      q: { maritalStatus: "married" },
      field: "spouse",
      message: /required.*married/,
    },
    {
      name: "common-law with spouse null",
      q: { maritalStatus: "common-law", spouse: null },
      field: "spouse",
      message: /required.*common-law/,
    },
    {
      name: "accompanying non-PR spouse without education",
      q: {
        maritalStatus: "married",
        spouse: { canadianCitizenOrPR: false, accompanying: true, canadianWorkYears: 0, language: null },
      },
      field: "spouse.education",
      message: /required/,
    },
    {
      name: "accompanying non-PR spouse without language (null is the explicit 'none')",
      q: {
        maritalStatus: "married",
        spouse: { canadianCitizenOrPR: false, accompanying: true, education: "none", canadianWorkYears: 0 },
      },
      field: "spouse.language",
      message: /required/,
    },
    {
      name: "second language in the same official language (IELTS + CELPIP)",
      q: { firstLanguage: ielts(), secondLanguage: celpip(9) },
      field: "secondLanguage.test",
      message: /other official language/,
    },
    {
      name: "Canadian three-year credential with secondary education",
      q: { education: "secondary", canadianEducation: "three-year-or-more" },
      field: "canadianEducation",
      message: /bachelors/,
    },
    {
      name: "dateOfBirth after asOf",
      q: { age: undefined, dateOfBirth: "2026-06-02" },
      field: "dateOfBirth",
      message: /after the as-of date/,
    },
    {
      name: "asOf before the first rule set",
      q: { asOf: "2014-12-31", firstLanguage: celpip(9, 9, 9, 9, "2014-06-01") },
      field: "asOf",
      message: /before the first CRS rule set/,
    },
    { name: "asOf 2026-02-30 (no such day)", q: { asOf: "2026-02-30" }, field: "asOf" },
    {
      name: "dateOfBirth 1996-02-30 (no such day)",
      q: { age: undefined, dateOfBirth: "1996-02-30" },
      field: "dateOfBirth",
    },
    {
      name: "test date 2026-02-30 (no such day)",
      q: { firstLanguage: celpip(9, 9, 9, 9, "2026-02-30") },
      field: "firstLanguage.date",
    },
    { name: "asOf not ISO", q: { asOf: "01/06/2026" }, field: "asOf", message: /YYYY-MM-DD/ },
    {
      name: "IELTS speaking above the scale",
      q: { firstLanguage: { ...ielts(), speaking: 10 } },
      field: "firstLanguage.speaking",
      message: /IELTS.*between 0 and 9/,
    },
    {
      name: "IELTS band off the half-band steps",
      q: { firstLanguage: { ...ielts(), listening: 7.25 } },
      field: "firstLanguage.listening",
      message: /multiple of 0\.5/,
    },
    {
      name: "off-scale second language",
      q: { secondLanguage: tef(700) },
      field: "secondLanguage.speaking",
      message: /TEF/,
    },
    {
      name: "off-scale accompanying spouse language",
      q: { maritalStatus: "married", spouse: accompanyingSpouse({ language: celpip(13) }) },
      field: "spouse.language.speaking",
      message: /between 0 and 12/,
    },
  ] satisfies { name: string; q: Record<string, unknown>; field: string; message?: RegExp }[])(
    "$name → invalid at $field",
    ({ q, field, message }) => {
      expectInvalidAt(score(raw(q)), field, message);
    },
  );

  it("an invalid calendar date in the asOf option is invalid at asOf", () => {
    expectInvalidAt(score(questionnaire(), { asOf: "2026-02-30" }), "asOf", /not a real calendar date/);
  });

  it("dates outside 1900–2199 are refused rather than mis-sorted", () => {
    expectInvalidAt(
      score(questionnaire(), { asOf: "9999-12-31" }),
      "asOf",
      /between 1900-01-01 and 2199-12-31/,
    );
    expectInvalidAt(score(raw({ firstLanguage: celpip(9, 9, 9, 9, "9999-06-01") })), "firstLanguage.date");
  });

  it("an asOf option before 2015-01-01 is invalid at asOf", () => {
    expectInvalidAt(
      score(questionnaire({ firstLanguage: celpip(9, 9, 9, 9, "2014-06-01") }), { asOf: "2014-12-31" }),
      "asOf",
      /2015-01-01/,
    );
  });

  it("reports every off-scale ability, each at its own path", () => {
    const outcome = score(questionnaire({ firstLanguage: celpip(13) }));
    expect(outcome.status).toBe("invalid");
    if (outcome.status !== "invalid") return;
    expect(outcome.errors.map((e) => e.field).sort()).toEqual(
      [
        "firstLanguage.listening",
        "firstLanguage.reading",
        "firstLanguage.speaking",
        "firstLanguage.writing",
      ].sort(),
    );
  });

  it("a non-object input is invalid at the whole input", () => {
    for (const input of [null, 42, "text", [questionnaire()]])
      expectInvalidAt(score(input), "", /questionnaire must be a JSON object/);
  });
});

describe("spouses who do not count", () => {
  it.each([
    { name: "citizen or PR", spouse: { canadianCitizenOrPR: true, accompanying: true } },
    { name: "not accompanying", spouse: { canadianCitizenOrPR: false, accompanying: false } },
  ])("a spouse who is $name needs no education, work or language answers", ({ spouse }) => {
    const result = scored(score(raw({ maritalStatus: "married", spouse })));
    expect(result.scoredAs).toBe("single");
    expect(result.spouse.subtotal).toBe(0);
  });

  it("an expired spouse test is ignored when the spouse is not accompanying", () => {
    const result = scored(
      score(
        questionnaire({
          maritalStatus: "married",
          spouse: accompanyingSpouse({ accompanying: false, language: celpip(7, 7, 7, 7, "2023-01-01") }),
        }),
      ),
    );
    expect(result.scoredAs).toBe("single");
    expect(result.languageResults.spouse).toBeNull();
    expect(result.total).toBe(scored(score(questionnaire())).total);
  });

  it("an expired spouse test is ignored when the spouse is a citizen or PR", () => {
    const result = scored(
      score(
        questionnaire({
          maritalStatus: "married",
          spouse: accompanyingSpouse({
            canadianCitizenOrPR: true,
            language: celpip(7, 7, 7, 7, "2023-01-01"),
          }),
        }),
      ),
    );
    expect(result.scoredAs).toBe("single");
  });
});

describe("valid input that cannot be scored on the as-of date", () => {
  function expectNotScoredAt(outcome: CrsOutcome, field: string, message: RegExp) {
    expect(outcome.status, JSON.stringify(outcome)).toBe("not-scored");
    if (outcome.status !== "not-scored") return;
    expect(outcome.asOf).toBe(AS_OF);
    expect(outcome.ruleSet?.id).toBe("crs-2025-03-25");
    expect(outcome.reasons).toEqual([{ field, message: expect.stringMatching(message) }]);
  }

  it("an expired first-language test", () => {
    expectNotScoredAt(
      score(questionnaire({ firstLanguage: celpip(9, 9, 9, 9, "2023-01-01") })),
      "firstLanguage.date",
      /expired/,
    );
  });

  it("an expired test of an accompanying spouse", () => {
    const outcome = score(
      questionnaire({
        maritalStatus: "married",
        spouse: accompanyingSpouse({ language: celpip(7, 7, 7, 7, "2023-01-01") }),
      }),
    );
    expectNotScoredAt(outcome, "spouse.language.date", /expired/);
  });

  it("a test is valid for two years less a day after the test date", () => {
    // AS_OF is 2026-06-01: a test of 2024-06-02 is valid until 2026-06-01, one of 2024-06-01 until 2026-05-31.
    expect(score(questionnaire({ firstLanguage: celpip(9, 9, 9, 9, "2024-06-02") })).status).toBe("scored");
    expectNotScoredAt(
      score(questionnaire({ firstLanguage: celpip(9, 9, 9, 9, "2024-06-01") })),
      "firstLanguage.date",
      /expired.*2026-05-31/,
    );
  });

  it("a test taken after the as-of date", () => {
    expectNotScoredAt(
      score(questionnaire({ firstLanguage: celpip(9, 9, 9, 9, "2026-06-02") })),
      "firstLanguage.date",
      /after the as-of date/,
    );
  });

  it("invalid input wins over a not-scorable one", () => {
    const outcome = score(
      questionnaire({ firstLanguage: celpip(9, 9, 9, 9, "2023-01-01"), secondLanguage: tef(700) }),
    );
    expectInvalidAt(outcome, "secondLanguage.speaking", /TEF/);
  });

  it("a same-language second test is invalid even when the first test has expired", () => {
    const outcome = score(
      questionnaire({ firstLanguage: celpip(9, 9, 9, 9, "2023-01-01"), secondLanguage: celpip(9) }),
    );
    expectInvalidAt(outcome, "secondLanguage.test");
  });
});

describe("age from dateOfBirth", () => {
  const fromBirth = (dateOfBirth: string, asOf: string): QuestionnaireInput => {
    const { age: _age, ...rest } = questionnaire({ asOf });
    return { ...rest, dateOfBirth };
  };

  it.each([
    { born: "1996-05-02", asOf: "2026-05-01", age: 29, points: 110 },
    { born: "1996-05-02", asOf: "2026-05-02", age: 30, points: 105 },
    { born: "1996-05-02", asOf: "2026-05-03", age: 30, points: 105 },
    // Born on 29 February: the year is completed on 1 March in a common year.
    { born: "1996-02-29", asOf: "2026-02-28", age: 29, points: 110 },
    { born: "1996-02-29", asOf: "2026-03-01", age: 30, points: 105 },
  ])("born $born, as of $asOf → age $age → $points points (single)", ({ born, asOf, age, points }) => {
    const result = scored(score(fromBirth(born, asOf)));
    expect(result.scoredAs).toBe("single");
    expect(pointsOf(result, "core.age")).toBe(points);
    expect(result.core.lines.find((l) => l.factor === "core.age")?.input).toMatch(new RegExp(`^${age}\\b`));
    expect(pointsOf(result, "core.age")).toBe(
      pointsOf(scored(score(questionnaire({ asOf, age }))), "core.age"),
    );
  });

  it("born on the as-of date is age 0, valid input", () => {
    expect(pointsOf(scored(score(fromBirth(AS_OF, AS_OF))), "core.age")).toBe(0);
  });
});
