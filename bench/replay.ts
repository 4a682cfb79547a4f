/**
 * The replay (docs/replay.md): every round of 2025–2026 with a distribution, run on a synthetic pool
 * generated for its distribution date, scaled (REPLAY_SCALE, default 1/50 of the published pool, the
 * invitations scaled alike, at least 1), ranked by the engine's ranking functions on the generated
 * profiles' evaluations (re-evaluated on the round's date when they do not hold until it). Rounds
 * sharing a distribution share a pool, run in date order, and the invited leave it. The group shares
 * leave out the rounds being replayed on that pool. Prints the table and writes docs/replay.md.
 *
 *   npm run replay
 */
import { writeFileSync } from "node:fs";
import { shippedHistory } from "../src/adapters/history/shipped-history.js";
import { familyOf } from "../src/domain/history/analytics.js";
import type { HistoryRound } from "../src/domain/history/round-record.js";
import {
  evaluateForRound,
  groupKey,
  groupKeysOf,
  rankRound,
  type RankedCandidate,
} from "../src/domain/rounds/round.js";
import { generatePool } from "../src/domain/synthetic/generate.js";
import { sharesFor } from "../src/domain/synthetic/pool.js";
import { defaultRuleBook } from "../src/rules/index.js";

export interface ReplayRow {
  round: string;
  date: string;
  family: string;
  published: number;
  simulated: number | null;
  error: number | null;
}

export function replay(
  rounds: readonly HistoryRound[],
  options: { scale: number; from: string; to: string; seed?: number; numbers?: readonly string[] },
): ReplayRow[] {
  const book = defaultRuleBook();
  const chosen = rounds
    .filter((r) => r.distribution && r.date >= options.from && r.date <= options.to && r.kind !== "general")
    .filter((r) => !options.numbers || options.numbers.includes(r.number))
    .sort((a, b) => a.order - b.order);
  const byDistribution = new Map<string, HistoryRound[]>();
  for (const r of chosen) {
    const key = r.distribution?.asOf as string;
    byDistribution.set(key, [...(byDistribution.get(key) ?? []), r]);
  }
  const rows: ReplayRow[] = [];
  for (const [asOf, group] of byDistribution) {
    const distribution = group[0]?.distribution;
    if (!distribution) continue;
    const size = Math.max(1, Math.round((distribution.bands.dd18 ?? 0) * options.scale));
    const shares = sharesFor(rounds, asOf, book.poolBands, new Set(group.map((r) => r.number)));
    const pool = [...generatePool({ distribution, size, seed: options.seed ?? 1, shares, book })];
    // A PNP round invites nearly the whole 601–1200 band, so its cut-off is the lowest of a few hundred
    // nominees: an extreme that a scaled pool (a handful of nominees) cannot show. PNP rounds run on
    // that band generated at its published size, with their published invitations.
    const nominees = group.some((r) => r.program === "PNP")
      ? nomineePool(distribution, shares, options.seed ?? 1, book)
      : [];
    const invited = new Set<string>();
    for (const r of group) {
      const full = r.program === "PNP";
      const key = groupKey(r);
      const candidates: RankedCandidate[] = [];
      for (const g of full ? nominees : pool) {
        if (invited.has(g.profile.id)) continue;
        const e =
          g.evaluation.validUntil !== null && g.evaluation.validUntil < r.date
            ? evaluateForRound(g.profile, r.date, book)
            : g.evaluation;
        if (e.crs !== null && groupKeysOf(e).includes(key))
          candidates.push({ id: g.profile.id, crs: e.crs, submittedAt: g.profile.submittedAt });
      }
      const outcome = rankRound(
        candidates,
        full ? r.invitations : Math.max(1, Math.round(r.invitations * options.scale)),
      );
      for (const c of outcome.invited) invited.add(c.id);
      rows.push({
        round: r.number,
        date: r.date,
        family: familyOf(r),
        published: r.cutoff,
        simulated: outcome.cutoffCrs,
        error: outcome.cutoffCrs === null ? null : outcome.cutoffCrs - r.cutoff,
      });
    }
  }
  return rows;
}

/** The 601–1200 band of a distribution alone, at its published size. */
function nomineePool(
  distribution: NonNullable<HistoryRound["distribution"]>,
  shares: Parameters<typeof generatePool>[0]["shares"],
  seed: number,
  book: ReturnType<typeof defaultRuleBook>,
) {
  const top = book.poolBands.bands.find((b) => b.shape?.kind === "nominees")?.key ?? "dd1";
  const n = distribution.bands[top] ?? 0;
  const bands = Object.fromEntries(Object.keys(distribution.bands).map((k) => [k, 0]));
  const only = { asOf: distribution.asOf, bands: { ...bands, [top]: n, dd18: n } };
  return [...generatePool({ distribution: only, size: n, seed: seed + 1, shares, book })].map((g) => ({
    ...g,
    profile: { ...g.profile, id: `n-${g.profile.id}` },
  }));
}

export function medianAbsoluteErrors(
  rows: readonly ReplayRow[],
): { family: string; rounds: number; mae: number | null }[] {
  const families = [...new Set(rows.map((r) => r.family))];
  return families.map((family) => {
    const errors = rows
      .filter((r) => r.family === family && r.error !== null)
      .map((r) => Math.abs(r.error as number))
      .sort((a, b) => a - b);
    const n = errors.length;
    const mae =
      n === 0
        ? null
        : n % 2
          ? (errors[(n - 1) / 2] as number)
          : ((errors[n / 2 - 1] as number) + (errors[n / 2] as number)) / 2;
    return { family, rounds: rows.filter((r) => r.family === family).length, mae };
  });
}

if (process.argv[1]?.endsWith("replay.js")) {
  const scale = Number(process.env.REPLAY_SCALE ?? 0.02);
  const started = performance.now();
  const rows = replay(shippedHistory(), { scale, from: "2025-01-01", to: "2026-12-31" });
  const seconds = (performance.now() - started) / 1000;
  const table = [
    "| round | date | kind | published | simulated | error |",
    "| ----- | ---- | ---- | --------- | --------- | ----- |",
    ...rows.map(
      (r) =>
        `| ${r.round} | ${r.date} | ${r.family} | ${r.published} | ${r.simulated ?? "—"} | ${r.error ?? "—"} |`,
    ),
  ];
  const summary = [
    "| kind | rounds | median absolute error |",
    "| ---- | ------ | --------------------- |",
    ...medianAbsoluteErrors(rows).map((m) => `| ${m.family} | ${m.rounds} | ${m.mae ?? "—"} |`),
  ];
  const text = `${table.join("\n")}\n\n${summary.join("\n")}\n`;
  process.stdout.write(text);
  process.stdout.write(`scale ${scale}, ${rows.length} rounds in ${seconds.toFixed(0)} s\n`);
  writeFileSync(
    "docs/replay.md",
    `# Replay of the published rounds on synthetic pools\n\nGenerated by \`npm run replay\` (bench/replay.ts; method in docs/synthetic-pools.md). Every round of 2025–2026 with a distribution, on a synthetic pool of ${scale} × the published pool of its distribution date (seed 1), invitations scaled alike (at least 1), except PNP rounds, which run on the 601–1200 band generated at its published size with their published invitations (their cut-off is the lowest of a few hundred nominees, which a scaled pool cannot show; a blank simulated cut-off means the band's nominees were all invited by an earlier round of the same snapshot); rounds sharing a distribution share a pool and the invited leave it; group shares estimated leaving out the rounds replayed on that pool. Error = simulated − published cut-off. ${rows.length} rounds in ${seconds.toFixed(0)} s on the project's 2-core machine.\n\n## Median absolute error per kind\n\n${summary.join("\n")}\n\n## Rounds\n\n${table.join("\n")}\n`,
  );
}
