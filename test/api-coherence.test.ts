/**
 * The API answers what the library answers: for generated questionnaires and profiles, valid or with a
 * broken field, on a generated date or none, POST /api/score and POST /api/eligibility over HTTP give
 * exactly `score()` / `eligibility()` of src/index.ts (after a JSON round trip), and 400 with the same
 * field errors where the library says invalid.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInOttawa } from "../src/calendar/instants.js";
import {
  type CrsOutcome,
  eligibility,
  type EligibilityOutcome,
  profileToQuestionnaire,
  score,
  validateProfile,
} from "../src/index.js";
import { isoBetween, profileArb } from "./arbitraries.js";
import {
  BOOK,
  call,
  corrupt,
  errorOf,
  type Json,
  questionnaireArb,
  startServer,
  type TestServer,
} from "./api-helpers.js";

let server: TestServer;
beforeAll(async () => {
  // The library's default date is today in Ottawa: so is the server's here.
  server = await startServer({ demoPoolSize: 0, today: todayInOttawa, operatorToken: null });
}, 30_000);
afterAll(async () => server?.close());

type Kind = "questionnaire" | "profile";
const input = fc.oneof(
  { weight: 3, arbitrary: questionnaireArb.map((v) => ({ kind: "questionnaire" as Kind, value: v })) },
  {
    weight: 1,
    arbitrary: corrupt(questionnaireArb).map((v) => ({ kind: "questionnaire" as Kind, value: v })),
  },
  { weight: 3, arbitrary: profileArb.map((v) => ({ kind: "profile" as Kind, value: v as unknown as Json })) },
  {
    weight: 1,
    arbitrary: corrupt(profileArb as unknown as fc.Arbitrary<Json>).map((v) => ({
      kind: "profile" as Kind,
      value: v,
    })),
  },
);
const asOfArb = fc.option(isoBetween("2016-01-01", "2027-12-31"), { nil: undefined, freq: 4 });

/** The library's score of a full profile: validated, turned into the questionnaire of the date, scored. */
function scoreProfile(value: unknown, asOf: string | undefined): CrsOutcome {
  const validated = validateProfile(value, BOOK);
  if (validated.status === "invalid") return validated;
  const day = asOf ?? todayInOttawa();
  return score(profileToQuestionnaire(validated.profile, day, BOOK).questionnaire, { asOf: day });
}

/** The HTTP answer the library's outcome stands for: 400 with its errors, else 200 with it as JSON. */
async function expectSame(
  path: string,
  value: unknown,
  asOf: string | undefined,
  outcome: CrsOutcome | EligibilityOutcome,
) {
  const a = await call(server.url, "POST", `${path}${asOf ? `?asOf=${asOf}` : ""}`, { body: value });
  if (outcome.status === "invalid") {
    expect(a.status, a.text).toBe(400);
    const e = errorOf(a);
    expect(e.code).toBe("invalid");
    expect(e.errors).toEqual(outcome.errors);
  } else {
    expect(a.status, a.text).toBe(200);
    expect(a.body).toEqual(JSON.parse(JSON.stringify(outcome)));
  }
}

describe("the API and the library agree", () => {
  it("POST /api/score = score(); POST /api/eligibility = eligibility()", async () => {
    const seen = { invalid: 0, scored: 0, notScored: 0, evaluated: 0 };
    await fc.assert(
      fc.asyncProperty(input, asOfArb, async ({ kind, value: generated }, asOf) => {
        // What the server receives: the input after JSON (undefined fields gone).
        const value = JSON.parse(JSON.stringify(generated)) as Json;
        const scored = kind === "profile" ? scoreProfile(value, asOf) : score(value, { asOf });
        const report = eligibility(value, { asOf });
        if (scored.status === "invalid") seen.invalid++;
        else if (scored.status === "scored") seen.scored++;
        else seen.notScored++;
        if (report.status !== "invalid") seen.evaluated++;
        await expectSame("/api/score", value, asOf, scored);
        await expectSame("/api/eligibility", value, asOf, report);
      }),
      { numRuns: Number(process.env.EE_API_PROPERTY_RUNS ?? 100) },
    );
    // The generators reach every kind of answer.
    expect(seen.invalid).toBeGreaterThan(0);
    expect(seen.scored).toBeGreaterThan(0);
    expect(seen.notScored).toBeGreaterThan(0);
    expect(seen.evaluated).toBeGreaterThan(0);
  }, 60_000);
});
