/**
 * Shapes of the rule data files under `rules/`. The files are validated against these schemas when
 * loaded, so a typo in a table fails loudly instead of scoring silently wrong.
 */
import { z } from "zod";
import {
  ABILITIES,
  type Ability,
  CANADIAN_EDUCATION,
  type CanadianEducation,
  EDUCATION_LEVELS,
  type EducationLevel,
  JOB_OFFERS,
  type JobOffer,
  LANGUAGE_TESTS,
  type LanguageTestCode,
} from "./vocabulary.js";
import { isIsoDate } from "../calendar/dates.js";

/** Dates the engine reasons about: well-formed, real, and within years 1900–2199 (so ISO strings sort). */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date written YYYY-MM-DD")
  .refine(isIsoDate, { message: "is not a real calendar date", abort: true })
  .refine((d) => d >= "1900-01-01" && d <= "2199-12-31", {
    message: "must be between 1900-01-01 and 2199-12-31",
  });

export const sourceSchema = z.strictObject({
  url: z.url(),
  /** official: read in IRCC / Gazette text; secondary-confirmed: official values seen through two or more secondary copies; secondary: one secondary source. */
  status: z.enum(["official", "secondary-confirmed", "secondary"]),
  note: z.string().optional(),
});
export type Source = z.infer<typeof sourceSchema>;

export {
  ABILITIES,
  type Ability,
  CANADIAN_EDUCATION,
  type CanadianEducation,
  EDUCATION_LEVELS,
  type EducationLevel,
  JOB_OFFERS,
  type JobOffer,
  LANGUAGE_TESTS,
  type LanguageTestCode,
};
export const educationLevelSchema = z.enum(EDUCATION_LEVELS);

const nonNegInt = z.number().int().nonnegative();
const base = { title: z.string(), source: sourceSchema };

/** Rows are steps: a row applies from its `…From` value up to the next row's. */
const cols = { withSpouse: nonNegInt, withoutSpouse: nonNegInt };
const ageRow = z.strictObject({ ageFrom: nonNegInt, ...cols });
const clbRow = z.strictObject({ clbFrom: nonNegInt, ...cols });
const yearsRow = z.strictObject({ yearsFrom: nonNegInt, ...cols });

const twoPoints = z.tuple([nonNegInt, nonNegInt]);

export const crsTablesSchema = z.strictObject({
  "core.age": z.strictObject({ ...base, rows: z.array(ageRow).min(1) }),
  "core.education": z.strictObject({
    ...base,
    rows: z.array(
      z.strictObject({ level: educationLevelSchema, withSpouse: nonNegInt, withoutSpouse: nonNegInt }),
    ),
  }),
  "core.firstLanguage": z.strictObject({ ...base, rows: z.array(clbRow).min(1) }),
  "core.secondLanguage": z.strictObject({
    ...base,
    rows: z.array(clbRow).min(1),
    capWithSpouse: nonNegInt,
    capWithoutSpouse: nonNegInt,
  }),
  "core.canadianWork": z.strictObject({
    ...base,
    rows: z.array(yearsRow).min(1),
    /** Experience counts within this many years before the as-of date. */
    windowYears: nonNegInt,
  }),
  "spouse.education": z.strictObject({
    ...base,
    rows: z.array(z.strictObject({ level: educationLevelSchema, points: nonNegInt })),
  }),
  "spouse.language": z.strictObject({
    ...base,
    rows: z.array(z.strictObject({ clbFrom: nonNegInt, points: nonNegInt })).min(1),
    cap: nonNegInt,
  }),
  "spouse.canadianWork": z.strictObject({
    ...base,
    rows: z.array(z.strictObject({ yearsFrom: nonNegInt, points: nonNegInt })).min(1),
  }),
  "transferability.education": z.strictObject({
    ...base,
    tiers: z.strictObject({
      "post-secondary": z.array(educationLevelSchema),
      advanced: z.array(educationLevelSchema),
    }),
    withLanguage: z.strictObject({
      minClbAllAbilities: twoPoints,
      points: z.strictObject({ "post-secondary": twoPoints, advanced: twoPoints }),
    }),
    withCanadianWork: z.strictObject({
      minYears: twoPoints,
      points: z.strictObject({ "post-secondary": twoPoints, advanced: twoPoints }),
    }),
    cap: nonNegInt,
  }),
  "transferability.foreignWork": z.strictObject({
    ...base,
    windowYears: nonNegInt,
    tiers: z.strictObject({ "one-or-two-years": nonNegInt, "three-years-or-more": nonNegInt }),
    withLanguage: z.strictObject({
      minClbAllAbilities: twoPoints,
      points: z.strictObject({ "one-or-two-years": twoPoints, "three-years-or-more": twoPoints }),
    }),
    withCanadianWork: z.strictObject({
      minYears: twoPoints,
      points: z.strictObject({ "one-or-two-years": twoPoints, "three-years-or-more": twoPoints }),
    }),
    cap: nonNegInt,
  }),
  "transferability.certificateOfQualification": z.strictObject({
    ...base,
    withLanguage: z.strictObject({ minClbAllAbilities: twoPoints, points: twoPoints }),
    cap: nonNegInt,
  }),
  "transferability.total": z.strictObject({ ...base, cap: nonNegInt }),
  "additional.provincialNomination": z.strictObject({ ...base, points: nonNegInt }),
  "additional.arrangedEmployment": z
    .strictObject({
      ...base,
      points: z.strictObject({ "major-group-00": nonNegInt, "teer-0-1-2-3": nonNegInt }),
    })
    .nullable(),
  "additional.canadianEducation": z
    .strictObject({
      ...base,
      points: z.strictObject({
        "secondary-or-less": nonNegInt,
        "one-or-two-year": nonNegInt,
        "three-year-or-more": nonNegInt,
      }),
    })
    .nullable(),
  "additional.frenchProficiency": z
    .strictObject({
      ...base,
      minNclcAllAbilities: nonNegInt,
      minEnglishClbAllAbilitiesForHigher: nonNegInt,
      pointsWithoutEnglish: nonNegInt,
      pointsWithEnglish: nonNegInt,
    })
    .nullable(),
  "additional.sibling": z.strictObject({ ...base, points: nonNegInt }).nullable(),
  "additional.total": z.strictObject({ ...base, cap: nonNegInt }),
});
export type CrsTables = z.infer<typeof crsTablesSchema>;
export type CrsTableId = keyof CrsTables;

export const crsRuleFileSchema = z.strictObject({
  id: z.string().regex(/^crs-\d{4}-\d{2}-\d{2}$/),
  title: z.string(),
  effectiveFrom: isoDateSchema,
  basedOn: z.string().nullable(),
  instrument: z.string(),
  changes: z.string(),
  source: sourceSchema,
  tables: crsTablesSchema.partial(),
});
export type CrsRuleFile = z.infer<typeof crsRuleFileSchema>;

const scaleSchema = z.strictObject({ min: z.number(), max: z.number(), step: z.number().positive() });
const perAbility = <T extends z.ZodType>(t: T) =>
  z.strictObject({ speaking: t, listening: t, reading: t, writing: t });

export const languageChartSchema = z.strictObject({
  id: z.string(),
  /** Charts apply by the date the test was taken; null = from the test's acceptance. */
  testDateFrom: isoDateSchema.nullable(),
  source: sourceSchema,
  scale: perAbility(scaleSchema),
  minimumScores: z.array(
    z.strictObject({ clb: z.number().int().min(1).max(12), ...perAbility(z.number()).shape }),
  ),
});
export type LanguageChart = z.infer<typeof languageChartSchema>;

export const languageTestFileSchema = z.strictObject({
  test: z.enum(LANGUAGE_TESTS),
  name: z.string(),
  language: z.enum(["english", "french"]),
  acceptedFrom: isoDateSchema,
  charts: z.array(languageChartSchema).min(1),
});
export type LanguageTestRules = z.infer<typeof languageTestFileSchema>;

export const languageValidityFileSchema = z.strictObject({
  rows: z
    .array(
      z.strictObject({
        effectiveFrom: isoDateSchema,
        validityYears: z.number().int().positive(),
        source: sourceSchema,
      }),
    )
    .min(1),
});
export type LanguageValidityRule = z.infer<typeof languageValidityFileSchema>["rows"][number];

export const noticesFileSchema = z.strictObject({
  notices: z.array(
    z.strictObject({
      id: z.string(),
      from: isoDateSchema,
      /** The notice in English (what the CLI prints). */
      text: z.string().min(1),
      /** The same notice in French, shown by the web app in French. */
      text_fr: z.string().min(1),
      /** Who wrote the French text, when it is not IRCC's own (e.g. "our translation"). */
      text_fr_note: z.string().min(1).optional(),
      source: sourceSchema,
    }),
  ),
});
export type Notice = z.infer<typeof noticesFileSchema>["notices"][number];

// ---------------------------------------------------------------------------------------------------
// NOC 2021 (generated by `npm run import:noc` from Statistics Canada's classification structure)
// ---------------------------------------------------------------------------------------------------

export const nocUnitGroupSchema = z.strictObject({
  code: z.string().regex(/^\d{5}$/),
  titleEn: z.string().min(1),
  titleFr: z.string().min(1),
  /** Training, Education, Experience and Responsibilities category: the code's second digit. */
  teer: z.number().int().min(0).max(5),
  broadCategory: z.string().regex(/^\d$/),
  broadCategoryTitle: z.string().min(1),
  majorGroup: z.string().regex(/^\d{2}$/),
  majorGroupTitle: z.string().min(1),
  subMajorGroup: z.string().regex(/^\d{3}$/),
  subMajorGroupTitle: z.string().min(1),
  minorGroup: z.string().regex(/^\d{4}$/),
  minorGroupTitle: z.string().min(1),
});
export type NocUnitGroup = z.infer<typeof nocUnitGroupSchema>;

export const nocFileSchema = z.strictObject({
  classification: z.literal("NOC 2021 Version 1.0"),
  /** IRCC has used NOC 2021 since this date. */
  inUseByIrccFrom: isoDateSchema,
  sources: z.array(sourceSchema).min(1),
  generatedBy: z.string(),
  unitGroups: z.array(nocUnitGroupSchema).min(1),
});
export type NocFile = z.infer<typeof nocFileSchema>;

// ---------------------------------------------------------------------------------------------------
// Category-based selection
// ---------------------------------------------------------------------------------------------------

/** How much work experience an occupational category asks for, from a date. */
export const categoryExperienceRuleSchema = z.strictObject({
  effectiveFrom: isoDateSchema,
  /** Months of full-time work (or the equal part-time hours: 130 h a month, 1,560 h a year). */
  months: z.number().int().positive(),
  /** true: in one unbroken stretch of work; false: hours may add up across stretches. */
  continuous: z.boolean(),
  /** The experience must fall within this many years before the as-of (round) date. */
  windowYears: z.number().int().positive(),
  source: sourceSchema,
});
export type CategoryExperienceRule = z.infer<typeof categoryExperienceRuleSchema>;

export const categoryExperienceFileSchema = z.strictObject({
  rows: z.array(categoryExperienceRuleSchema).min(1),
});

export const CATEGORIES = [
  "french-language",
  "healthcare",
  "stem",
  "trades",
  "transport",
  "agriculture",
  "education",
  "physicians",
  "senior-managers",
  "researchers",
  "military",
] as const;
export type CategoryId = (typeof CATEGORIES)[number];

export const categoryVersionSchema = z.strictObject({
  /** e.g. "healthcare-2026-v3" */
  id: z.string().regex(/^[a-z0-9-]+$/),
  category: z.enum(CATEGORIES),
  title: z.string(),
  /** IRCC's exact round name for this version, or null when no round of it has been seen. */
  roundName: z.string().nullable(),
  /** Other spellings IRCC used for the same version (case, plurals). */
  roundNameAliases: z.array(z.string()).default([]),
  effectiveFrom: isoDateSchema,
  /** Last day in force, or null while current. */
  effectiveTo: isoDateSchema.nullable(),
  requirement: z.discriminatedUnion("kind", [
    z.strictObject({
      kind: z.literal("french-language"),
      /** NCLC in each of the four abilities of a valid French test (TEF Canada or TCF Canada). */
      minNclcAllAbilities: z.number().int().min(1).max(12),
    }),
    z.strictObject({
      kind: z.literal("occupation"),
      /** NOC 2021 unit groups; experience must be in a single one of them. */
      nocs: z.array(z.string().regex(/^\d{5}$/)).min(1),
      /** true for the "with Canadian work experience" categories. */
      inCanada: z.boolean(),
      /** Replaces the dated general experience rules (rules/category-experience.json) for this version. */
      experience: z.array(categoryExperienceRuleSchema.omit({ source: true })).optional(),
      /** Conditions the engine cannot check from a profile; reported with the result. */
      unverifiedConditions: z.array(z.string()).default([]),
    }),
  ]),
  source: sourceSchema,
  note: z.string().optional(),
});
export type CategoryVersion = z.infer<typeof categoryVersionSchema>;

// ---------------------------------------------------------------------------------------------------
// Programs: Federal Skilled Worker, Canadian Experience Class, Federal Skilled Trades; proof of funds
// ---------------------------------------------------------------------------------------------------

const sourced = { source: sourceSchema };

export const fswRulesSchema = z.strictObject({
  id: z.string(),
  effectiveFrom: isoDateSchema,
  source: sourceSchema,
  minimum: z.strictObject({
    experienceHours: nonNegInt,
    windowYears: nonNegInt,
    continuous: z.boolean(),
    singleOccupation: z.boolean(),
    minClbAllAbilities: nonNegInt,
    ecaValidityYears: nonNegInt,
    passMark: nonNegInt,
    ...sourced,
  }),
  grid: z.strictObject({
    language: z.strictObject({
      firstPerAbility: z.array(z.strictObject({ clbFrom: nonNegInt, points: nonNegInt })),
      secondAllAbilitiesMinClb: nonNegInt,
      secondPoints: nonNegInt,
      maximum: nonNegInt,
      ...sourced,
    }),
    education: z.strictObject({
      points: z.record(educationLevelSchema, nonNegInt),
      maximum: nonNegInt,
      ...sourced,
    }),
    experience: z.strictObject({
      rows: z.array(z.strictObject({ yearsFrom: nonNegInt, points: nonNegInt })),
      windowYears: nonNegInt,
      maximum: nonNegInt,
      ...sourced,
    }),
    age: z.strictObject({
      rows: z.array(z.strictObject({ ageFrom: nonNegInt, points: nonNegInt })),
      maximum: nonNegInt,
      ...sourced,
    }),
    arrangedEmployment: z.strictObject({ points: nonNegInt, maximum: nonNegInt, ...sourced }),
    adaptability: z.strictObject({
      spouseLanguageMinClbAllAbilities: nonNegInt,
      spouseLanguage: nonNegInt,
      ownStudyInCanadaMinYears: nonNegInt,
      ownStudyInCanada: nonNegInt,
      spouseStudyInCanada: nonNegInt,
      ownWorkInCanadaMinHours: nonNegInt,
      ownWorkInCanada: nonNegInt,
      spouseWorkInCanada: nonNegInt,
      arrangedEmployment: nonNegInt,
      relativeInCanada: nonNegInt,
      maximum: nonNegInt,
      ...sourced,
    }),
  }),
});
export type FswRules = z.infer<typeof fswRulesSchema>;

export const cecRulesSchema = z.strictObject({
  id: z.string(),
  effectiveFrom: isoDateSchema,
  experienceHours: nonNegInt,
  windowYears: nonNegInt,
  /** Minimum CLB in all four abilities, by the TEER of the occupation the experience is in. */
  minClbByTeer: z.strictObject({ "0": nonNegInt, "1": nonNegInt, "2": nonNegInt, "3": nonNegInt }),
  source: sourceSchema,
  note: z.string().optional(),
});
export type CecRules = z.infer<typeof cecRulesSchema>;

export const fstRulesSchema = z.strictObject({
  id: z.string(),
  effectiveFrom: isoDateSchema,
  experienceHours: nonNegInt,
  windowYears: nonNegInt,
  minClb: z.strictObject({
    speaking: nonNegInt,
    listening: nonNegInt,
    reading: nonNegInt,
    writing: nonNegInt,
  }),
  trades: z.strictObject({
    majorGroups: z.array(z.string().regex(/^\d{2}$/)),
    excludedSubMajorGroups: z.array(z.string().regex(/^\d{3}$/)),
    minorGroups: z.array(z.string().regex(/^\d{4}$/)),
    unitGroups: z.array(z.string().regex(/^\d{5}$/)),
    teers: z.array(z.number().int().min(0).max(5)),
  }),
  source: sourceSchema,
  note: z.string().optional(),
});
export type FstRules = z.infer<typeof fstRulesSchema>;

export const proofOfFundsSchema = z.strictObject({
  effectiveFrom: isoDateSchema,
  /** CAD by family size 1..n; each further member adds `eachAdditional`. */
  byFamilySize: z.array(nonNegInt).min(1),
  eachAdditional: nonNegInt,
  source: sourceSchema,
});
export type ProofOfFunds = z.infer<typeof proofOfFundsSchema>;

export const fswFileSchema = z.strictObject({ versions: z.array(fswRulesSchema).min(1) });
export const cecFileSchema = z.strictObject({ versions: z.array(cecRulesSchema).min(1) });
export const fstFileSchema = z.strictObject({ versions: z.array(fstRulesSchema).min(1) });
export const proofOfFundsFileSchema = z.strictObject({ versions: z.array(proofOfFundsSchema).min(1) });

// ---------------------------------------------------------------------------------------------------
// Pool lifecycle and IRCC's published score bands
// ---------------------------------------------------------------------------------------------------

export const poolLifecycleSchema = z.strictObject({
  effectiveFrom: isoDateSchema,
  invitationValidityDays: nonNegInt,
  profileValidityMonths: nonNegInt,
  source: sourceSchema,
});
export type PoolLifecycle = z.infer<typeof poolLifecycleSchema>;
export const poolLifecycleFileSchema = z.strictObject({ versions: z.array(poolLifecycleSchema).min(1) });

export const poolBandsFileSchema = z.strictObject({
  source: sourceSchema,
  bands: z
    .array(
      z.strictObject({
        key: z.string(),
        label: z.string(),
        from: nonNegInt,
        to: nonNegInt,
        subtotalOf: z.array(z.string()).optional(),
        /**
         * How profiles spread over the band's scores, where it is not evenly: "nominees" means the band
         * holds provincial nominees, spread like the rest of the pool moved up by `by` points.
         */
        shape: z.strictObject({ kind: z.literal("nominees"), by: nonNegInt, note: z.string() }).optional(),
      }),
    )
    .min(1),
});
export type PoolBands = z.infer<typeof poolBandsFileSchema>;

/** Names of the rounds that are not category-based (rules/round-names.json), in English and French. */
export const roundNamesFileSchema = z.strictObject({
  source: sourceSchema,
  names: z.array(
    z.strictObject({
      kind: z.enum(["general", "program"]),
      program: z.enum(["CEC", "FSW", "FST", "PNP"]).optional(),
      en: z.array(z.string().min(1)).min(1),
      fr: z.array(z.string().min(1)),
      frStatus: z.enum(["official", "secondary"]),
    }),
  ),
  categoryNamesFr: z.strictObject({
    source: z.enum(["official", "secondary"]),
    note: z.string(),
    names: z.record(z.string(), z.array(z.string().min(1))),
  }),
});
export type RoundNames = z.infer<typeof roundNamesFileSchema>;
