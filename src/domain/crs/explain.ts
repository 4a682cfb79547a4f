/**
 * The explanation tree: every number of a CRS score as a line with its factor, the input read, the
 * points, the maximum, and the rule (rule set, table, and the table's source).
 */
import type { CrsRuleSet } from "../../rules/rule-book.js";
import { ABILITIES, type Ability, type CrsTableId, type Source } from "../../rules/schema.js";
import type { Clb, ConvertedLanguageResult } from "../language.js";
import type { CrsFacts, FactsContext } from "./facts.js";
import type { CompiledCrs, CrsPoints } from "./points.js";

export interface RuleRef {
  /** Rule set in force on the as-of date. */
  ruleSet: string;
  table: CrsTableId;
  /** Rule-set version that last set this table. */
  setBy: string;
  source: Source;
}

export interface CrsLine {
  factor: string;
  label: string;
  /** The input as read, e.g. "IELTS 7 → CLB 9". */
  input?: string;
  points: number;
  maximum: number;
  rule?: RuleRef;
  note?: string;
  lines?: CrsLine[];
}

export type SectionId = "core" | "spouse" | "skillTransferability" | "additional";

export interface CrsSection {
  id: SectionId;
  title: string;
  subtotal: number;
  maximum: number;
  lines: CrsLine[];
}

const ABILITY_LABEL: Record<Ability, string> = {
  speaking: "Speaking",
  listening: "Listening",
  reading: "Reading",
  writing: "Writing",
};

const levelName = (language: "english" | "french") => (language === "french" ? "NCLC" : "CLB");
const levelText = (language: "english" | "french", clb: number) =>
  clb === 0 ? `below ${levelName(language)} 4` : `${levelName(language)} ${clb}`;

const max = (values: Iterable<number>) => Math.max(0, ...values);
const columnMaxima = new WeakMap<Int16Array, number>();
/** The largest value of a compiled column (a constant of the rule set, worked out once). */
function colMax(a: Int16Array): number {
  let m = columnMaxima.get(a);
  if (m === undefined) columnMaxima.set(a, (m = max(a)));
  return m;
}

/** One shared, frozen reference per rule set and table: a tree of forty lines cites a handful of tables. */
const refs = new WeakMap<CrsRuleSet, Map<CrsTableId, RuleRef>>();
function ruleRef(set: CrsRuleSet, table: CrsTableId): RuleRef {
  let bySet = refs.get(set);
  if (!bySet) refs.set(set, (bySet = new Map()));
  let r = bySet.get(table);
  if (!r)
    bySet.set(
      table,
      (r = Object.freeze({
        ruleSet: set.id,
        table,
        setBy: set.tableSetBy[table],
        source: (set.tables[table] as { source: Source }).source,
      })),
    );
  return r;
}

/** The largest value of a rule table's points (a constant of the rule set, worked out once). */
const maxima = new WeakMap<object, number>();
function maxOf(points: object): number {
  let m = maxima.get(points);
  if (m === undefined) maxima.set(points, (m = max(Object.values(points).flat() as number[])));
  return m;
}

const yearsText = (n: number) => (n === 1 ? "1 year" : `${n} years`);

function capNote(uncapped: number, cap: number): string | undefined {
  return uncapped > cap ? `capped at ${cap} (uncapped ${uncapped})` : undefined;
}

export function explainCrs(
  facts: CrsFacts,
  context: FactsContext,
  points: CrsPoints,
  compiled: CompiledCrs,
): CrsSection[] {
  const set: CrsRuleSet = compiled.ruleSet;
  const t = set.tables;
  const col = facts.withSpouse ? "withSpouse" : "withoutSpouse";
  const ref = (table: CrsTableId): RuleRef => ruleRef(set, table);

  const languageLines = (
    factor: string,
    result: ConvertedLanguageResult | null,
    levels: Clb | null,
    pts: Clb,
    perAbilityMax: number,
    table: CrsTableId,
  ): CrsLine[] =>
    ABILITIES.map((ability) => ({
      factor: `${factor}.${ability}`,
      label: ABILITY_LABEL[ability],
      input:
        result && levels
          ? `${result.testName} ${result.scores[ability]} → ${levelText(result.language, levels[ability])}`
          : "no test",
      points: pts[ability],
      maximum: perAbilityMax,
      rule: ref(table),
    }));

  const ageInput =
    "dateOfBirth" in context.ageFrom
      ? `${facts.age} (born ${context.ageFrom.dateOfBirth}, as of ${facts.asOf})`
      : `${facts.age}`;
  const firstMax = colMax(compiled.firstLanguage[col]);
  const secondCap = facts.withSpouse
    ? t["core.secondLanguage"].capWithSpouse
    : t["core.secondLanguage"].capWithoutSpouse;
  const core: CrsLine[] = [
    {
      factor: "core.age",
      label: "Age",
      input: ageInput,
      points: points.age,
      maximum: colMax(compiled.age[col]),
      rule: ref("core.age"),
    },
    {
      factor: "core.education",
      label: "Level of education",
      input: facts.education,
      points: points.education,
      maximum: maxOf(compiled.education[col]),
      rule: ref("core.education"),
    },
    {
      factor: "core.firstLanguage",
      label: `First official language (${facts.firstLanguageIs})`,
      input: context.firstLanguage.testName,
      points: points.firstLanguageTotal,
      maximum: firstMax * 4,
      rule: ref("core.firstLanguage"),
      lines: languageLines(
        "core.firstLanguage",
        context.firstLanguage,
        facts.firstLanguage,
        points.firstLanguage,
        firstMax,
        "core.firstLanguage",
      ),
    },
    {
      factor: "core.secondLanguage",
      label: "Second official language",
      input: context.secondLanguage?.testName ?? "none",
      points: points.secondLanguageTotal,
      maximum: secondCap,
      rule: ref("core.secondLanguage"),
      note: capNote(points.secondLanguageUncapped, secondCap),
      lines: context.secondLanguage
        ? languageLines(
            "core.secondLanguage",
            context.secondLanguage,
            facts.secondLanguage,
            points.secondLanguage,
            colMax(compiled.secondLanguage[col]),
            "core.secondLanguage",
          )
        : undefined,
    },
    {
      factor: "core.canadianWork",
      label: "Canadian work experience",
      input: yearsText(facts.canadianWorkYears),
      points: points.canadianWork,
      maximum: colMax(compiled.canadianWork[col]),
      rule: ref("core.canadianWork"),
    },
  ];

  const partnerNote: Record<FactsContext["partner"], string> = {
    none: "No spouse or common-law partner: scored as single.",
    accompanying:
      "Accompanying spouse or partner who is not a Canadian citizen or PR: 'with spouse' columns.",
    "not-accompanying": "Spouse or partner is not accompanying: scored as single (no spouse factors).",
    "citizen-or-pr": "Spouse or partner is a Canadian citizen or PR: scored as single (no spouse factors).",
  };
  const spouseLanguageCap = t["spouse.language"].cap;
  const spouse: CrsLine[] = facts.spouse
    ? [
        {
          factor: "spouse.education",
          label: "Spouse: level of education",
          input: facts.spouse.education,
          points: points.spouseEducation,
          maximum: maxOf(compiled.spouseEducation),
          rule: ref("spouse.education"),
        },
        {
          factor: "spouse.language",
          label: "Spouse: first official language",
          input: context.spouseLanguage?.testName ?? "no test",
          points: points.spouseLanguageTotal,
          maximum: spouseLanguageCap,
          rule: ref("spouse.language"),
          note: capNote(points.spouseLanguageUncapped, spouseLanguageCap),
          lines: context.spouseLanguage
            ? languageLines(
                "spouse.language",
                context.spouseLanguage,
                facts.spouse.language,
                points.spouseLanguage,
                colMax(compiled.spouseLanguage),
                "spouse.language",
              )
            : undefined,
        },
        {
          factor: "spouse.canadianWork",
          label: "Spouse: Canadian work experience",
          input: yearsText(facts.spouse.canadianWorkYears),
          points: points.spouseCanadianWork,
          maximum: colMax(compiled.spouseCanadianWork),
          rule: ref("spouse.canadianWork"),
        },
      ]
    : [];

  const te = t["transferability.education"];
  const tf = t["transferability.foreignWork"];
  const tc = t["transferability.certificateOfQualification"];
  const firstLevels = `${levelName(facts.firstLanguageIs)} ${ABILITIES.map((a) => facts.firstLanguage[a]).join("/")} (S/L/R/W)`;
  const transferability: CrsLine[] = [
    {
      factor: "skillTransferability.education",
      label: "Education",
      points: points.educationGroup,
      maximum: te.cap,
      rule: ref("transferability.education"),
      note: capNote(points.educationGroupUncapped, te.cap),
      lines: [
        {
          factor: "skillTransferability.education.language",
          label: "Education + official language",
          input: `${facts.education}; ${firstLevels}`,
          points: points.educationWithLanguage,
          maximum: maxOf(te.withLanguage.points),
          rule: ref("transferability.education"),
        },
        {
          factor: "skillTransferability.education.canadianWork",
          label: "Education + Canadian work experience",
          input: `${facts.education}; ${yearsText(facts.canadianWorkYears)} in Canada`,
          points: points.educationWithCanadianWork,
          maximum: maxOf(te.withCanadianWork.points),
          rule: ref("transferability.education"),
        },
      ],
    },
    {
      factor: "skillTransferability.foreignWork",
      label: "Foreign work experience",
      points: points.foreignWorkGroup,
      maximum: tf.cap,
      rule: ref("transferability.foreignWork"),
      note: capNote(points.foreignWorkGroupUncapped, tf.cap),
      lines: [
        {
          factor: "skillTransferability.foreignWork.language",
          label: "Foreign work + official language",
          input: `${yearsText(facts.foreignWorkYears)} abroad; ${firstLevels}`,
          points: points.foreignWorkWithLanguage,
          maximum: maxOf(tf.withLanguage.points),
          rule: ref("transferability.foreignWork"),
        },
        {
          factor: "skillTransferability.foreignWork.canadianWork",
          label: "Foreign work + Canadian work experience",
          input: `${yearsText(facts.foreignWorkYears)} abroad; ${yearsText(facts.canadianWorkYears)} in Canada`,
          points: points.foreignWorkWithCanadianWork,
          maximum: maxOf(tf.withCanadianWork.points),
          rule: ref("transferability.foreignWork"),
        },
      ],
    },
    {
      factor: "skillTransferability.certificateOfQualification",
      label: "Certificate of qualification + official language",
      input: facts.certificateOfQualification ? `certificate; ${firstLevels}` : "no certificate",
      points: points.certificateGroup,
      maximum: tc.cap,
      rule: ref("transferability.certificateOfQualification"),
    },
  ];

  const additional: CrsLine[] = [
    {
      factor: "additional.provincialNomination",
      label: "Provincial or territorial nomination",
      input: facts.provincialNomination ? "yes" : "no",
      points: points.provincialNomination,
      maximum: t["additional.provincialNomination"].points,
      rule: ref("additional.provincialNomination"),
    },
  ];
  const ae = t["additional.arrangedEmployment"];
  if (ae)
    additional.push({
      factor: "additional.arrangedEmployment",
      label: "Arranged employment",
      input: facts.jobOffer ?? "none",
      points: points.arrangedEmployment,
      maximum: maxOf(ae.points),
      rule: ref("additional.arrangedEmployment"),
    });
  else if (facts.jobOffer)
    additional.push({
      factor: "additional.arrangedEmployment",
      label: "Arranged employment",
      input: facts.jobOffer,
      points: 0,
      maximum: 0,
      note: `no CRS points for a job offer under ${set.id}`,
    });
  const ce = t["additional.canadianEducation"];
  if (ce)
    additional.push({
      factor: "additional.canadianEducation",
      label: "Post-secondary education in Canada",
      input: facts.canadianEducation ?? "none",
      points: points.canadianEducation,
      maximum: maxOf(ce.points),
      rule: ref("additional.canadianEducation"),
    });
  const fr = t["additional.frenchProficiency"];
  if (fr)
    additional.push({
      factor: "additional.frenchProficiency",
      label: "French-language proficiency",
      input: frenchInput(context),
      points: points.frenchProficiency,
      maximum: Math.max(fr.pointsWithEnglish, fr.pointsWithoutEnglish),
      rule: ref("additional.frenchProficiency"),
    });
  const sib = t["additional.sibling"];
  if (sib)
    additional.push({
      factor: "additional.sibling",
      label: "Brother or sister in Canada",
      input: facts.siblingInCanada ? "yes" : "no",
      points: points.sibling,
      maximum: sib.points,
      rule: ref("additional.sibling"),
    });
  const additionalCap = t["additional.total"].cap;
  const transferabilityCap = t["transferability.total"].cap;

  return [
    {
      id: "core",
      title: "A. Core / human capital",
      subtotal: points.core,
      maximum: core.reduce((acc, line) => acc + line.maximum, 0),
      lines: core,
    },
    {
      id: "spouse",
      title: `B. Spouse or common-law partner — ${partnerNote[context.partner]}`,
      subtotal: points.spouse,
      maximum: spouse.reduce((acc, line) => acc + line.maximum, 0),
      lines: spouse,
    },
    {
      id: "skillTransferability",
      title: "C. Skill transferability",
      subtotal: points.transferability,
      maximum: transferabilityCap,
      lines: withSectionCap(
        transferability,
        points.transferabilityUncapped,
        transferabilityCap,
        ref("transferability.total"),
      ),
    },
    {
      id: "additional",
      title: "D. Additional points",
      subtotal: points.additional,
      maximum: additionalCap,
      lines: withSectionCap(additional, points.additionalUncapped, additionalCap, ref("additional.total")),
    },
  ];
}

function withSectionCap(lines: CrsLine[], uncapped: number, cap: number, rule: RuleRef): CrsLine[] {
  if (uncapped <= cap) return lines;
  return [
    ...lines,
    {
      factor: `${rule.table}.cap`,
      label: "Section cap",
      points: cap - uncapped,
      maximum: 0,
      rule,
      note: `capped at ${cap} (uncapped ${uncapped})`,
    },
  ];
}

function frenchInput(context: FactsContext): string {
  const results = [context.firstLanguage, context.secondLanguage];
  const french = results.find((r) => r?.language === "french");
  const english = results.find((r) => r?.language === "english");
  const fmt = (r: ConvertedLanguageResult) =>
    `${r.testName} ${levelName(r.language)} ${ABILITIES.map((a) => r.clb[a]).join("/")}`;
  if (!french) return "no French test";
  return `${fmt(french)}; ${english ? fmt(english) : "no English test"}`;
}
