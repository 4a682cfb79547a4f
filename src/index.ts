/**
 * Express Entry engine — library API.
 *
 *   import { score } from "express-entry-engine";
 *   const result = score(questionnaire, { asOf: "2026-11-21" });
 */

import { type CrsOutcome, scoreQuestionnaire } from "./domain/crs/score.js";
import { type EligibilityOutcome, eligibilityOf } from "./domain/eligibility/report.js";
import { todayInOttawa } from "./calendar/instants.js";
import { defaultRuleBook, type RuleBook } from "./rules/index.js";

export interface ScoreCallOptions {
  /** YYYY-MM-DD; overrides the questionnaire's own asOf. Default: the questionnaire's, else today in Ottawa. */
  asOf?: string;
  /** Rule book to use; default: the package's own rule data. */
  book?: RuleBook;
}

/** Scores one CRS questionnaire (any JSON value; validated here). */
export function score(questionnaire: unknown, options: ScoreCallOptions = {}): CrsOutcome {
  return scoreQuestionnaire(questionnaire, {
    asOf: options.asOf,
    book: options.book ?? defaultRuleBook(),
    today: todayInOttawa,
  });
}

/** Programs, categories and the CRS score of a full profile on a date. */
export function eligibility(profile: unknown, options: ScoreCallOptions = {}): EligibilityOutcome {
  return eligibilityOf(profile, {
    asOf: options.asOf,
    book: options.book ?? defaultRuleBook(),
    today: todayInOttawa,
  });
}

export type { CrsLine, CrsSection, RuleRef } from "./domain/crs/explain.js";
export {
  type EligibilityOutcome,
  type EligibilityReport,
  evaluateProfile,
  validateProfile,
} from "./domain/eligibility/report.js";
export type { CategoryResult, Check, ProgramResult } from "./domain/eligibility/types.js";
export { type Profile, type ProfileInput, profileSchema } from "./domain/profile/profile.js";
export { profileToQuestionnaire } from "./domain/profile/derive.js";
export type { CrsFacts, FactsContext } from "./domain/crs/facts.js";
export { questionnaireToFacts } from "./domain/crs/facts.js";
export { type CompiledCrs, type CrsPoints, compileCrs, crsPoints } from "./domain/crs/points.js";
export {
  type FieldError,
  type Questionnaire,
  type QuestionnaireInput,
  questionnaireSchema,
} from "./domain/crs/questionnaire.js";
export {
  type CrsInvalid,
  type CrsNotScored,
  type CrsOutcome,
  type CrsScore,
  scoreFacts,
  scoreQuestionnaire,
} from "./domain/crs/score.js";
export { type ConvertedLanguageResult, convertLanguageResult } from "./domain/language.js";
export { defaultRuleBook, RuleBook } from "./rules/index.js";
