/**
 * Pool and round throughput on the embedded SQLite store: import of generated profiles (validation,
 * all-or-nothing insert), the evaluation refresh for a round's date, and a category round over them.
 * Prints figures; not a test.
 *
 *   npm run bench:pool                 # 1,000,000 profiles
 *   BENCH_N=100000 npm run bench:pool
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { moment, refreshEvaluations } from "../src/app/pool-service.js";
import { runRound } from "../src/app/round-service.js";
import { readRawRecords } from "../src/adapters/cli/records.js";
import { workerEvaluator } from "../src/adapters/workers/parallel-evaluate.js";
import { importInParallel } from "../src/adapters/workers/parallel-import.js";
import { openSqliteStore } from "../src/adapters/store/sqlite.js";
import { defaultRuleBook } from "../src/rules/index.js";
import { BENCH_EDUCATION, BENCH_NOCS, randomTools } from "./prng.js";

const N = Number(process.env.BENCH_N ?? 1_000_000);
const ROUND_AT = "2026-02-20T14:00:00Z";
const NOCS = BENCH_NOCS;
const EDUCATION = BENCH_EDUCATION;

function generateJsonLines(n: number): string {
  const { rnd, int, pick, pad, date } = randomTools(11);
  const lines: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const start = date(2016, 2024);
    lines[i] = JSON.stringify({
      id: `p${String(i).padStart(7, "0")}`,
      submittedAt: `2025-${pad(int(3, 12))}-${pad(int(1, 28))}T${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}Z`,
      dateOfBirth: date(1975, 2002),
      maritalStatus: rnd() < 0.5 ? "single" : "married",
      spouse: { canadianCitizenOrPR: false, accompanying: true, education: pick(EDUCATION) },
      education: { level: pick(EDUCATION), obtainedIn: "abroad", ecaDate: date(2022, 2025) },
      languageTests: [
        {
          test: "IELTS",
          date: date(2024, 2025),
          speaking: int(10, 18) / 2,
          listening: int(10, 18) / 2,
          reading: int(10, 18) / 2,
          writing: int(10, 18) / 2,
        },
      ],
      workHistory: [
        {
          noc: pick(NOCS),
          country: rnd() < 0.6 ? "CA" : "IN",
          start,
          end: null,
          hoursPerWeek: pick([30, 37.5, 40]),
        },
      ],
      settlementFunds: int(10_000, 40_000),
    });
  }
  return `${lines.join("\n")}\n`;
}

const rate = (label: string, count: number, ms: number) =>
  console.log(
    `${label.padEnd(58)} ${count.toLocaleString("en-CA").padStart(10)} in ${(ms / 1000).toFixed(2).padStart(7)} s → ${Math.round(
      (count / ms) * 1000,
    )
      .toLocaleString("en-CA")
      .padStart(9)} /s`,
  );

const book = defaultRuleBook();
const dir = mkdtempSync(join(tmpdir(), "ee-bench-"));
const file = join(dir, "profiles.jsonl");
console.log(
  `Pool throughput — node ${process.version}, SQLite file in ${dir}, ${N.toLocaleString("en-CA")} profiles`,
);
let t = performance.now();
writeFileSync(file, generateJsonLines(N));
rate("generate JSON lines file", N, performance.now() - t);

const store = await openSqliteStore(join(dir, "pool.sqlite"));
try {
  t = performance.now();
  const { imported } = await importInParallel(store, readRawRecords(file), {
    now: "2026-01-01T00:00:00Z",
    workers: Number(process.env.BENCH_WORKERS ?? 0) || undefined,
  });
  rate("import (read + validate on workers + insert, all or nothing)", imported, performance.now() - t);

  t = performance.now();
  const evaluator = workerEvaluator();
  const refreshed = await refreshEvaluations(store, moment(ROUND_AT), book, undefined, evaluator).finally(
    () => evaluator.close(),
  );
  rate("evaluation refresh for the round's date, on worker threads", refreshed, performance.now() - t);

  const round = {
    number: 398,
    name: "Healthcare and Social Services Occupations, 2026-Version 3",
    kind: "category",
    invitations: 4000,
    at: ROUND_AT,
  };
  t = performance.now();
  const dry = await runRound(store, round, { book, dryRun: true });
  console.log(
    `dry run ${((performance.now() - t) / 1000).toFixed(2)} s: ${dry.eligible.toLocaleString("en-CA")} eligible, cut-off ${dry.cutoffCrs}`,
  );
  t = performance.now();
  const result = await runRound(store, round, { book });
  console.log(
    `category round end to end (evaluations fresh) ${((performance.now() - t) / 1000).toFixed(2)} s: ${result.invitations} invited of ${result.eligible.toLocaleString("en-CA")} eligible, cut-off ${result.cutoffCrs}, tie-break ${result.tieBreak}`,
  );
  t = performance.now();
  const general = await runRound(
    store,
    { number: 399, name: "No Program Specified", kind: "general", invitations: 5000, at: ROUND_AT },
    { book },
  );
  console.log(
    `general round ${((performance.now() - t) / 1000).toFixed(2)} s: cut-off ${general.cutoffCrs}, pool ${general.eligible.toLocaleString("en-CA")}`,
  );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
