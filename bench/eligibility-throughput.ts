/**
 * Eligibility throughput: programs (FSW grid, CEC, FST), every category in force, lapse dates and the
 * CRS score for generated profiles, one thread. Prints figures; not a test.
 *
 *   npm run bench:eligibility                 # 1,000,000 profiles
 *   BENCH_N=100000 npm run bench:eligibility
 */
import { performance } from "node:perf_hooks";
import { evaluateProfile, validateProfile } from "../src/domain/eligibility/report.js";
import type { Profile } from "../src/domain/profile/profile.js";
import { defaultRuleBook } from "../src/rules/index.js";
import { BENCH_EDUCATION, BENCH_NOCS, randomTools } from "./prng.js";

const N = Number(process.env.BENCH_N ?? 1_000_000);
const AS_OF = "2026-11-21";
const NOCS = BENCH_NOCS;
const EDUCATION = BENCH_EDUCATION;

function generate(n: number): unknown[] {
  const { rnd, int, pick, date } = randomTools(7);
  const out: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const jobs = Array.from({ length: int(1, 3) }, () => {
      const start = date(2014, 2025);
      const end = rnd() < 0.3 ? null : date(Number(start.slice(0, 4)), 2026);
      return {
        noc: pick(NOCS),
        country: rnd() < 0.5 ? "CA" : "IN",
        start,
        end: end !== null && end < start ? start : end,
        hoursPerWeek: pick([20, 30, 37.5, 40]),
      };
    });
    const french = rnd() < 0.2;
    out[i] = {
      id: `p${i}`,
      dateOfBirth: date(1975, 2003),
      maritalStatus: rnd() < 0.5 ? "single" : "married",
      spouse: { canadianCitizenOrPR: false, accompanying: true, education: pick(EDUCATION) },
      education: { level: pick(EDUCATION), obtainedIn: "abroad", ecaDate: date(2022, 2026) },
      languageTests: [
        {
          test: "IELTS",
          date: date(2025, 2026),
          speaking: int(10, 18) / 2,
          listening: int(10, 18) / 2,
          reading: int(10, 18) / 2,
          writing: int(10, 18) / 2,
        },
        ...(french
          ? [
              {
                test: "TEF",
                date: date(2025, 2026),
                speaking: int(300, 699),
                listening: int(300, 699),
                reading: int(300, 699),
                writing: int(300, 699),
              },
            ]
          : []),
      ],
      workHistory: jobs,
      settlementFunds: int(0, 40_000),
      familySize: int(1, 4),
    };
  }
  // Test dates after AS_OF would make profiles invalid for the date; keep them on or before it.
  for (const p of out as { languageTests: { date: string }[] }[])
    for (const t of p.languageTests) if (t.date > AS_OF) t.date = AS_OF;
  return out;
}

const book = defaultRuleBook();
console.log(
  `Eligibility throughput — node ${process.version}, 1 thread, as of ${AS_OF}, ${N.toLocaleString("en-CA")} generated profiles`,
);
const rate = (label: string, count: number, ms: number) =>
  console.log(
    `${label.padEnd(60)} ${count.toLocaleString("en-CA").padStart(10)} in ${ms.toFixed(0).padStart(6)} ms → ${Math.round(
      (count / ms) * 1000,
    )
      .toLocaleString("en-CA")
      .padStart(9)} /s`,
  );

let t = performance.now();
const inputs = generate(N);
rate("generate profiles", N, performance.now() - t);

t = performance.now();
const profiles: Profile[] = [];
for (const input of inputs) {
  const v = validateProfile(input, book);
  if (v.status === "ok" && v.profile.dateOfBirth <= AS_OF) profiles.push(v.profile);
}
rate("validate profiles (zod + NOC codes)", N, performance.now() - t);

t = performance.now();
let eligiblePrograms = 0;
let eligibleCategories = 0;
for (const p of profiles) {
  const r = evaluateProfile(p, AS_OF, book);
  eligiblePrograms += r.programs.filter((x) => x.eligible).length;
  eligibleCategories += r.categories.filter((x) => x.eligible).length;
}
rate("evaluate (CRS + 3 programs + categories + lapse dates)", profiles.length, performance.now() - t);
console.log(
  `valid profiles ${profiles.length.toLocaleString("en-CA")}; program eligibilities ${eligiblePrograms.toLocaleString("en-CA")}; category eligibilities ${eligibleCategories.toLocaleString("en-CA")}`,
);
