/**
 * The target a synthetic pool is calibrated to: the published distribution (15 disjoint bands of
 * rules/ircc-pool-bands.json) spread over single CRS points. Where IRCC publishes ten-point bands the
 * spread is flat; the wide bands need a shape (docs/synthetic-pools.md):
 * - 501–600: the density of 491–500 continued and decaying exponentially, carrying the band's mass
 *   (a flat 501–600 makes the CEC rounds' observations contradict each other: shares above 1);
 * - 351–400, 301–350, 0–300: linear, meeting the density of the band above at the top edge (a ramp
 *   down to zero when the mass is too small for that);
 * - 601–1200: the provincial nominees, +600 on a score distributed like the rest of the pool's.
 */
import type { PoolBands } from "../../rules/schema.js";

export const MAX_CRS = 1200;
export const NOMINATION_POINTS = 600;

export interface DisjointBand {
  key: string;
  from: number;
  to: number;
}

/** The published bands that are not subtotals, highest first (dd1, dd2, dd4…dd8, dd10…dd14, dd15…dd17). */
export function disjointBands(bands: PoolBands): DisjointBand[] {
  return bands.bands
    .filter((b) => !b.subtotalOf)
    .map((b) => ({ key: b.key, from: b.from, to: b.to }))
    .sort((a, b) => b.from - a.from);
}

/** Expected profiles per CRS point (index 0…1200), summing to each band's published count. */
export function targetHistogram(counts: Record<string, number>, bands: PoolBands): Float64Array {
  const h = new Float64Array(MAX_CRS + 1);
  const list = disjointBands(bands);
  const mass = (b: DisjointBand) => counts[b.key] ?? 0;
  const perPoint = (b: DisjointBand) => mass(b) / (b.to - b.from + 1);
  list.forEach((b, i) => {
    const width = b.to - b.from + 1;
    const m = mass(b);
    if (m <= 0) return;
    if (b.from > NOMINATION_POINTS || width <= 10) {
      h.fill(m / width, b.from, b.to + 1);
      return;
    }
    const below = list[i + 1];
    const above = list[i - 1];
    if (above && above.from > NOMINATION_POINTS && below) {
      // 501–600: exponential continuation of the band below; flat when that would need growth.
      const d0 = perPoint(below);
      if (d0 * width <= m) return h.fill(m / width, b.from, b.to + 1);
      const total = (L: number) => d0 * L * (1 - Math.exp(-width / L));
      let lo = 0.01;
      let hi = 10 * width;
      for (let k = 0; k < 60; k++) {
        const mid = (lo + hi) / 2;
        if (total(mid) > m) hi = mid;
        else lo = mid;
      }
      const L = (lo + hi) / 2;
      for (let x = b.from; x <= b.to; x++)
        h[x] = d0 * L * (Math.exp(-(x - b.from) / L) - Math.exp(-(x - b.from + 1) / L));
      return;
    }
    // Linear: meets the band above at the top edge, keeps the mass; a ramp from zero if it cannot.
    const top = above ? Math.min(perPoint(above), (2 * m) / width) : m / width;
    const bottom = (2 * m) / width - top;
    for (let x = b.from; x <= b.to; x++) h[x] = bottom + ((top - bottom) * (x - b.from + 0.5)) / width;
  });
  // 601–1200: the rest of the pool's shape, shifted by the nomination's points.
  const nominees = list.find((b) => b.from > NOMINATION_POINTS);
  if (nominees && mass(nominees) > 0) {
    let base = 0;
    for (let x = nominees.from; x <= nominees.to; x++) base += h[x - NOMINATION_POINTS] ?? 0;
    if (base > 0)
      for (let x = nominees.from; x <= nominees.to; x++)
        h[x] = ((h[x - NOMINATION_POINTS] ?? 0) * mass(nominees)) / base;
  }
  return h;
}

/** Profiles at or above `crs` in a target histogram. */
export function targetAbove(h: Float64Array, crs: number): number {
  let sum = 0;
  for (let x = Math.max(0, crs); x <= MAX_CRS; x++) sum += h[x] ?? 0;
  return sum;
}

/** A ten-point slice of a published band (the generator's unit of quota). */
export interface SubBand {
  band: string;
  from: number;
  to: number;
  weight: number;
}

/** Every disjoint band cut into ten-point slices from its top (the last one may be shorter). */
export function subBands(h: Float64Array, bands: PoolBands): SubBand[] {
  const out: SubBand[] = [];
  for (const b of disjointBands(bands))
    for (let to = b.to; to >= b.from; to -= 10) {
      const from = Math.max(b.from, to - 9);
      let weight = 0;
      for (let x = from; x <= to; x++) weight += h[x] ?? 0;
      out.push({ band: b.key, from, to, weight });
    }
  return out;
}

/** Integer shares of `total` proportional to `weights` (largest remainder), summing exactly to `total`. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, w) => a + w, 0);
  if (sum <= 0) return weights.map(() => 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, n) => a + n, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left--;
  }
  return out;
}
