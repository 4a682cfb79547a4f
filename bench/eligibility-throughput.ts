/**
 * Evaluation throughput, one thread, over generated profiles:
 * - the evaluation a round needs (CRS total, program and category verdicts, pool membership and
 *   validUntil; no explanation text) of stored profiles: from the stored JSON text, without validation;
 * - the full report with explanations and lapse dates (`ee eligibility`);
 * - profile validation (zod + rule checks), which imports pay once.
 * Prints figures; not a test.
 *
 *   npm run bench:eligibility                 # 200,000 profiles
 *   BENCH_N=1000000 npm run bench:eligibility
 */
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { dayOf } from "../src/calendar/days.js";
import { evaluateProfile, validateProfile } from "../src/domain/eligibility/report.js";
import { timelineOf } from "../src/domain/evaluation/timeline.js";
import type { Profile } from "../src/domain/profile/profile.js";
import { roundEvaluationOn } from "../src/domain/rounds/round.js";
import { defaultRuleBook } from "../src/rules/index.js";
import { generateProfiles } from "./profiles.js";

const N = Number(process.env.BENCH_N ?? 200_000);
const AS_OF = "2026-11-21";

const book = defaultRuleBook();
console.log(
  `Evaluation throughput — node ${process.version}, 1 thread, as of ${AS_OF}, ${N.toLocaleString("en-CA")} generated profiles, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
const rate = (label: string, count: number, ms: number) =>
  console.log(
    `${label.padEnd(66)} ${count.toLocaleString("en-CA").padStart(10)} in ${ms.toFixed(0).padStart(6)} ms → ${Math.round(
      (count / ms) * 1000,
    )
      .toLocaleString("en-CA")
      .padStart(9)} /s`,
  );

let t = performance.now();
const inputs = generateProfiles(N, { seed: 7, asOf: AS_OF });
rate("generate profiles", N, performance.now() - t);

t = performance.now();
const profiles: Profile[] = [];
for (const input of inputs) {
  const v = validateProfile(input, book);
  if (v.status === "ok") profiles.push(v.profile);
}
rate("validate profiles (zod + NOC codes + test scales)", N, performance.now() - t);

const stored = profiles.map((p) => JSON.stringify(p));
const day = dayOf(AS_OF);
let inPool = 0;
let withEnd = 0;
t = performance.now();
for (const text of stored) {
  const e = roundEvaluationOn(timelineOf(JSON.parse(text) as Profile, book), day);
  if (e.inPool) inPool++;
  if (e.validUntil !== null) withEnd++;
}
rate(
  "round evaluation of stored profiles (parse + verdicts + validUntil)",
  stored.length,
  performance.now() - t,
);

const sample = profiles.slice(0, Math.min(profiles.length, Number(process.env.BENCH_REPORTS ?? 100_000)));
let eligiblePrograms = 0;
let eligibleCategories = 0;
t = performance.now();
for (const p of sample) {
  const r = evaluateProfile(p, AS_OF, book);
  eligiblePrograms += r.programs.filter((x) => x.eligible).length;
  eligibleCategories += r.categories.filter((x) => x.eligible).length;
}
rate("full report (explained CRS, programs, categories, lapse dates)", sample.length, performance.now() - t);
console.log(
  `valid ${profiles.length.toLocaleString("en-CA")}; in the pool ${inPool.toLocaleString("en-CA")}; with a foreseen end ${withEnd.toLocaleString("en-CA")}; in the report sample: program eligibilities ${eligiblePrograms.toLocaleString("en-CA")}, category eligibilities ${eligibleCategories.toLocaleString("en-CA")}`,
);
