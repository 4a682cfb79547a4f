/**
 * What `ee history …` does (its options are in history-commands.ts). Each action returns its exit code.
 */
import { existsSync, readFileSync } from "node:fs";
import asciichart from "asciichart";
import { checkProfile, type HistoryInUse, syncHistory } from "../../app/history-service.js";
import { displayInstant, nowInstant } from "../../calendar/instants.js";
import { isIsoDate } from "../../calendar/dates.js";
import type { HistoryCheck, RoundCheck } from "../../domain/history/check.js";
import type { HistoryKind } from "../../domain/history/round-record.js";
import { filterRounds, type HistoryFilter, historyStats as statsOf } from "../../domain/history/stats.js";
import { distribution } from "../../domain/rounds/round.js";
import { defaultRuleBook } from "../../rules/index.js";
import { shippedHistoryInUse } from "../history/shipped-history.js";
import {
  decodeFeed,
  FeedFormatError,
  IRCC_FEED_URL,
  mergeFeeds,
  parseRoundsFeed,
} from "../import/ircc-rounds-feed.js";
import { isPostgresUrl, openStore } from "../store/open.js";
import { instantOption } from "./args.js";
import { CommandError, EXIT } from "./errors.js";
import { parseJson, readInputText } from "./input.js";
import { dbPath, withStore } from "./pool-actions.js";

interface HistoryOptions extends HistoryFilter {
  db?: string;
  json?: boolean;
}

const print = (text: string) => process.stdout.write(`${text}\n`);
const printJson = (value: unknown) => print(JSON.stringify(value, null, 2));
const n = (x: number) => x.toLocaleString("en-CA");

/** How long a feed download may take before it is an error. */
const FETCH_TIMEOUT_MS = 60_000;

/** A feed's bytes from a path or an http(s) URL; any failure names the option and the reason. */
async function readFeed(location: string, option: string): Promise<string> {
  let bytes: Uint8Array;
  if (/^https?:\/\//i.test(location)) {
    let response: Response;
    try {
      response = await fetch(location, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CommandError(
        EXIT.invalid,
        `${option}: cannot download ${location} (${cause?.code ?? cause?.message ?? (error as Error).message})`,
      );
    }
    if (!response.ok)
      throw new CommandError(EXIT.invalid, `${option}: ${location} answered HTTP ${response.status}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new CommandError(
      EXIT.invalid,
      `${option}: only files and http(s) URLs can be read (got ${location})`,
    );
  } else {
    try {
      bytes = readFileSync(location);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CommandError(
        EXIT.invalid,
        `${option}: cannot read ${location} (${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (code ?? String(error))})`,
      );
    }
  }
  return decodeFeed(bytes);
}

export async function historySync(options: {
  from?: string;
  french?: string;
  thirdParty?: string;
  db?: string;
  json?: boolean;
}): Promise<number> {
  const book = defaultRuleBook();
  const feeds = [
    { option: "--from", location: options.from ?? IRCC_FEED_URL },
    ...(options.french ? [{ option: "--french", location: options.french }] : []),
    ...(options.thirdParty ? [{ option: "--third-party", location: options.thirdParty }] : []),
  ];
  // Every feed is read and parsed before the database is opened: a bad one writes nothing.
  const parsed = [];
  for (const feed of feeds) {
    const text = await readFeed(feed.location, feed.option);
    try {
      parsed.push(parseRoundsFeed(text, book));
    } catch (error) {
      if (error instanceof FeedFormatError)
        throw new CommandError(EXIT.invalid, `${feed.option}: ${feed.location}: ${error.message}`);
      throw error;
    }
  }
  const [english, ...rest] = parsed;
  if (!english) throw new Error("no feed");
  if (english.language !== "en")
    throw new CommandError(
      EXIT.invalid,
      `--from: ${feeds[0]?.location} is a French feed; give it with --french`,
    );
  const french = options.french ? rest.shift() : undefined;
  const thirdParty = options.thirdParty ? rest.shift() : undefined;
  const merged = mergeFeeds(english, { french, thirdParty });
  const result = await withStore(
    options,
    (store) =>
      syncHistory(store, {
        syncedAt: nowInstant(),
        source: feeds.map((f) => f.location).join(" + "),
        rounds: merged.rounds,
        anomalies: merged.anomalies,
      }),
    { create: true },
  );
  if (options.json) printJson({ db: dbPath(options), ...result, newest: result.newest?.number ?? null });
  else
    print(
      [
        `${dbPath(options)}: ${n(result.rounds)} rounds stored (newest #${result.newest?.number} of ${result.newest?.date}); ${result.added.length} new, ${result.changed.length} changed`,
        `${result.anomalies.length} anomalies in the feed (see 'ee history show N' or --json)`,
      ].join("\n"),
    );
  return EXIT.ok;
}

/** The history a reading command works on: the store's synced one with --db or EE_DB, else the shipped table. */
export async function historyInUse(options: { db?: string }): Promise<HistoryInUse> {
  const path = options.db ?? process.env.EE_DB;
  if (path !== undefined) {
    if (!isPostgresUrl(path) && !existsSync(path))
      throw new CommandError(
        EXIT.invalid,
        `${path}: no such database; run 'ee history sync --db ${path}' first, or check --db or EE_DB`,
      );
    const store = await openStore(path, { create: false }).catch((error: Error) => {
      throw new CommandError(EXIT.invalid, error.message);
    });
    try {
      const stored = await store.storedHistory();
      if (stored) return { ...stored, origin: "store" };
    } finally {
      await store.close();
    }
  }
  return shippedHistoryInUse();
}

const KINDS: readonly HistoryKind[] = ["general", "program", "category"];

function filterOf(options: HistoryOptions): HistoryFilter {
  if (options.kind !== undefined && !KINDS.includes(options.kind))
    throw new CommandError(
      EXIT.invalid,
      `--kind: must be general, program or category (got '${options.kind}')`,
    );
  for (const [name, value] of [
    ["--from", options.from],
    ["--to", options.to],
  ] as const)
    if (value !== undefined && !isIsoDate(value))
      throw new CommandError(EXIT.invalid, `${name}: must be a date YYYY-MM-DD (got '${value}')`);
  return { kind: options.kind, category: options.category, from: options.from, to: options.to };
}

const originLine = (h: HistoryInUse) =>
  h.origin === "store"
    ? `history synced ${displayInstant(h.syncedAt as string)} from ${h.source}`
    : "shipped history (rules/ircc-rounds.json)";

const shown = (instant: string | null) => (instant === null ? "—" : displayInstant(instant));

export async function historyList(options: HistoryOptions): Promise<number> {
  const filter = filterOf(options);
  const history = await historyInUse(options);
  const rounds = filterRounds(history.rounds, filter);
  if (options.json) {
    printJson({ origin: history.origin, rounds });
    return EXIT.ok;
  }
  const lines = rounds.map(
    (r) =>
      `${`#${r.number}`.padEnd(6)} ${r.date}  ${r.name.slice(0, 58).padEnd(58)} ${n(r.invitations).padStart(7)} ${String(r.cutoff).padStart(4)}  ${shown(r.tieBreak)}${r.source === "third-party" ? "  (third-party copy)" : ""}`,
  );
  print(
    [
      `${"round".padEnd(6)} ${"date".padEnd(10)}  ${"name".padEnd(58)} ${"invited".padStart(7)} ${"CRS".padStart(4)}  tie-break`,
      ...lines,
      `${rounds.length} rounds (${originLine(history)})`,
    ].join("\n"),
  );
  return EXIT.ok;
}

export async function historyShow(number: string, options: HistoryOptions): Promise<number> {
  const history = await historyInUse(options);
  const round = history.rounds.find((r) => r.number === number.trim().toLowerCase());
  if (!round)
    throw new CommandError(
      EXIT.notFound,
      `no round #${number} in the ${originLine(history)} (newest #${history.rounds.at(-1)?.number})`,
    );
  const anomalies = history.anomalies.filter((a) => a.round === round.number);
  const book = defaultRuleBook();
  if (options.json) {
    printJson({ ...round, anomalies });
    return EXIT.ok;
  }
  const group =
    round.kind === "general"
      ? "all candidates"
      : round.kind === "program"
        ? `program ${round.program}`
        : `category version ${round.categoryVersion}`;
  const lines = [
    `Round #${round.number}: ${round.name}${round.nameFr ? ` / ${round.nameFr}` : ""}`,
    `  Date:                 ${round.date} (Ottawa)${round.at ? `, ${shown(round.at)}` : ""}`,
    `  Kind and group:       ${round.kind}, ${group}`,
    `  Invitations:          ${n(round.invitations)}`,
    `  Lowest CRS invited:   ${round.cutoff}`,
    `  Tie-breaking rule:    ${shown(round.tieBreak)}`,
    `  Source:               ${round.source === "ircc" ? "IRCC's rounds feed" : "third-party copy (not yet in IRCC's feed)"}`,
  ];
  if (round.distribution) {
    lines.push(`  Pool distribution as of ${round.distribution.asOf}:`);
    const counts = distribution(new Map(), book.poolBands);
    for (const b of counts.bands)
      lines.push(
        `    ${(b.level === 1 ? `  ${b.label}` : b.label).padEnd(12)} ${n(round.distribution.bands[b.key] ?? 0).padStart(10)}`,
      );
  } else lines.push("  Pool distribution:    not published for this round");
  for (const a of anomalies) lines.push(`  Feed anomaly (${a.field}): ${a.message}`);
  print(lines.join("\n"));
  return EXIT.ok;
}

export async function historyStats(options: HistoryOptions & { chart?: boolean }): Promise<number> {
  const filter = filterOf(options);
  const history = await historyInUse(options);
  const book = defaultRuleBook();
  const stats = statsOf(history.rounds, filter, book.poolBands);
  if (options.json) {
    printJson({ origin: history.origin, ...stats });
    return EXIT.ok;
  }
  const lines = [
    `${n(stats.rounds)} rounds ${stats.from ?? ""} → ${stats.to ?? ""} (${originLine(history)})`,
    "",
    `${"kind".padEnd(18)} ${"rounds".padStart(6)} ${"invited".padStart(9)}  ${"first".padEnd(10)}  ${"last".padEnd(10)}  cut-off min–max (median), latest`,
    ...stats.families.map(
      (f) =>
        `${f.family.padEnd(18)} ${String(f.rounds).padStart(6)} ${n(f.invitations).padStart(9)}  ${f.first}  ${f.last}  ${f.cutoff.min}–${f.cutoff.max} (${f.cutoff.median}), ${f.cutoff.latest}`,
    ),
    "",
    "Invitations per year: " +
      Object.entries(stats.invitationsPerYear)
        .map(([y, v]) => `${y} ${n(v)}`)
        .join(" · "),
  ];
  const latest = stats.distributions.at(-1);
  if (latest) {
    lines.push("", `Pool as of ${latest.asOf}: ${n(latest.total)} profiles`);
    lines.push("  " + stats.bands.map((b) => `${b.label} ${n(latest.bands[b.key] ?? 0)}`).join(" · "));
  }
  const recent = stats.inflows.slice(-6);
  if (recent.length > 0) {
    lines.push("", "Net inflow per day (pool(t2) − (pool(t1) − invited in between)) / days:");
    for (const i of recent)
      lines.push(
        `  ${i.from} → ${i.to} (${i.days} d, ${n(i.invited)} invited): ${Math.round(i.totalPerDay)}/day, 451+: ${Math.round(stats.bands.filter((b) => ["dd1", "dd2", "dd4", "dd5", "dd6", "dd7", "dd8"].includes(b.key)).reduce((a, b) => a + (i.perDay[b.key] ?? 0), 0))}/day`,
      );
  }
  if (options.chart || process.stdout.isTTY) {
    const width = Math.max(20, Math.min(80, (process.stdout.columns ?? 100) - 12));
    for (const f of stats.families.filter((x) => x.rounds >= 3)) {
      // The latest rounds, at most one per column, so the chart fits the terminal.
      const points = f.series.slice(-width).map((p) => p.cutoff);
      lines.push(
        "",
        `Cut-off of ${f.family} rounds, ${f.series.at(-points.length)?.date} → ${f.last} (${points.length} rounds):`,
      );
      lines.push(
        asciichart.plot(points, { height: 8, format: (x: number) => String(Math.round(x)).padStart(5) }),
      );
    }
  }
  print(lines.join("\n"));
  return EXIT.ok;
}

function verdictLine(c: RoundCheck): string {
  return `  #${c.round.padEnd(4)} ${c.date}  ${c.name.slice(0, 56).padEnd(56)} cut-off ${String(c.cutoff).padStart(3)}: ${c.verdict.why}`;
}

export async function historyCheck(
  file: string,
  options: { submittedAt?: string; db?: string; json?: boolean },
): Promise<number> {
  const { text, name } = readInputText(file);
  const input = parseJson(text, name);
  const book = defaultRuleBook();
  const submittedAt =
    options.submittedAt === undefined
      ? undefined
      : instantOption(options.submittedAt, "--submitted-at", { dates: false });
  const history = await historyInUse(options);
  const checked = checkProfile(input, history.rounds, book, { submittedAt });
  if (checked.status === "invalid") {
    const missingSubmission = checked.errors.some((e) => e.field === "submittedAt");
    throw new CommandError(
      EXIT.invalid,
      `${name}: ${checked.errors.map((e) => `${e.field}: ${e.message}`).join("; ")}${missingSubmission ? " (or give --submitted-at)" : ""}`,
      { errors: checked.errors },
    );
  }
  const result: HistoryCheck = checked.result;
  if (options.json) {
    printJson({ origin: history.origin, ...result });
    return EXIT.ok;
  }
  const lines = [
    `Submitted ${displayInstant(result.submittedAt)}: ${result.considered} published rounds held while the profile was in the pool (${originLine(history)})`,
  ];
  if (result.firstInvitation)
    lines.push("", `First round that would have invited it:`, verdictLine(result.firstInvitation));
  else lines.push("", "No published round would have invited it.");
  if (result.invitations.length > 1)
    lines.push(
      "",
      `Every round that would have invited it (${result.invitations.length}):`,
      ...result.invitations.map(verdictLine),
    );
  if (result.nearMisses.length > 0)
    lines.push("", `Near misses (${result.nearMisses.length}):`, ...result.nearMisses.map(verdictLine));
  const others = result.rounds.filter((c) => c.verdict.outcome === "missed" && !c.verdict.near);
  if (others.length > 0)
    lines.push("", `Missed by more than 10 points (${others.length}):`, ...others.map(verdictLine));
  const outside = result.rounds.filter((c) => c.verdict.outcome === "not-in-group");
  if (outside.length > 0)
    lines.push("", `Not in the round's group (${outside.length}):`, ...outside.map(verdictLine));
  print(lines.join("\n"));
  return EXIT.ok;
}
