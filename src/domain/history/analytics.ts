/**
 * What the published rounds say about the pool: profiles at or above a score, invitations taken out of
 * each band, the inflow per band between two distributions, and what each round reveals about its
 * group. Pure functions over HistoryRound records and the band edges (rules/ircc-pool-bands.json).
 *
 * One assumption runs through it: inside a published band, profiles are spread evenly over its scores
 * (the only shape the data gives), except in a band of nominees (601–1200), which is taken to spread
 * like the rest of the pool moved up by the nomination's 600 points (rules/ircc-pool-bands.json).
 */
import { dayOf } from "../../calendar/days.js";
import type { PoolBands } from "../../rules/schema.js";
import { groupKey } from "../rounds/round.js";
import type { HistoryRound, PublishedDistribution } from "./round-record.js";

/** The 15 disjoint bands (no subtotal rows), highest first as published. */
export function disjointBands(bands: PoolBands): PoolBands["bands"] {
  return bands.bands.filter((b) => !b.subtotalOf);
}

/** Band counts as a plain vector over the disjoint bands. */
export type BandCounts = Record<string, number>;

export function countsOf(d: PublishedDistribution, bands: PoolBands): BandCounts {
  const out: BandCounts = {};
  for (const b of disjointBands(bands)) out[b.key] = d.bands[b.key] ?? 0;
  return out;
}

/**
 * The part of a band's profiles at or above `crs`: evenly spread over its scores, or for a band of
 * nominees (rules/ircc-pool-bands.json `shape`) spread like the rest of the pool moved up.
 */
function bandPartAbove(
  counts: BandCounts,
  b: ReturnType<typeof disjointBands>[number],
  crs: number,
  bands: PoolBands,
): number {
  const n = counts[b.key] ?? 0;
  if (crs <= b.from) return n;
  if (crs > b.to) return 0;
  if (b.shape?.kind === "nominees") {
    const rest = { ...counts, [b.key]: 0 };
    const base = poolAbove(rest, b.from - b.shape.by, bands);
    if (base > 0) return (n * poolAbove(rest, crs - b.shape.by, bands)) / base;
  }
  return (n * (b.to - crs + 1)) / (b.to - b.from + 1);
}

/** Profiles with a CRS at or above `crs`, interpolated inside the band that holds it. */
export function poolAbove(counts: BandCounts, crs: number, bands: PoolBands): number {
  let total = 0;
  for (const b of disjointBands(bands)) total += bandPartAbove(counts, b, crs, bands);
  return total;
}

/**
 * The score at or above which `n` profiles lie (the inverse of poolAbove, to the point), or the lowest
 * edge when the whole pool is fewer than `n`.
 */
export function scoreWithAbove(counts: BandCounts, n: number, bands: PoolBands): number {
  let lo = 0;
  let hi = 1200;
  if (poolAbove(counts, lo, bands) < n) return lo;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (poolAbove(counts, mid, bands) >= n) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Where a round's invitations came from, per band: everyone invited scored at or above the cut-off, so
 * the invitations are spread over those scores in proportion to the pool there.
 */
export function invitedByBand(counts: BandCounts, round: HistoryRound, bands: PoolBands): BandCounts {
  const above = poolAbove(counts, round.cutoff, bands);
  const out: BandCounts = {};
  for (const b of disjointBands(bands)) {
    const n = counts[b.key] ?? 0;
    const inBand =
      round.cutoff <= b.from
        ? n
        : round.cutoff <= b.to
          ? (n * (b.to - round.cutoff + 1)) / (b.to - b.from + 1)
          : 0;
    out[b.key] = above > 0 ? Math.min(inBand, (round.invitations * inBand) / above) : 0;
  }
  return out;
}

const subtract = (a: BandCounts, b: BandCounts): BandCounts =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, Math.max(0, v - (b[k] ?? 0))]));

/** Rounds sorted oldest first (by date, then number). */
export function chronological(rounds: readonly HistoryRound[]): HistoryRound[] {
  return [...rounds].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order));
}

/**
 * The pool as a round saw it: its published snapshot less the invitations of the rounds held since the
 * snapshot and before it (rounds of one week share one snapshot). null without a distribution.
 */
export function poolSeenBy(
  round: HistoryRound,
  rounds: readonly HistoryRound[],
  bands: PoolBands,
): BandCounts | null {
  if (!round.distribution) return null;
  let counts = countsOf(round.distribution, bands);
  const asOf = round.distribution.asOf;
  for (const earlier of chronological(rounds)) {
    if (earlier === round || earlier.number === round.number) break;
    if (earlier.date >= asOf && (earlier.date < round.date || earlier.order < round.order))
      counts = subtract(counts, invitedByBand(counts, earlier, bands));
  }
  return counts;
}

/** The distinct published snapshots, oldest first, each with the first round that published it. */
export function snapshots(rounds: readonly HistoryRound[]): { asOf: string; round: HistoryRound }[] {
  const seen = new Map<string, HistoryRound>();
  for (const r of chronological(rounds))
    if (r.distribution && !seen.has(r.distribution.asOf)) seen.set(r.distribution.asOf, r);
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([asOf, round]) => ({ asOf, round }));
}

export interface Inflow {
  from: string;
  to: string;
  days: number;
  /** Invitations of the rounds held between the two snapshots. */
  invited: number;
  /** New profiles per day per band: (pool(t2) − (pool(t1) − invited in between)) / days. Negative when more left than came. */
  perDay: BandCounts;
  /** The same, all bands together. */
  totalPerDay: number;
}

/**
 * The inflow per band between consecutive snapshots. Profiles also leave without an invitation
 * (expiry, withdrawal, a score change): the figure is the net of all that, as published counts allow.
 */
export function inflows(rounds: readonly HistoryRound[], bands: PoolBands): Inflow[] {
  const snaps = snapshots(rounds);
  const sorted = chronological(rounds);
  const out: Inflow[] = [];
  for (let i = 1; i < snaps.length; i++) {
    const a = snaps[i - 1] as { asOf: string; round: HistoryRound };
    const b = snaps[i] as { asOf: string; round: HistoryRound };
    const days = dayOf(b.asOf) - dayOf(a.asOf);
    if (days <= 0) continue;
    let left = countsOf(a.round.distribution as PublishedDistribution, bands);
    let invited = 0;
    for (const r of sorted)
      if (r.date >= a.asOf && r.date < b.asOf) {
        left = subtract(left, invitedByBand(left, r, bands));
        invited += r.invitations;
      }
    const next = countsOf(b.round.distribution as PublishedDistribution, bands);
    const perDay: BandCounts = {};
    let total = 0;
    for (const key of Object.keys(next)) {
      perDay[key] = ((next[key] ?? 0) - (left[key] ?? 0)) / days;
      total += perDay[key] as number;
    }
    out.push({ from: a.asOf, to: b.asOf, days, invited, perDay, totalPerDay: total });
  }
  return out;
}

export interface GroupObservation {
  round: string;
  date: string;
  /** The round's group (rounds/round.ts groupKey): "all", "program:CEC", "pnp", "category:<version>". */
  group: string;
  /** The category across versions, or the program, or "general". */
  family: string;
  cutoff: number;
  invitations: number;
  /** Profiles of the whole pool at or above the cut-off, as the round saw the pool. */
  poolAtOrAbove: number;
  /** invitations / poolAtOrAbove: the group's share of the pool above the cut-off (everyone of the group above it was invited). */
  share: number;
}

/** The kind of a round across versions: "general", "CEC", "PNP", "FSW", "FST" or the category. */
export function familyOf(r: Pick<HistoryRound, "kind" | "program" | "category">): string {
  return r.kind === "general"
    ? "general"
    : r.kind === "program"
      ? (r.program as string)
      : (r.category as string);
}

/** What each round with a distribution reveals about its group. */
export function groupObservations(rounds: readonly HistoryRound[], bands: PoolBands): GroupObservation[] {
  const out: GroupObservation[] = [];
  for (const r of chronological(rounds)) {
    const seen = poolSeenBy(r, rounds, bands);
    if (!seen) continue;
    const above = poolAbove(seen, r.cutoff, bands);
    out.push({
      round: r.number,
      date: r.date,
      group: groupKey(r),
      family: familyOf(r),
      cutoff: r.cutoff,
      invitations: r.invitations,
      poolAtOrAbove: above,
      share: above > 0 ? r.invitations / above : 1,
    });
  }
  return out;
}
