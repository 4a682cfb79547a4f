/**
 * The candidate profile: the pool's unit, shared by the store, the API and the web app. A profile
 * holds facts with dates (birth, tests, jobs); anything that depends on "when" (age, years of
 * experience, validity) is derived for an as-of date.
 */
import { z } from "zod";
import { CANADIAN_EDUCATION, EDUCATION_LEVELS } from "../../rules/schema.js";
import { languageResultSchema, MARITAL_STATUSES } from "../crs/questionnaire.js";
import { dateField, flag, oneOf, says } from "../input-schema.js";

const date = dateField;
const nocCode = z
  .string({ error: says("must be a 5-digit NOC 2021 code") })
  .regex(/^\d{5}$/, "must be a 5-digit NOC 2021 code");

export const workEntrySchema = z
  .strictObject({
    noc: nocCode,
    /** ISO 3166-1 alpha-2; "CA" for Canada. */
    country: z
      .string({ error: says("must be a two-letter country code (CA for Canada)") })
      .regex(/^[A-Z]{2}$/, "must be a two-letter country code (CA for Canada)"),
    start: date,
    end: date.nullable().default(null),
    hoursPerWeek: z
      .number({ error: says("must be a number of hours") })
      .positive("must be more than 0")
      .max(168, "cannot exceed 168 hours a week"),
    paid: flag.default(true),
    selfEmployed: flag.default(false),
    fullTimeStudent: flag.default(false),
    /** Work in Canada: held a work permit (or was otherwise authorized) and temporary resident status. */
    authorized: flag.default(true),
  })
  .refine((w) => w.end === null || w.end >= w.start, { path: ["end"], message: "is before start" });
export type WorkEntryInput = z.input<typeof workEntrySchema>;

const languageTests = z
  .array(languageResultSchema, { error: says("must be a list of test results") })
  .max(2, "holds at most one English and one French test")
  .default([]);

const spouseSchema = z.strictObject({
  canadianCitizenOrPR: flag,
  accompanying: flag,
  education: oneOf(EDUCATION_LEVELS).default("none"),
  /** Full-time study in Canada, in academic years (FSW adaptability). */
  canadianStudyYears: z.number().min(0).default(0),
  languageTests,
  workHistory: z.array(workEntrySchema).default([]),
});

export const profileSchema = z
  .strictObject(
    {
      id: z.string().min(1).optional(),
      /** When the Express Entry profile was submitted (UTC instant): the tie-breaker in rounds. */
      submittedAt: z.iso
        .datetime({ message: "must be a UTC timestamp like 2026-01-03T03:25:14Z" })
        .optional(),
      dateOfBirth: date,
      maritalStatus: oneOf(MARITAL_STATUSES),
      spouse: spouseSchema.nullable().default(null),
      education: z.strictObject(
        {
          level: oneOf(EDUCATION_LEVELS),
          /** Where the highest credential was obtained; a foreign one needs an ECA. */
          obtainedIn: oneOf(["canada", "abroad"] as const),
          ecaDate: date.nullable().default(null),
          canadianCredential: oneOf(CANADIAN_EDUCATION).nullable().default(null),
          canadianStudyYears: z.number().min(0).default(0),
        },
        { error: says("must be an object { level, obtainedIn, ecaDate, canadianCredential }") },
      ),
      /** The official language the candidate declares first; default: the stronger test. */
      firstOfficialLanguage: oneOf(["english", "french"] as const).optional(),
      languageTests,
      workHistory: z.array(workEntrySchema).default([]),
      certificateOfQualification: z
        .strictObject({ noc: nocCode, issuedBy: z.string().min(2, "name the issuing province or territory") })
        .nullable()
        .default(null),
      jobOffer: z
        .strictObject({
          noc: nocCode,
          basis: oneOf(["lmia", "lmia-exempt"] as const),
          fullTime: flag,
          atLeastOneYear: flag,
        })
        .nullable()
        .default(null),
      provincialNomination: flag.default(false),
      relativesInCanada: z
        .strictObject({ sibling: flag.default(false), otherRelative: flag.default(false) })
        .default({ sibling: false, otherRelative: false }),
      settlementFunds: z.number().min(0, "cannot be negative").default(0),
      familySize: z.number().int("must be a whole number").min(1, "counts at least the candidate").default(1),
      authorizedToWorkInCanada: flag.default(false),
    },
    { error: says("the profile must be a JSON object") },
  )
  .superRefine((p, ctx) => {
    const partnered = p.maritalStatus === "married" || p.maritalStatus === "common-law";
    if (partnered && !p.spouse)
      ctx.addIssue({
        code: "custom",
        path: ["spouse"],
        message: `is required when maritalStatus is ${p.maritalStatus}`,
      });
    if (p.education.obtainedIn === "abroad" && p.education.level !== "none" && p.education.ecaDate === null)
      ctx.addIssue({
        code: "custom",
        path: ["education", "ecaDate"],
        message:
          "is required for a credential obtained abroad (the date of the educational credential assessment)",
      });
    if (p.languageTests.length === 0)
      ctx.addIssue({ code: "custom", path: ["languageTests"], message: "needs at least one test result" });
  });

export type Profile = z.infer<typeof profileSchema>;
export type ProfileInput = z.input<typeof profileSchema>;

/** True for a JSON object that looks like a profile rather than a CRS questionnaire. */
export function looksLikeProfile(input: unknown): boolean {
  return typeof input === "object" && input !== null && ("workHistory" in input || "languageTests" in input);
}
