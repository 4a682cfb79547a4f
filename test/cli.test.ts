/** The `ee` command line, run as a child process from the built dist/ (run `npm run build` first). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CrsInvalid, CrsNotScored, CrsOutcome, CrsScore } from "../src/index.js";
import { score } from "../src/index.js";
import { ee as runEe, requireBuiltCli, type Run } from "./ee.js";
import { celpip, questionnaire, scored } from "./helpers.js";

requireBuiltCli();
const EXAMPLE = "examples/single-ielts.json";

/** `ee args…` in the repository, with `stdin` as standard input. */
const ee = (args: string[], stdin?: string): Run => runEe(args, { stdin });

const json = <T = CrsOutcome>(run: Run): T => JSON.parse(run.stdout) as T;

/** A questionnaire whose test (2024-06-01, valid until 2026-05-31) can be scored from 2024-06-01 on. */
const withJobOffer = questionnaire({
  asOf: "2026-05-01",
  firstLanguage: celpip(9, 9, 9, 9, "2024-06-01"),
  canadianWorkYears: 1,
  jobOffer: "teer-0-1-2-3",
});
const expired = questionnaire({ firstLanguage: celpip(9, 9, 9, 9, "2023-01-01") });
const phd = { ...questionnaire(), education: "phd" };

const exampleText = readFileSync(new URL(`../${EXAMPLE}`, import.meta.url), "utf8");
const exampleScore = scored(score(JSON.parse(exampleText)));

describe("ee crs: scoring", () => {
  it("scores the example file (exit 0) and the table names the total and the rule set", () => {
    const run = ee(["crs", EXAMPLE]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain(`CRS score: ${exampleScore.total} / ${exampleScore.maximum}`);
    expect(run.stdout).toContain("crs-2025-03-25");
    expect(run.stdout).toContain(exampleScore.asOf);
  });

  it("--json prints the outcome object, whose total is the sum of the four subtotals", () => {
    const run = ee(["crs", EXAMPLE, "--json"]);
    expect(run.status).toBe(0);
    const result = json<CrsScore>(run);
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining([
        "status",
        "total",
        "ruleSet",
        "core",
        "spouse",
        "skillTransferability",
        "additional",
        "asOf",
        "scoredAs",
        "languageResults",
        "notices",
      ]),
    );
    expect(result.status).toBe("scored");
    expect(result.ruleSet).toMatchObject({ id: "crs-2025-03-25", effectiveFrom: "2025-03-25" });
    for (const section of [result.core, result.spouse, result.skillTransferability, result.additional]) {
      expect(section).toEqual(
        expect.objectContaining({
          subtotal: expect.any(Number),
          maximum: expect.any(Number),
          lines: expect.any(Array),
        }),
      );
    }
    expect(result.total).toBe(
      result.core.subtotal +
        result.spouse.subtotal +
        result.skillTransferability.subtotal +
        result.additional.subtotal,
    );
    expect(result.asOf).toBe("2026-11-21");
    expect(result.scoredAs).toBe("single");
    expect(result.languageResults.first.test).toBe("IELTS");
    expect(result.languageResults.second?.test).toBe("TEF");
    expect(Array.isArray(result.notices)).toBe(true);
    // The CLI and the library agree.
    expect(result).toEqual(JSON.parse(JSON.stringify(exampleScore)));
  });

  it('reads standard input for "-", and when no file is given and input is piped', () => {
    for (const args of [
      ["crs", "-", "--json"],
      ["crs", "--json"],
    ]) {
      const run = ee(args, exampleText);
      expect(run.status, args.join(" ")).toBe(0);
      expect(json<CrsScore>(run).total).toBe(exampleScore.total);
    }
  });

  it("an array gives an array of results, in order", () => {
    const items = [JSON.parse(exampleText), withJobOffer];
    const run = ee(["crs", "-", "--json"], JSON.stringify(items));
    expect(run.status).toBe(0);
    const results = json<CrsScore[]>(run);
    expect(results).toHaveLength(2);
    expect(results.map((r) => [r.status, r.asOf])).toEqual([
      ["scored", "2026-11-21"],
      ["scored", "2026-05-01"],
    ]);
    expect(results[0]?.total).toBe(exampleScore.total);
  });

  it("--as-of overrides the input's asOf and picks the rule set in force that day", () => {
    const before = ee(["crs", "-", "--json", "--as-of", "2025-03-24"], JSON.stringify(withJobOffer));
    const after = ee(["crs", "-", "--json", "--as-of", "2025-03-25"], JSON.stringify(withJobOffer));
    expect([before.status, after.status]).toEqual([0, 0]);
    const [a, b] = [json<CrsScore>(before), json<CrsScore>(after)];
    expect([a.asOf, a.ruleSet.id]).toEqual(["2025-03-24", "crs-2020-10-27"]);
    expect([b.asOf, b.ruleSet.id]).toEqual(["2025-03-25", "crs-2025-03-25"]);
    // The TEER 0–3 job offer earns 50 points the day before arranged-employment points were removed.
    expect(a.total - b.total).toBe(50);
  });
});

describe("ee crs: invalid input and usage (exit 2)", () => {
  it("a malformed --as-of", () => {
    const run = ee(["crs", EXAMPLE, "--as-of", "2025-3-1"]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/--as-of.*YYYY-MM-DD.*2025-3-1/);
  });

  it("a --as-of that is not a calendar date", () => {
    const run = ee(["crs", EXAMPLE, "--as-of", "2025-02-30"]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("ee: --as-of: is not a real calendar date (got '2025-02-30')\n");
  });

  it("a --as-of before Express Entry, said once for the whole run", () => {
    const run = ee(["crs", EXAMPLE, "--as-of", "2014-12-31"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("ee: --as-of: 2014-12-31 is before the first CRS rule set (2015-01-01)\n");
  });

  it("an empty array is an error, not a silent success", () => {
    const run = ee(["crs", "-"], "[]");
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/empty/);
  });

  it("invalid JSON: a message that says so, no stack trace", () => {
    const run = ee(["crs", "-"], '{"maritalStatus": "single",');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^ee: standard input: not valid JSON/);
  });

  it("a missing file", () => {
    const run = ee(["crs", "no-such-dir/missing.json"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("no-such-dir/missing.json");
    expect(run.stderr).toMatch(/no such file/);
  });

  it("a wrong value names the field and the reason", () => {
    const run = ee(["crs", "-"], JSON.stringify(phd));
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^invalid input: education: must be one of .*doctoral/m);
  });

  it("an unknown field is named", () => {
    const run = ee(["crs", "-"], JSON.stringify({ ...questionnaire(), favouriteColour: "blue" }));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown field.*favouriteColour/);
  });

  it("--json prints status invalid with field errors", () => {
    const run = ee(["crs", "-", "--json"], JSON.stringify(phd));
    expect(run.status).toBe(2);
    const outcome = json<CrsInvalid>(run);
    expect(outcome.status).toBe("invalid");
    expect(outcome.errors).toEqual([{ field: "education", message: expect.stringMatching(/one of/) }]);
  });
});

describe("ee crs: not scorable on the as-of date (exit 3)", () => {
  it("an expired test: explained on stderr, nothing on stdout", () => {
    const run = ee(["crs", "-"], JSON.stringify(expired));
    expect(run.status).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/firstLanguage\.date: .*expired/);
    expect(run.stderr).toContain("2026-06-01");
  });

  it("--json prints status not-scored with the reason", () => {
    const run = ee(["crs", "-", "--json"], JSON.stringify(expired));
    expect(run.status).toBe(3);
    const outcome = json<CrsNotScored>(run);
    expect(outcome).toMatchObject({
      status: "not-scored",
      asOf: "2026-06-01",
      ruleSet: { id: "crs-2025-03-25" },
    });
    expect(outcome.reasons).toEqual([
      { field: "firstLanguage.date", message: expect.stringMatching(/expired/) },
    ]);
  });
});

describe("ee crs: arrays with mixed outcomes", () => {
  const mixed = JSON.stringify([withJobOffer, expired, phd, withJobOffer]);

  it("--json: every item has its own outcome; invalid (2) wins over not-scored (3)", () => {
    const run = ee(["crs", "-", "--json"], mixed);
    expect(run.status).toBe(2);
    const outcomes = json<CrsOutcome[]>(run);
    expect(outcomes.map((o) => o.status)).toEqual(["scored", "not-scored", "invalid", "scored"]);
    expect((outcomes[2] as CrsInvalid).errors.map((e) => e.field)).toEqual(["education"]);
    expect((outcomes[3] as CrsScore).total).toBe((outcomes[0] as CrsScore).total);
  });

  it("table output: scored items on stdout, the others labelled on stderr", () => {
    const run = ee(["crs", "-"], mixed);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain("item 0\nCRS score:");
    expect(run.stdout).toContain("item 3\nCRS score:");
    expect(run.stdout).not.toMatch(/item [12]/);
    expect(run.stderr).toMatch(/^item 1: no score as of 2026-06-01/m);
    expect(run.stderr).toMatch(/expired/);
    expect(run.stderr).toMatch(/^item 2: invalid input: education: /m);
  });

  it("scored and expired items only: exit 3", () => {
    const run = ee(["crs", "-", "--json"], JSON.stringify([withJobOffer, expired]));
    expect(run.status).toBe(3);
    expect(json<CrsOutcome[]>(run).map((o) => o.status)).toEqual(["scored", "not-scored"]);
  });
});

describe("ee: commands and options", () => {
  it("--help exits 0 and lists the commands", () => {
    const run = ee(["--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Usage: ee/);
    expect(run.stdout).toMatch(/\bcrs\b/);
    expect(run.stdout).toMatch(/\brules\b/);
  });

  it("an unknown command exits 2", () => {
    const run = ee(["bogus"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown command 'bogus'/);
  });

  it("an unknown option exits 2", () => {
    const run = ee(["crs", EXAMPLE, "--bogus"]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/unknown option '--bogus'/);
  });

  it("rules lists the rule sets, the current one included", () => {
    const run = ee(["rules"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^crs-2015-01-01 /m);
    expect(run.stdout).toMatch(/^crs-2025-03-25 .*now/m);
  });

  it("rules --json lists the rule sets in date order", () => {
    const run = ee(["rules", "--json"]);
    expect(run.status).toBe(0);
    const { crs } = json<{ crs: { id: string; effectiveFrom: string; effectiveTo: string | null }[] }>(run);
    expect(crs.map((s) => s.id)).toContain("crs-2025-03-25");
    expect(crs.at(-1)).toMatchObject({ id: "crs-2025-03-25", effectiveTo: null });
    const froms = crs.map((s) => s.effectiveFrom);
    expect(froms).toEqual([...froms].sort());
  });
});
