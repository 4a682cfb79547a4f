/**
 * Loads and validates the rule data files (`rules/` at the package root). Every `*.json` file in
 * `rules/crs` is a CRS version and every file in `rules/language-tests` a test's charts, so adding a
 * version is adding one file. The build validates them once and writes the result next to this
 * module (dist/src/rules/rule-data.json), which a start-up reads instead of validating again.
 */
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import {
  type CategoryExperienceRule,
  type CategoryVersion,
  type CecRules,
  type CrsRuleFile,
  categoryExperienceFileSchema,
  categoryVersionSchema,
  cecFileSchema,
  crsRuleFileSchema,
  type FstRules,
  type FswRules,
  fstFileSchema,
  fswFileSchema,
  type NocFile,
  nocFileSchema,
  type PoolBands,
  type PoolLifecycle,
  poolBandsFileSchema,
  roundNamesFileSchema,
  type RoundNames,
  poolLifecycleFileSchema,
  type ProofOfFunds,
  proofOfFundsFileSchema,
  type LanguageTestRules,
  type LanguageValidityRule,
  languageTestFileSchema,
  languageValidityFileSchema,
  type Notice,
  noticesFileSchema,
} from "./schema.js";

/** The package's `rules/` folder, found from this module whether it runs from `src/` or `dist/src/`. */
export function rulesDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "rules", "crs");
    if (existsSync(candidate)) return join(dir, "rules");
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`rule data folder 'rules/' not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

function readValidated<T>(file: string, schema: z.ZodType<T>): T {
  const raw: unknown = JSON.parse(readFileSync(file, "utf8"));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`invalid rule file ${file}: ${first?.path.join(".")}: ${first?.message}`);
  }
  return parsed.data;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => join(dir, name));
}

export interface RuleData {
  crs: CrsRuleFile[];
  languageTests: LanguageTestRules[];
  languageValidity: LanguageValidityRule[];
  notices: Notice[];
  noc: NocFile;
  categories: CategoryVersion[];
  categoryExperience: CategoryExperienceRule[];
  fsw: FswRules[];
  cec: CecRules[];
  fst: FstRules[];
  proofOfFunds: ProofOfFunds[];
  poolLifecycle: PoolLifecycle[];
  poolBands: PoolBands;
  roundNames: RoundNames;
}

export function loadRuleData(dir = rulesDirectory()): RuleData {
  return {
    crs: jsonFiles(join(dir, "crs")).map((f) => readValidated(f, crsRuleFileSchema)),
    languageTests: jsonFiles(join(dir, "language-tests")).map((f) =>
      readValidated(f, languageTestFileSchema),
    ),
    languageValidity: readValidated(join(dir, "language-validity.json"), languageValidityFileSchema).rows,
    notices: readValidated(join(dir, "notices.json"), noticesFileSchema).notices,
    noc: readValidated(join(dir, "noc-2021.json"), nocFileSchema),
    categories: jsonFiles(join(dir, "categories")).map((f) => readValidated(f, categoryVersionSchema)),
    categoryExperience: readValidated(join(dir, "category-experience.json"), categoryExperienceFileSchema)
      .rows,
    fsw: readValidated(join(dir, "programs", "fsw.json"), fswFileSchema).versions,
    cec: readValidated(join(dir, "programs", "cec.json"), cecFileSchema).versions,
    fst: readValidated(join(dir, "programs", "fst.json"), fstFileSchema).versions,
    proofOfFunds: readValidated(join(dir, "proof-of-funds.json"), proofOfFundsFileSchema).versions,
    poolLifecycle: readValidated(join(dir, "pool-lifecycle.json"), poolLifecycleFileSchema).versions,
    poolBands: readValidated(join(dir, "ircc-pool-bands.json"), poolBandsFileSchema),
    roundNames: readValidated(join(dir, "round-names.json"), roundNamesFileSchema),
  };
}

/** Where the build writes the validated rule data: next to this module, so only under dist/. */
export const RULE_DATA_FILE = fileURLToPath(new URL("./rule-data.json", import.meta.url));

/** The newest modification time (ms) of the files under `dir`. */
function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The rule data as the build validated and wrote it, read without zod; or undefined when there is no
 * such file (running from src/, or before a build) or it is older than a rule file under `dir`, so
 * the caller validates `rules/` itself.
 */
export function readPrevalidatedRuleData(
  file = RULE_DATA_FILE,
  dir = rulesDirectory(),
): RuleData | undefined {
  let written: number;
  try {
    written = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  if (written < newestChange(dir)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as RuleData;
}

/** Writes validated rule data for readPrevalidatedRuleData (whole or not at all: renamed into place). */
export function writePrevalidatedRuleData(data: RuleData, file = RULE_DATA_FILE): void {
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(data));
  renameSync(partial, file);
}
