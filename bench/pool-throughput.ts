/**
 * Pool and rounds on the embedded SQLite store, beside a bare better-sqlite3 reference run in the same
 * process on the same machine (absolute times on shared machines move from run to run; the ratios are
 * what to compare):
 * - import of N generated profiles (read, validate on worker threads, insert, all or nothing) vs the
 *   bare insert of the same number of rows of the same size in one transaction plus its ranking index;
 * - the evaluation refresh for a round's date (every profile), and for the next day (only the lapsed);
 * - a category round and a general round with current evaluations vs the bare top N of a group of the
 *   same size with its count; the same category round on the next day, end to end.
 * Prints figures and the machine's load; not a test.
 *
 *   npm run bench:pool                 # 1,000,000 profiles
 *   BENCH_N=200000 npm run bench:pool
 */
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { moment, refreshEvaluations } from "../src/app/pool-service.js";
import { runRound } from "../src/app/round-service.js";
import { readRawRecords } from "../src/adapters/cli/records.js";
import { evaluatorFor } from "../src/adapters/workers/parallel-evaluate.js";
import { importInParallel } from "../src/adapters/workers/parallel-import.js";
import { openSqliteStore } from "../src/adapters/store/sqlite.js";
import { defaultRuleBook } from "../src/rules/index.js";
import { generateProfiles } from "./profiles.js";
import { prng } from "./prng.js";

const N = Number(process.env.BENCH_N ?? 1_000_000);
const ROUND_AT = "2026-02-20T14:00:00Z";
const NEXT_DAY_AT = "2026-02-21T14:00:00Z";
const CATEGORY = "Healthcare and Social Services Occupations, 2026-Version 3";

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const time = async <T>(work: () => Promise<T> | T): Promise<[T, number]> => {
  const t = performance.now();
  const value = await work();
  return [value, performance.now() - t];
};
const line = (label: string, ms: number, extra = "") =>
  console.log(`${label.padEnd(64)} ${seconds(ms).padStart(9)}${extra}`);
const ratio = (ms: number, reference: number) => `  (${(ms / reference).toFixed(2)}× the bare reference)`;

const book = defaultRuleBook();
const dir = mkdtempSync(join(tmpdir(), "ee-bench-"));
const file = join(dir, "profiles.jsonl");
console.log(
  `Pool throughput — node ${process.version}, SQLite files in ${dir}, ${N.toLocaleString("en-CA")} profiles; load ${load()}`,
);

let [, ms] = await time(() => {
  // Written in parts: a million profiles make more text than one JavaScript string can hold.
  writeFileSync(file, "");
  const part = 50_000;
  for (let from = 0; from < N; from += part)
    appendFileSync(
      file,
      generateProfiles(Math.min(part, N - from), {
        seed: 11 + from,
        asOf: "2026-02-20",
        pool: true,
        firstId: from,
      })
        .map((p) => JSON.stringify(p))
        .join("\n") + "\n",
    );
});
line("generate the JSON lines file", ms, `  (${(statSync(file).size / 1e6).toFixed(0)} MB)`);
const lines = readRawRecords(file).map((r) => r.text as string);

// --- The bare reference: rows of the same size, one transaction, a ranking index, a top N with its count.
const bare = new Database(join(dir, "bare.sqlite"));
bare.pragma("journal_mode = WAL");
bare.pragma("synchronous = NORMAL");
bare.pragma("cache_size = -262144");
/** Writes the rows into table `name`, each in group "g" with probability `share`; returns [insert ms, index ms]. */
function bareTable(name: string, share: number): [number, number] {
  const rnd = prng(5);
  bare.exec(
    `CREATE TABLE ${name} (id TEXT PRIMARY KEY, grp TEXT NOT NULL, crs INTEGER NOT NULL, submitted_at TEXT NOT NULL, data TEXT NOT NULL)`,
  );
  const insert = bare.prepare(`INSERT INTO ${name} VALUES (?, ?, ?, ?, ?)`);
  let t = performance.now();
  bare.transaction(() => {
    lines.forEach((data, i) =>
      insert.run(
        `p${String(i).padStart(7, "0")}`,
        rnd() < share ? "g" : "h",
        300 + Math.floor(rnd() * 300),
        `2025-${i}`,
        data,
      ),
    );
  })();
  const inserted = performance.now() - t;
  t = performance.now();
  bare.exec(`CREATE INDEX ${name}_rank ON ${name} (grp, crs DESC, submitted_at, id)`);
  return [inserted, performance.now() - t];
}
/** The bare top N of group "g" with its count (median of five runs). */
function bareTopN(name: string, size: number): { ms: number; rows: number } {
  const top = bare.prepare(
    `SELECT id, crs, submitted_at FROM ${name} WHERE grp = 'g' ORDER BY crs DESC, submitted_at LIMIT ?`,
  );
  const count = bare.prepare(`SELECT count(*) FROM ${name} WHERE grp = 'g'`).pluck();
  const times: number[] = [];
  let rows = 0;
  for (let k = 0; k < 5; k++) {
    const t = performance.now();
    top.all(size);
    rows = count.get() as number;
    times.push(performance.now() - t);
  }
  return { ms: times.sort((a, b) => a - b)[2] as number, rows };
}

// --- The engine.
const store = await openSqliteStore(join(dir, "pool.sqlite"));
try {
  let imported: number;
  [{ imported }, ms] = await time(() =>
    importInParallel(store, [readRawRecords(file)], {
      now: "2026-01-01T00:00:00Z",
      workers: Number(process.env.BENCH_WORKERS ?? 0) || undefined,
    }),
  );
  const importMs = ms;
  const [bareInsert, bareIndex] = bareTable("t", 0.15);
  line("bare: insert the same rows in one transaction", bareInsert);
  line("bare: build the ranking index", bareIndex);
  line(
    `import ${imported.toLocaleString("en-CA")} profiles (validate on workers, insert)`,
    importMs,
    ratio(importMs, bareInsert + bareIndex),
  );

  let refreshed: number;
  [refreshed, ms] = await time(() =>
    refreshEvaluations(store, moment(ROUND_AT).date, book, { evaluatorFor: () => evaluatorFor(Infinity) }),
  );
  const fullRefresh = ms;
  line(`refresh for the round's date: ${refreshed.toLocaleString("en-CA")} evaluated, on worker threads`, ms);

  const round = (number: number, at: string) => ({
    number,
    name: CATEGORY,
    kind: "category",
    invitations: 4000,
    at,
  });
  let result = await runRound(store, round(398, ROUND_AT), { book, dryRun: true });
  const groupSize = result.eligible;
  [result, ms] = await time(() => runRound(store, round(398, ROUND_AT), { book, dryRun: true }));
  line(`category round, dry run (current evaluations; ${groupSize.toLocaleString("en-CA")} eligible)`, ms);
  [result, ms] = await time(() => runRound(store, round(398, ROUND_AT), { book }));
  const currentRound = ms;
  const allEligible = (
    await runRound(
      store,
      { number: 399, name: "No Program Specified", kind: "general", invitations: 5000, at: ROUND_AT },
      { book, dryRun: true },
    )
  ).eligible;
  // Bare groups of the same sizes as the category's and the whole eligible pool's.
  bareTable("c", groupSize / imported);
  bareTable("a", allEligible / imported);
  const bareCategory = bareTopN("c", 4000);
  line(
    `category round, end to end (rank, store 4,000 invitations): cut-off ${result.cutoffCrs}`,
    currentRound,
    `${ratio(currentRound, bareCategory.ms)} [bare top 4,000 + count of ${bareCategory.rows.toLocaleString("en-CA")}: ${bareCategory.ms.toFixed(1)} ms]`,
  );
  [result, ms] = await time(() =>
    runRound(
      store,
      { number: 399, name: "No Program Specified", kind: "general", invitations: 5000, at: ROUND_AT },
      { book },
    ),
  );
  const bareAll = bareTopN("a", 5000);
  line(
    `general round, end to end: ${result.eligible.toLocaleString("en-CA")} eligible, cut-off ${result.cutoffCrs}`,
    ms,
    `${ratio(ms, bareAll.ms)} [bare top 5,000 + count of ${bareAll.rows.toLocaleString("en-CA")}: ${bareAll.ms.toFixed(1)} ms]`,
  );

  [refreshed, ms] = await time(() =>
    refreshEvaluations(store, moment(NEXT_DAY_AT).date, book, { evaluatorFor }),
  );
  line(
    `refresh for the next day: ${refreshed.toLocaleString("en-CA")} re-evaluated (${((100 * refreshed) / imported).toFixed(2)}%)`,
    ms,
    `  (${((100 * ms) / fullRefresh).toFixed(1)}% of the full refresh)`,
  );
  // The same category round on the day after that, end to end (its refresh included).
  const later = "2026-02-22T14:00:00Z";
  [result, ms] = await time(() => runRound(store, round(400, later), { book, evaluatorFor }));
  line(
    "category round on the next day, end to end (refresh included)",
    ms,
    `  (${(ms / currentRound).toFixed(2)}× the round with current evaluations)`,
  );
  console.log(`load at the end: ${load()}`);
} finally {
  await store.close();
  bare.close();
  rmSync(dir, { recursive: true, force: true });
}
