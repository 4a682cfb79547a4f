/**
 * The words the rules and the questionnaire are written in: education levels, Canadian credentials,
 * job offers, language tests and abilities, marital statuses. Plain constants with no dependency, so
 * the schemas (zod) and the web app's forms import the same lists.
 */
export const EDUCATION_LEVELS = [
  "none",
  "secondary",
  "one-year",
  "two-year",
  "bachelors",
  "two-or-more",
  "masters",
  "doctoral",
] as const;
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];

export const CANADIAN_EDUCATION = ["secondary-or-less", "one-or-two-year", "three-year-or-more"] as const;
export type CanadianEducation = (typeof CANADIAN_EDUCATION)[number];

export const JOB_OFFERS = ["major-group-00", "teer-0-1-2-3"] as const;
export type JobOffer = (typeof JOB_OFFERS)[number];

export const ABILITIES = ["speaking", "listening", "reading", "writing"] as const;
export type Ability = (typeof ABILITIES)[number];

export const LANGUAGE_TESTS = ["IELTS", "CELPIP", "PTE_CORE", "TEF", "TCF"] as const;
export type LanguageTestCode = (typeof LANGUAGE_TESTS)[number];

export const MARITAL_STATUSES = [
  "single",
  "married",
  "common-law",
  "divorced",
  "separated",
  "legally-separated",
  "widowed",
  "annulled",
] as const;
export type MaritalStatus = (typeof MARITAL_STATUSES)[number];
