/**
 * The library entry point for CRS scores: questionnaire in, explained score (or the reasons there is
 * none) out. The CLI, and later the API and web app, call this; none of them holds rule logic.
 */
import type { CrsRuleSet, RuleBook } from "../../rules/rule-book.js";
import { isoDateSchema, type Source } from "../../rules/schema.js";
import type { ConvertedLanguageResult } from "../language.js";
import { type CrsSection, explainCrs } from "./explain.js";
import { type CrsFacts, type FactsContext, questionnaireToFacts } from "./facts.js";
import { compileCrs, crsPoints } from "./points.js";
import { type FieldError, questionnaireSchema, zodIssuesToFieldErrors } from "./questionnaire.js";

export interface RuleSetSummary {
  id: string;
  title: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  instrument: string;
  source: Source;
}

export interface CrsScore {
  status: "scored";
  asOf: string;
  ruleSet: RuleSetSummary;
  total: number;
  maximum: number;
  /** "with-spouse" when spouse factors apply, otherwise "single". */
  scoredAs: "with-spouse" | "single";
  core: CrsSection;
  spouse: CrsSection;
  skillTransferability: CrsSection;
  additional: CrsSection;
  languageResults: {
    first: ConvertedLanguageResult;
    second: ConvertedLanguageResult | null;
    spouse: ConvertedLanguageResult | null;
  };
  notices: { id: string; text: string; source: Source }[];
}

export interface CrsNotScored {
  status: "not-scored";
  asOf: string;
  ruleSet: RuleSetSummary | null;
  reasons: FieldError[];
}

export interface CrsInvalid {
  status: "invalid";
  errors: FieldError[];
}

export type CrsOutcome = CrsScore | CrsNotScored | CrsInvalid;

export interface ScoreOptions {
  /** YYYY-MM-DD; overrides the questionnaire's own asOf. Default: the questionnaire's, else today. */
  asOf?: string;
  /** Used when neither option nor questionnaire gives a date. */
  today: () => string;
  book: RuleBook;
}

export function summarizeRuleSet(set: CrsRuleSet): RuleSetSummary {
  return {
    id: set.id,
    title: set.title,
    effectiveFrom: set.effectiveFrom,
    effectiveTo: set.effectiveTo,
    instrument: set.instrument,
    source: set.source,
  };
}

/** Every CRS rule set with what it changed and its source (`ee rules`, `GET /api/rules`). */
export function ruleSetCatalogue(book: RuleBook) {
  return {
    crs: book.crsRuleSets.map((s) => ({
      id: s.id,
      title: s.title,
      effectiveFrom: s.effectiveFrom,
      effectiveTo: s.effectiveTo,
      changes: s.changes,
      source: s.source,
    })),
  };
}

/** Scores one questionnaire (any JSON value; it is validated here). */
export function scoreQuestionnaire(input: unknown, options: ScoreOptions): CrsOutcome {
  if (options.asOf !== undefined) {
    const checked = isoDateSchema.safeParse(options.asOf);
    if (!checked.success)
      return {
        status: "invalid",
        errors: [{ field: "asOf", message: checked.error.issues[0]?.message ?? "invalid" }],
      };
  }
  const parsed = questionnaireSchema.safeParse(input);
  if (!parsed.success) return { status: "invalid", errors: zodIssuesToFieldErrors(parsed.error.issues) };
  const asOf = options.asOf ?? parsed.data.asOf ?? options.today();
  const set = options.book.crsRuleSetFor(asOf);
  if (!set) {
    const first = options.book.crsRuleSets[0]?.effectiveFrom;
    return {
      status: "invalid",
      errors: [
        { field: "asOf", message: `${asOf} is before the first CRS rule set (in force from ${first})` },
      ],
    };
  }
  const outcome = questionnaireToFacts(parsed.data, asOf, options.book);
  if (outcome.status === "invalid") return outcome;
  if (outcome.status === "not-scored")
    return { status: "not-scored", asOf, ruleSet: summarizeRuleSet(set), reasons: outcome.reasons };
  return scoreFacts(outcome.facts, outcome.context, set, options.book);
}

/** Scores already-resolved facts under a given rule set, with the full explanation. */
export function scoreFacts(
  facts: CrsFacts,
  context: FactsContext,
  set: CrsRuleSet,
  book: RuleBook,
): CrsScore {
  const compiled = compileCrs(set);
  const points = crsPoints(facts, compiled);
  const [core, spouse, skillTransferability, additional] = explainCrs(facts, context, points, compiled) as [
    CrsSection,
    CrsSection,
    CrsSection,
    CrsSection,
  ];
  return {
    status: "scored",
    asOf: facts.asOf,
    ruleSet: summarizeRuleSet(set),
    total: points.total,
    maximum: core.maximum + spouse.maximum + skillTransferability.maximum + additional.maximum,
    scoredAs: facts.withSpouse ? "with-spouse" : "single",
    core,
    spouse,
    skillTransferability,
    additional,
    languageResults: {
      first: context.firstLanguage,
      second: context.secondLanguage,
      spouse: context.spouseLanguage,
    },
    notices: book.noticesFor(facts.asOf),
  };
}
