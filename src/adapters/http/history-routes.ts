/**
 * Round history routes: the rounds IRCC published (the store's synced history, else the shipped
 * table), one round with the feed's anomalies, trends, the pool's bands, "would I have been invited?"
 * and the forecast. The same domain functions as `ee history` and `ee forecast`.
 */
import { z } from "zod";
import { forecastByName, type ForecastReport } from "../../app/forecast-service.js";
import { checkProfile, type HistoryInUse } from "../../app/history-service.js";
import { filterRounds, historyStats } from "../../domain/history/stats.js";
import { forecastSettings } from "../../rules/forecast-parameters.js";
import { invalid } from "./public-routes.js";
import {
  anomaly,
  errorBody,
  forecastQuery,
  forecastReport,
  historyFilterQuery,
  historyNumberParams,
  historyOrigin,
  historyRound,
  type FrenchName,
} from "./schemas.js";
import { HttpError, type RouteContext } from "./server.js";

/** Forecasts kept in memory (oldest out first). */
const FORECAST_CACHE_SIZE = 200;

export function registerHistoryRoutes({ api, options: o, limited, history }: RouteContext): void {
  const book = o.book;
  const forecasts = new Map<string, ForecastReport>();

  const originOf = (h: HistoryInUse) => ({ origin: h.origin, syncedAt: h.syncedAt, source: h.source });

  /** The round's French name: the French feed's (nameFr) where it was read, else the rules' for its kind. */
  function frenchOf(r: { name: string; date: string; nameFr?: string }): FrenchName | undefined {
    if (r.nameFr) return { name: r.nameFr, from: "feed", status: "official" };
    const fr = book.frenchRoundName(r.name, r.date);
    return fr && { ...fr, from: "rules" };
  }
  const withFrench = <R extends { name: string; date: string; nameFr?: string }>(r: R) => {
    const french = frenchOf(r);
    return french ? { ...r, french } : r;
  };

  api.get(
    "/api/history/rounds",
    {
      config: limited,
      schema: {
        tags: ["history"],
        summary: "IRCC's published rounds, oldest first, filtered by kind, category and dates",
        querystring: historyFilterQuery,
        response: { 200: historyOrigin.extend({ rounds: z.array(historyRound) }), 400: errorBody },
      },
    },
    async (request) => {
      const h = await history();
      return { ...originOf(h), rounds: filterRounds(h.rounds, request.query).map(withFrench) };
    },
  );

  api.get(
    "/api/history/rounds/:number",
    {
      config: limited,
      schema: {
        tags: ["history"],
        summary: "One published round as IRCC published it, with the feed's anomalies for it",
        params: historyNumberParams,
        response: {
          200: historyOrigin.extend({ round: historyRound, anomalies: z.array(anomaly) }),
          404: errorBody,
        },
      },
    },
    async (request) => {
      const h = await history();
      const number = request.params.number.trim().toLowerCase();
      const round = h.rounds.find((r) => r.number === number);
      if (!round)
        throw new HttpError(404, "not-found", `no round #${number} (newest #${h.rounds.at(-1)?.number})`);
      return {
        ...originOf(h),
        round: withFrench(round),
        anomalies: h.anomalies.filter((a) => a.round === round.number),
      };
    },
  );

  api.get(
    "/api/history/stats",
    {
      config: limited,
      schema: {
        tags: ["history"],
        summary: "Trends per kind and category: cut-offs, invitations per year, pool distributions, inflow",
        querystring: historyFilterQuery,
        response: { 200: historyOrigin.extend({}).loose(), 400: errorBody },
      },
    },
    async (request) => {
      const h = await history();
      return { ...originOf(h), ...historyStats(h.rounds, request.query, book.poolBands) };
    },
  );

  api.get(
    "/api/history/bands",
    {
      config: limited,
      schema: {
        tags: ["history"],
        summary: "The CRS bands IRCC publishes the pool's distribution in (dd1–dd18)",
        response: {
          200: z.object({
            bands: z.array(z.looseObject({ key: z.string(), label: z.string() })),
            source: z.looseObject({}),
          }),
        },
      },
    },
    async () => ({ bands: book.poolBands.bands, source: book.poolBands.source }),
  );

  api.post(
    "/api/history/check",
    {
      config: limited,
      schema: {
        tags: ["history"],
        summary: "Would this profile have been invited? Every published round while it was in the pool",
        body: z.strictObject({
          profile: z.record(z.string(), z.unknown()).meta({ type: "object", description: "A full profile" }),
          submittedAt: z.iso
            .datetime({ message: "must be a UTC timestamp like 2026-01-03T03:25:14Z" })
            .optional()
            .meta({ description: "The submission instant, when the profile has none" }),
        }),
        response: { 200: historyOrigin.extend({}).loose(), 400: errorBody },
      },
    },
    async (request) => {
      const h = await history();
      const checked = checkProfile(request.body.profile, h.rounds, book, {
        submittedAt: request.body.submittedAt,
      });
      if (checked.status === "invalid")
        throw invalid(
          checked.errors.map((e) => ({
            ...e,
            field: e.field === "submittedAt" ? e.field : `profile.${e.field}`,
          })),
        );
      const r = checked.result;
      return {
        ...originOf(h),
        ...r,
        firstInvitation: r.firstInvitation && withFrench(r.firstInvitation),
        invitations: r.invitations.map(withFrench),
        nearMisses: r.nearMisses.map(withFrench),
        rounds: r.rounds.map(withFrench),
      };
    },
  );

  api.get(
    "/api/forecast",
    {
      config: limited,
      schema: {
        tags: ["history"],
        summary: "A round's expected cut-off with an interval, and the backtest error of its kind",
        querystring: forecastQuery,
        response: { 200: forecastReport, 400: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const h = await history();
      const query = { ...request.query, at: request.query.at ?? o.today() };
      // A forecast walks the whole history (about 0.3 s): the same question on the same history is
      // answered from memory. The key names the history by its sync instant.
      const key = JSON.stringify([h.origin, h.syncedAt, query.roundName, query.invitations, query.at]);
      const cached = forecasts.get(key);
      if (cached) return cached;
      const report = forecastByName(h.rounds, query, book, forecastSettings());
      if (forecasts.size >= FORECAST_CACHE_SIZE) forecasts.delete(forecasts.keys().next().value as string);
      forecasts.set(key, report);
      return report;
    },
  );
}
