/**
 * Group membership of a synthetic pool, estimated from the published rounds. A round of group G that
 * invited N at cut-off c reveals that about N members of G had a CRS at or above c on its date (all of
 * G above the cut-off was invited), out of P profiles at or above c in the pool's distribution: G's
 * share above c is N/P. A candidate generated at CRS x belongs to G with the share observed at
 * cut-offs near x, on dates near the pool's (docs/synthetic-pools.md states the assumptions).
 */
import { dayOf } from "../../calendar/days.js";
import type { PoolBands } from "../../rules/schema.js";
import type { HistoryRound } from "../history/round-record.js";
import { GROUP_DEFAULT_SHARES, OBSERVATION_KERNEL, type SyntheticGroup } from "./assumptions.js";
import { targetAbove, targetHistogram } from "./target.js";

export interface GroupObservation {
  round: string;
  date: string;
  group: SyntheticGroup;
  cutoff: number;
  invited: number;
  /** Profiles at or above the cut-off in the round's published distribution (target histogram). */
  poolAbove: number;
  share: number;
}

/** The synthetic group a published round selected from (PNP: the 601–1200 band itself; general: none). */
export function groupOfRound(r: HistoryRound): SyntheticGroup | null {
  if (r.kind === "program") return r.program === "CEC" ? "CEC" : null;
  if (r.kind === "category" && r.category && r.category in GROUP_DEFAULT_SHARES)
    return r.category as SyntheticGroup;
  return null;
}

/** Every round with a distribution whose group the synthetic pool models, as an observed share; P from
 * the target histogram (not analytics.poolAbove, which is flat within bands) so the shares agree with the
 * shape the generator fills. */
export function syntheticObservations(rounds: readonly HistoryRound[], bands: PoolBands): GroupObservation[] {
  const out: GroupObservation[] = [];
  const histograms = new Map<string, Float64Array>();
  for (const r of rounds) {
    const group = groupOfRound(r);
    if (!group || !r.distribution) continue;
    let h = histograms.get(r.distribution.asOf);
    if (!h) histograms.set(r.distribution.asOf, (h = targetHistogram(r.distribution.bands, bands)));
    const poolAbove = targetAbove(h, r.cutoff);
    if (poolAbove <= 0) continue;
    out.push({
      round: r.number,
      date: r.date,
      group,
      cutoff: r.cutoff,
      invited: r.invitations,
      poolAbove,
      share: Math.min(1, r.invitations / poolAbove),
    });
  }
  return out;
}

/** Share of each group at a CRS, for a pool on `date`. */
export type ShareModel = (group: SyntheticGroup, crs: number) => number;

/**
 * Kernel-weighted mean of the observed shares: near in time (rounds within a year, weight halving
 * every few months) and near in CRS. Without an observation within the window, the default share.
 * `exclude` leaves rounds out (the replay leaves out the round it replays).
 */
export function shareModel(
  observations: readonly GroupObservation[],
  date: string,
  exclude: ReadonlySet<string> = new Set(),
): ShareModel {
  const day = dayOf(date);
  const byGroup = new Map<SyntheticGroup, { crs: number; share: number; w: number }[]>();
  for (const o of observations) {
    if (exclude.has(o.round)) continue;
    const dt = Math.abs(dayOf(o.date) - day);
    if (dt > OBSERVATION_KERNEL.windowDays) continue;
    const list = byGroup.get(o.group) ?? [];
    list.push({ crs: o.cutoff, share: o.share, w: Math.exp(-dt / OBSERVATION_KERNEL.days) });
    byGroup.set(o.group, list);
  }
  const memo = new Map<string, number>();
  return (group, crs) => {
    const key = `${group}:${crs}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const list = byGroup.get(group);
    let value = GROUP_DEFAULT_SHARES[group];
    if (list && list.length > 0) {
      let sw = 0;
      let s = 0;
      for (const o of list) {
        const w = o.w * Math.exp(-Math.abs(o.crs - crs) / OBSERVATION_KERNEL.points);
        sw += w;
        s += w * o.share;
      }
      if (sw > 0) value = s / sw;
    }
    memo.set(key, value);
    return value;
  };
}
