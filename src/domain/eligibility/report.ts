/**
 * The eligibility report for a profile on a date: CRS score, programs (FSW with its grid, CEC, FST)
 * and every category version in force, each with reasons.
 */
import type { RuleBook } from "../../rules/rule-book.js";
import { isoDateSchema } from "../../rules/schema.js";
import { type FieldError, zodIssuesToFieldErrors } from "../crs/questionnaire.js";
import { type CrsOutcome, scoreQuestionnaire } from "../crs/score.js";
import { type Derivation, profileToQuestionnaire } from "../profile/derive.js";
import { type Profile, profileSchema } from "../profile/profile.js";
import { categoryEligibility } from "./categories.js";
import { cecEligibility, fstEligibility, fswEligibility } from "./programs.js";
import type { CategoryResult, ProgramResult } from "./types.js";

export interface EligibilityReport {
  status: "evaluated";
  asOf: string;
  profileId: string | null;
  crs: CrsOutcome;
  derivation: Derivation["notes"];
  programs: ProgramResult[];
  /** Eligible for at least one program: the profile can be in the pool. */
  inPool: boolean;
  categories: CategoryResult[];
}

export type ProfileOutcome = { status: "ok"; profile: Profile } | { status: "invalid"; errors: FieldError[] };

/** Validates a profile: its shape, then facts that need the rule data (NOC codes, one test per language). */
export function validateProfile(input: unknown, book: RuleBook): ProfileOutcome {
  const parsed = profileSchema.safeParse(input);
  if (!parsed.success) return { status: "invalid", errors: zodIssuesToFieldErrors(parsed.error.issues) };
  const p = parsed.data;
  const errors: FieldError[] = [];
  const checkNoc = (code: string, field: string) => {
    if (!book.noc(code)) errors.push({ field, message: `${code} is not a NOC 2021 unit group` });
  };
  p.workHistory.forEach((w, i) => checkNoc(w.noc, `workHistory.${i}.noc`));
  p.spouse?.workHistory.forEach((w, i) => checkNoc(w.noc, `spouse.workHistory.${i}.noc`));
  if (p.jobOffer) checkNoc(p.jobOffer.noc, "jobOffer.noc");
  if (p.certificateOfQualification)
    checkNoc(p.certificateOfQualification.noc, "certificateOfQualification.noc");
  const oneEach = (tests: Profile["languageTests"], field: string) => {
    const languages = tests.map((t) => book.languageTest(t.test).language);
    if (new Set(languages).size !== languages.length)
      errors.push({ field, message: "holds at most one English and one French test" });
  };
  oneEach(p.languageTests, "languageTests");
  if (
    p.firstOfficialLanguage &&
    !p.languageTests.some((t) => book.languageTest(t.test).language === p.firstOfficialLanguage)
  )
    errors.push({
      field: "firstOfficialLanguage",
      message: `is ${p.firstOfficialLanguage}, but there is no ${p.firstOfficialLanguage} test`,
    });
  if (p.spouse) oneEach(p.spouse.languageTests, "spouse.languageTests");
  return errors.length > 0 ? { status: "invalid", errors } : { status: "ok", profile: p };
}

export function evaluateProfile(profile: Profile, asOf: string, book: RuleBook): EligibilityReport {
  const derivation = profileToQuestionnaire(profile, asOf, book);
  const crs = scoreQuestionnaire(derivation.questionnaire, { asOf, book, today: () => asOf });
  const programs = [
    fswEligibility(profile, derivation, asOf, book),
    cecEligibility(profile, derivation, asOf, book),
    fstEligibility(profile, derivation, asOf, book),
  ];
  const eligible = programs.filter((p) => p.eligible);
  // The pool lasts as long as the longest-lasting program (null: no end foreseen).
  const ends = eligible.map((p) => p.eligibleUntil ?? null);
  const longest = ends.includes(null)
    ? eligible[ends.indexOf(null)]
    : [...eligible].sort((a, b) => (b.eligibleUntil ?? "").localeCompare(a.eligibleUntil ?? ""))[0];
  const inPool = {
    met: eligible.length > 0,
    programs: eligible.map((p) => p.program),
    until: longest?.eligibleUntil ?? null,
    reason: longest ? `${longest.program}: ${longest.lapseReason}` : "",
  };
  return {
    status: "evaluated",
    asOf,
    profileId: profile.id ?? null,
    crs,
    derivation: derivation.notes,
    programs,
    inPool: inPool.met,
    categories: book
      .categoriesFor(asOf)
      .map((v) => categoryEligibility(v, profile, derivation, inPool, asOf, book)),
  };
}

export type EligibilityOutcome = EligibilityReport | { status: "invalid"; errors: FieldError[] };

export function eligibilityOf(
  input: unknown,
  options: { asOf?: string; book: RuleBook; today: () => string },
): EligibilityOutcome {
  if (options.asOf !== undefined) {
    const checked = isoDateSchema.safeParse(options.asOf);
    if (!checked.success)
      return { status: "invalid", errors: [{ field: "asOf", message: "must be a date written YYYY-MM-DD" }] };
  }
  const asOf = options.asOf ?? options.today();
  if (!options.book.crsRuleSetFor(asOf))
    return {
      status: "invalid",
      errors: [{ field: "asOf", message: `${asOf} is before Express Entry (2015-01-01)` }],
    };
  const validated = validateProfile(input, options.book);
  if (validated.status === "invalid") return validated;
  if (validated.profile.dateOfBirth > asOf)
    return {
      status: "invalid",
      errors: [{ field: "dateOfBirth", message: `is after the as-of date ${asOf}` }],
    };
  return evaluateProfile(validated.profile, asOf, options.book);
}
