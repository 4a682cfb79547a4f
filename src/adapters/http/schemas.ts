/**
 * The API's request and response schemas (zod): one source of truth for the route types, the
 * validation of requests, the check of responses and the OpenAPI document at /openapi.json. Inputs
 * the domain validates itself (a questionnaire, a profile, a round) are taken as JSON objects here and
 * validated by the same functions as the CLI, so a field error names the same path everywhere.
 */
import { z } from "zod";
import type { ForecastReport } from "../../app/forecast-service.js";
import type { PoolStats, SweepResult } from "../../app/pool-service.js";
import type { PublishedRound } from "../../app/round-service.js";
import type { ScoreAdvice } from "../../domain/crs/what-if.js";
import { isIsoDate } from "../../calendar/dates.js";
import { endOfOttawaDay, isUtcInstant, normalizeInstant } from "../../calendar/instants.js";
import type { CrsNotScored, CrsScore } from "../../domain/crs/score.js";
import type { EligibilityReport } from "../../domain/eligibility/report.js";
import type { HistoryRound } from "../../domain/history/round-record.js";

/**
 * A response schema checks the fields a client relies on and passes the rest through (loose objects);
 * its static type is the domain's own interface, so the route's type and the code's agree.
 */
const typed =
  <T>() =>
  (schema: z.ZodType): z.ZodType<T> =>
    schema as unknown as z.ZodType<T>;

export const isoDate = z
  .string()
  .refine(isIsoDate, { message: "must be a real calendar date YYYY-MM-DD" })
  .meta({ example: "2026-02-19" });

/** An instant, or a date meaning the end of that day in Ottawa (as the CLI's --as-of takes it). */
export const instantOrDate = z
  .string()
  .refine((v) => isUtcInstant(v) || isIsoDate(v), {
    message:
      "must be a UTC timestamp like 2026-02-18T14:00:00Z or a date YYYY-MM-DD (the end of that day in Ottawa)",
  })
  .transform((v) => (isIsoDate(v) ? endOfOttawaDay(v) : normalizeInstant(v)))
  .meta({ example: "2026-02-18" });

export const asOfQuery = z.strictObject({
  asOf: isoDate.optional().meta({ description: "The date to evaluate on (default: today in Ottawa)" }),
});

export const fieldError = z.object({ field: z.string(), message: z.string() });

export const errorBody = z
  .object({
    error: z.object({
      statusCode: z.number().int(),
      code: z.string().meta({
        description:
          "invalid, unauthorized, forbidden, not-found, conflict, busy, too-large, rate-limited, unavailable or internal",
      }),
      message: z.string(),
      errors: z.array(fieldError).optional(),
      line: z.number().int().optional(),
    }),
  })
  .meta({ id: "Error" });

const jsonObject = (description: string) =>
  z.record(z.string(), z.unknown()).meta({ description, type: "object" });

export const questionnaireOrProfile = jsonObject(
  "A CRS questionnaire (the official tool's questions) or a full profile; see docs/data-formats.md. Validated by the engine: errors name each field's path.",
);
export const profileBody = jsonObject(
  "A full profile (docs/data-formats.md) without id and submittedAt, which the server sets.",
);

const ruleRef = z.looseObject({
  ruleSet: z.string(),
  table: z.string(),
  setBy: z.string(),
  source: z.looseObject({ url: z.string() }),
});
const crsLine = z.looseObject({
  factor: z.string(),
  label: z.string(),
  points: z.number(),
  maximum: z.number(),
  rule: ruleRef.optional(),
});
const crsSection = z.looseObject({
  id: z.string(),
  title: z.string(),
  subtotal: z.number(),
  maximum: z.number(),
  lines: z.array(crsLine),
});

export const crsOutcome = typed<CrsScore | CrsNotScored>()(
  z
    .discriminatedUnion("status", [
      z.looseObject({
        status: z.literal("scored"),
        asOf: z.string(),
        total: z.number().int(),
        maximum: z.number().int(),
        ruleSet: z.looseObject({ id: z.string(), effectiveFrom: z.string() }),
        scoredAs: z.enum(["with-spouse", "single"]),
        core: crsSection,
        spouse: crsSection,
        skillTransferability: crsSection,
        additional: crsSection,
        languageResults: z.looseObject({}),
        notices: z.array(z.looseObject({ id: z.string(), text: z.string() })),
      }),
      z.looseObject({
        status: z.literal("not-scored"),
        asOf: z.string(),
        reasons: z.array(fieldError),
      }),
    ])
    .meta({ id: "CrsOutcome" }),
);

export const eligibilityReport = typed<EligibilityReport>()(
  z
    .looseObject({
      status: z.string(),
      asOf: z.string(),
      validUntil: z.string().nullable().optional(),
      programs: z.array(z.looseObject({})),
      categories: z.array(z.looseObject({})),
    })
    .meta({ id: "EligibilityReport" }),
);

export const scoreAdvice = typed<ScoreAdvice>()(
  z
    .looseObject({
      asOf: z.string(),
      total: z.number().int(),
      improvements: z.array(
        z.object({
          action: z.string(),
          detail: z.record(z.string(), z.union([z.string(), z.number()])),
          gain: z.number(),
          total: z.number(),
        }),
      ),
      losses: z.array(
        z.object({
          cause: z.string(),
          on: z.string(),
          loss: z.number(),
          total: z.number(),
          detail: z.record(z.string(), z.union([z.string(), z.number()])),
        }),
      ),
    })
    .meta({ id: "ScoreAdvice" }),
);

export const poolStatsSchema = typed<PoolStats>()(
  z.looseObject({ size: z.number().int(), date: z.string(), at: z.string() }).meta({ id: "PoolStats" }),
);
export const sweepResult = typed<SweepResult>()(
  z.looseObject({ at: z.string(), dryRun: z.boolean() }).meta({ id: "SweepResult" }),
);

export const frenchName = z
  .object({
    name: z.string(),
    from: z.enum(["feed", "rules"]),
    status: z.enum(["official", "secondary"]),
  })
  .meta({
    id: "FrenchName",
    description:
      "The round's French name: IRCC's French feed's where it was read, else rules/round-names.json's for the round's kind (status: official or secondary, as there)",
  });
export type FrenchName = z.infer<typeof frenchName>;

export const historyRound = typed<HistoryRound & { french?: FrenchName }>()(
  z
    .looseObject({
      number: z.string(),
      order: z.number(),
      date: z.string(),
      at: z.string().nullable(),
      name: z.string(),
      nameFr: z.string().optional(),
      kind: z.enum(["general", "program", "category"]),
      program: z.string().optional(),
      categoryVersion: z.string().optional(),
      category: z.string().optional(),
      invitations: z.number().int(),
      cutoff: z.number().int(),
      tieBreak: z.string().nullable(),
      distribution: z.object({ asOf: z.string(), bands: z.record(z.string(), z.number()) }).nullable(),
      source: z.enum(["ircc", "third-party"]),
    })
    .meta({ id: "HistoryRound" }),
);

export const anomaly = z.object({ round: z.string(), field: z.string(), message: z.string() });

export const historyFilterQuery = z.strictObject({
  kind: z.enum(["general", "program", "category"]).optional(),
  category: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "A category across its versions, e.g. healthcare" }),
  from: isoDate.optional(),
  to: isoDate.optional(),
});

export const historyOrigin = z.object({
  origin: z.enum(["store", "shipped"]),
  syncedAt: z.string().nullable(),
  source: z.string(),
});

export const forecastQuery = z.strictObject({
  roundName: z.string().min(1).meta({ example: "Canadian Experience Class" }),
  invitations: z.coerce.number().int().min(1).max(1_000_000),
  at: isoDate.optional().meta({ description: "The round's date (default: today in Ottawa)" }),
});

export const forecastReport = typed<ForecastReport>()(
  z
    .looseObject({
      roundName: z.string(),
      kind: z.string(),
      at: z.string(),
      invitations: z.number(),
      cutoff: z.number(),
      low: z.number(),
      high: z.number(),
      method: z.string(),
      backtest: z.looseObject({
        rounds: z.number(),
        mae: z.number(),
        naiveMae: z.number(),
        coverage: z.number(),
      }),
      note: z.string().optional(),
    })
    .meta({ id: "ForecastReport" }),
);

export const storedProfileView = z
  .object({
    id: z.string(),
    status: z.string(),
    submittedAt: z.string(),
    expiresAt: z.string(),
    revision: z.number().int(),
    profile: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "StoredProfile" });

export const createdProfile = storedProfileView
  .extend({
    token: z.string().meta({
      description: "The secret that grants access to this profile (Authorization: Bearer …). Shown once.",
    }),
  })
  .meta({ id: "CreatedProfile" });

export const idParams = z.strictObject({ id: z.string().min(1).max(200) });
export const roundNumberParams = z.strictObject({ number: z.coerce.number().int().min(1) });
export const historyNumberParams = z.strictObject({
  number: z.string().min(1).max(10).meta({ example: "397" }),
});
export const invitationParams = z.strictObject({
  id: z.coerce.number().int().min(1),
  answer: z.enum(["accept", "decline"]),
});

export const instantBody = z.strictObject({
  at: z.iso
    .datetime({ message: "must be a UTC timestamp like 2026-02-25T10:00:00Z" })
    .optional()
    .meta({ description: "When (default: now)" }),
});

export const sweepBody = z.strictObject({
  asOf: instantOrDate.optional(),
  dryRun: z.boolean().default(false),
});

export const roundBody = z.record(z.string(), z.unknown()).meta({
  type: "object",
  description:
    "A round: { number?, name, kind?, program?, categoryVersion?, invitations, at, dryRun? } as `ee round run` takes it (docs/data-formats.md).",
});

export const publishedRound = typed<PublishedRound>()(
  z
    .looseObject({
      number: z.number().int(),
      name: z.string(),
      dryRun: z.boolean(),
      invitations: z.number().int(),
      eligible: z.number().int(),
      cutoffCrs: z.number().nullable(),
      tieBreak: z.string().nullable(),
      distribution: z.looseObject({ bands: z.array(z.looseObject({})) }),
    })
    .meta({ id: "PublishedRound" }),
);

export const storedRound = z.looseObject({
  number: z.number().int(),
  name: z.string(),
  kind: z.string(),
  at: z.string(),
  invited: z.number().int(),
  eligible: z.number().int(),
  cutoffCrs: z.number().nullable(),
  tieBreak: z.string().nullable(),
});

export const invitation = z.object({
  id: z.number().int(),
  roundNumber: z.number().int(),
  profileId: z.string(),
  rank: z.number().int(),
  crs: z.number().int(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  status: z.string(),
  respondedAt: z.string().nullable(),
});

export const importBody = z
  .union([z.array(z.unknown()), z.object({ profiles: z.array(z.unknown()) })])
  .meta({ description: "Profiles: a JSON array, or { profiles: [...] }. All or nothing." });
