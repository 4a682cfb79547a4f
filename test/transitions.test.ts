/** Rule-set selection by as-of date, and the scores on each side of every transition. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultRuleBook, RuleBook, score } from "../src/index.js";
import { loadRuleData, rulesDirectory } from "../src/rules/index.js";
import { celpip, pointsOf, questionnaire, scored, tcf } from "./helpers.js";

describe("rule-set selection by as-of date", () => {
  it.each([
    ["2015-01-01", "crs-2015-01-01"],
    ["2016-11-18", "crs-2015-01-01"],
    ["2016-11-19", "crs-2016-11-19"],
    ["2017-06-05", "crs-2016-11-19"],
    ["2017-06-06", "crs-2017-06-06"],
    ["2020-10-26", "crs-2017-06-06"],
    ["2020-10-27", "crs-2020-10-27"],
    ["2025-03-24", "crs-2020-10-27"],
    ["2025-03-25", "crs-2025-03-25"],
    ["2026-11-21", "crs-2025-03-25"],
  ])("%s → %s", (asOf, id) => {
    expect(defaultRuleBook().crsRuleSetFor(asOf)?.id).toBe(id);
  });

  it("has nothing before Express Entry began", () => {
    expect(defaultRuleBook().crsRuleSetFor("2014-12-31")).toBeUndefined();
    const r = score(questionnaire(), { asOf: "2014-12-31" });
    expect(r.status).toBe("invalid");
  });

  it("each rule set ends the day before the next begins; the last is open", () => {
    const sets = defaultRuleBook().crsRuleSets;
    expect(sets.map((s) => [s.effectiveFrom, s.effectiveTo])).toEqual([
      ["2015-01-01", "2016-11-18"],
      ["2016-11-19", "2017-06-05"],
      ["2017-06-06", "2020-10-26"],
      ["2020-10-27", "2025-03-24"],
      ["2025-03-25", null],
    ]);
  });

  it("names the rule set used, and flags the unverified 2026-11-03 change from that date", () => {
    const before = scored(score(questionnaire(), { asOf: "2026-11-02" }));
    const after = scored(score(questionnaire(), { asOf: "2026-11-03" }));
    expect(before.ruleSet.id).toBe("crs-2025-03-25");
    expect(before.notices).toEqual([]);
    expect(after.notices.map((n) => n.id)).toEqual(["crs-2026-11-03-unverified"]);
  });
});

describe("scores across the transitions", () => {
  const test2016 = celpip(9, 9, 9, 9, "2016-06-01");
  it("2016-11-19: job offer 600 → 50/200; Canadian education points appear", () => {
    const q = questionnaire({
      jobOffer: "teer-0-1-2-3",
      education: "masters",
      canadianEducation: "three-year-or-more",
      firstLanguage: test2016,
    });
    const before = scored(score(q, { asOf: "2016-11-18" }));
    const after = scored(score(q, { asOf: "2016-11-19" }));
    expect(pointsOf(before, "additional.arrangedEmployment")).toBe(600);
    expect(() => pointsOf(before, "additional.canadianEducation")).toThrow();
    expect(pointsOf(after, "additional.arrangedEmployment")).toBe(50);
    expect(pointsOf(after, "additional.canadianEducation")).toBe(30);
    const senior = scored(score({ ...q, jobOffer: "major-group-00" }, { asOf: "2016-11-19" }));
    expect(pointsOf(senior, "additional.arrangedEmployment")).toBe(200);
  });

  it("2017-06-06: French 15/30 and sibling 15 appear", () => {
    const q = questionnaire({
      firstLanguage: tcf(7, 7, 7, 7, "2017-01-10"),
      secondLanguage: celpip(6, 6, 6, 6, "2017-01-10"),
      siblingInCanada: true,
    });
    const before = scored(score(q, { asOf: "2017-06-05" }));
    const after = scored(score(q, { asOf: "2017-06-06" }));
    expect(before.additional.subtotal).toBe(0);
    expect(pointsOf(after, "additional.frenchProficiency")).toBe(30);
    expect(pointsOf(after, "additional.sibling")).toBe(15);
    expect(after.total - before.total).toBe(45);
  });

  it("2020-10-27: French 30 → 50", () => {
    const q = questionnaire({
      firstLanguage: tcf(9, 9, 9, 9, "2020-01-10"),
      secondLanguage: celpip(5, 5, 5, 5, "2020-01-10"),
    });
    expect(pointsOf(scored(score(q, { asOf: "2020-10-26" })), "additional.frenchProficiency")).toBe(30);
    expect(pointsOf(scored(score(q, { asOf: "2020-10-27" })), "additional.frenchProficiency")).toBe(50);
  });

  it("2025-03-25: arranged employment removed, explained rather than silently dropped", () => {
    const q = questionnaire({ jobOffer: "major-group-00", firstLanguage: celpip(9, 9, 9, 9, "2025-01-10") });
    const after = scored(score(q, { asOf: "2025-03-25" }));
    const line = after.additional.lines.find((l) => l.factor === "additional.arrangedEmployment");
    expect(line?.points).toBe(0);
    expect(line?.note).toMatch(/no CRS points/);
  });
});

describe("adding a rule version is one data file", () => {
  it("a new dated file in rules/crs is picked up and chosen from its date", () => {
    const dir = mkdtempSync(join(tmpdir(), "ee-rules-"));
    cpSync(rulesDirectory(), dir, { recursive: true });
    const hypothetical = {
      id: "crs-2030-01-01",
      title: "Hypothetical test version",
      effectiveFrom: "2030-01-01",
      basedOn: "crs-2025-03-25",
      instrument: "test",
      changes: "Sibling points doubled (test only).",
      source: { url: "https://example.org/test", status: "secondary" },
      tables: {
        "additional.sibling": {
          title: "Sibling",
          source: { url: "https://example.org/test", status: "secondary" },
          points: 30,
        },
      },
    };
    writeFileSync(join(dir, "crs", "2030-01-01.json"), JSON.stringify(hypothetical));
    const book = new RuleBook(loadRuleData(dir));
    const q = questionnaire({ siblingInCanada: true, firstLanguage: celpip(9, 9, 9, 9, "2029-06-01") });
    expect(pointsOf(scored(score(q, { asOf: "2029-12-31", book })), "additional.sibling")).toBe(15);
    const r = scored(score(q, { asOf: "2030-01-01", book }));
    expect(r.ruleSet.id).toBe("crs-2030-01-01");
    expect(pointsOf(r, "additional.sibling")).toBe(30);
    // Tables it does not set are inherited, with their citations.
    expect(r.core.lines[0]?.rule?.setBy).toBe("crs-2015-01-01");
  });

  it("a malformed rule file fails loudly, naming the file and field", () => {
    const dir = mkdtempSync(join(tmpdir(), "ee-rules-"));
    cpSync(rulesDirectory(), dir, { recursive: true });
    const file = join(dir, "crs", "2025-03-25.json");
    const broken = JSON.parse(readFileSync(file, "utf8"));
    broken.tables["additional.sibling"] = {
      title: "x",
      source: { url: "not a url", status: "official" },
      points: 15,
    };
    writeFileSync(file, JSON.stringify(broken));
    expect(() => loadRuleData(dir)).toThrow(/2025-03-25\.json.*additional\.sibling\.source\.url/);
  });
});
