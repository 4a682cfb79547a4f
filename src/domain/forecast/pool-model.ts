/**
 * The pool as a forecaster could have known it on a day: the latest distribution published before that
 * day, moved forward by the inflow per band since and the invitations of the rounds since.
 */
import { dayOf } from "../../calendar/days.js";
import type { PoolBands } from "../../rules/schema.js";
import type { HistoryRound, PublishedDistribution } from "../history/round-record.js";
import { leafBands, poolAbove } from "./pool-analytics.js";

export interface ProjectionParameters {
  /** Days of consecutive distributions before the latest one the inflow is averaged over. */
  inflowWindowDays: number;
}

export interface ProjectedPool {
  /** The leaf bands' counts on the day (asOf = the day). */
  distribution: PublishedDistribution;
  /** The published snapshot it starts from. */
  basedOn: PublishedDistribution;
}

/**
 * The distributions a forecaster knows on `date`: those published with rounds dated strictly before
 * it (a distribution comes out with its round, so the round's own one is never known in advance),
 * one per snapshot date, oldest first.
 */
export function knownDistributions(history: readonly HistoryRound[], date: string): PublishedDistribution[] {
  const byAsOf = new Map<string, PublishedDistribution>();
  for (const r of history)
    if (r.date < date && r.distribution && !byAsOf.has(r.distribution.asOf))
      byAsOf.set(r.distribution.asOf, r.distribution);
  return [...byAsOf.values()].sort((a, b) => (a.asOf < b.asOf ? -1 : a.asOf > b.asOf ? 1 : 0));
}

/** Leaf-band counts of `d` minus the invitations of `rounds`, each taken from the bands at or above its cut-off. */
function withoutInvited(
  d: Record<string, number>,
  rounds: readonly HistoryRound[],
  bands: PoolBands,
): Record<string, number> {
  const leaves = leafBands(bands);
  const out = { ...d };
  for (const r of rounds) {
    const current: PublishedDistribution = { asOf: "", bands: out };
    const above = poolAbove(current, r.cutoff, bands);
    if (above <= 0) continue;
    // The invited are assumed spread over the bands above the cut-off like the pool there.
    const taken = Math.min(1, r.invitations / above);
    for (const b of leaves) {
      const inBand = poolAbove({ asOf: "", bands: { [b.key]: out[b.key] ?? 0 } }, r.cutoff, bands);
      out[b.key] = Math.max(0, (out[b.key] ?? 0) - inBand * taken);
    }
  }
  return out;
}

function leafCounts(d: PublishedDistribution, bands: PoolBands): Record<string, number> {
  return Object.fromEntries(leafBands(bands).map((b) => [b.key, d.bands[b.key] ?? 0]));
}

/** Rounds taken on or after snapshot `from` and before `to` (the snapshot precedes the rounds of its day). */
function roundsBetween(history: readonly HistoryRound[], from: string, to: string): HistoryRound[] {
  return history.filter((r) => r.date >= from && r.date < to);
}

/**
 * New profiles per band per day over the window before the latest known distribution:
 * (pool(t2) − (pool(t1) − invited in between)) / days, summed over consecutive snapshots.
 */
export function inflowPerDay(
  history: readonly HistoryRound[],
  known: readonly PublishedDistribution[],
  bands: PoolBands,
  windowDays: number,
): Record<string, number> {
  const leaves = leafBands(bands);
  const sum: Record<string, number> = Object.fromEntries(leaves.map((b) => [b.key, 0]));
  const last = known[known.length - 1];
  if (!last) return sum;
  let days = 0;
  for (let i = known.length - 1; i > 0; i--) {
    const d2 = known[i] as PublishedDistribution;
    const d1 = known[i - 1] as PublishedDistribution;
    if (dayOf(last.asOf) - dayOf(d1.asOf) > windowDays) break;
    const left = withoutInvited(leafCounts(d1, bands), roundsBetween(history, d1.asOf, d2.asOf), bands);
    for (const b of leaves) sum[b.key] = (sum[b.key] ?? 0) + (d2.bands[b.key] ?? 0) - (left[b.key] ?? 0);
    days += dayOf(d2.asOf) - dayOf(d1.asOf);
  }
  return days > 0 ? Object.fromEntries(leaves.map((b) => [b.key, (sum[b.key] ?? 0) / days])) : sum;
}

/** The pool on `date` as known from the history before it; null when no distribution was published yet. */
export function projectedPool(
  history: readonly HistoryRound[],
  date: string,
  bands: PoolBands,
  p: ProjectionParameters,
): ProjectedPool | null {
  const known = knownDistributions(history, date);
  const latest = known[known.length - 1];
  if (!latest) return null;
  const inflow = inflowPerDay(history, known, bands, p.inflowWindowDays);
  const days = dayOf(date) - dayOf(latest.asOf);
  const grown = Object.fromEntries(
    Object.entries(leafCounts(latest, bands)).map(([k, v]) => [k, Math.max(0, v + (inflow[k] ?? 0) * days)]),
  );
  const since = withoutInvited(grown, roundsBetween(history, latest.asOf, date), bands);
  return { distribution: { asOf: date, bands: since }, basedOn: latest };
}
