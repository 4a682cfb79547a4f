/**
 * The rule book: every dated rule set, resolved and ready to pick by an as-of date. Built from the
 * validated data files; pure (no I/O), so tests can build one from hand-made data.
 */
import { addDays } from "../calendar/dates.js";
import { type Day, dayOf } from "../calendar/days.js";
import type { RuleData } from "./load.js";
import {
  type CategoryExperienceRule,
  type CategoryVersion,
  type CecRules,
  type CrsRuleFile,
  type FstRules,
  type FswRules,
  type NocUnitGroup,
  type PoolBands,
  type RoundNames,
  type PoolLifecycle,
  type ProofOfFunds,
  type CrsTableId,
  type CrsTables,
  crsTablesSchema,
  type LanguageTestCode,
  type LanguageTestRules,
  type LanguageValidityRule,
  type Notice,
  type Source,
} from "./schema.js";

export interface CrsRuleSet {
  id: string;
  title: string;
  effectiveFrom: string;
  /** Last day in force, or null while current. */
  effectiveTo: string | null;
  instrument: string;
  changes: string;
  source: Source;
  tables: CrsTables;
  /** For each table, the id of the version that last set it (its citation comes with it). */
  tableSetBy: Record<CrsTableId, string>;
}

export class RuleBookError extends Error {}

/**
 * Every rule in force over a stretch of days on which none of them changes: what an evaluation on a
 * day reads, and the last day it stays so (`until`), so an evaluation knows when the rules move.
 */
export interface RulePeriod {
  /** First and last day (day numbers) of the period; `until` is the end of the calendar for the last one. */
  from: Day;
  until: Day;
  fromIso: string;
  crs: CrsRuleSet | undefined;
  fsw: FswRules | undefined;
  cec: CecRules | undefined;
  fst: FstRules | undefined;
  proofOfFunds: ProofOfFunds | undefined;
  languageValidity: LanguageValidityRule | undefined;
  /** Category versions in force, each with the experience rule it applies in this period. */
  categories: readonly {
    version: CategoryVersion;
    experience: Omit<CategoryExperienceRule, "source"> | undefined;
  }[];
}

/** The last day the calendar (and so any evaluation) reaches. */
export const LAST_DAY_ISO = "2199-12-31";

/** The latest row whose effectiveFrom is on or before asOf (rows in any order). */
export function inForce<T extends { effectiveFrom: string }>(
  rows: readonly T[],
  asOf: string,
): T | undefined {
  let found: T | undefined;
  for (const row of rows)
    if (row.effectiveFrom <= asOf && (!found || row.effectiveFrom > found.effectiveFrom)) found = row;
  return found;
}

function resolveCrs(files: CrsRuleFile[], prevalidated = false): CrsRuleSet[] {
  const byId = new Map(files.map((f) => [f.id, f]));
  const sorted = [...files].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  const resolved: CrsRuleSet[] = [];
  for (const [i, file] of sorted.entries()) {
    const chain: CrsRuleFile[] = [];
    for (let f: CrsRuleFile | undefined = file; f; f = f.basedOn ? byId.get(f.basedOn) : undefined) {
      if (chain.includes(f)) throw new RuleBookError(`CRS rule set ${file.id}: 'basedOn' forms a cycle`);
      if (f.basedOn && !byId.has(f.basedOn))
        throw new RuleBookError(`CRS rule set ${f.id}: basedOn '${f.basedOn}' does not exist`);
      chain.unshift(f);
    }
    const tables: Record<string, unknown> = {};
    const tableSetBy: Record<string, string> = {};
    for (const f of chain) {
      for (const [key, value] of Object.entries(f.tables)) {
        tables[key] = value;
        tableSetBy[key] = f.id;
      }
    }
    // Prevalidated data (the build's rule-data.json) passed this same check when it was written.
    const complete = prevalidated
      ? { success: true as const, data: tables as CrsTables }
      : crsTablesSchema.safeParse(tables);
    if (!complete.success) {
      const missing = complete.error.issues.map((issue) => issue.path.join(".")).join(", ");
      throw new RuleBookError(`CRS rule set ${file.id} lacks tables after resolution: ${missing}`);
    }
    const next = sorted[i + 1];
    resolved.push({
      id: file.id,
      title: file.title,
      effectiveFrom: file.effectiveFrom,
      effectiveTo: next ? addDays(next.effectiveFrom, -1) : null,
      instrument: file.instrument,
      changes: file.changes,
      source: file.source,
      tables: complete.data,
      tableSetBy: tableSetBy as Record<CrsTableId, string>,
    });
  }
  return resolved;
}

export class RuleBook {
  readonly crsRuleSets: readonly CrsRuleSet[];
  private readonly tests: Map<LanguageTestCode, LanguageTestRules>;
  private readonly validity: LanguageValidityRule[];
  private readonly notices: Notice[];
  private readonly nocs: Map<string, NocUnitGroup>;
  readonly nocSource: RuleData["noc"]["sources"];
  readonly nocInUseFrom: string;
  readonly categoryVersions: readonly CategoryVersion[];
  private readonly categoryExperience: CategoryExperienceRule[];
  private readonly programs: Pick<RuleData, "fsw" | "cec" | "fst" | "proofOfFunds">;
  private readonly lifecycle: PoolLifecycle[];
  readonly poolBands: PoolBands;
  readonly roundNames: RoundNames;
  private periods: RulePeriod[] | undefined;

  constructor(data: RuleData, options: { prevalidated?: boolean } = {}) {
    this.crsRuleSets = resolveCrs(data.crs, options.prevalidated);
    this.tests = new Map(data.languageTests.map((t) => [t.test, t]));
    this.validity = [...data.languageValidity].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
    this.notices = data.notices;
    this.nocs = new Map(data.noc.unitGroups.map((u) => [u.code, u]));
    this.nocSource = data.noc.sources;
    this.nocInUseFrom = data.noc.inUseByIrccFrom;
    this.categoryVersions = [...data.categories].sort(
      (a, b) => a.category.localeCompare(b.category) || a.effectiveFrom.localeCompare(b.effectiveFrom),
    );
    this.categoryExperience = data.categoryExperience;
    this.programs = { fsw: data.fsw, cec: data.cec, fst: data.fst, proofOfFunds: data.proofOfFunds };
    this.lifecycle = data.poolLifecycle;
    this.poolBands = data.poolBands;
    this.roundNames = data.roundNames;
    for (const version of this.categoryVersions)
      if (version.requirement.kind === "occupation")
        for (const code of version.requirement.nocs)
          if (!this.nocs.has(code))
            throw new RuleBookError(`category ${version.id}: unknown NOC 2021 code ${code}`);
  }

  /** The rules in force on a day (a day number), and until when they all stay in force. */
  periodOn(day: Day): RulePeriod {
    const periods = (this.periods ??= this.buildPeriods());
    let lo = 0;
    let hi = periods.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((periods[mid] as RulePeriod).from <= day) lo = mid;
      else hi = mid - 1;
    }
    return periods[lo] as RulePeriod;
  }

  private buildPeriods(): RulePeriod[] {
    const starts = new Set<string>(["1900-01-01"]);
    const add = (rows: readonly { effectiveFrom: string }[]) =>
      rows.forEach((r) => starts.add(r.effectiveFrom));
    add(this.crsRuleSets);
    add(this.programs.fsw);
    add(this.programs.cec);
    add(this.programs.fst);
    add(this.programs.proofOfFunds);
    add(this.validity);
    add(this.categoryExperience);
    for (const v of this.categoryVersions) {
      starts.add(v.effectiveFrom);
      if (v.effectiveTo !== null) starts.add(addDays(v.effectiveTo, 1));
      if (v.requirement.kind === "occupation") add(v.requirement.experience ?? []);
    }
    const sorted = [...starts].filter((d) => d <= LAST_DAY_ISO).sort();
    return sorted.map((iso, i) => {
      const next = sorted[i + 1];
      return {
        from: dayOf(iso),
        until: next === undefined ? dayOf(LAST_DAY_ISO) : dayOf(next) - 1,
        fromIso: iso,
        crs: this.crsRuleSetFor(iso),
        fsw: this.fswFor(iso),
        cec: this.cecFor(iso),
        fst: this.fstFor(iso),
        proofOfFunds: this.proofOfFundsFor(iso),
        languageValidity: this.languageValidityFor(iso),
        categories: this.categoriesFor(iso).map((version) => ({
          version,
          experience:
            version.requirement.kind !== "occupation"
              ? undefined
              : version.requirement.experience
                ? inForce(version.requirement.experience, iso)
                : this.categoryExperienceFor(iso),
        })),
      };
    });
  }

  noc(code: string): NocUnitGroup | undefined {
    return this.nocs.get(code);
  }

  /** Category versions in force on `asOf`. */
  categoriesFor(asOf: string): CategoryVersion[] {
    return this.categoryVersions.filter(
      (v) => v.effectiveFrom <= asOf && (v.effectiveTo === null || asOf <= v.effectiveTo),
    );
  }

  /** The category version whose IRCC round name matches `name` (ignoring case, spaces and punctuation). */
  categoryByRoundName(name: string): CategoryVersion | undefined {
    const key = normalizeRoundName(name);
    return this.categoryVersions.find((v) => this.roundNamesOf(v).some((n) => normalizeRoundName(n) === key));
  }

  /** Every name IRCC gives (or gave) a version's rounds: English, aliases, French. */
  private roundNamesOf(v: CategoryVersion): string[] {
    return [
      ...(v.roundName === null ? [] : [v.roundName]),
      ...v.roundNameAliases,
      ...(this.roundNames.categoryNamesFr.names[v.id] ?? []),
    ];
  }

  /**
   * What a published round name means on the round's date: the one mapping used by round runs and the
   * history. A category name matches its version exactly (ignoring case, spaces, punctuation, accents and
   * plurals); failing that, ignoring the version suffix among the versions in force on `date`
   * (`loose: true`, which the history reports). undefined when nothing matches.
   */
  roundByName(name: string, date: string): RoundMeaning | undefined {
    const key = normalizeRoundName(name);
    for (const entry of this.roundNames.names)
      if ([...entry.en, ...entry.fr].some((n) => normalizeRoundName(n) === key))
        return entry.kind === "general"
          ? { kind: "general", loose: false }
          : { kind: "program", program: entry.program, loose: false };
    const exact = this.categoryByRoundName(name);
    if (exact) return { kind: "category", categoryVersion: exact.id, category: exact.category, loose: false };
    const base = stripVersion(key);
    const loose = this.categoriesFor(date).find((v) =>
      this.roundNamesOf(v).some((n) => stripVersion(normalizeRoundName(n)) === base),
    );
    return loose
      ? { kind: "category", categoryVersion: loose.id, category: loose.category, loose: true }
      : undefined;
  }

  /**
   * The French name of a round given by its (English or French) name, from the same mapping: the name
   * of its kind in rules/round-names.json, or of its category version; with the status of that source.
   * For display where the history has no French feed's name (`nameFr`); undefined when there is none.
   */
  frenchRoundName(
    name: string,
    date: string,
  ): { name: string; status: "official" | "secondary" } | undefined {
    const meaning = this.roundByName(name, date);
    if (!meaning) return undefined;
    if (meaning.kind === "category") {
      const fr = this.roundNames.categoryNamesFr.names[meaning.categoryVersion]?.[0];
      return fr === undefined ? undefined : { name: fr, status: this.roundNames.categoryNamesFr.source };
    }
    const entry = this.roundNames.names.find((e) =>
      meaning.kind === "general"
        ? e.kind === "general"
        : e.kind === "program" && e.program === meaning.program,
    );
    const fr = entry?.fr[0];
    return entry && fr !== undefined ? { name: fr, status: entry.frStatus } : undefined;
  }

  categoryExperienceFor(asOf: string): CategoryExperienceRule | undefined {
    return inForce(this.categoryExperience, asOf);
  }

  fswFor(asOf: string): FswRules | undefined {
    return inForce(this.programs.fsw, asOf);
  }

  cecFor(asOf: string): CecRules | undefined {
    return inForce(this.programs.cec, asOf);
  }

  fstFor(asOf: string): FstRules | undefined {
    return inForce(this.programs.fst, asOf);
  }

  poolLifecycleFor(asOf: string): PoolLifecycle | undefined {
    return inForce(this.lifecycle, asOf);
  }

  proofOfFundsFor(asOf: string): ProofOfFunds | undefined {
    return inForce(this.programs.proofOfFunds, asOf);
  }

  /** The CRS rule set in force on `asOf` (YYYY-MM-DD), or undefined before the first one. */
  crsRuleSetFor(asOf: string): CrsRuleSet | undefined {
    let found: CrsRuleSet | undefined;
    for (const set of this.crsRuleSets) if (set.effectiveFrom <= asOf) found = set;
    return found;
  }

  crsRuleSet(id: string): CrsRuleSet | undefined {
    return this.crsRuleSets.find((set) => set.id === id);
  }

  languageTest(code: LanguageTestCode): LanguageTestRules {
    const rules = this.tests.get(code);
    if (!rules) throw new RuleBookError(`no chart data for language test ${code}`);
    return rules;
  }

  languageValidityFor(asOf: string): LanguageValidityRule | undefined {
    return inForce(this.validity, asOf);
  }

  noticesFor(asOf: string): Notice[] {
    return this.notices.filter((n) => n.from <= asOf);
  }
}

/**
 * A round name's comparison key: case, accents, spaces, punctuation and a plural "s" ignored, so
 * "Trade occupations" and "Trades Occupations" compare equal ("Version 2" keeps its number).
 */
export function normalizeRoundName(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((word) => (word.length > 3 && word.endsWith("s") ? word.slice(0, -1) : word))
    .join("");
}

/** A normalized name without its version suffix ("…version2", "…2026version3"). */
function stripVersion(key: string): string {
  return key.replace(/(\d{4})?version\d+$/, "");
}

/** What a round name means (RuleBook.roundByName). */
export type RoundMeaning =
  | { kind: "general"; loose: boolean }
  | { kind: "program"; program: "CEC" | "FSW" | "FST" | "PNP" | undefined; loose: boolean }
  | { kind: "category"; categoryVersion: string; category: string; loose: boolean };
