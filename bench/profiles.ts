/** Generated candidate profiles for the benchmarks (import format), from a seeded PRNG: every run the same. */
import { BENCH_EDUCATION, BENCH_NOCS, randomTools } from "./prng.js";

export interface GenerateOptions {
  seed: number;
  /** Test dates are kept on or before this date so the profiles are scorable on it. */
  asOf: string;
  /** Give profiles ids and submission times (the pool bench). */
  pool?: boolean;
  /** Number of the first profile (ids continue across parts of a large file). */
  firstId?: number;
}

/** Profiles with 1–3 jobs in a mix of NOCs in Canada and abroad, IELTS and sometimes TEF, random funds. */
export function generateProfiles(n: number, options: GenerateOptions): Record<string, unknown>[] {
  const { rnd, int, pick, pad, date } = randomTools(options.seed);
  const out: Record<string, unknown>[] = new Array(n);
  const cap = (d: string) => (d > options.asOf ? options.asOf : d);
  for (let i = 0; i < n; i++) {
    const jobs = Array.from({ length: int(1, 3) }, () => {
      const start = date(2014, 2025);
      const end = rnd() < 0.3 ? null : date(Number(start.slice(0, 4)), 2026);
      return {
        noc: pick(BENCH_NOCS),
        country: rnd() < 0.5 ? "CA" : "IN",
        start,
        end: end !== null && end < start ? start : end,
        hoursPerWeek: pick([20, 30, 37.5, 40]),
      };
    });
    const french = rnd() < 0.2;
    out[i] = {
      ...(options.pool
        ? {
            id: `p${String(i + (options.firstId ?? 0)).padStart(7, "0")}`,
            submittedAt: `2025-${pad(int(3, 12))}-${pad(int(1, 28))}T${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}Z`,
          }
        : { id: `p${i}` }),
      dateOfBirth: date(1975, 2003),
      maritalStatus: rnd() < 0.5 ? "single" : "married",
      spouse: { canadianCitizenOrPR: false, accompanying: true, education: pick(BENCH_EDUCATION) },
      education: { level: pick(BENCH_EDUCATION), obtainedIn: "abroad", ecaDate: cap(date(2021, 2026)) },
      languageTests: [
        {
          test: "IELTS",
          date: cap(date(2024, 2026)),
          speaking: int(10, 18) / 2,
          listening: int(10, 18) / 2,
          reading: int(10, 18) / 2,
          writing: int(10, 18) / 2,
        },
        ...(french
          ? [
              {
                test: "TEF",
                date: cap(date(2024, 2026)),
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
  return out;
}
