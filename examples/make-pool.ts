/**
 * Writes examples/pool.jsonl: 300 candidate profiles in the import format (docs/data-formats.md), the
 * same every run (seeded PRNG), for the README's pool session. Varied ages, education, marital status,
 * IELTS, CELPIP and TEF results valid on 2026-02-19, NOC 2021 work in Canada and abroad (physicians in
 * Canada for round #397, nurses, trades, STEM, others) and submission times in the 12 months before
 * 2026-02-19.
 *
 *   npm run examples:pool      # node dist/examples/make-pool.js examples/pool.jsonl
 */
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { randomTools } from "../bench/prng.js";

export const POOL_SIZE = 300;
const SEED = 397;

/**
 * Occupations by group: the share of candidates whose main occupation is in the group, the share of
 * those working in Canada, and the education levels usual for it.
 */
const OCCUPATIONS = [
  // Physicians in Canada: the "Physicians with Canadian Work Experience" category (round #397).
  { share: 0.04, nocs: ["31100", "31101", "31102"], inCanada: 1, levels: ["masters", "doctoral"] },
  {
    share: 0.14,
    nocs: ["31301", "32101", "33102"],
    inCanada: 0.6,
    levels: ["two-year", "bachelors", "masters"],
  },
  { share: 0.05, nocs: ["31120", "31112", "32102"], inCanada: 0.5, levels: ["bachelors", "masters"] },
  // Trades (the trades category; FST with a certificate of qualification).
  {
    share: 0.17,
    nocs: ["72410", "72200", "72310", "72106", "72400", "72020"],
    inCanada: 0.5,
    levels: ["secondary", "one-year", "two-year", "two-year"],
    trade: true,
  },
  {
    share: 0.24,
    nocs: ["21231", "21232", "21211", "21300", "21301", "21222"],
    inCanada: 0.45,
    levels: ["bachelors", "two-or-more", "masters", "masters", "doctoral"],
  },
  {
    share: 0.36,
    nocs: ["11100", "12200", "13110", "41200", "42202", "62200", "63200", "73300", "00012", "22300"],
    inCanada: 0.4,
    levels: ["secondary", "one-year", "two-year", "bachelors", "bachelors", "two-or-more", "masters"],
  },
] as const;

const ABROAD = ["IN", "PH", "NG", "CN", "BR", "FR", "GB", "MX", "PK", "IR", "VN", "MA"];
const SPOUSE_LEVELS = ["secondary", "two-year", "bachelors", "masters"] as const;

/** The profiles as JSON lines, one per candidate. */
export function makePool(size = POOL_SIZE): string {
  const { rnd, int, pick, pad } = randomTools(SEED);
  /** A calendar date between two dates (inclusive), from day numbers: any day, leap years included. */
  const DAY = 86_400_000;
  const between = (from: string, to: string) => {
    const a = Date.parse(`${from}T00:00:00Z`) / DAY;
    const b = Date.parse(`${to}T00:00:00Z`) / DAY;
    return new Date(int(a, b) * DAY).toISOString().slice(0, 10);
  };
  const chance = (p: number) => rnd() < p;
  const groupOf = () => {
    let x = rnd();
    for (const o of OCCUPATIONS) if ((x -= o.share) < 0) return o;
    return OCCUPATIONS[OCCUPATIONS.length - 1] as (typeof OCCUPATIONS)[number];
  };
  // Mostly CLB 7 or more (a program's minimum for most candidates), a few below; `from` raises the floor
  // (in half IELTS bands and CELPIP levels) for candidates abroad, who need FSW's 67 points.
  const englishTest = (date: string, from = 0) => {
    const low = chance(0.1) ? 1 : 0;
    const ielts = () => int(12 + from - low, 18) / 2;
    const celpip = () => int(7 + from - low, 12);
    return chance(0.6)
      ? { test: "IELTS", date, speaking: ielts(), listening: ielts(), reading: ielts(), writing: ielts() }
      : {
          test: "CELPIP",
          date,
          speaking: celpip(),
          listening: celpip(),
          reading: celpip(),
          writing: celpip(),
        };
  };
  // TEF Canada on the scale of tests from 2023-12-11 (0–699).
  const frenchTest = (date: string) => ({
    test: "TEF",
    date,
    speaking: int(380, 699),
    listening: int(380, 699),
    reading: int(380, 699),
    writing: int(380, 699),
  });
  // Valid on 2026-02-19: taken after 2024-02-19 (results last two years) and before the round.
  const testDate = () => between("2024-03-01", "2026-01-31");

  const lines: string[] = [];
  for (let i = 1; i <= size; i++) {
    const occupation = groupOf();
    const noc = pick(occupation.nocs);
    const inCanada = chance(occupation.inCanada);
    const age = int(22, 45);
    const dateOfBirth = between(`${2026 - age - 1}-02-20`, `${2026 - age}-02-19`);
    const maritalStatus = chance(0.55) ? "single" : chance(0.8) ? "married" : "common-law";
    const partnered = maritalStatus !== "single";
    const level = pick(occupation.levels);
    const studiedInCanada = inCanada && level !== "secondary" && chance(0.35);

    // Work: the main occupation (the last job, ongoing or recently ended), sometimes an earlier job abroad.
    const canadaFrom = between("2019-01-01", "2024-06-30");
    const work: Record<string, unknown>[] = [];
    if (chance(0.6)) {
      const start = between("2012-01-01", "2018-06-30");
      work.push({ noc, country: pick(ABROAD), start, end: between(start, "2018-12-31"), hoursPerWeek: 40 });
    }
    work.push({
      noc,
      country: inCanada ? "CA" : pick(ABROAD),
      start: inCanada ? canadaFrom : between("2015-01-01", "2022-12-31"),
      end: chance(0.8) ? null : between("2025-06-01", "2026-01-31"),
      hoursPerWeek: pick([40, 40, 40, 37.5, 35, 30]),
    });

    const french = chance(0.18);
    const frenchOnly = french && chance(0.25);
    const languageTests = frenchOnly
      ? [frenchTest(testDate())]
      : [englishTest(testDate(), inCanada ? 0 : 1), ...(french ? [frenchTest(testDate())] : [])];

    const children = partnered ? int(0, 3) : chance(0.1) ? 1 : 0;
    const profile = {
      id: `pool-${String(i).padStart(3, "0")}`,
      // In the 12 months before 2026-02-19, at a random second of the day.
      submittedAt: `${between("2025-02-20", "2026-02-18")}T${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}Z`,
      dateOfBirth,
      maritalStatus,
      spouse: partnered
        ? {
            canadianCitizenOrPR: chance(0.1),
            accompanying: chance(0.85),
            education: pick(SPOUSE_LEVELS),
            languageTests: chance(0.5) ? [englishTest(testDate())] : [],
            workHistory: [],
          }
        : null,
      education: studiedInCanada
        ? {
            level,
            obtainedIn: "canada",
            canadianCredential: ["one-year", "two-year"].includes(level)
              ? "one-or-two-year"
              : "three-year-or-more",
            canadianStudyYears: int(1, 3),
          }
        : { level, obtainedIn: "abroad", ecaDate: between("2022-03-01", "2025-12-31") },
      languageTests,
      workHistory: work,
      certificateOfQualification:
        "trade" in occupation && inCanada && chance(0.3) ? { noc, issuedBy: "Ontario" } : null,
      provincialNomination: chance(0.03),
      relativesInCanada: { sibling: chance(0.08), otherRelative: false },
      // Proof of funds: enough for the family for most (about $15,300 for one, $28,400 for four in 2025).
      settlementFunds:
        (chance(0.9) ? 16 + 5 * ((partnered ? 1 : 0) + children) + int(0, 30) : int(2, 12)) * 1000,
      familySize: 1 + (partnered ? 1 : 0) + children,
      authorizedToWorkInCanada: inCanada,
    };
    lines.push(`${JSON.stringify(profile)}\n`);
  }
  return lines.join("");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = process.argv[2] ?? "examples/pool.jsonl";
  writeFileSync(out, makePool());
  process.stdout.write(`wrote ${POOL_SIZE} profiles to ${out}\n`);
}
