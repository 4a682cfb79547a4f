/**
 * Pool arithmetic on published distributions that the forecast needs. Stand-in until the history
 * analytics (src/domain/history/analytics.ts) land on main; then these become its functions.
 */
import type { PoolBands } from "../../rules/schema.js";
import type { PublishedDistribution } from "../history/round-record.js";

/** The disjoint bands (no subtotals): dd1, dd2, dd4–dd8, dd10–dd14, dd15–dd17. */
export function leafBands(bands: PoolBands): PoolBands["bands"] {
  return bands.bands.filter((b) => !b.subtotalOf);
}

/** Profiles at or above `crs`, counting a band's profiles as spread evenly over its whole scores. */
export function poolAbove(distribution: PublishedDistribution, crs: number, bands: PoolBands): number {
  let total = 0;
  for (const b of leafBands(bands)) {
    const count = distribution.bands[b.key] ?? 0;
    if (crs <= b.from) total += count;
    else if (crs <= b.to) total += (count * (b.to - crs + 1)) / (b.to - b.from + 1);
  }
  return total;
}
