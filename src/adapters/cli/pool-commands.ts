/** `ee pool …`, `ee round …`, `ee ita …` and `ee sweep`: the pool and rounds on the embedded store. */
import { createWriteStream, existsSync, readFileSync, rmSync, type WriteStream } from "node:fs";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import {
  type ImportRecord,
  importProfiles,
  PoolInputError,
  poolStats,
  sweep,
  updateProfiles,
  withdrawProfile,
} from "../../app/pool-service.js";
import type { PoolStore } from "../../app/ports.js";
import { ConflictError, NotFoundError } from "../../app/errors.js";
import {
  type PublishedRound,
  RoundInputError,
  respond,
  runRound,
  showRound,
} from "../../app/round-service.js";
import { displayInstant, instantMs, isUtcInstant } from "../../calendar/instants.js";
import { type Distribution, ottawaDate } from "../../domain/rounds/round.js";
import { defaultRuleBook } from "../../rules/index.js";
import { DatabaseFileError, DEFAULT_DB_PATH, openSqliteStore } from "../store/sqlite.js";
import { workerEvaluator } from "../workers/parallel-evaluate.js";
import { importInParallel, type RawRecord } from "../workers/parallel-import.js";
import { instantOption, positiveInteger, UTC_INSTANT_FORM } from "./args.js";
import { CommandError, EXIT } from "./errors.js";
import { InputError } from "./input.js";

interface DbOption {
  db?: string;
}

function dbPath(options: DbOption): string {
  return options.db ?? process.env.EE_DB ?? DEFAULT_DB_PATH;
}

/** The one mapping from the app's and the store's errors to the CLI's exit codes. */
function commandErrorOf(error: unknown): unknown {
  if (error instanceof PoolInputError) return new CommandError(EXIT.invalid, error.message);
  if (error instanceof RoundInputError)
    return new CommandError(EXIT.invalid, `invalid round: ${error.message}`);
  if (error instanceof DatabaseFileError) return new CommandError(EXIT.invalid, error.message);
  if (error instanceof ConflictError) return new CommandError(EXIT.conflict, error.message);
  if (error instanceof NotFoundError) return new CommandError(EXIT.notFound, error.message);
  return error;
}

/**
 * Runs `work` on the pool's database. Only `pool import` passes `create`: every other command
 * refuses a path with no pool, so a typo in --db or EE_DB cannot start an empty one; and a database
 * created for an import that fails is removed again, so a failed import leaves nothing behind.
 */
async function withStore<T>(
  options: DbOption,
  work: (store: PoolStore) => Promise<T>,
  { create = false } = {},
): Promise<T> {
  const path = dbPath(options);
  const created = create && path !== ":memory:" && !existsSync(path);
  let store: PoolStore;
  try {
    store = await openSqliteStore(path, { create });
  } catch (error) {
    throw commandErrorOf(error);
  }
  let failed = false;
  try {
    return await work(store);
  } catch (error) {
    failed = true;
    throw commandErrorOf(error);
  } finally {
    await store.close();
    if (failed && created)
      for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
  }
}

/** How far from now a sweep may reach without --force: one typo must not expire the whole pool. */
const SWEEP_REACH_DAYS = 400;

function checkSweepReach(at: string, given: string): void {
  const fromNow = instantMs(at) - Date.now();
  if (Math.abs(fromNow) <= SWEEP_REACH_DAYS * 86_400_000) return;
  const days = Math.floor(Math.abs(fromNow) / 86_400_000);
  throw new CommandError(
    EXIT.invalid,
    `--as-of: ${given} is ${days} days ${fromNow < 0 ? "before" : "after"} now; a sweep that far could lapse every invitation and expire the whole pool. Check the date, or add --force to sweep to it anyway (more than ${SWEEP_REACH_DAYS} days needs --force)`,
  );
}

/**
 * JSON array, one JSON object, or JSON lines. JSON lines stay unparsed text (workers parse them);
 * each record keeps its line number for error messages.
 */
export function readRawRecords(path: string): RawRecord[] {
  let text: string;
  try {
    text = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (error) {
    throw new InputError(`${path}: cannot read input (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    let values: unknown;
    try {
      values = JSON.parse(text);
    } catch (error) {
      throw new InputError(`${path}: not valid JSON (${(error as Error).message})`);
    }
    return (values as unknown[]).map((value, i) => ({ line: i + 1, value }));
  }
  if (trimmed.startsWith("{")) {
    // One (possibly pretty-printed) JSON object is a single record; otherwise read JSON lines.
    try {
      return [{ line: 1, value: JSON.parse(text) }];
    } catch {
      // fall through to JSON lines
    }
  }
  const records: RawRecord[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() !== "") records.push({ line: i + 1, text: line });
  });
  return records;
}

/** Records with every JSON line parsed (a line that is not JSON is an input error naming it). */
export function parseRawRecords(raw: readonly RawRecord[], path: string): ImportRecord[] {
  return raw.map((r) => {
    if (r.text === undefined) return { line: r.line, value: r.value };
    try {
      return { line: r.line, value: JSON.parse(r.text) };
    } catch (error) {
      throw new InputError(`${path}: line ${r.line}: not valid JSON (${(error as Error).message})`);
    }
  });
}

export function readRecords(path: string): ImportRecord[] {
  return parseRawRecords(readRawRecords(path), path);
}

/** Files this large are validated on worker threads while the main thread inserts. */
const PARALLEL_FROM = 20_000;

function progressBar(label: string, enabled: boolean) {
  if (!enabled) return { update: (_done: number, _total?: number) => {}, stop: () => {} };
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% {value}/{total}`, hideCursor: true });
  let started = false;
  return {
    update(done: number, total?: number) {
      if (!started) {
        bar.start(total ?? done, 0);
        started = true;
      }
      if (total !== undefined) bar.setTotal(total);
      bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}

/** A distribution row as IRCC lays it out: ten-point bands indented under their subtotal row. */
function bandLine(b: Distribution["bands"][number]): string {
  const label = b.level === 1 ? `  ${b.label}` : b.label;
  return `${label.padEnd(12)} ${b.count.toLocaleString("en-CA").padStart(10)}`;
}

function printRound(r: PublishedRound): string {
  const lines = [
    `Round #${r.number}${r.dryRun ? " (dry run: nothing stored)" : ""}: ${r.name}`,
    `  Number of invitations issued:           ${r.invitations.toLocaleString("en-CA")}${r.shortfall > 0 ? ` (requested ${r.invitationsRequested.toLocaleString("en-CA")}; only ${r.eligible.toLocaleString("en-CA")} eligible)` : ""}`,
    `  Rank required to be invited to apply:   ${r.rankRequired ?? "—"}`,
    `  Date and time of round:                 ${r.at} (eligibility as of ${r.asOfDate})`,
    `  CRS score of lowest-ranked invited:     ${r.cutoffCrs ?? "—"}`,
    `  Tie-breaking rule:                      ${r.tieBreak ?? "—"}`,
    `  Eligible candidates in the group:       ${r.eligible.toLocaleString("en-CA")}`,
    "  CRS score distribution of candidates in the pool as of the round:",
    ...r.distribution.bands.map((b) => `    ${bandLine(b)}`),
  ];
  return lines.join("\n");
}

function readRoundFile(file: string): unknown {
  const records = readRecords(file);
  if (records.length !== 1) throw new InputError(`${file}: expected one round object`);
  return records[0]?.value;
}

/**
 * The round's `at` as the CLI reads every instant: the round schema alone would take a 60th second
 * as the 59th (and other forms Temporal reads), so those are refused here first.
 */
function withCheckedInstant(input: unknown): unknown {
  const at = (input as { at?: unknown } | null)?.at;
  if (typeof at === "string" && !isUtcInstant(at))
    throw new RoundInputError([{ field: "at", message: `must be ${UTC_INSTANT_FORM}` }]);
  return input;
}

/** Records of an import or update file; a file with none is refused before any database is touched. */
function requireRecords<T>(records: T[], file: string): T[] {
  if (records.length === 0)
    throw new InputError(`${file === "-" ? "standard input" : file} holds no profiles`);
  return records;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function registerPoolCommands(program: Command, setExit: (code: number) => void): void {
  const pool = program
    .command("pool")
    .description("The pool of candidates (embedded SQLite; --db or EE_DB, default ./ee.sqlite)");
  const dbOpt = ["--db <path>", "SQLite database file (default: $EE_DB or ./ee.sqlite)"] as const;

  pool
    .command("import")
    .description("Add profiles from a JSON array or JSON lines file, all or nothing")
    .argument("<file>", "JSON array or JSON lines; '-' for standard input")
    .option(...dbOpt)
    .option("--now <instant>", "submission time for profiles without submittedAt (default: now)")
    .action(async (file: string, options: DbOption & { now?: string }) => {
      const now = instantOption(options.now, "--now");
      const raw = requireRecords(readRawRecords(file), file);
      const bar = progressBar("import", process.stderr.isTTY === true && raw.length >= 10_000);
      const result = await withStore(
        options,
        (store) =>
          raw.length >= PARALLEL_FROM
            ? importInParallel(store, raw, { now, onProgress: bar.update })
            : importProfiles(store, parseRawRecords(raw, file), {
                book: defaultRuleBook(),
                now,
                onProgress: bar.update,
              }),
        { create: true },
      ).finally(() => bar.stop());
      process.stdout.write(
        `imported ${result.imported.toLocaleString("en-CA")} profiles into ${dbPath(options)}\n`,
      );
      setExit(0);
    });

  pool
    .command("update")
    .description("Edit existing profiles (their submission time, the tie-break key, is kept)")
    .argument("<file>", "JSON array or JSON lines of profiles with their ids")
    .option(...dbOpt)
    .action(async (file: string, options: DbOption) => {
      const records = requireRecords(readRecords(file), file);
      const result = await withStore(options, (store) => updateProfiles(store, records, defaultRuleBook()));
      process.stdout.write(`updated ${result.updated} profiles\n`);
      setExit(0);
    });

  pool
    .command("withdraw")
    .description("Withdraw a profile from the pool")
    .argument("<ID>", "profile id")
    .option(...dbOpt)
    .action(async (id: string, options: DbOption) => {
      await withStore(options, (store) => withdrawProfile(store, id));
      process.stdout.write(`withdrew ${id}\n`);
      setExit(0);
    });

  pool
    .command("export")
    .description(
      "Write every profile, of any status, as JSON lines: the profile with its id and submittedAt, which 'pool import' reads back (the status is not written)",
    )
    .option(...dbOpt)
    .option("--out <file>", "file to write (default: standard output)")
    .action(async (options: DbOption & { out?: string }) => {
      // Streamed page by page: a million-profile pool is larger than one string can hold.
      const out = options.out ? createWriteStream(options.out) : process.stdout;
      const write = (text: string) =>
        out.write(text)
          ? Promise.resolve()
          : new Promise<void>((resolve) => out.once("drain", () => resolve()));
      await withStore(options, async (store) => {
        for await (const page of store.profilesWithStatus([]))
          await write(
            page
              .map(
                (p) =>
                  `${JSON.stringify({ ...p.profile, id: p.id, submittedAt: displayInstant(p.submittedAt) })}\n`,
              )
              .join(""),
          );
      });
      if (options.out)
        await new Promise<void>((resolve, reject) =>
          (out as WriteStream).end((e?: Error) => (e ? reject(e) : resolve())),
        );
      setExit(0);
    });

  pool
    .command("stats")
    .description("Pool size and CRS distribution in IRCC's published bands")
    .option(...dbOpt)
    .option("--as-of <date-or-instant>", "as of this date (end of day, Ottawa) or UTC instant; default now")
    .option("--json", "print as JSON")
    .action(async (options: DbOption & { asOf?: string; json?: boolean }) => {
      const at = instantOption(options.asOf, "--as-of");
      const evaluator = workerEvaluator();
      const stats = await withStore(options, (store) =>
        poolStats(store, at, defaultRuleBook(), evaluator),
      ).finally(() => evaluator.close());
      if (options.json) process.stdout.write(json(stats));
      else
        process.stdout.write(
          [
            `Pool as of ${stats.date} (${stats.at}): ${stats.size.toLocaleString("en-CA")} candidates eligible for a program`,
            stats.notEligible > 0
              ? `  (${stats.notEligible.toLocaleString("en-CA")} more with status in-pool but not eligible on this date)`
              : "",
            ...stats.distribution.bands.map((b) => `  ${bandLine(b)}`),
            `Profiles by status: ${Object.entries(stats.byStatus)
              .map(([k, v]) => `${k} ${v}`)
              .join(", ")}`,
            "",
          ]
            .filter((l) => l !== "")
            .join("\n") + "\n",
        );
      setExit(0);
    });

  const round = program.command("round").description("Rounds of invitations");
  round
    .command("run")
    .description(
      "Run a round: rank the eligible group as of its time, invite the first N (atomic; once per number)",
    )
    .argument("[file]", "round as JSON {number, name, kind, program?, categoryVersion?, invitations, at}")
    .option(...dbOpt)
    .option("--number <n>", "round number")
    .option("--name <name>", "round name as IRCC publishes it")
    .option("--kind <kind>", "general | program | category")
    .option("--program <program>", "CEC | FSW | FST | PNP (program rounds)")
    .option("--category-version <id>", "category version id (default: found from the name)")
    .option("--invitations <n>", "number of invitations")
    .option("--at <instant>", "date and time of the round, UTC (e.g. 2026-02-19T14:24:23Z)")
    .option("--dry-run", "compute and print, store nothing")
    .option("--json", "print as JSON")
    .action(async (file: string | undefined, o: DbOption & Record<string, string | boolean | undefined>) => {
      const input = file
        ? readRoundFile(file)
        : {
            number: o.number === undefined ? undefined : positiveInteger(String(o.number), "--number"),
            name: o.name,
            kind: o.kind,
            program: o.program,
            categoryVersion: o.categoryVersion,
            invitations:
              o.invitations === undefined
                ? undefined
                : positiveInteger(String(o.invitations), "--invitations"),
            at: o.at === undefined ? undefined : instantOption(String(o.at), "--at", { dates: false }),
          };
      const bar = progressBar("evaluating pool", process.stderr.isTTY === true);
      const evaluator = workerEvaluator();
      const result = await withStore(o, (store) =>
        runRound(store, withCheckedInstant(input), {
          book: defaultRuleBook(),
          dryRun: o.dryRun === true,
          onProgress: (d) => bar.update(d),
          evaluator,
        }),
      ).finally(async () => {
        bar.stop();
        await evaluator.close();
      });
      process.stdout.write(o.json ? json(result) : `${printRound(result)}\n`);
      setExit(0);
    });
  round
    .command("show")
    .description("A stored round's published result")
    .argument("<N>", "round number")
    .option(...dbOpt)
    .option("--json", "print as JSON (with the invitations)")
    .action(async (number: string, o: DbOption & { json?: boolean }) => {
      const n = positiveInteger(number, "N");
      const r = await withStore(o, (store) => showRound(store, n));
      process.stdout.write(o.json ? json(r) : `${printRound(r)}\n`);
      setExit(0);
    });
  round
    .command("list")
    .description("Stored rounds")
    .option(...dbOpt)
    .option("--json", "print as JSON")
    .action(async (o: DbOption & { json?: boolean }) => {
      const rounds = await withStore(o, (store) => store.listRounds());
      if (o.json) process.stdout.write(json(rounds.map(({ distribution: _d, ...r }) => r)));
      else
        for (const r of rounds)
          process.stdout.write(
            `#${r.number}  ${r.at}  ${r.name}  ${r.invited.toLocaleString("en-CA")} invited, CRS ≥ ${r.cutoffCrs ?? "—"}, tie-break ${r.tieBreak ?? "—"}\n`,
          );
      setExit(0);
    });

  const ita = program.command("ita").description("Invitations to apply");
  for (const answer of ["accept", "decline"] as const)
    ita
      .command(answer)
      .description(
        answer === "accept"
          ? "Accept an invitation (apply)"
          : "Decline an invitation (back to the pool if still valid)",
      )
      .argument("<ID>", "invitation id (as 'ee ita list ROUND' shows it)")
      .option(...dbOpt)
      .option("--at <instant>", "when (default now)")
      .action(async (id: string, o: DbOption & { at?: string }) => {
        const invitationId = positiveInteger(id, "ID");
        const at = instantOption(o.at, "--at");
        const r = await withStore(o, (store) => respond(store, invitationId, answer, at));
        process.stdout.write(
          `invitation ${id} ${r.invitation.status}; profile ${r.invitation.profileId} is now ${r.profileStatus}\n`,
        );
        setExit(0);
      });
  ita
    .command("list")
    .description("Invitations of a round")
    .argument("<ROUND>", "round number")
    .option(...dbOpt)
    .option("--json", "print as JSON")
    .action(async (roundNumber: string, o: DbOption & { json?: boolean }) => {
      const n = positiveInteger(roundNumber, "ROUND");
      const list = await withStore(o, async (store) => {
        if (!(await store.getRound(n))) throw new NotFoundError(`no round ${n}`);
        return store.invitationsOfRound(n);
      });
      if (o.json) process.stdout.write(json(list));
      else
        for (const i of list)
          process.stdout.write(
            `${i.id}  rank ${i.rank}  ${i.profileId}  CRS ${i.crs}  ${i.status}  until ${i.expiresAt}\n`,
          );
      setExit(0);
    });

  program
    .command("sweep")
    .description(
      "Apply time: lapse unanswered invitations, expire year-old profiles, mark (in)eligible profiles",
    )
    .option(...dbOpt)
    .option(
      "--as-of <date-or-instant>",
      `up to this instant (a date means its end, Ottawa time); default now; at most ${SWEEP_REACH_DAYS} days from now unless --force`,
    )
    .option("--force", `sweep to an --as-of more than ${SWEEP_REACH_DAYS} days before or after now`)
    .option("--dry-run", "compute and print what the sweep would do, store nothing")
    .option("--json", "print as JSON")
    .action(async (o: DbOption & { asOf?: string; force?: boolean; dryRun?: boolean; json?: boolean }) => {
      const at = instantOption(o.asOf, "--as-of");
      if (o.asOf !== undefined && !o.force) checkSweepReach(at, o.asOf);
      const dryRun = o.dryRun === true;
      const r = await withStore(o, (store) => sweep(store, at, defaultRuleBook(), { dryRun }));
      process.stdout.write(
        o.json
          ? json({ ...r, dryRun })
          : `sweep to ${r.at} (${ottawaDate(r.at)})${dryRun ? " (dry run: nothing stored)" : ""}: ${r.invitationsExpired} invitations lapsed, ${r.profilesExpired} profiles expired, ${r.becameIneligible} became ineligible, ${r.becameEligible} eligible again\n`,
      );
      setExit(0);
    });
}
