/** Choosing the published distribution a synthetic pool copies, and the share model for its date. */
import { dayOf } from "../../calendar/days.js";
import type { PoolBands } from "../../rules/schema.js";
import type { HistoryRound, PublishedDistribution } from "../history/round-record.js";
import { type ShareModel, shareModel, syntheticObservations } from "./groups.js";

/** A distribution farther than this from the requested day is "no distribution near the date". */
export const NEAREST_DISTRIBUTION_MAX_DAYS = 31;

/** The published distribution whose as-of date is nearest to `date` (the earlier one on a tie). */
export function nearestDistribution(
  rounds: readonly HistoryRound[],
  date: string,
): PublishedDistribution | null {
  const day = dayOf(date);
  let best: PublishedDistribution | null = null;
  for (const r of rounds) {
    const d = r.distribution;
    if (!d) continue;
    const gap = Math.abs(dayOf(d.asOf) - day);
    if (gap > NEAREST_DISTRIBUTION_MAX_DAYS) continue;
    const bestGap = best ? Math.abs(dayOf(best.asOf) - day) : Infinity;
    if (gap < bestGap || (gap === bestGap && best && d.asOf < best.asOf)) best = d;
  }
  return best;
}

/** The group shares for a pool on `date`, from every round of the history (less `exclude`). */
export function sharesFor(
  rounds: readonly HistoryRound[],
  date: string,
  bands: PoolBands,
  exclude: ReadonlySet<string> = new Set(),
): ShareModel {
  return shareModel(syntheticObservations(rounds, bands), date, exclude);
}
