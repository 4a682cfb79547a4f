/**
 * CRS throughput on generated questionnaires (single thread = one core). Prints figures; not a test.
 *
 *   npm run bench            # 1,000,000 questionnaires
 *   BENCH_N=200000 npm run bench
 */
import { performance } from "node:perf_hooks";
import type { CrsFacts } from "../src/domain/crs/facts.js";
import { questionnaireToFacts } from "../src/domain/crs/facts.js";
import { compileCrs, crsPoints } from "../src/domain/crs/points.js";
import { questionnaireSchema } from "../src/domain/crs/questionnaire.js";
import { scoreQuestionnaire } from "../src/domain/crs/score.js";
import { defaultRuleBook, EDUCATION_LEVELS } from "../src/rules/index.js";
import { prng } from "./prng.js";

const N = Number(process.env.BENCH_N ?? 1_000_000);
const AS_OF = "2026-11-21";
const EDUCATION = EDUCATION_LEVELS;
const MARITAL = ["single", "married", "common-law", "divorced"] as const;

function generate(n: number) {
  const rnd = prng(42);
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  const ielts = () => ({
    test: "IELTS",
    date: "2026-03-01",
    speaking: int(8, 18) / 2,
    listening: int(8, 18) / 2,
    reading: int(8, 18) / 2,
    writing: int(8, 18) / 2,
  });
  const tef = () => ({
    test: "TEF",
    date: "2025-12-01",
    speaking: int(200, 699),
    listening: int(200, 699),
    reading: int(200, 699),
    writing: int(200, 699),
  });
  const out: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const maritalStatus = pick(MARITAL);
    const partnered = maritalStatus === "married" || maritalStatus === "common-law";
    out[i] = {
      asOf: AS_OF,
      maritalStatus,
      spouse: partnered
        ? {
            canadianCitizenOrPR: rnd() < 0.1,
            accompanying: rnd() < 0.9,
            education: pick(EDUCATION),
            canadianWorkYears: int(0, 5),
            language: rnd() < 0.6 ? ielts() : null,
          }
        : null,
      age: int(18, 50),
      education: pick(EDUCATION),
      canadianEducation: null,
      firstLanguage: ielts(),
      secondLanguage: rnd() < 0.3 ? tef() : null,
      canadianWorkYears: int(0, 6),
      foreignWorkYears: int(0, 6),
      certificateOfQualification: rnd() < 0.05,
      jobOffer: null,
      provincialNomination: rnd() < 0.05,
      siblingInCanada: rnd() < 0.1,
    };
  }
  return out;
}

function rate(label: string, count: number, ms: number) {
  const perSecond = Math.round((count / ms) * 1000);
  console.log(
    `${label.padEnd(58)} ${count.toLocaleString("en-CA").padStart(10)} in ${ms.toFixed(0).padStart(6)} ms  → ${perSecond.toLocaleString("en-CA").padStart(11)} /s`,
  );
}

const book = defaultRuleBook();
const ruleSet = book.crsRuleSetFor(AS_OF);
if (!ruleSet) throw new Error("no rule set");
const compiled = compileCrs(ruleSet);

console.log(
  `CRS throughput — node ${process.version}, 1 thread, rule set ${ruleSet.id}, ${N.toLocaleString("en-CA")} generated questionnaires`,
);
let t = performance.now();
const questionnaires = generate(N);
rate("generate questionnaires", N, performance.now() - t);

// 1. Validation + language conversion + age: questionnaire → facts.
t = performance.now();
const facts: CrsFacts[] = new Array(N);
for (let i = 0; i < N; i++) {
  const parsed = questionnaireSchema.parse(questionnaires[i]);
  const outcome = questionnaireToFacts(parsed, AS_OF, book);
  if (outcome.status !== "ok") throw new Error(`generated questionnaire ${i} not scorable`);
  facts[i] = outcome.facts;
}
rate("validate + convert tests (questionnaire → facts)", N, performance.now() - t);

// 2. The core figure: totals with section subtotals from facts (warm-up pass first).
let checksum = 0;
for (let i = 0; i < Math.min(N, 100_000); i++) checksum += crsPoints(facts[i] as CrsFacts, compiled).total;
checksum = 0;
t = performance.now();
for (let i = 0; i < N; i++) {
  const p = crsPoints(facts[i] as CrsFacts, compiled);
  checksum += p.total + p.core + p.spouse + p.transferability + p.additional;
}
rate("totals with subtotals (facts → points)", N, performance.now() - t);

// 3. The full explained result (tree of lines with rule references) for a sample.
const sample = Math.min(N, 100_000);
t = performance.now();
for (let i = 0; i < sample; i++) {
  const r = scoreQuestionnaire(questionnaires[i], { book, today: () => AS_OF });
  if (r.status === "scored") checksum += r.total;
}
rate("full explained score (questionnaire → tree)", sample, performance.now() - t);
console.log(`checksum ${checksum}`);
