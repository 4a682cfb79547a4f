/**
 * Forecasts of a round's cut-off from the published history strictly before its date (docs/forecast.md).
 *
 * Candidates: the naive one (the cut-off of the last round of the same kind), the mean of the kind's last
 * cut-offs, and pool depletion: the pool projected to the day (latest distribution, inflow per band,
 * invitations since), and the cut-off c at which the profiles at or above c stand to those of the kind's
 * last round as the round's size to that round's size, to the power κ (κ fitted on earlier rounds: a
 * group's members sit higher than the pool, so a larger round lowers the cut-off less than a constant
 * share would say). A kind uses the candidate with the lowest walk-forward error on its earlier rounds;
 * the interval is the empirical spread of the errors of those earlier forecasts.
 */
import type { PoolBands } from "../../rules/schema.js";
import {
  familyOf,
  type Inflow,
  inflows,
  poolAbove,
  scoreWithAbove,
  snapshots,
} from "../history/analytics.js";
import type { HistoryRound } from "../history/round-record.js";
import { type ProjectedPool, type ProjectionParameters, projectedPool } from "./pool-model.js";

export interface ForecastParameters extends ProjectionParameters {
  /** The last cut-offs of the kind the recent-mean candidate averages. */
  recentRounds: number;
  /** Earlier forecasts of a kind needed to choose its method and interval from its own rounds. */
  minKindRounds: number;
  /** Most recent errors the method choice and the interval read (the pool's behaviour drifts). */
  errorWindow: number;
  /** Ridge weight and prior of κ, the elasticity of the pool above the cut-off to the round's size. */
  kappaRidge: number;
  kappaPrior: number;
  /** Interval: empirical quantiles of past errors (actual − forecast). */
  lowQuantile: number;
  highQuantile: number;
}

export const CANDIDATES = ["naive", "recent-mean", "depletion", "blend"] as const;
export type Candidate = (typeof CANDIDATES)[number];

/** The round to forecast: its kind (analytics.familyOf), its class (general, program, category), size and date. */
export interface ForecastTarget {
  kind: string;
  class: HistoryRound["kind"];
  invitations: number;
  date: string;
}

/** The rounds published strictly before `date`, oldest first. */
export function historyBefore(rounds: readonly HistoryRound[], date: string): HistoryRound[] {
  return rounds.filter((r) => r.date < date).sort((a, b) => a.order - b.order);
}

/** The last round of `kind` in `history` (which holds only rounds before the forecast's date). */
export function lastRoundOfKind(history: readonly HistoryRound[], kind: string): HistoryRound | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const r = history[i] as HistoryRound;
    if (familyOf(r) === kind) return r;
  }
  return undefined;
}

/** The naive baseline: the cut-off of the last round of the same kind before the date; null without one. */
export function naiveForecast(rounds: readonly HistoryRound[], kind: string, date: string): number | null {
  return lastRoundOfKind(historyBefore(rounds, date), kind)?.cutoff ?? null;
}

/** Empirical quantile (linear between order statistics). */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const i = Math.floor(pos);
  const lo = s[i] as number;
  const hi = s[Math.min(i + 1, s.length - 1)] as number;
  return lo + (hi - lo) * (pos - i);
}

/** The forecast of one round, as it would have been made on its date. */
export interface Forecast {
  kind: string;
  cutoff: number;
  low: number;
  high: number;
  /** The candidate used, chosen by its walk-forward error on earlier rounds. */
  method: Candidate;
  /** What the errors were read from: the kind's own earlier rounds, its class's, or all rounds. */
  chosenFrom: "kind" | "class" | "all" | "none";
  naive: number;
  points: Record<Candidate, number>;
  lastRound: HistoryRound;
  distributionAsOf: string | null;
}

/** An earlier round's forecast with the published outcome. */
export interface WalkEntry {
  round: HistoryRound;
  forecast: Forecast;
}

interface Observation {
  round: HistoryRound;
  kind: string;
  logPool: number;
  logInvitations: number;
}

/**
 * One walk over a history: the projected pool per date and the observations of rounds (each depends
 * only on the rounds before its own date, so they are shared by every forecast of the walk).
 */
export class ForecastContext {
  private readonly pools = new Map<string, ProjectedPool | null>();
  private inflowList: Inflow[] | undefined;
  /** The date each snapshot was first published (with a round), by its as-of date. */
  private readonly published = new Map<string, string>();
  private observationList: Observation[] | undefined;
  private walkEntries: WalkEntry[] | undefined;
  /** All rounds known to the walk, oldest first; each query reads only those before its date. */
  readonly history: readonly HistoryRound[];

  constructor(
    history: readonly HistoryRound[],
    readonly bands: PoolBands,
    readonly params: ForecastParameters,
  ) {
    this.history = [...history].sort((a, b) => a.order - b.order);
    for (const s of snapshots(this.history)) this.published.set(s.asOf, s.round.date);
  }

  /**
   * The inflows known on `date`: both snapshots published before it. (Computed once over the whole
   * history: an inflow reads only its two snapshots and the rounds between them, all before `date`.)
   */
  private inflowsKnownOn(date: string): Inflow[] {
    this.inflowList ??= inflows(this.history, this.bands);
    const known = (asOf: string) => (this.published.get(asOf) ?? date) < date;
    return this.inflowList.filter((f) => known(f.from) && known(f.to));
  }

  pool(date: string): ProjectedPool | null {
    let p = this.pools.get(date);
    if (p === undefined) {
      p = projectedPool(
        historyBefore(this.history, date),
        this.inflowsKnownOn(date),
        date,
        this.bands,
        this.params,
      );
      this.pools.set(date, p);
    }
    return p;
  }

  /** Every round with a projected pool: "N invited when P profiles of the pool were at or above the cut-off". */
  private observations(): Observation[] {
    if (!this.observationList) {
      this.observationList = [];
      for (const round of this.history) {
        const pool = this.pool(round.date);
        if (!pool) continue;
        // The round's N invited were all in the pool at or above its cut-off: a projection that holds
        // fewer there is short, and N is the better figure.
        const above = Math.max(poolAbove(pool.counts, round.cutoff, this.bands), round.invitations);
        if (above > 0)
          this.observationList.push({
            round,
            kind: familyOf(round),
            logPool: Math.log(above),
            logInvitations: Math.log(round.invitations),
          });
      }
    }
    return this.observationList;
  }

  /**
   * κ: how the log of the pool above the cut-off moves with the log of the round's size, from consecutive
   * rounds of a kind before `date` (the kind's own pairs when there are enough, all kinds' otherwise),
   * a ridge regression through the origin towards the prior, kept within [0, 1].
   */
  private kappa(kind: string, date: string): number {
    const last = new Map<string, Observation>();
    let own: [number, number][] = [];
    const all: [number, number][] = [];
    for (const o of this.observations()) {
      if (o.round.date >= date) break;
      const prev = last.get(o.kind);
      if (prev) {
        const pair: [number, number] = [o.logInvitations - prev.logInvitations, o.logPool - prev.logPool];
        all.push(pair);
        if (o.kind === kind) own.push(pair);
      }
      last.set(o.kind, o);
    }
    if (own.length < this.params.minKindRounds) own = all;
    const { kappaRidge: lambda, kappaPrior: prior } = this.params;
    let sxy = lambda * prior;
    let sxx = lambda;
    for (const [dn, dp] of own) {
      sxy += dn * dp;
      sxx += dn * dn;
    }
    return Math.max(0, Math.min(1, sxy / sxx));
  }

  /** Every candidate's point forecast; null when the kind has no earlier round at all. */
  points(t: ForecastTarget): { points: Record<Candidate, number>; lastRound: HistoryRound } | null {
    const before = historyBefore(this.history, t.date);
    const lastRound = lastRoundOfKind(before, t.kind);
    if (!lastRound) return null;
    const naive = lastRound.cutoff;
    const recent = before.filter((r) => familyOf(r) === t.kind).slice(-this.params.recentRounds);
    const recentMean = Math.round(recent.reduce((s, r) => s + r.cutoff, 0) / recent.length);
    const pool = this.pool(t.date);
    const anchor = this.observations()
      .filter((o) => o.kind === t.kind && o.round.date < t.date)
      .at(-1);
    let depletion = naive;
    if (pool && anchor) {
      const k = this.kappa(t.kind, t.date);
      // At least the round's own size: whoever is invited is in the pool at or above the cut-off.
      const target = Math.max(
        t.invitations,
        Math.exp(anchor.logPool + k * (Math.log(t.invitations) - anchor.logInvitations)),
      );
      depletion = scoreWithAbove(pool.counts, target, this.bands);
    }
    return {
      points: { naive, "recent-mean": recentMean, depletion, blend: Math.round((naive + depletion) / 2) },
      lastRound,
    };
  }

  /** The forecast of `t` from the walk's earlier forecasts (their errors choose the method and the interval). */
  forecast(t: ForecastTarget, earlier: readonly WalkEntry[]): Forecast | null {
    const got = this.points(t);
    if (!got) return null;
    const before = earlier.filter((e) => e.round.date < t.date);
    const own = before.filter((e) => e.forecast.kind === t.kind).slice(-this.params.errorWindow);
    const cls = before.filter((e) => e.round.kind === t.class).slice(-this.params.errorWindow);
    const [basis, chosenFrom] =
      own.length >= this.params.minKindRounds
        ? ([own, "kind"] as const)
        : cls.length >= this.params.minKindRounds
          ? ([cls, "class"] as const)
          : before.length > 0
            ? ([before.slice(-this.params.errorWindow), "all"] as const)
            : ([[], "none"] as const);
    let method: Candidate = "naive";
    let best = Infinity;
    for (const c of CANDIDATES) {
      const mae = basis.reduce((s, e) => s + Math.abs(e.forecast.points[c] - e.round.cutoff), 0);
      // Strictly better than the candidates listed before it, so ties stay with the naive one.
      if (mae < best - 1e-9) [best, method] = [mae, c];
    }
    const cutoff = got.points[method];
    const residuals = basis.map((e) => e.round.cutoff - e.forecast.cutoff);
    const low = residuals.length ? Math.round(cutoff + quantile(residuals, this.params.lowQuantile)) : cutoff;
    const high = residuals.length
      ? Math.round(cutoff + quantile(residuals, this.params.highQuantile))
      : cutoff;
    return {
      kind: t.kind,
      cutoff,
      low: Math.min(low, cutoff),
      high: Math.max(high, cutoff),
      method,
      chosenFrom,
      naive: got.points.naive,
      points: got.points,
      lastRound: got.lastRound,
      distributionAsOf: this.pool(t.date)?.basedOn.asOf ?? null,
    };
  }

  /**
   * Every round of the history from the first published distribution on, forecast from the rounds
   * before it (walk-forward), oldest first.
   */
  walk(): WalkEntry[] {
    if (!this.walkEntries) {
      const entries: WalkEntry[] = [];
      const first = this.history.find((r) => r.distribution)?.date;
      for (const round of this.history) {
        if (first === undefined || round.date <= first) continue;
        const forecast = this.forecast(targetOf(round), entries);
        if (forecast) entries.push({ round, forecast });
      }
      this.walkEntries = entries;
    }
    return this.walkEntries;
  }
}

/** The forecast target a published round was. */
export function targetOf(r: HistoryRound): ForecastTarget {
  return { kind: familyOf(r), class: r.kind, invitations: r.invitations, date: r.date };
}
