/**
 * Public routes: score, eligibility, ways to raise a score, the rule sets, health. Rate-limited; no
 * token. Each validates its input with the engine's own validation and answers what `ee` prints with
 * --json for the same input.
 */
import { z } from "zod";
import { scoreInput } from "../../app/scoring.js";
import { ruleSetCatalogue } from "../../domain/crs/score.js";
import { questionnaireSchema, zodIssuesToFieldErrors } from "../../domain/crs/questionnaire.js";
import { adviseProfile, adviseQuestionnaire } from "../../domain/crs/what-if.js";
import { eligibilityOf, validateProfile } from "../../domain/eligibility/report.js";
import { looksLikeProfile } from "../../domain/profile/profile.js";
import {
  asOfQuery,
  crsOutcome,
  eligibilityReport,
  errorBody,
  isoDate,
  profileBody,
  questionnaireOrProfile,
  scoreAdvice,
} from "./schemas.js";
import { HttpError, type RouteContext } from "./server.js";

const errors = { 400: errorBody, 429: errorBody };

export function registerPublicRoutes({ api, options: o, limited, history }: RouteContext): void {
  const book = o.book;

  api.post(
    "/api/score",
    {
      config: limited,
      schema: {
        tags: ["scoring"],
        summary: "Score a CRS questionnaire or a full profile, explained line by line",
        description:
          "The total, the rule set in force on the as-of date, every factor's points and maximum with its cited rule, and the CLB/NCLC of each ability. A valid input that cannot be scored on the date (an expired test) answers 200 with status not-scored and its reasons.",
        querystring: asOfQuery,
        body: questionnaireOrProfile,
        response: { 200: crsOutcome, ...errors },
      },
    },
    async (request) => {
      const outcome = scoreInput(request.body, { asOf: request.query.asOf, book, today: o.today });
      if (outcome.status === "invalid") throw invalid(outcome.errors);
      return outcome;
    },
  );

  api.post(
    "/api/eligibility",
    {
      config: limited,
      schema: {
        tags: ["scoring"],
        summary: "Programs (FSW grid, CEC, FST), categories and the CRS of a profile on a date",
        description:
          "Each program and category version with its reasons and the date until which the answer holds (eligibleUntil), and validUntil: the last day the whole evaluation stays the same.",
        querystring: asOfQuery,
        body: profileBody,
        response: { 200: eligibilityReport, ...errors },
      },
    },
    async (request) => {
      const outcome = eligibilityOf(request.body, { asOf: request.query.asOf, book, today: o.today });
      if (outcome.status === "invalid") throw invalid(outcome.errors);
      return outcome;
    },
  );

  api.post(
    "/api/advice",
    {
      config: limited,
      schema: {
        tags: ["scoring"],
        summary: "Ways to raise the score, ranked by points gained, and what is about to be lost and when",
        querystring: asOfQuery.extend({
          spouseDateOfBirth: isoDate.optional().meta({
            description:
              "For a profile: the spouse's date of birth, which the profile does not hold; with it the spouse as principal applicant is scored too",
          }),
        }),
        body: questionnaireOrProfile,
        response: { 200: scoreAdvice, 422: errorBody, ...errors },
      },
    },
    async (request) => {
      if (looksLikeProfile(request.body)) {
        const validated = validateProfile(request.body, book);
        if (validated.status === "invalid") throw invalid(validated.errors);
        return adviseProfile(validated.profile, request.query.asOf ?? o.today(), book, {
          spouseDateOfBirth: request.query.spouseDateOfBirth,
        });
      }
      const parsed = questionnaireSchema.safeParse(request.body);
      if (!parsed.success) throw invalid(zodIssuesToFieldErrors(parsed.error.issues));
      // As for scoring: the query's date, else the questionnaire's own, else today.
      const asOf = request.query.asOf ?? parsed.data.asOf ?? o.today();
      return adviseQuestionnaire(parsed.data, asOf, book);
    },
  );

  api.get(
    "/api/rules",
    {
      config: limited,
      schema: {
        tags: ["scoring"],
        summary: "The dated CRS rule sets and their sources",
        response: {
          200: z.object({
            crs: z.array(
              z.looseObject({
                id: z.string(),
                title: z.string(),
                effectiveFrom: z.string(),
                effectiveTo: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async () => ruleSetCatalogue(book),
  );

  // For load balancers' frequent checks: one row read (the history's sync instant), where /api/health
  // also counts the pool (seconds at millions of profiles on PostgreSQL).
  api.get(
    "/api/health/ready",
    {
      schema: {
        summary: "Whether the server and its database answer (one row read; for load balancers)",
        response: { 200: z.object({ status: z.literal("ok") }), 503: errorBody },
      },
    },
    async () => {
      try {
        await o.store.historySyncedAt();
      } catch {
        throw new HttpError(503, "unavailable", "the database does not answer");
      }
      return { status: "ok" as const };
    },
  );

  api.get(
    "/api/health",
    {
      schema: {
        summary: "Whether the server and its database answer",
        response: {
          200: z.object({
            status: z.literal("ok"),
            database: z.string(),
            profiles: z.number().int(),
            historyRounds: z.number().int(),
            operatorRoutes: z.boolean(),
          }),
          503: errorBody,
        },
      },
    },
    async () => {
      let profiles: number;
      let historyRounds: number;
      try {
        profiles = await o.store.countProfiles();
        const h = await history();
        historyRounds = h.origin === "store" ? h.rounds.length : 0;
      } catch {
        throw new HttpError(503, "unavailable", "the database does not answer");
      }
      return {
        status: "ok" as const,
        database: o.databaseLabel,
        profiles,
        historyRounds,
        operatorRoutes: o.operatorToken !== null,
      };
    },
  );
}

export function invalid(errors: { field: string; message: string }[]): HttpError {
  return new HttpError(
    400,
    "invalid",
    errors.map((e) => `${e.field || "(body)"}: ${e.message}`).join("; "),
    errors,
  );
}
