/**
 * The CRS arithmetic. A rule set is compiled once into lookup arrays; `crsPoints` then reads facts
 * and returns every factor's points, the caps applied, and the section subtotals. The explanation
 * tree is drawn from this same record, so the numbers shown are the numbers computed.
 */
import type { CrsRuleSet } from "../../rules/rule-book.js";
import { EDUCATION_LEVELS, type EducationLevel } from "../../rules/schema.js";
import { type Clb, minClb } from "../language.js";
import type { CrsFacts } from "./facts.js";

const MAX_AGE = 130;
const MAX_CLB = 12;
const MAX_YEARS = 60;

type Column = "withSpouse" | "withoutSpouse";

/** Expands step rows ("from this value on, these points") into an array indexed by value 0..max. */
function expandSteps<R>(
  rows: readonly R[],
  from: (row: R) => number,
  points: (row: R) => number,
  max: number,
) {
  const sorted = [...rows].sort((a, b) => from(a) - from(b));
  const out = new Int16Array(max + 1);
  for (let value = 0; value <= max; value++) {
    let p = 0;
    for (const row of sorted) if (from(row) <= value) p = points(row);
    out[value] = p;
  }
  return out;
}

type ByColumn = Record<Column, Int16Array>;
const byColumn = <R extends Record<Column, number>>(
  rows: readonly R[],
  from: (row: R) => number,
  max: number,
) => ({
  withSpouse: expandSteps(rows, from, (r) => r.withSpouse, max),
  withoutSpouse: expandSteps(rows, from, (r) => r.withoutSpouse, max),
});

/** Highest column whose threshold `value` reaches: 0 none, 1 first, 2 second. */
const column = (value: number, thresholds: readonly [number, number]) =>
  value >= thresholds[1] ? 2 : value >= thresholds[0] ? 1 : 0;
const pick = (points: readonly [number, number], col: number) => (col === 0 ? 0 : (points[col - 1] ?? 0));

export interface CompiledCrs {
  ruleSet: CrsRuleSet;
  age: ByColumn;
  education: Record<Column, Record<EducationLevel, number>>;
  firstLanguage: ByColumn;
  secondLanguage: ByColumn;
  canadianWork: ByColumn;
  spouseEducation: Record<EducationLevel, number>;
  spouseLanguage: Int16Array;
  spouseCanadianWork: Int16Array;
  /** 0 = secondary or less, 1 = post-secondary (1 year+), 2 = advanced. */
  educationTier: Record<EducationLevel, 0 | 1 | 2>;
  /**
   * The most years of each kind of work any table of this rule set tells apart: beyond it, another year
   * changes no points (so a score need not be recomputed when one is gained).
   */
  yearsCap: { canadian: number; foreign: number; spouseCanadian: number };
}

const compiled = new WeakMap<CrsRuleSet, CompiledCrs>();

export function compileCrs(ruleSet: CrsRuleSet): CompiledCrs {
  const cached = compiled.get(ruleSet);
  if (cached) return cached;
  const t = ruleSet.tables;
  const educationColumn = (col: Column) =>
    Object.fromEntries(
      EDUCATION_LEVELS.map((level) => [
        level,
        t["core.education"].rows.find((r) => r.level === level)?.[col] ?? 0,
      ]),
    ) as Record<EducationLevel, number>;
  const tiers = t["transferability.education"].tiers;
  const maxOf = (...values: number[]) => Math.max(0, ...values);
  const result: CompiledCrs = {
    ruleSet,
    age: byColumn(t["core.age"].rows, (r) => r.ageFrom, MAX_AGE),
    education: { withSpouse: educationColumn("withSpouse"), withoutSpouse: educationColumn("withoutSpouse") },
    firstLanguage: byColumn(t["core.firstLanguage"].rows, (r) => r.clbFrom, MAX_CLB),
    secondLanguage: byColumn(t["core.secondLanguage"].rows, (r) => r.clbFrom, MAX_CLB),
    canadianWork: byColumn(t["core.canadianWork"].rows, (r) => r.yearsFrom, MAX_YEARS),
    spouseEducation: Object.fromEntries(
      EDUCATION_LEVELS.map((level) => [
        level,
        t["spouse.education"].rows.find((r) => r.level === level)?.points ?? 0,
      ]),
    ) as Record<EducationLevel, number>,
    spouseLanguage: expandSteps(
      t["spouse.language"].rows,
      (r) => r.clbFrom,
      (r) => r.points,
      MAX_CLB,
    ),
    spouseCanadianWork: expandSteps(
      t["spouse.canadianWork"].rows,
      (r) => r.yearsFrom,
      (r) => r.points,
      MAX_YEARS,
    ),
    educationTier: Object.fromEntries(
      EDUCATION_LEVELS.map((level) => [
        level,
        tiers.advanced.includes(level) ? 2 : tiers["post-secondary"].includes(level) ? 1 : 0,
      ]),
    ) as Record<EducationLevel, 0 | 1 | 2>,
    yearsCap: {
      canadian: maxOf(
        ...t["core.canadianWork"].rows.map((r) => r.yearsFrom),
        ...t["transferability.education"].withCanadianWork.minYears,
        ...t["transferability.foreignWork"].withCanadianWork.minYears,
      ),
      foreign: maxOf(...Object.values(t["transferability.foreignWork"].tiers)),
      spouseCanadian: maxOf(...t["spouse.canadianWork"].rows.map((r) => r.yearsFrom)),
    },
  };
  compiled.set(ruleSet, result);
  return result;
}

export interface CrsPoints {
  withSpouse: boolean;
  age: number;
  education: number;
  firstLanguage: Clb;
  firstLanguageTotal: number;
  secondLanguage: Clb;
  secondLanguageUncapped: number;
  secondLanguageTotal: number;
  canadianWork: number;
  core: number;

  spouseEducation: number;
  spouseLanguage: Clb;
  spouseLanguageUncapped: number;
  spouseLanguageTotal: number;
  spouseCanadianWork: number;
  spouse: number;

  educationWithLanguage: number;
  educationWithCanadianWork: number;
  educationGroupUncapped: number;
  educationGroup: number;
  foreignWorkWithLanguage: number;
  foreignWorkWithCanadianWork: number;
  foreignWorkGroupUncapped: number;
  foreignWorkGroup: number;
  certificateWithLanguage: number;
  certificateGroup: number;
  transferabilityUncapped: number;
  transferability: number;

  provincialNomination: number;
  arrangedEmployment: number;
  canadianEducation: number;
  frenchProficiency: number;
  sibling: number;
  additionalUncapped: number;
  additional: number;

  total: number;
}

const clamp = (value: number, max: number) => Math.min(value, max);
const ZERO: Clb = Object.freeze({ speaking: 0, listening: 0, reading: 0, writing: 0 });

function perAbility(levels: Clb, table: Int16Array): Clb {
  return {
    speaking: table[clamp(levels.speaking, MAX_CLB)] ?? 0,
    listening: table[clamp(levels.listening, MAX_CLB)] ?? 0,
    reading: table[clamp(levels.reading, MAX_CLB)] ?? 0,
    writing: table[clamp(levels.writing, MAX_CLB)] ?? 0,
  };
}
const sum = (c: Clb) => c.speaking + c.listening + c.reading + c.writing;

export function crsPoints(f: CrsFacts, c: CompiledCrs): CrsPoints {
  const t = c.ruleSet.tables;
  const col: Column = f.withSpouse ? "withSpouse" : "withoutSpouse";

  // A. Core / human capital
  const age = c.age[col][clamp(f.age, MAX_AGE)] ?? 0;
  const education = c.education[col][f.education];
  const firstLanguage = perAbility(f.firstLanguage, c.firstLanguage[col]);
  const firstLanguageTotal = sum(firstLanguage);
  const secondLanguage = f.secondLanguage ? perAbility(f.secondLanguage, c.secondLanguage[col]) : ZERO;
  const secondLanguageUncapped = sum(secondLanguage);
  const secondCap = f.withSpouse
    ? t["core.secondLanguage"].capWithSpouse
    : t["core.secondLanguage"].capWithoutSpouse;
  const secondLanguageTotal = clamp(secondLanguageUncapped, secondCap);
  const canadianWork = c.canadianWork[col][clamp(f.canadianWorkYears, MAX_YEARS)] ?? 0;
  const core = age + education + firstLanguageTotal + secondLanguageTotal + canadianWork;

  // B. Spouse or common-law partner
  const s = f.withSpouse ? f.spouse : null;
  const spouseEducation = s ? c.spouseEducation[s.education] : 0;
  const spouseLanguage = s?.language ? perAbility(s.language, c.spouseLanguage) : ZERO;
  const spouseLanguageUncapped = sum(spouseLanguage);
  const spouseLanguageTotal = clamp(spouseLanguageUncapped, t["spouse.language"].cap);
  const spouseCanadianWork = s ? (c.spouseCanadianWork[clamp(s.canadianWorkYears, MAX_YEARS)] ?? 0) : 0;
  const spouse = spouseEducation + spouseLanguageTotal + spouseCanadianWork;

  // C. Skill transferability
  const firstMin = minClb(f.firstLanguage);
  const te = t["transferability.education"];
  const eduTier = c.educationTier[f.education];
  const eduTierName = eduTier === 2 ? "advanced" : "post-secondary";
  const educationWithLanguage =
    eduTier === 0
      ? 0
      : pick(te.withLanguage.points[eduTierName], column(firstMin, te.withLanguage.minClbAllAbilities));
  const educationWithCanadianWork =
    eduTier === 0
      ? 0
      : pick(
          te.withCanadianWork.points[eduTierName],
          column(f.canadianWorkYears, te.withCanadianWork.minYears),
        );
  const educationGroupUncapped = educationWithLanguage + educationWithCanadianWork;
  const educationGroup = clamp(educationGroupUncapped, te.cap);

  const tf = t["transferability.foreignWork"];
  const foreignTier =
    f.foreignWorkYears >= tf.tiers["three-years-or-more"]
      ? "three-years-or-more"
      : f.foreignWorkYears >= tf.tiers["one-or-two-years"]
        ? "one-or-two-years"
        : null;
  const foreignWorkWithLanguage = foreignTier
    ? pick(tf.withLanguage.points[foreignTier], column(firstMin, tf.withLanguage.minClbAllAbilities))
    : 0;
  const foreignWorkWithCanadianWork = foreignTier
    ? pick(tf.withCanadianWork.points[foreignTier], column(f.canadianWorkYears, tf.withCanadianWork.minYears))
    : 0;
  const foreignWorkGroupUncapped = foreignWorkWithLanguage + foreignWorkWithCanadianWork;
  const foreignWorkGroup = clamp(foreignWorkGroupUncapped, tf.cap);

  const tc = t["transferability.certificateOfQualification"];
  const certificateWithLanguage = f.certificateOfQualification
    ? pick(tc.withLanguage.points, column(firstMin, tc.withLanguage.minClbAllAbilities))
    : 0;
  const certificateGroup = clamp(certificateWithLanguage, tc.cap);
  const transferabilityUncapped = educationGroup + foreignWorkGroup + certificateGroup;
  const transferability = clamp(transferabilityUncapped, t["transferability.total"].cap);

  // D. Additional points
  const provincialNomination = f.provincialNomination ? t["additional.provincialNomination"].points : 0;
  const ae = t["additional.arrangedEmployment"];
  const arrangedEmployment = ae && f.jobOffer ? ae.points[f.jobOffer] : 0;
  const ce = t["additional.canadianEducation"];
  const canadianEducation = ce && f.canadianEducation ? ce.points[f.canadianEducation] : 0;
  const frenchProficiency = frenchPoints(f, t["additional.frenchProficiency"]);
  const sib = t["additional.sibling"];
  const sibling = sib && f.siblingInCanada ? sib.points : 0;
  const additionalUncapped =
    provincialNomination + arrangedEmployment + canadianEducation + frenchProficiency + sibling;
  const additional = clamp(additionalUncapped, t["additional.total"].cap);

  return {
    withSpouse: f.withSpouse,
    age,
    education,
    firstLanguage,
    firstLanguageTotal,
    secondLanguage,
    secondLanguageUncapped,
    secondLanguageTotal,
    canadianWork,
    core,
    spouseEducation,
    spouseLanguage,
    spouseLanguageUncapped,
    spouseLanguageTotal,
    spouseCanadianWork,
    spouse,
    educationWithLanguage,
    educationWithCanadianWork,
    educationGroupUncapped,
    educationGroup,
    foreignWorkWithLanguage,
    foreignWorkWithCanadianWork,
    foreignWorkGroupUncapped,
    foreignWorkGroup,
    certificateWithLanguage,
    certificateGroup,
    transferabilityUncapped,
    transferability,
    provincialNomination,
    arrangedEmployment,
    canadianEducation,
    frenchProficiency,
    sibling,
    additionalUncapped,
    additional,
    total: core + spouse + transferability + additional,
  };
}

/** The French and English levels of the principal applicant, whichever slot each test is in. */
export function frenchAndEnglish(f: CrsFacts): { french: Clb | null; english: Clb | null } {
  const second = f.secondLanguage;
  return f.firstLanguageIs === "french"
    ? { french: f.firstLanguage, english: second }
    : { french: second, english: f.firstLanguage };
}

function frenchPoints(f: CrsFacts, rule: CrsRuleSet["tables"]["additional.frenchProficiency"]): number {
  if (!rule) return 0;
  const { french, english } = frenchAndEnglish(f);
  if (!french || minClb(french) < rule.minNclcAllAbilities) return 0;
  return english && minClb(english) >= rule.minEnglishClbAllAbilitiesForHigher
    ? rule.pointsWithEnglish
    : rule.pointsWithoutEnglish;
}
