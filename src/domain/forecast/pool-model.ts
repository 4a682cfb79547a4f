/**
 * The pool as a forecaster could have known it on a day: the latest distribution published before that
 * day, moved forward by the inflow per band since and the invitations of the rounds since.
 */
import { dayOf } from "../../calendar/days.js";
import type { PoolBands } from "../../rules/schema.js";
import {
  type BandCounts,
  chronological,
  countsOf,
  type Inflow,
  invitedByBand,
  snapshots,
} from "../history/analytics.js";
import type { HistoryRound, PublishedDistribution } from "../history/round-record.js";

export interface ProjectionParameters {
  /** Days of consecutive distributions before the latest one the inflow is averaged over. */
  inflowWindowDays: number;
}

export interface ProjectedPool {
  /** The disjoint bands' counts on the day. */
  counts: BandCounts;
  /** The published snapshot it starts from. */
  basedOn: PublishedDistribution;
}

/**
 * The distributions a forecaster knows on `date`: those published with rounds dated strictly before
 * it (a distribution comes out with its round, so the round's own one is never known in advance),
 * one per snapshot date, oldest first.
 */
export function knownDistributions(history: readonly HistoryRound[], date: string): PublishedDistribution[] {
  return snapshots(history.filter((r) => r.date < date)).map(
    (s) => s.round.distribution as PublishedDistribution,
  );
}

/**
 * New profiles per band per day over the inflows whose later snapshot lies within `windowDays` before
 * `latest` (each inflow: (pool(t2) − (pool(t1) − invited in between)) / days), weighted by their days.
 */
export function averageInflow(inflows: readonly Inflow[], latest: string, windowDays: number): BandCounts {
  const sum: BandCounts = {};
  let days = 0;
  for (const f of inflows) {
    if (f.to > latest || dayOf(latest) - dayOf(f.from) > windowDays) continue;
    for (const [k, v] of Object.entries(f.perDay)) sum[k] = (sum[k] ?? 0) + v * f.days;
    days += f.days;
  }
  return Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, days > 0 ? v / days : 0]));
}

/**
 * The pool on `date` from the rounds before it: the latest known snapshot, plus the inflow per day of
 * the window before it times the days since, less the invitations of the rounds held since the snapshot
 * (the snapshot precedes the rounds of its own day). null when no distribution was published yet.
 * `inflows` are those of the history (analytics.inflows); only those known on `date` are read.
 */
export function projectedPool(
  history: readonly HistoryRound[],
  inflows: readonly Inflow[],
  date: string,
  bands: PoolBands,
  p: ProjectionParameters,
): ProjectedPool | null {
  const known = knownDistributions(history, date);
  const latest = known[known.length - 1];
  if (!latest) return null;
  const inflow = averageInflow(inflows, latest.asOf, p.inflowWindowDays);
  const days = dayOf(date) - dayOf(latest.asOf);
  let counts: BandCounts = Object.fromEntries(
    Object.entries(countsOf(latest, bands)).map(([k, v]) => [k, Math.max(0, v + (inflow[k] ?? 0) * days)]),
  );
  for (const r of chronological(history))
    if (r.date >= latest.asOf && r.date < date) {
      const taken = invitedByBand(counts, r, bands);
      counts = Object.fromEntries(
        Object.entries(counts).map(([k, v]) => [k, Math.max(0, v - (taken[k] ?? 0))]),
      );
    }
  return { counts, basedOn: latest };
}
