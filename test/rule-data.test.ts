/**
 * The rule data the build validates once (src/rules/build-rule-data.ts → dist/src/rules/rule-data.json)
 * and start-up reads without zod: it must be exactly what validating rules/ gives, be ignored once a
 * rule file is newer, ship in the package, and an invalid rule file must fail the build.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  loadRuleData,
  readPrevalidatedRuleData,
  rulesDirectory,
  writePrevalidatedRuleData,
} from "../src/rules/load.js";
import { RuleBook } from "../src/rules/rule-book.js";
import { requireBuiltCli, ROOT, tempDir } from "./ee.js";

requireBuiltCli();

const BUILT = fileURLToPath(new URL("../dist/src/rules/rule-data.json", import.meta.url));
const BUILD_STEP = fileURLToPath(new URL("../dist/src/rules/build-rule-data.js", import.meta.url));
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

/** A copy of rules/ to change freely, with rule data written for it. */
function copyOfRules() {
  const dir = tempDir("ee-rules-");
  const rules = join(dir, "rules");
  cpSync(rulesDirectory(), rules, { recursive: true });
  return { rules, data: join(dir, "rule-data.json") };
}

describe("prevalidated rule data", () => {
  it("the build wrote exactly what validating rules/ gives", () => {
    expect(JSON.parse(readFileSync(BUILT, "utf8"))).toEqual(plain(loadRuleData()));
  });

  it("a rule book from it, without the zod check of the resolved tables, equals one from validated data", () => {
    const validated = new RuleBook(loadRuleData());
    const prevalidated = new RuleBook(JSON.parse(readFileSync(BUILT, "utf8")), { prevalidated: true });
    expect(plain(prevalidated.crsRuleSets)).toEqual(plain(validated.crsRuleSets));
    expect(prevalidated.categoryVersions).toEqual(validated.categoryVersions);
  });

  it("is read when it is not older than every rule file, and ignored once a rule file is newer", () => {
    const { rules, data } = copyOfRules();
    expect(readPrevalidatedRuleData(data, rules)).toBeUndefined(); // not written yet
    writePrevalidatedRuleData(loadRuleData(rules), data);
    expect(plain(readPrevalidatedRuleData(data, rules))).toEqual(plain(loadRuleData(rules)));
    // The same time as every rule file (npm pack gives all files one date): still current.
    const written = new Date("2026-01-01T00:00:00Z");
    utimesSync(data, written, written);
    for (const file of readdirSync(rules, { recursive: true, encoding: "utf8" }))
      utimesSync(join(rules, file), written, written);
    expect(readPrevalidatedRuleData(data, rules)).toBeDefined();
    // A rule file edited after the build, even in a subfolder: validate again.
    const later = new Date("2026-01-01T00:00:01Z");
    utimesSync(join(rules, "categories", "stem-2025.json"), later, later);
    expect(readPrevalidatedRuleData(data, rules)).toBeUndefined();
  });

  it("ships in the package (package.json files)", () => {
    const run = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    const [pack] = JSON.parse(run.stdout) as [{ files: { path: string }[] }];
    const files = pack.files.map((f) => f.path);
    expect(files).toContain("dist/src/rules/rule-data.json");
    expect(files).toContain("rules/crs/2025-03-25.json");
  });
});

describe("the build step", () => {
  const build = (rules: string, data: string) =>
    spawnSync(process.execPath, [BUILD_STEP, rules, data], { encoding: "utf8" });

  it("validates and writes the data", () => {
    const { rules, data } = copyOfRules();
    const run = build(rules, data);
    expect(run.status).toBe(0);
    expect(JSON.parse(readFileSync(data, "utf8"))).toEqual(plain(loadRuleData(rules)));
  });

  it("fails (exit 1) on an invalid rule file, naming it, and leaves no rule data behind", () => {
    const { rules, data } = copyOfRules();
    writeFileSync(data, "{}"); // an earlier build's output
    const file = join(rules, "crs", "2025-03-25.json");
    const crs = JSON.parse(readFileSync(file, "utf8"));
    writeFileSync(file, JSON.stringify({ ...crs, effectiveFrom: "2025-02-30" }));
    const run = build(rules, data);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^rule data: invalid rule file ${file}: effectiveFrom: `));
    expect(existsSync(data)).toBe(false);
  });

  it("fails on data that only the rule book's cross-checks catch (a category's unknown NOC code)", () => {
    const { rules, data } = copyOfRules();
    const file = join(rules, "categories", "physicians-2026-v1.json");
    const category = JSON.parse(readFileSync(file, "utf8"));
    category.requirement.nocs.push("31999");
    writeFileSync(file, JSON.stringify(category));
    const run = build(rules, data);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("rule data: category physicians-2026-v1: unknown NOC 2021 code 31999\n");
    expect(existsSync(data)).toBe(false);
  });
});
