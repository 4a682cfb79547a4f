/**
 * examples/job-offer.json, as the README runs it: a TEER 0–3 job offer earns its points the day before
 * arranged-employment points were removed, and none the day after. The expected numbers are derived by
 * hand from the rule tables, not from the program:
 *
 * Single, age 30, bachelors, IELTS S7 L8 R7 W7 of 2024-09-14 (rules/language-tests/ielts-general-training.json:
 * the CLB 9 row is S7 L8 R7 W7, so CLB 9 in all four), 1 year in Canada, 3 years abroad, no spouse factors.
 * rules/crs/2015-01-01.json ("withoutSpouse" columns; unchanged by later versions):
 *   core.age, row ageFrom 30                                         105
 *   core.education, bachelors                                        120
 *   core.firstLanguage, row clbFrom 9: 31 × 4 abilities               124
 *   core.secondLanguage, none                                          0
 *   core.canadianWork, row yearsFrom 1                                40   core = 389
 *   transferability.education: bachelors is "post-secondary";
 *     + language, CLB 9 in all (minClbAllAbilities [7, 9] → 2nd)     25
 *     + Canadian work, 1 year (minYears [1, 2] → 1st)                 13   = 38 (cap 50)
 *   transferability.foreignWork: 3 years is "three-years-or-more";
 *     + language (2nd level)                                          50
 *     + Canadian work (1st level)                                     25   = 75 → cap 50
 *   transferability.certificateOfQualification, none                   0   transferability = 88 (cap 100)
 *   additional.arrangedEmployment "teer-0-1-2-3": rules/crs/2016-11-19.json sets 50, in force through
 *     crs-2020-10-27 (until 2025-03-24); rules/crs/2025-03-25.json sets the table to null → 0.
 *   Total 2025-03-24: 389 + 0 + 88 + 50 = 527;  2025-03-25: 389 + 0 + 88 + 0 = 477.
 * The test result of 2024-09-14 is valid for 2 years (rules/language-validity.json): through 2026-09-13.
 */
import { describe, expect, it } from "vitest";
import type { CrsNotScored, CrsScore } from "../src/index.js";
import { ee, requireBuiltCli } from "./ee.js";
import { pointsOf } from "./helpers.js";

requireBuiltCli();

const FILE = "examples/job-offer.json";

describe(`ee crs ${FILE} --as-of …`, () => {
  it.each([
    // as of, rule set, total, core, transferability, arranged employment
    ["2025-03-24", "crs-2020-10-27", 527, 389, 88, 50],
    ["2025-03-25", "crs-2025-03-25", 477, 389, 88, 0],
    ["2026-09-13", "crs-2025-03-25", 477, 389, 88, 0],
  ] as const)("%s: %s, total %i", (asOf, ruleSet, total, core, transferability, offer) => {
    const run = ee(["crs", FILE, "--as-of", asOf, "--json"]);
    expect([run.status, run.stderr]).toEqual([0, ""]);
    const result = JSON.parse(run.stdout) as CrsScore;
    expect(result).toMatchObject({
      status: "scored",
      asOf,
      total,
      scoredAs: "single",
      ruleSet: { id: ruleSet },
    });
    expect([result.core.subtotal, result.spouse.subtotal, result.skillTransferability.subtotal]).toEqual([
      core,
      0,
      transferability,
    ]);
    expect(result.additional.subtotal).toBe(offer);
    expect(
      ["core.age", "core.education", "core.firstLanguage", "core.canadianWork"].map((f) =>
        pointsOf(result, f),
      ),
    ).toEqual([105, 120, 124, 40]);
    expect(
      ["skillTransferability.education", "skillTransferability.foreignWork"].map((f) => pointsOf(result, f)),
    ).toEqual([38, 50]);
    expect(pointsOf(result, "additional.arrangedEmployment")).toBe(offer);
  });

  it("2026-09-14: the test result is two years old, so no score (exit 3)", () => {
    const run = ee(["crs", FILE, "--as-of", "2026-09-14", "--json"]);
    expect(run.status).toBe(3);
    const result = JSON.parse(run.stdout) as CrsNotScored;
    expect(result.status).toBe("not-scored");
    expect(result.reasons.map((r) => r.field)).toEqual(["firstLanguage.date"]);
  });

  it("the table output names the total and the rule set, as the README says", () => {
    const before = ee(["crs", FILE, "--as-of", "2025-03-24"]);
    const after = ee(["crs", FILE, "--as-of", "2025-03-25"]);
    expect(before.stdout).toMatch(/^CRS score: 527 \/ 1200\nAs of 2025-03-24 under rule set crs-2020-10-27 /);
    expect(after.stdout).toMatch(/^CRS score: 477 \/ 1200\nAs of 2025-03-25 under rule set crs-2025-03-25 /);
  });
});
