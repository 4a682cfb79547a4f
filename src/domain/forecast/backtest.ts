/**
 * The walk-forward backtest: every round since a date forecast from the history strictly before it,
 * against the naive baseline (the cut-off of the last round of the same kind).
 */
import type { WalkEntry } from "./forecast.js";

export interface BacktestFigures {
  rounds: number;
  /** Mean absolute error of the forecast (points of CRS). */
  mae: number;
  /** Mean absolute error of the naive baseline over the same rounds. */
  naiveMae: number;
  /** Share of rounds whose published cut-off fell within the forecast's low–high interval. */
  coverage: number;
}

export interface Backtest {
  from: string;
  overall: BacktestFigures;
  /** Per forecast kind (general, CEC, PNP, …, category families), sorted by name. */
  kinds: Record<string, BacktestFigures>;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function figures(entries: readonly WalkEntry[]): BacktestFigures {
  const n = entries.length;
  let err = 0;
  let naive = 0;
  let inside = 0;
  for (const { round, forecast: f } of entries) {
    err += Math.abs(f.cutoff - round.cutoff);
    naive += Math.abs(f.naive - round.cutoff);
    if (f.low <= round.cutoff && round.cutoff <= f.high) inside++;
  }
  return n === 0
    ? { rounds: 0, mae: 0, naiveMae: 0, coverage: 0 }
    : {
        rounds: n,
        mae: round1(err / n),
        naiveMae: round1(naive / n),
        coverage: Math.round((inside / n) * 100) / 100,
      };
}

/** The figures of the walk's rounds on or after `from`, overall and per kind. */
export function backtestOf(walk: readonly WalkEntry[], from: string): Backtest {
  const scored = walk.filter((e) => e.round.date >= from);
  const byKind = new Map<string, WalkEntry[]>();
  for (const e of scored) byKind.set(e.forecast.kind, [...(byKind.get(e.forecast.kind) ?? []), e]);
  const kinds = Object.fromEntries(
    [...byKind.keys()].sort().map((k) => [k, figures(byKind.get(k) as WalkEntry[])]),
  );
  return { from, overall: figures(scored), kinds };
}
