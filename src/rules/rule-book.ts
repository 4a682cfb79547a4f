/**
 * The rule book: every dated rule set, resolved and ready to pick by an as-of date. Built from the
 * validated data files; pure (no I/O), so tests can build one from hand-made data.
 */
import { addDays } from "../domain/dates.js";
import type { RuleData } from "./load.js";
import {
  type CrsRuleFile,
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

function resolveCrs(files: CrsRuleFile[]): CrsRuleSet[] {
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
    const complete = crsTablesSchema.safeParse(tables);
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

  constructor(data: RuleData) {
    this.crsRuleSets = resolveCrs(data.crs);
    this.tests = new Map(data.languageTests.map((t) => [t.test, t]));
    this.validity = [...data.languageValidity].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
    this.notices = data.notices;
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
    let found: LanguageValidityRule | undefined;
    for (const row of this.validity) if (row.effectiveFrom <= asOf) found = row;
    return found;
  }

  noticesFor(asOf: string): Notice[] {
    return this.notices.filter((n) => n.from <= asOf);
  }
}
