/**
 * What `ee pool …`, `ee round …`, `ee ita …` and `ee sweep` do (their options are in pool-commands.ts).
 * Loaded only when one of them runs: SQLite, Kysely, worker threads and the progress bar stay out of
 * the start-up of `ee crs`. Each action returns its exit code.
 */
import { createWriteStream, existsSync, rmSync, type WriteStream } from "node:fs";
import { SingleBar } from "cli-progress";
import { ConflictError, NotFoundError } from "../../app/errors.js";
import {
  importProfiles,
  PoolInputError,
  poolStats,
  sweep,
  SWEEP_REACH_DAYS,
  sweepReachProblem,
  updateProfiles,
  withdrawProfile,
} from "../../app/pool-service.js";
import { type PoolStore, StoreBusyError, StoreUnavailableError } from "../../app/ports.js";
import {
  type PublishedRound,
  RoundInputError,
  respond,
  runRound,
  showRound,
} from "../../app/round-service.js";
import { displayInstant } from "../../calendar/instants.js";
import { type Distribution, ottawaDate } from "../../domain/rounds/round.js";
import { defaultRuleBook } from "../../rules/index.js";
import {
  DatabaseFileError,
  DEFAULT_DB_PATH,
  displayLocation,
  isPostgresUrl,
  openStore,
} from "../store/open.js";
import { evaluatorFor } from "../workers/parallel-evaluate.js";
import { importInParallel, type RawRecord } from "../workers/parallel-import.js";
import { instantOption, positiveInteger } from "./args.js";
import { CommandError, EXIT } from "./errors.js";
import { parseRawRecords, readRawInput, readRecords, readRoundFile, requireRecords } from "./records.js";

export interface DbOption {
  db?: string;
  /** Print the result as one JSON document (and errors as JSON, which main.ts does). */
  json?: boolean;
}

export function dbPath(options: DbOption): string {
  return options.db ?? process.env.EE_DB ?? DEFAULT_DB_PATH;
}

/** The one mapping from the app's and the store's errors to the CLI's exit codes. */
function commandErrorOf(error: unknown): unknown {
  if (error instanceof PoolInputError)
    return new CommandError(EXIT.invalid, error.message, { errors: error.errors, line: error.line });
  if (error instanceof RoundInputError)
    return new CommandError(EXIT.invalid, `invalid round: ${error.message}`, { errors: error.errors });
  if (error instanceof DatabaseFileError) return new CommandError(EXIT.invalid, error.message);
  if (
    error instanceof ConflictError ||
    error instanceof StoreBusyError ||
    error instanceof StoreUnavailableError
  )
    return new CommandError(EXIT.conflict, error.message);
  if (error instanceof NotFoundError) return new CommandError(EXIT.notFound, error.message);
  return error;
}

/**
 * Runs `work` on the pool's database. Only `pool import` passes `create`: every other command
 * refuses a path with no pool, so a typo in --db or EE_DB cannot start an empty one; and a database
 * created for an import that fails is removed again, so a failed import leaves nothing behind.
 */
export async function withStore<T>(
  options: DbOption,
  work: (store: PoolStore) => Promise<T>,
  { create = false } = {},
): Promise<T> {
  const path = dbPath(options);
  // A SQLite file created for an import that fails is removed; PostgreSQL rolls the import back.
  const created = create && path !== ":memory:" && !isPostgresUrl(path) && !existsSync(path);
  let store: PoolStore;
  try {
    store = await openStore(path, { create });
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

function checkSweepReach(at: string, given: string): void {
  const problem = sweepReachProblem(at, Date.now(), given);
  if (problem)
    throw new CommandError(
      EXIT.invalid,
      `--as-of: ${problem}. Check the date, or add --force to sweep to it anyway (more than ${SWEEP_REACH_DAYS} days needs --force)`,
    );
}

/** Files this large are validated on worker threads while the main thread inserts. */
const PARALLEL_FROM = 20_000;

export function progressBar(label: string, enabled: boolean) {
  if (!enabled) return { update: (_done: number, _total?: number) => {}, stop: () => {} };
  let bar: SingleBar | undefined;
  return {
    update(done: number, total?: number) {
      if (!bar) {
        // Without a total (a streamed import), the count alone: no percentage to make up.
        const format =
          total === undefined
            ? `${label} {value} profiles ({duration_formatted})`
            : `${label} [{bar}] {percentage}% {value}/{total}`;
        bar = new SingleBar({ format, hideCursor: true });
        bar.start(total ?? 0, 0);
      }
      if (total !== undefined) bar.setTotal(total);
      bar.update(done);
    },
    stop: () => bar?.stop(),
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

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The result: one JSON document under --json, otherwise the text. */
function print(options: DbOption, value: unknown, text: () => string): void {
  process.stdout.write(options.json ? json(value) : text());
}

export async function poolImport(file: string, options: DbOption & { now?: string }): Promise<number> {
  const now = instantOption(options.now, "--now");
  const input = await readRawInput(file);
  // A stream's first records decide, as a small file's count does: fewer than PARALLEL_FROM stay on
  // this thread; otherwise the stream goes to the workers, never read whole.
  const start: ImportStart = Array.isArray(input)
    ? { records: input }
    : await firstRecords(input, PARALLEL_FROM);
  if (start.records) requireRecords(start.records, file);
  const total = start.records?.length;
  const bar = progressBar("import", process.stderr.isTTY === true && (total ?? Infinity) >= 10_000);
  const onProgress = (done: number) => bar.update(done, total);
  const result = await withStore(
    options,
    (store) =>
      start.rest
        ? importInParallel(store, start.rest, { now, onProgress })
        : start.records.length >= PARALLEL_FROM
          ? importInParallel(store, [start.records], { now, onProgress })
          : importProfiles(store, parseRawRecords(start.records, file), {
              book: defaultRuleBook(),
              now,
              onProgress: bar.update,
            }),
    { create: true },
  ).finally(() => bar.stop());
  const db = displayLocation(dbPath(options));
  print(
    options,
    { imported: result.imported, db },
    () => `imported ${result.imported.toLocaleString("en-CA")} profiles into ${db}\n`,
  );
  return EXIT.ok;
}

/** A whole small input, or a stream of chunks. */
type ImportStart =
  { records: RawRecord[]; rest?: undefined } | { records?: undefined; rest: AsyncIterable<RawRecord[]> };

/**
 * Reads chunks until `count` records: all the records when the input ends first, otherwise `rest`,
 * every chunk (those already read first) in order.
 */
async function firstRecords(chunks: AsyncIterable<RawRecord[]>, count: number): Promise<ImportStart> {
  const it = chunks[Symbol.asyncIterator]();
  const read: RawRecord[][] = [];
  let n = 0;
  while (n < count) {
    const next = await it.next();
    if (next.done) return { records: read.flat() };
    read.push(next.value);
    n += next.value.length;
  }
  async function* rest() {
    try {
      while (read.length > 0) yield read.shift() as RawRecord[];
      for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
    } finally {
      await it.return?.();
    }
  }
  return { rest: rest() };
}

export async function poolUpdate(file: string, options: DbOption): Promise<number> {
  const records = requireRecords(readRecords(file), file);
  const result = await withStore(options, (store) => updateProfiles(store, records, defaultRuleBook()));
  print(options, result, () => `updated ${result.updated} profiles\n`);
  return EXIT.ok;
}

export async function poolWithdraw(id: string, options: DbOption): Promise<number> {
  await withStore(options, (store) => withdrawProfile(store, id));
  print(options, { withdrawn: id }, () => `withdrew ${id}\n`);
  return EXIT.ok;
}

export async function poolExport(options: DbOption & { out?: string }): Promise<number> {
  // Streamed page by page: a million-profile pool is larger than one string can hold.
  const out = options.out ? createWriteStream(options.out) : process.stdout;
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once("drain", () => resolve()));
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
  return EXIT.ok;
}

export async function poolStatsCommand(
  options: DbOption & { asOf?: string; json?: boolean },
): Promise<number> {
  const at = instantOption(options.asOf, "--as-of");
  const stats = await withStore(options, (store) =>
    poolStats(store, at, defaultRuleBook(), { evaluatorFor }),
  );
  print(
    options,
    stats,
    () =>
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
  return EXIT.ok;
}

export interface RoundRunOptions extends DbOption {
  number?: string;
  name?: string;
  kind?: string;
  program?: string;
  categoryVersion?: string;
  invitations?: string;
  at?: string;
  dryRun?: boolean;
}

export async function roundRun(file: string | undefined, o: RoundRunOptions): Promise<number> {
  const input = file
    ? readRoundFile(file)
    : {
        number: o.number === undefined ? undefined : positiveInteger(o.number, "--number"),
        name: o.name,
        kind: o.kind,
        program: o.program,
        categoryVersion: o.categoryVersion,
        invitations:
          o.invitations === undefined ? undefined : positiveInteger(o.invitations, "--invitations"),
        at: o.at === undefined ? undefined : instantOption(o.at, "--at", { dates: false }),
      };
  const bar = progressBar("evaluating pool", process.stderr.isTTY === true);
  // Testing aid (test/concurrency.test.ts): hold the round's transaction open between ranking and writing.
  const pause = Number(process.env.EE_TEST_ROUND_PAUSE_MS ?? 0);
  const result = await withStore(o, (store) =>
    runRound(store, input, {
      book: defaultRuleBook(),
      dryRun: o.dryRun === true,
      onProgress: (done, total) => bar.update(done, total),
      evaluatorFor,
      pauseBeforeWriteMs: Number.isFinite(pause) && pause > 0 ? pause : undefined,
    }),
  ).finally(() => bar.stop());
  print(o, result, () => `${printRound(result)}\n`);
  return EXIT.ok;
}

export async function roundShow(number: string, o: DbOption): Promise<number> {
  const n = positiveInteger(number, "N");
  const r = await withStore(o, (store) => showRound(store, n));
  print(o, r, () => `${printRound(r)}\n`);
  return EXIT.ok;
}

export async function roundList(o: DbOption): Promise<number> {
  const rounds = await withStore(o, (store) => store.listRounds());
  print(
    o,
    rounds.map(({ distribution: _d, ...r }) => r),
    () =>
      rounds
        .map(
          (r) =>
            `#${r.number}  ${r.at}  ${r.name}  ${r.invited.toLocaleString("en-CA")} invited, CRS ≥ ${r.cutoffCrs ?? "—"}, tie-break ${r.tieBreak ?? "—"}\n`,
        )
        .join(""),
  );
  return EXIT.ok;
}

export async function itaAnswer(
  answer: "accept" | "decline",
  id: string,
  o: DbOption & { at?: string },
): Promise<number> {
  const invitationId = positiveInteger(id, "ID");
  const at = instantOption(o.at, "--at");
  const r = await withStore(o, (store) => respond(store, invitationId, answer, at));
  print(
    o,
    r,
    () =>
      `invitation ${id} ${r.invitation.status}; profile ${r.invitation.profileId} is now ${r.profileStatus}\n`,
  );
  return EXIT.ok;
}

export async function itaList(roundNumber: string, o: DbOption): Promise<number> {
  const n = positiveInteger(roundNumber, "ROUND");
  const list = await withStore(o, async (store) => {
    if (!(await store.getRound(n))) throw new NotFoundError(`no round ${n}`);
    return store.invitationsOfRound(n);
  });
  print(o, list, () =>
    list
      .map(
        (i) => `${i.id}  rank ${i.rank}  ${i.profileId}  CRS ${i.crs}  ${i.status}  until ${i.expiresAt}\n`,
      )
      .join(""),
  );
  return EXIT.ok;
}

export async function sweepCommand(
  o: DbOption & { asOf?: string; force?: boolean; dryRun?: boolean },
): Promise<number> {
  const at = instantOption(o.asOf, "--as-of");
  if (o.asOf !== undefined && !o.force) checkSweepReach(at, o.asOf);
  const dryRun = o.dryRun === true;
  const r = await withStore(o, (store) => sweep(store, at, defaultRuleBook(), { dryRun, evaluatorFor }));
  print(
    o,
    r,
    () =>
      `sweep to ${r.at} (${ottawaDate(r.at)})${dryRun ? " (dry run: nothing stored)" : ""}: ${r.invitationsExpired} invitations lapsed, ${r.profilesExpired} profiles expired, ${r.becameIneligible} became ineligible, ${r.becameEligible} eligible again\n`,
  );
  return EXIT.ok;
}
