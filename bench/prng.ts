import { EDUCATION_LEVELS } from "../src/rules/schema.js";

import { prng } from "../src/domain/synthetic/prng.js";

/** One definition of the PRNG, shared with the synthetic pools (src/domain/synthetic). */
export { prng };

/** Helpers over one seeded stream: integers, picks and calendar dates (days 1–28, always valid). */
export function randomTools(seed: number) {
  const rnd = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  const pad = (v: number) => String(v).padStart(2, "0");
  const date = (fromYear: number, toYear: number) =>
    `${int(fromYear, toYear)}-${pad(int(1, 12))}-${pad(int(1, 28))}`;
  return { rnd, int, pick, pad, date };
}

/** A mix of occupations across categories and programs (physicians, nurses, engineers, trades, …). */
export const BENCH_NOCS = [
  "31102",
  "31301",
  "21231",
  "72410",
  "00012",
  "63200",
  "41200",
  "22300",
  "13110",
  "42202",
  "64100",
];
/** Every education level but "none": generated candidates have at least secondary school. */
export const BENCH_EDUCATION = EDUCATION_LEVELS.filter((level) => level !== "none");
