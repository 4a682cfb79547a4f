/**
 * The round history by kind and category: which rounds match a filter, and per kind the cut-off over
 * time, invitations per year, the pool distribution over time and the inflow per band.
 */
import type { PoolBands } from "../../rules/schema.js";
import { chronological, countsOf, disjointBands, familyOf, type Inflow, inflows } from "./analytics.js";
import type { HistoryKind, HistoryRound } from "./round-record.js";

export interface HistoryFilter {
  kind?: HistoryKind;
  /** A program (CEC, PNP, FSW, FST), a category ("healthcare"), or a category version id. */
  category?: string;
  from?: string;
  to?: string;
}

export function filterRounds(rounds: readonly HistoryRound[], f: HistoryFilter): HistoryRound[] {
  const wanted = f.category?.toLowerCase();
  return chronological(rounds).filter(
    (r) =>
      (!f.kind || r.kind === f.kind) &&
      (!wanted ||
        familyOf(r).toLowerCase() === wanted ||
        r.categoryVersion === wanted ||
        (r.category ?? "").startsWith(wanted)) &&
      (!f.from || r.date >= f.from) &&
      (!f.to || r.date <= f.to),
  );
}

export interface FamilyStats {
  /** "general", a program (CEC, PNP, FSW, FST) or a category. */
  family: string;
  kind: HistoryKind;
  rounds: number;
  first: string;
  last: string;
  invitations: number;
  invitationsPerYear: Record<string, number>;
  cutoff: { min: number; max: number; median: number; latest: number };
  /** Date and cut-off of every round, oldest first. */
  series: { round: string; date: string; cutoff: number; invitations: number }[];
}

export interface HistoryStats {
  rounds: number;
  from: string | null;
  to: string | null;
  invitationsPerYear: Record<string, number>;
  families: FamilyStats[];
  /** Each published snapshot's 15 disjoint bands, oldest first. */
  distributions: { asOf: string; total: number; bands: Record<string, number> }[];
  /** Net new profiles per day per band between consecutive snapshots. */
  inflows: Inflow[];
  bands: { key: string; label: string }[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

function perYear(rounds: readonly HistoryRound[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rounds) out[r.date.slice(0, 4)] = (out[r.date.slice(0, 4)] ?? 0) + r.invitations;
  return out;
}

/** Stats of the rounds that pass the filter (distributions and inflows from those rounds' snapshots). */
export function historyStats(all: readonly HistoryRound[], f: HistoryFilter, bands: PoolBands): HistoryStats {
  const rounds = filterRounds(all, f);
  const byFamily = new Map<string, HistoryRound[]>();
  for (const r of rounds) byFamily.set(familyOf(r), [...(byFamily.get(familyOf(r)) ?? []), r]);
  const families: FamilyStats[] = [...byFamily.entries()].map(([family, rs]) => {
    const cutoffs = rs.map((r) => r.cutoff);
    return {
      family,
      kind: (rs[0] as HistoryRound).kind,
      rounds: rs.length,
      first: (rs[0] as HistoryRound).date,
      last: (rs.at(-1) as HistoryRound).date,
      invitations: rs.reduce((a, r) => a + r.invitations, 0),
      invitationsPerYear: perYear(rs),
      cutoff: {
        min: Math.min(...cutoffs),
        max: Math.max(...cutoffs),
        median: median(cutoffs),
        latest: cutoffs.at(-1) as number,
      },
      series: rs.map((r) => ({
        round: r.number,
        date: r.date,
        cutoff: r.cutoff,
        invitations: r.invitations,
      })),
    };
  });
  families.sort((a, b) => b.rounds - a.rounds || a.family.localeCompare(b.family));
  const seen = new Set<string>();
  const distributions: HistoryStats["distributions"] = [];
  for (const r of rounds)
    if (r.distribution && !seen.has(r.distribution.asOf)) {
      seen.add(r.distribution.asOf);
      const counts = countsOf(r.distribution, bands);
      distributions.push({
        asOf: r.distribution.asOf,
        total: Object.values(counts).reduce((a, b) => a + b, 0),
        bands: counts,
      });
    }
  distributions.sort((a, b) => (a.asOf < b.asOf ? -1 : 1));
  // Inflows need every round between two snapshots, whatever the filter: the filter picks the period.
  const period = filterRounds(all, { from: f.from, to: f.to });
  return {
    rounds: rounds.length,
    from: rounds[0]?.date ?? null,
    to: rounds.at(-1)?.date ?? null,
    invitationsPerYear: perYear(rounds),
    families,
    distributions,
    inflows: inflows(period, bands),
    bands: disjointBands(bands).map((b) => ({ key: b.key, label: b.label })),
  };
}
