/**
 * A pool at scale on either database: JSON-lines files written by `ee pool generate` are imported
 * (streamed, validated on worker threads, all in one transaction), evaluated for the round's date,
 * ranked by a category round and a general round, then evaluated again for the next day and a year
 * later, with the process's memory.
 *
 *   EE_BENCH_DB=postgres://…  (or a SQLite file path; it must not hold a pool yet)
 *   EE_BENCH_FILES=a.jsonl,b.jsonl   EE_BENCH_LIMIT=1000000 (optional: the first N records)
 *   node --max-old-space-size=8192 dist/bench/pool-scale.js
 *
 * Prints one line per step (time, and the peak resident memory so far) and the machine's load.
 */
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { moment, refreshEvaluations } from "../src/app/pool-service.js";
import type { PoolStore } from "../src/app/ports.js";
import { runRound } from "../src/app/round-service.js";
import { streamRawRecordChunks } from "../src/adapters/cli/records.js";
import { displayLocation, isPostgresUrl, openStore } from "../src/adapters/store/open.js";
import { evaluatorFor } from "../src/adapters/workers/parallel-evaluate.js";
import { importInParallel } from "../src/adapters/workers/parallel-import.js";
import type { RawRecord } from "../src/adapters/workers/parallel-import.js";
import { defaultRuleBook } from "../src/rules/index.js";

const DB = process.env.EE_BENCH_DB;
const FILES = (process.env.EE_BENCH_FILES ?? "").split(",").filter(Boolean);
const LIMIT = Number(process.env.EE_BENCH_LIMIT ?? Infinity);
if (!DB || FILES.length === 0) {
  console.error("set EE_BENCH_DB (a postgres:// URL or a SQLite path) and EE_BENCH_FILES (JSON-lines files)");
  process.exit(2);
}
// The generated pools are like the published pool of 2026-02-15: submitted in the year before it.
const ROUND_AT = "2026-02-20T14:00:00Z";
const NEXT_DAY_AT = "2026-02-21T14:00:00Z";
const YEAR_LATER = "2027-02-20";
const CATEGORY = "Healthcare and Social Services Occupations, 2026-Version 3";

const book = defaultRuleBook();
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const peakMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const time = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const value = await work();
  return [value, performance.now() - t];
};
const line = (label: string, ms: number) =>
  console.log(`${label.padEnd(78)} ${(ms / 1000).toFixed(2).padStart(8)} s   peak RSS ${peakMiB()} MiB`);

async function* records(): AsyncIterable<RawRecord[]> {
  let left = LIMIT;
  for (const file of FILES)
    for await (const chunk of streamRawRecordChunks(file)) {
      if (left <= 0) return;
      const part = chunk.length > left ? chunk.slice(0, left) : chunk;
      left -= part.length;
      yield part;
    }
}

console.log(`pool-scale on ${displayLocation(DB)}; node ${process.version}; load ${load()}`);
const store: PoolStore = await openStore(DB, { create: true, busyTimeoutMs: 600_000 });
try {
  if ((await store.countProfiles()) > 0) throw new Error("the bench database already holds a pool");
  const [{ imported }, importMs] = await time(() =>
    importInParallel(store, records(), { now: "2026-02-15T00:00:00Z" }),
  );
  let ms = importMs;
  line(`import ${imported.toLocaleString("en-CA")} profiles (stream, validate on workers, one tx)`, ms);

  let refreshed: number;
  [refreshed, ms] = await time(() =>
    refreshEvaluations(store, moment(ROUND_AT).date, book, { evaluatorFor: () => evaluatorFor(Infinity) }),
  );
  line(`refresh for the round's date: ${refreshed.toLocaleString("en-CA")} evaluated`, ms);
  if (isPostgresUrl(DB)) {
    // What an operator runs after a bulk load, so that counts are index-only scans.
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: DB });
    await client.connect();
    [, ms] = await time(() => client.query("VACUUM (ANALYZE) profile_state, ranking"));
    await client.end();
    line("VACUUM (ANALYZE) profile_state, ranking", ms);
  }

  const category = (number: number, at: string) => ({
    number,
    name: CATEGORY,
    kind: "category",
    invitations: 4000,
    at,
  });
  let result;
  [result, ms] = await time(() => runRound(store, category(398, ROUND_AT), { book, dryRun: true }));
  line(`category round, dry run: ${result.eligible.toLocaleString("en-CA")} eligible`, ms);
  [result, ms] = await time(() => runRound(store, category(398, ROUND_AT), { book }));
  line(`category round, end to end (4,000 invitations stored): cut-off ${result.cutoffCrs}`, ms);
  [result, ms] = await time(() =>
    runRound(
      store,
      { number: 399, name: "No Program Specified", kind: "general", invitations: 5000, at: ROUND_AT },
      { book },
    ),
  );
  line(
    `general round, end to end: ${result.eligible.toLocaleString("en-CA")} eligible, cut-off ${result.cutoffCrs}`,
    ms,
  );

  [refreshed, ms] = await time(() =>
    refreshEvaluations(store, moment(NEXT_DAY_AT).date, book, { evaluatorFor }),
  );
  line(
    `refresh for the next day: ${refreshed.toLocaleString("en-CA")} re-evaluated (${((100 * refreshed) / imported).toFixed(2)}%)`,
    ms,
  );
  [result, ms] = await time(() => runRound(store, category(400, NEXT_DAY_AT), { book }));
  line(`category round on the next day, end to end: cut-off ${result.cutoffCrs}`, ms);
  [refreshed, ms] = await time(() => refreshEvaluations(store, YEAR_LATER, book, { evaluatorFor }));
  line(
    `refresh for a year later: ${refreshed.toLocaleString("en-CA")} re-evaluated (${((100 * refreshed) / imported).toFixed(2)}%)`,
    ms,
  );
  const [count, countMs] = await time(() => store.countProfiles());
  line(`count of the profiles (what /api/health reports): ${count.toLocaleString("en-CA")}`, countMs);
  const heap = process.memoryUsage();
  console.log(
    `memory at the end: RSS ${Math.round(heap.rss / 2 ** 20)} MiB, heap used ${Math.round(heap.heapUsed / 2 ** 20)} MiB; peak RSS ${peakMiB()} MiB; load ${load()}`,
  );
} finally {
  await store.close();
}
