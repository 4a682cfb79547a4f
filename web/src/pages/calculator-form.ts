// The calculator's form state (strings as typed) and its conversion to the API's CRS questionnaire.

// The lists the engine's questionnaire is written in (one definition: src/rules/vocabulary.ts).
import { ABILITIES } from "../../../src/rules/vocabulary";
export {
  ABILITIES,
  CANADIAN_EDUCATION,
  EDUCATION_LEVELS as EDUCATION,
  JOB_OFFERS,
  LANGUAGE_TESTS as TESTS,
  MARITAL_STATUSES as MARITAL,
} from "../../../src/rules/vocabulary";
export const ENGLISH_TESTS: readonly string[] = ["IELTS", "CELPIP", "PTE_CORE"];
export const FRENCH_TESTS: readonly string[] = ["TEF", "TCF"];

export interface LangForm {
  test: string;
  date: string;
  speaking: string;
  listening: string;
  reading: string;
  writing: string;
}

export interface Form {
  asOf: string;
  maritalStatus: string;
  spouseCitizenPR: boolean | null;
  spouseAccompanying: boolean | null;
  ageMode: "age" | "dob";
  age: string;
  dateOfBirth: string;
  education: string;
  canadianEducation: string;
  first: LangForm;
  hasSecond: boolean | null;
  second: LangForm;
  canadianWorkYears: string;
  foreignWorkYears: string;
  certificateOfQualification: boolean | null;
  jobOffer: string;
  provincialNomination: boolean | null;
  siblingInCanada: boolean | null;
  spouseEducation: string;
  spouseCanadianWorkYears: string;
  spouseHasLanguage: boolean | null;
  spouseLanguage: LangForm;
}

export const emptyLang = (): LangForm => ({
  test: "",
  date: "",
  speaking: "",
  listening: "",
  reading: "",
  writing: "",
});

export const emptyForm = (asOf: string): Form => ({
  asOf,
  maritalStatus: "",
  spouseCitizenPR: null,
  spouseAccompanying: null,
  ageMode: "age",
  age: "",
  dateOfBirth: "",
  education: "",
  canadianEducation: "",
  first: emptyLang(),
  hasSecond: null,
  second: emptyLang(),
  canadianWorkYears: "",
  foreignWorkYears: "",
  certificateOfQualification: null,
  jobOffer: "",
  provincialNomination: null,
  siblingInCanada: null,
  spouseEducation: "",
  spouseCanadianWorkYears: "",
  spouseHasLanguage: null,
  spouseLanguage: emptyLang(),
});

/** The answers of examples/single-ielts.json. */
export const exampleForm = (): Form => ({
  ...emptyForm("2026-11-21"),
  maritalStatus: "single",
  age: "29",
  education: "bachelors",
  first: { test: "IELTS", date: "2026-01-10", speaking: "7", listening: "8", reading: "7", writing: "7" },
  hasSecond: true,
  second: {
    test: "TEF",
    date: "2025-09-01",
    speaking: "456",
    listening: "434",
    reading: "434",
    writing: "428",
  },
  canadianWorkYears: "1",
  foreignWorkYears: "3",
  certificateOfQualification: false,
  provincialNomination: false,
  siblingInCanada: false,
});

export const withPartner = (f: Form): boolean =>
  f.maritalStatus === "married" || f.maritalStatus === "common-law";
/** The spouse's own factors count only for an accompanying partner who is not a citizen or PR. */
export const spouseCounts = (f: Form): boolean =>
  withPartner(f) && f.spouseCitizenPR === false && f.spouseAccompanying === true;

/** A number as typed ("7,5" in French), undefined when blank, NaN-free: bad text goes through as text. */
function num(s: string): number | string | undefined {
  const trimmed = s.trim();
  if (trimmed === "") return undefined;
  const n = Number(trimmed.replace(",", "."));
  return Number.isFinite(n) ? n : trimmed;
}

function lang(l: LangForm): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (l.test) out.test = l.test;
  if (l.date) out.date = l.date;
  for (const a of ABILITIES) {
    const v = num(l[a]);
    if (v !== undefined) out[a] = v;
  }
  return out;
}

/** True once the user has started (something to score). */
export const started = (f: Form): boolean => f.maritalStatus !== "";

export function toQuestionnaire(f: Form): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (f.asOf) q.asOf = f.asOf;
  if (f.maritalStatus) q.maritalStatus = f.maritalStatus;
  if (withPartner(f)) {
    const spouse: Record<string, unknown> = {};
    if (f.spouseCitizenPR !== null) spouse.canadianCitizenOrPR = f.spouseCitizenPR;
    if (f.spouseCitizenPR === true) spouse.accompanying = f.spouseAccompanying ?? false;
    else if (f.spouseAccompanying !== null) spouse.accompanying = f.spouseAccompanying;
    if (spouseCounts(f)) {
      if (f.spouseEducation) spouse.education = f.spouseEducation;
      const w = num(f.spouseCanadianWorkYears);
      if (w !== undefined) spouse.canadianWorkYears = w;
      if (f.spouseHasLanguage === false) spouse.language = null;
      else if (f.spouseHasLanguage === true) spouse.language = lang(f.spouseLanguage);
    }
    q.spouse = spouse;
  }
  if (f.ageMode === "age") {
    const a = num(f.age);
    if (a !== undefined) q.age = a;
  } else if (f.dateOfBirth) q.dateOfBirth = f.dateOfBirth;
  if (f.education) q.education = f.education;
  q.canadianEducation = f.canadianEducation || null;
  q.firstLanguage = lang(f.first);
  q.secondLanguage = f.hasSecond ? lang(f.second) : null;
  const cw = num(f.canadianWorkYears);
  if (cw !== undefined) q.canadianWorkYears = cw;
  const fw = num(f.foreignWorkYears);
  if (fw !== undefined) q.foreignWorkYears = fw;
  q.certificateOfQualification = f.certificateOfQualification ?? false;
  q.jobOffer = f.jobOffer || null;
  q.provincialNomination = f.provincialNomination ?? false;
  q.siblingInCanada = f.siblingInCanada ?? false;
  return q;
}
