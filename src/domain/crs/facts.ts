/**
 * CRS facts: what the grid reads, resolved for one as-of date (age in completed years, language
 * levels from valid test results, whether spouse factors apply). Questionnaires and, later, full
 * profiles are both turned into facts, so one scoring path serves every input.
 */
import type { RuleBook } from "../../rules/rule-book.js";
import type { CanadianEducation, EducationLevel, JobOffer } from "../../rules/schema.js";
import { completedYears } from "../../calendar/dates.js";
import { type Clb, type ConvertedLanguageResult, convertLanguageResult } from "../language.js";
import { type FieldError, type Questionnaire, WITH_PARTNER } from "./questionnaire.js";

export interface SpouseFacts {
  education: EducationLevel;
  /** First official language of the spouse, or null without a (valid) test. */
  language: Clb | null;
  canadianWorkYears: number;
}

export interface CrsFacts {
  asOf: string;
  /** True when the "with spouse" columns apply: a partner who is accompanying and not a citizen/PR. */
  withSpouse: boolean;
  age: number;
  education: EducationLevel;
  canadianEducation: CanadianEducation | null;
  firstLanguage: Clb;
  firstLanguageIs: "english" | "french";
  secondLanguage: Clb | null;
  canadianWorkYears: number;
  foreignWorkYears: number;
  certificateOfQualification: boolean;
  jobOffer: JobOffer | null;
  provincialNomination: boolean;
  siblingInCanada: boolean;
  spouse: SpouseFacts | null;
}

/** How each input was read, for the explanation. */
export interface FactsContext {
  ageFrom: { dateOfBirth: string } | { age: number };
  partner: "none" | "accompanying" | "not-accompanying" | "citizen-or-pr";
  maritalStatus: Questionnaire["maritalStatus"];
  firstLanguage: ConvertedLanguageResult;
  secondLanguage: ConvertedLanguageResult | null;
  spouseLanguage: ConvertedLanguageResult | null;
}

export type FactsOutcome =
  | { status: "ok"; facts: CrsFacts; context: FactsContext }
  | { status: "invalid"; errors: FieldError[] }
  | { status: "not-scored"; reasons: FieldError[] };

export function questionnaireToFacts(q: Questionnaire, asOf: string, book: RuleBook): FactsOutcome {
  const invalid: FieldError[] = [];
  const notScorable: FieldError[] = [];

  const convert = (input: Questionnaire["firstLanguage"] | null | undefined, path: string) => {
    if (!input) return null;
    const outcome = convertLanguageResult(input, asOf, book);
    if (outcome.ok) return outcome.result;
    for (const p of outcome.problems) {
      (p.kind === "invalid" ? invalid : notScorable).push({
        field: `${path}.${p.field}`,
        message: p.message,
      });
    }
    return null;
  };

  let age: number;
  if (q.dateOfBirth !== undefined) {
    if (q.dateOfBirth > asOf) {
      invalid.push({ field: "dateOfBirth", message: `${q.dateOfBirth} is after the as-of date ${asOf}` });
      age = 0;
    } else age = completedYears(q.dateOfBirth, asOf);
  } else age = q.age ?? 0;

  const partner: FactsContext["partner"] =
    !WITH_PARTNER.has(q.maritalStatus) || !q.spouse
      ? "none"
      : q.spouse.canadianCitizenOrPR
        ? "citizen-or-pr"
        : q.spouse.accompanying
          ? "accompanying"
          : "not-accompanying";
  const withSpouse = partner === "accompanying";

  const firstIs = book.languageTest(q.firstLanguage.test).language;
  if (q.secondLanguage && book.languageTest(q.secondLanguage.test).language === firstIs)
    invalid.push({
      field: "secondLanguage.test",
      message: `must be a test of the other official language (firstLanguage is ${firstIs}, ${q.firstLanguage.test})`,
    });
  const first = convert(q.firstLanguage, "firstLanguage");
  const second = convert(q.secondLanguage, "secondLanguage");
  // A spouse who does not count is scored as single: their test is neither read nor required.
  const spouseLanguage = withSpouse ? convert(q.spouse?.language, "spouse.language") : null;

  if (invalid.length > 0) return { status: "invalid", errors: invalid };
  if (notScorable.length > 0 || !first) return { status: "not-scored", reasons: notScorable };

  const spouse: SpouseFacts | null =
    withSpouse && q.spouse
      ? {
          education: q.spouse.education ?? "none",
          language: spouseLanguage?.clb ?? null,
          canadianWorkYears: q.spouse.canadianWorkYears ?? 0,
        }
      : null;

  return {
    status: "ok",
    facts: {
      asOf,
      withSpouse,
      age,
      education: q.education,
      canadianEducation: q.canadianEducation,
      firstLanguage: first.clb,
      firstLanguageIs: first.language,
      secondLanguage: second?.clb ?? null,
      canadianWorkYears: q.canadianWorkYears,
      foreignWorkYears: q.foreignWorkYears,
      certificateOfQualification: q.certificateOfQualification,
      jobOffer: q.jobOffer,
      provincialNomination: q.provincialNomination,
      siblingInCanada: q.siblingInCanada,
      spouse,
    },
    context: {
      ageFrom: q.dateOfBirth !== undefined ? { dateOfBirth: q.dateOfBirth } : { age },
      partner,
      maritalStatus: q.maritalStatus,
      firstLanguage: first,
      secondLanguage: second,
      spouseLanguage,
    },
  };
}
