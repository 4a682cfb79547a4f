/**
 * From a profile and an as-of date to what the rules read: the CRS questionnaire (so CRS scoring of a
 * profile goes through the same path as a questionnaire), language results, and work experience.
 */
import { hoursText } from "../format.js";
import type { RuleBook } from "../../rules/rule-book.js";
import type { JobOffer } from "../../rules/schema.js";
import type { LanguageResult, Questionnaire } from "../crs/questionnaire.js";
import { type ConvertedLanguageResult, convertLanguageResult } from "../language.js";
import {
  completeYears,
  type DayWindow,
  HOURS_PER_YEAR,
  cappedHours,
  spans,
  type WorkEntry,
  windowBefore,
} from "../work.js";
import type { Profile } from "./profile.js";

export interface WorkClassifier {
  skilled: (e: WorkEntry) => boolean;
  /** Canadian experience: in Canada, paid, authorized, not self-employed, not while a full-time student, skilled. */
  canadian: (e: WorkEntry) => boolean;
  /** Foreign skilled experience: outside Canada, paid, skilled. */
  foreign: (e: WorkEntry) => boolean;
  /** Any paid skilled work, in Canada (under the Canadian conditions) or abroad. */
  anySkilled: (e: WorkEntry) => boolean;
}

export function workClassifier(book: RuleBook): WorkClassifier {
  const skilled = (e: WorkEntry) => (book.noc(e.noc)?.teer ?? 9) <= 3;
  const canadian = (e: WorkEntry) =>
    e.country === "CA" && e.paid && e.authorized && !e.selfEmployed && !e.fullTimeStudent && skilled(e);
  const foreign = (e: WorkEntry) => e.country !== "CA" && e.paid && skilled(e);
  return { skilled, canadian, foreign, anySkilled: (e) => canadian(e) || foreign(e) };
}

export interface LanguagePick {
  first: LanguageResult | null;
  second: LanguageResult | null;
  /** Conversions of the picked tests, when they convert on the as-of date. */
  firstConverted: ConvertedLanguageResult | null;
  secondConverted: ConvertedLanguageResult | null;
}

/** First official language: the declared one, else the test with more CLB levels in total (English on a tie). */
export function pickLanguages(
  tests: readonly LanguageResult[],
  declaredFirst: "english" | "french" | undefined,
  asOf: string,
  book: RuleBook,
): LanguagePick {
  const withLanguage = tests.map((t) => {
    const outcome = convertLanguageResult(t, asOf, book);
    return {
      test: t,
      language: book.languageTest(t.test).language,
      converted: outcome.ok ? outcome.result : null,
    };
  });
  const english = withLanguage.find((t) => t.language === "english");
  const french = withLanguage.find((t) => t.language === "french");
  const strength = (t: typeof english) =>
    t?.converted ? Object.values(t.converted.clb).reduce((a, b) => a + b, 0) : -1;
  const firstIsFrench =
    declaredFirst === "french" ||
    (declaredFirst === undefined && !!french && strength(french) > strength(english));
  const [first, second] = firstIsFrench
    ? [french, english]
    : [english ?? french, english ? french : undefined];
  return {
    first: first?.test ?? null,
    second: second?.test ?? null,
    firstConverted: first?.converted ?? null,
    secondConverted: second?.converted ?? null,
  };
}

export interface WorkSummary {
  window: DayWindow;
  windowYears: number;
  canadianHours: number;
  foreignHours: number;
}

/** Hours of Canadian and foreign skilled work within the CRS rule set's windows (10 years since 2015). */
export function crsWorkSummary(history: readonly WorkEntry[], asOf: string, book: RuleBook): WorkSummary {
  const classify = workClassifier(book);
  const tables = book.crsRuleSetFor(asOf)?.tables;
  const canadianYears = tables?.["core.canadianWork"].windowYears ?? 0;
  const foreignYears = tables?.["transferability.foreignWork"].windowYears ?? 0;
  const window = windowBefore(asOf, canadianYears);
  return {
    window,
    windowYears: canadianYears,
    canadianHours: cappedHours(spans(history, asOf, classify.canadian), window),
    foreignHours: cappedHours(spans(history, asOf, classify.foreign), windowBefore(asOf, foreignYears)),
  };
}

export function qualifyingJobOffer(profile: Profile, book: RuleBook): JobOffer | null {
  const offer = profile.jobOffer;
  if (!offer || !offer.fullTime || !offer.atLeastOneYear) return null;
  const noc = book.noc(offer.noc);
  if (!noc || noc.teer > 3) return null;
  return noc.majorGroup === "00" ? "major-group-00" : "teer-0-1-2-3";
}

export interface Derivation {
  questionnaire: Questionnaire;
  /** How each derived answer was obtained, for the explanation. */
  notes: { field: string; value: string; how: string }[];
  work: WorkSummary;
  languages: LanguagePick;
}

/** The CRS questionnaire this profile answers on `asOf`. */
export function profileToQuestionnaire(profile: Profile, asOf: string, book: RuleBook): Derivation {
  const languages = pickLanguages(profile.languageTests, profile.firstOfficialLanguage, asOf, book);
  const work = crsWorkSummary(profile.workHistory, asOf, book);
  const spouse = profile.spouse;
  const spouseWork = spouse ? crsWorkSummary(spouse.workHistory, asOf, book) : null;
  const spouseLanguage = spouse ? pickLanguages(spouse.languageTests, undefined, asOf, book).first : null;
  const jobOffer = qualifyingJobOffer(profile, book);
  const canadianWorkYears = completeYears(work.canadianHours);
  const foreignWorkYears = completeYears(work.foreignHours);
  const first = languages.first as LanguageResult; // the profile schema requires at least one test
  const questionnaire: Questionnaire = {
    asOf,
    maritalStatus: profile.maritalStatus,
    spouse: spouse
      ? {
          canadianCitizenOrPR: spouse.canadianCitizenOrPR,
          accompanying: spouse.accompanying,
          education: spouse.education,
          canadianWorkYears: completeYears(spouseWork?.canadianHours ?? 0),
          language: spouseLanguage,
        }
      : null,
    dateOfBirth: profile.dateOfBirth,
    education: profile.education.level,
    canadianEducation: profile.education.canadianCredential,
    firstLanguage: first,
    secondLanguage: languages.second,
    canadianWorkYears,
    foreignWorkYears,
    certificateOfQualification: profile.certificateOfQualification !== null,
    jobOffer,
    provincialNomination: profile.provincialNomination,
    siblingInCanada: profile.relativesInCanada.sibling,
  };
  const hours = hoursText;
  return {
    questionnaire,
    work,
    languages,
    notes: [
      {
        field: "canadianWorkYears",
        value: String(canadianWorkYears),
        how: `${hours(work.canadianHours)} of paid, authorized, skilled (TEER 0-3) work in Canada in the ${work.windowYears} years before ${asOf}, at most 30 h a week, ÷ ${HOURS_PER_YEAR}`,
      },
      {
        field: "foreignWorkYears",
        value: String(foreignWorkYears),
        how: `${hours(work.foreignHours)} of paid skilled work outside Canada in the same window, ÷ ${HOURS_PER_YEAR}`,
      },
      {
        field: "firstLanguage",
        value: first.test,
        how: profile.firstOfficialLanguage
          ? `declared first official language (${profile.firstOfficialLanguage})`
          : "the stronger test (more CLB/NCLC levels in total)",
      },
      {
        field: "jobOffer",
        value: String(jobOffer),
        how: profile.jobOffer
          ? jobOffer
            ? `offer in NOC ${profile.jobOffer.noc}, full time, at least one year`
            : "the offer does not qualify (needs full time, at least one year, TEER 0-3)"
          : "no job offer",
      },
    ],
  };
}
