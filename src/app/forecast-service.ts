/**
 * Forecasts of a round's cut-off and the walk-forward backtest, over a history of published rounds given
 * as an argument (the shipped table today; a synced store can pass its own).
 */
import type { HistoryRound } from "../domain/history/round-record.js";
import { type Backtest, type BacktestFigures, backtestOf } from "../domain/forecast/backtest.js";
import {
  type Forecast,
  ForecastContext,
  type ForecastTarget,
  historyBefore,
  type WalkEntry,
} from "../domain/forecast/forecast.js";
import { familyOf } from "../domain/history/analytics.js";
import type { RuleBook } from "../rules/index.js";
import type { PoolBands } from "../rules/schema.js";
import type { ForecastSettings } from "../rules/forecast-parameters.js";
import { dayOf } from "../calendar/days.js";
import { NotFoundError } from "./errors.js";

/** What `ee forecast --json` prints. */
export interface ForecastReport {
  roundName: string;
  kind: string;
  at: string;
  invitations: number;
  cutoff: number;
  low: number;
  high: number;
  basedOn: { lastRound: string; lastRoundDate: string; lastCutoff: number; distributionAsOf: string | null };
  method: string;
  /** The candidate the kind's walk-forward errors chose, and the naive baseline's forecast. */
  candidate: string;
  naive: number;
  /** The backtest of this kind on the rounds since the backtest's start and before `at`. */
  backtest: BacktestFigures;
  note?: string;
}

const METHOD_TEXT: Record<string, string> = {
  naive: "the cut-off of the last round of the same kind",
  "recent-mean": "the mean cut-off of the kind's last rounds",
  depletion:
    "pool depletion: the pool projected to the day (latest distribution, inflow per band, invitations since), and the cut-off at which the profiles at or above it stand to those of the kind's last round as the round's size to that round's, to a fitted power",
  blend: "the mean of the naive forecast and the pool-depletion one",
};

/** The method in one paragraph, with the candidate this forecast used. */
export function methodText(f: Forecast): string {
  return (
    `${METHOD_TEXT[f.method]}. Chosen among naive, recent mean, pool depletion and their blend by the ` +
    `lowest walk-forward error on earlier rounds of ${f.chosenFrom === "kind" ? "this kind" : f.chosenFrom === "class" ? "this class of round (too few of the kind)" : "all kinds (too few of the kind)"}; ` +
    `the interval adds the 10th and 90th percentiles of those earlier forecasts' errors.`
  );
}

export interface ForecastRequest {
  roundName: string;
  /** The round's kind as the forecast groups rounds, and its class, from the round-name mapping. */
  target: Omit<ForecastTarget, "invitations" | "date">;
  invitations: number;
  at: string;
}

/** A forecast from the rounds strictly before `at` only; NotFoundError when the kind has none. */
export function forecastRound(
  rounds: readonly HistoryRound[],
  request: ForecastRequest,
  bands: PoolBands,
  settings: ForecastSettings,
): ForecastReport {
  const ctx = new ForecastContext(historyBefore(rounds, request.at), bands, settings.params);
  const walk = ctx.walk();
  const f = ctx.forecast({ ...request.target, invitations: request.invitations, date: request.at }, walk);
  if (!f)
    throw new NotFoundError(
      `no published round of the kind ${request.target.kind} ('${request.roundName}') before ${request.at}`,
    );
  const kindWalk = walk.filter((e) => e.forecast.kind === f.kind);
  const figures = backtestOf(kindWalk, settings.backtestFrom).overall;
  const report: ForecastReport = {
    roundName: request.roundName,
    kind: f.kind,
    at: request.at,
    invitations: request.invitations,
    cutoff: f.cutoff,
    low: f.low,
    high: f.high,
    basedOn: {
      lastRound: f.lastRound.number,
      lastRoundDate: f.lastRound.date,
      lastCutoff: f.lastRound.cutoff,
      distributionAsOf: f.distributionAsOf,
    },
    method: methodText(f),
    candidate: f.method,
    naive: f.naive,
    backtest: figures,
  };
  const before = ctx.history[ctx.history.length - 1];
  const stale =
    before && dayOf(request.at) - dayOf(before.date) > STALE_DAYS
      ? `the history ends with round #${before.number} of ${before.date}: rounds since are unknown, and the projected pool has none of their invitations taken out`
      : undefined;
  const note = [beatsNaiveNote(figures), stale].filter((n) => n !== undefined).join("; ");
  if (note) report.note = note;
  return report;
}

/** Rounds of some kind are rarely more than a month apart: a longer gap means the history is not up to date. */
const STALE_DAYS = 30;

/** Said beside a forecast whose kind the forecast did not beat the naive baseline on in the backtest. */
function beatsNaiveNote(b: BacktestFigures): string | undefined {
  if (b.rounds === 0) return "no backtested round of this kind yet: its error is not measured";
  if (b.mae >= b.naiveMae)
    return `for this kind the forecast does not beat the naive baseline in the backtest (MAE ${b.mae} vs ${b.naiveMae} over ${b.rounds} rounds)`;
  return undefined;
}

/** The walk-forward backtest of the whole history: every round since the start, and its figures. */
export function runBacktest(
  rounds: readonly HistoryRound[],
  bands: PoolBands,
  settings: ForecastSettings,
): { backtest: Backtest; entries: WalkEntry[] } {
  const walk = new ForecastContext(rounds, bands, settings.params).walk();
  return {
    backtest: backtestOf(walk, settings.backtestFrom),
    entries: walk.filter((e) => e.round.date >= settings.backtestFrom),
  };
}

/** A round name that the round-name mapping does not know on the date. */
export class UnknownRoundNameError extends Error {
  constructor(
    readonly roundName: string,
    /** Every distinct name of the history, newest first: what to suggest. */
    readonly known: string[],
  ) {
    super(`unknown round name '${roundName}'; known names: ${known.join("; ")}`);
  }
}

/** The round names to suggest: every distinct name of the history, newest first. */
export function knownRoundNames(rounds: readonly HistoryRound[]): string[] {
  const seen = new Set<string>();
  return [...rounds]
    .sort((a, b) => b.order - a.order)
    .map((r) => r.name)
    .filter((n) => !seen.has(n) && !!seen.add(n));
}

/**
 * A forecast for a round given by its name (`ee forecast`, `GET /api/forecast`): the one round-name
 * mapping (RuleBook.roundByName, on the round's date) gives the kind the forecast groups rounds by.
 */
export function forecastByName(
  rounds: readonly HistoryRound[],
  request: { roundName: string; invitations: number; at: string },
  book: RuleBook,
  settings: ForecastSettings,
): ForecastReport {
  const meaning = book.roundByName(request.roundName, request.at);
  if (!meaning) throw new UnknownRoundNameError(request.roundName, knownRoundNames(rounds));
  const target = {
    kind:
      meaning.kind === "category"
        ? meaning.category
        : familyOf(
            meaning.kind === "program" ? { kind: "program", program: meaning.program } : { kind: "general" },
          ),
    class: meaning.kind,
  };
  return forecastRound(rounds, { ...request, target }, book.poolBands, settings);
}
