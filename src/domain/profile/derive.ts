/**
 * From a profile on a day to what the CRS reads: facts (age, language levels, years of work) for the
 * points, and the CRS questionnaire the profile answers (so `ee crs` on a profile and the report show
 * the official tool's questions). Both come from one reading of the profile through a DayView.
 */
import type { CrsRuleSet, RuleBook } from "../../rules/rule-book.js";
import type { JobOffer } from "../../rules/schema.js";
import type { CrsFacts, FactsContext } from "../crs/facts.js";
import { type CompiledCrs, compileCrs, crsPoints } from "../crs/points.js";
import { type Questionnaire, WITH_PARTNER } from "../crs/questionnaire.js";
import { DayView } from "../evaluation/day-view.js";
import { unitsToHours } from "../work.js";
import { type TestOnFile, timelineOf, workOf } from "../evaluation/timeline.js";
import { hoursText } from "../format.js";
import type { Profile } from "./profile.js";
import { dayOf } from "../../calendar/days.js";

export function qualifyingJobOffer(profile: Profile, book: RuleBook): JobOffer | null {
  const offer = profile.jobOffer;
  if (!offer || !offer.fullTime || !offer.atLeastOneYear) return null;
  const noc = book.noc(offer.noc);
  if (!noc || noc.teer > 3) return null;
  return noc.majorGroup === "00" ? "major-group-00" : "teer-0-1-2-3";
}

/** What the CRS reads of a profile on a day: its facts, or null when it cannot be scored that day. */
export interface CrsReading {
  facts: CrsFacts;
  set: CrsRuleSet;
  compiled: CompiledCrs;
  first: TestOnFile;
  second: TestOnFile | null;
  spouseTest: TestOnFile | null;
  canadianWorkYears: number;
  foreignWorkYears: number;
}

/** Whether the spouse or partner's factors apply: accompanying, and not a Canadian citizen or PR. */
function spouseCounts(profile: Profile): boolean {
  const s = profile.spouse;
  return WITH_PARTNER.has(profile.maritalStatus) && !!s && s.accompanying && !s.canadianCitizenOrPR;
}

/** The CRS facts of the profile on the view's day; null when it has no valid first-language result then. */
/** Whether the CRS can score the profile on the day: a valid first-language result and a rule set. */
export function crsScorable(v: DayView): boolean {
  return v.languages().firstValid && v.period.crs !== undefined;
}

/** The CRS total on the view's day, as the evaluation and the rounds read it; null when not scorable. */
export function crsTotalOn(v: DayView): number | null {
  const reading = crsReadingOn(v);
  return reading ? crsPoints(reading.facts, reading.compiled).total : null;
}

export function crsReadingOn(v: DayView): CrsReading | null {
  if (!crsScorable(v)) return null;
  const picks = v.languages();
  const set = v.period.crs as CrsRuleSet;
  if (!picks.first) return null;
  const compiled = compileCrs(set);
  const t = v.t;
  const p = t.profile;
  const tables = set.tables;
  const canadianWindow = tables["core.canadianWork"].windowYears;
  const foreignWindow = tables["transferability.foreignWork"].windowYears;
  const canadianWorkYears = v.workYears(
    workOf(t, "principal", "canadian"),
    canadianWindow,
    compiled.yearsCap.canadian,
  );
  const foreignWorkYears = v.workYears(
    workOf(t, "principal", "foreign"),
    foreignWindow,
    compiled.yearsCap.foreign,
  );
  const withSpouse = spouseCounts(p);
  const spouseTest = withSpouse ? v.spouseLanguage() : null;
  const spouse = withSpouse
    ? {
        education: p.spouse?.education ?? "none",
        language: spouseTest?.clb ?? null,
        canadianWorkYears: v.workYears(
          workOf(t, "spouse", "canadian"),
          canadianWindow,
          compiled.yearsCap.spouseCanadian,
        ),
      }
    : null;
  return {
    facts: {
      asOf: v.iso,
      withSpouse,
      age: v.age(),
      education: p.education.level,
      canadianEducation: p.education.canadianCredential,
      firstLanguage: picks.first.clb,
      firstLanguageIs: picks.first.language,
      secondLanguage: picks.second?.clb ?? null,
      canadianWorkYears,
      foreignWorkYears,
      certificateOfQualification: p.certificateOfQualification !== null,
      jobOffer: qualifyingJobOffer(p, t.book),
      provincialNomination: p.provincialNomination,
      siblingInCanada: p.relativesInCanada.sibling,
      spouse,
    },
    set,
    compiled,
    first: picks.first,
    second: picks.second,
    spouseTest,
    canadianWorkYears,
    foreignWorkYears,
  };
}

/** How the explanation reads the inputs of a reading. */
export function factsContextOf(v: DayView, r: CrsReading): FactsContext {
  const p = v.t.profile;
  const s = p.spouse;
  return {
    ageFrom: { dateOfBirth: p.dateOfBirth },
    partner:
      !WITH_PARTNER.has(p.maritalStatus) || !s
        ? "none"
        : s.canadianCitizenOrPR
          ? "citizen-or-pr"
          : s.accompanying
            ? "accompanying"
            : "not-accompanying",
    maritalStatus: p.maritalStatus,
    firstLanguage: v.converted(r.first),
    secondLanguage: r.second ? v.converted(r.second) : null,
    spouseLanguage: r.spouseTest ? v.converted(r.spouseTest) : null,
  };
}

export interface Derivation {
  questionnaire: Questionnaire;
  /** Hours of skilled work the CRS counts, in its windows. */
  work: { windowYears: number; canadianHours: number; foreignHours: number };
  /** How each derived answer was obtained, for the explanation. */
  notes: { field: string; value: string; how: string }[];
}

/** The CRS questionnaire a profile answers on a day, and how each derived answer was obtained. */
export function derivationOn(v: DayView): Derivation {
  const t = v.t;
  const p = t.profile;
  const set = v.period.crs;
  const canadianWindow = set?.tables["core.canadianWork"].windowYears ?? 0;
  const foreignWindow = set?.tables["transferability.foreignWork"].windowYears ?? 0;
  const years = (who: "principal" | "spouse", c: "canadian" | "foreign", window: number) =>
    v.workYears(workOf(t, who, c), window, Number.MAX_SAFE_INTEGER);
  const canadianWorkYears = years("principal", "canadian", canadianWindow);
  const foreignWorkYears = years("principal", "foreign", foreignWindow);
  const picks = v.languages();
  const first = picks.first as TestOnFile; // the profile schema requires at least one test
  const spouse = p.spouse;
  const spouseTest = spouse ? v.spouseLanguage() : null;
  const jobOffer = qualifyingJobOffer(p, t.book);
  const questionnaire: Questionnaire = {
    asOf: v.iso,
    maritalStatus: p.maritalStatus,
    spouse: spouse
      ? {
          canadianCitizenOrPR: spouse.canadianCitizenOrPR,
          accompanying: spouse.accompanying,
          education: spouse.education,
          canadianWorkYears: years("spouse", "canadian", canadianWindow),
          language: spouseTest?.input ?? null,
        }
      : null,
    dateOfBirth: p.dateOfBirth,
    education: p.education.level,
    canadianEducation: p.education.canadianCredential,
    firstLanguage: first.input,
    secondLanguage: picks.second?.input ?? null,
    canadianWorkYears,
    foreignWorkYears,
    certificateOfQualification: p.certificateOfQualification !== null,
    jobOffer,
    provincialNomination: p.provincialNomination,
    siblingInCanada: p.relativesInCanada.sibling,
  };
  const hours = (who: "principal", c: "canadian" | "foreign", window: number) =>
    hoursText(unitsToHours(v.units(workOf(t, who, c), window)));
  const unused = p.languageTests.filter((x) => x !== first.input && x !== picks.second?.input);
  return {
    questionnaire,
    work: {
      windowYears: canadianWindow,
      canadianHours: unitsToHours(v.units(workOf(t, "principal", "canadian"), canadianWindow)),
      foreignHours: unitsToHours(v.units(workOf(t, "principal", "foreign"), foreignWindow)),
    },
    notes: [
      {
        field: "canadianWorkYears",
        value: String(canadianWorkYears),
        how: `${hours("principal", "canadian", canadianWindow)} of paid, authorized, skilled (TEER 0-3) work in Canada in the ${canadianWindow} years before ${v.iso}, at most 30 h a week, ÷ 1,560`,
      },
      {
        field: "foreignWorkYears",
        value: String(foreignWorkYears),
        how: `${hours("principal", "foreign", foreignWindow)} of paid skilled work outside Canada in the ${foreignWindow} years before ${v.iso}, ÷ 1,560`,
      },
      {
        field: "firstLanguage",
        value: first.input.test,
        how: p.firstOfficialLanguage
          ? `declared first official language (${p.firstOfficialLanguage})`
          : "the stronger test (more CLB/NCLC levels in total)",
      },
      ...(unused.length > 0
        ? [
            {
              field: "secondLanguage",
              value: "none",
              how: `the ${unused.map((x) => `${x.test} result of ${x.date}`).join(", ")} cannot be used on ${v.iso} (expired, future-dated or not yet accepted)`,
            },
          ]
        : []),
      {
        field: "jobOffer",
        value: String(jobOffer),
        how: p.jobOffer
          ? jobOffer
            ? `offer in NOC ${p.jobOffer.noc}, full time, at least one year`
            : "the offer does not qualify (needs full time, at least one year, TEER 0-3)"
          : "no job offer",
      },
    ],
  };
}

/** The CRS questionnaire this profile answers on `asOf` (YYYY-MM-DD). */
export function profileToQuestionnaire(profile: Profile, asOf: string, book: RuleBook): Derivation {
  return derivationOn(new DayView(timelineOf(profile, book), dayOf(asOf), undefined, true));
}
