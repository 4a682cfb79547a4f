/**
 * The CRS questionnaire: the questions of IRCC's official CRS tool, as one validated JSON object.
 */
import { z } from "zod";
import { CANADIAN_EDUCATION, EDUCATION_LEVELS, JOB_OFFERS, LANGUAGE_TESTS } from "../../rules/schema.js";
import { dateField, flag, oneOf, says } from "../input-schema.js";

import { MARITAL_STATUSES, type MaritalStatus } from "../../rules/vocabulary.js";
export { MARITAL_STATUSES, type MaritalStatus };

/** Marital statuses under which a spouse or partner exists. */
export const WITH_PARTNER: ReadonlySet<MaritalStatus> = new Set(["married", "common-law"]);

const date = dateField;
const score = z.number({ error: says("must be a number (the raw test score)") });
const years = z
  .number({ error: says("must be a whole number of years") })
  .int("must be a whole number of completed years")
  .min(0, "cannot be negative")
  .max(60, "must be at most 60");

export const languageResultSchema = z.strictObject(
  {
    test: oneOf(LANGUAGE_TESTS),
    date,
    speaking: score,
    listening: score,
    reading: score,
    writing: score,
  },
  { error: says("must be a test result object {test, date, speaking, listening, reading, writing}") },
);

const spouseSchema = z
  .strictObject({
    canadianCitizenOrPR: flag,
    accompanying: flag,
    education: oneOf(EDUCATION_LEVELS).optional(),
    canadianWorkYears: years.optional(),
    language: languageResultSchema.nullable().optional(),
  })
  .superRefine((spouse, ctx) => {
    // Only a spouse who counts (accompanying, not a citizen/PR) needs the factor-B answers.
    if (spouse.canadianCitizenOrPR || !spouse.accompanying) return;
    if (spouse.education === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["education"],
        message: "is required for an accompanying spouse",
      });
    if (spouse.canadianWorkYears === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["canadianWorkYears"],
        message: "is required for an accompanying spouse",
      });
    if (spouse.language === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["language"],
        message: "is required for an accompanying spouse (a test result, or null for none)",
      });
  });

const EDUCATION_RANK = Object.fromEntries(EDUCATION_LEVELS.map((level, i) => [level, i])) as Record<
  (typeof EDUCATION_LEVELS)[number],
  number
>;
/** The lowest overall education level a Canadian credential of each length implies. */
const CANADIAN_CREDENTIAL_IMPLIES = {
  "secondary-or-less": "none",
  "one-or-two-year": "one-year",
  "three-year-or-more": "bachelors",
} as const;

export const questionnaireSchema = z
  .strictObject(
    {
      asOf: date.optional(),
      maritalStatus: oneOf(MARITAL_STATUSES),
      spouse: spouseSchema.nullable().optional(),
      age: z
        .number({ error: says("must be a whole number of years") })
        .int("must be a whole number of completed years")
        .min(0, "cannot be negative")
        .max(120, "must be at most 120")
        .optional(),
      dateOfBirth: date.optional(),
      education: oneOf(EDUCATION_LEVELS),
      canadianEducation: oneOf(CANADIAN_EDUCATION).nullable().default(null),
      firstLanguage: languageResultSchema,
      secondLanguage: languageResultSchema.nullable().default(null),
      canadianWorkYears: years,
      foreignWorkYears: years,
      certificateOfQualification: flag.default(false),
      jobOffer: oneOf(JOB_OFFERS).nullable().default(null),
      provincialNomination: flag.default(false),
      siblingInCanada: flag.default(false),
    },
    { error: says("the questionnaire must be a JSON object") },
  )
  .superRefine((q, ctx) => {
    if (q.age === undefined && q.dateOfBirth === undefined)
      ctx.addIssue({ code: "custom", path: ["age"], message: "is required (or give dateOfBirth)" });
    if (q.age !== undefined && q.dateOfBirth !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["dateOfBirth"],
        message: "give either age or dateOfBirth, not both",
      });
    if (WITH_PARTNER.has(q.maritalStatus) && !q.spouse)
      ctx.addIssue({
        code: "custom",
        path: ["spouse"],
        message: `is required when maritalStatus is ${q.maritalStatus}`,
      });
    if (q.canadianEducation) {
      const implied = CANADIAN_CREDENTIAL_IMPLIES[q.canadianEducation];
      if (EDUCATION_RANK[q.education] < EDUCATION_RANK[implied])
        ctx.addIssue({
          code: "custom",
          path: ["canadianEducation"],
          message: `a Canadian ${q.canadianEducation} credential implies an education level of at least ${implied}, but education is ${q.education}`,
        });
    }
  });

export type Questionnaire = z.infer<typeof questionnaireSchema>;
export type QuestionnaireInput = z.input<typeof questionnaireSchema>;
export type LanguageResult = z.infer<typeof languageResultSchema>;

export interface FieldError {
  /** Dotted path of the offending field, e.g. "firstLanguage.speaking" ("" for the whole input). */
  field: string;
  message: string;
}

export function zodIssuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.map((issue) => ({
    field: issue.path.map(String).join("."),
    message:
      issue.code === "unrecognized_keys" ? `unknown field(s): ${issue.keys.join(", ")}` : issue.message,
  }));
}
