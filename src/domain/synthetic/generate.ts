/**
 * A seeded generator of candidate profiles (the import format, docs/data-formats.md) for the pool as
 * IRCC published it on a distribution date. Every profile's CRS is computed by the engine
 * (evaluateForRound), never written: the generator draws a ten-point slice of a band whose quota is
 * not yet full, the candidate's groups by the shares the rounds reveal at that score (groups.ts), and
 * then personal factors from a latent "strength" u in [0, 1], keeping the candidate only when the
 * engine puts it in that slice and in those groups. The u values that landed in each slice are
 * remembered, so later draws aim well (a few evaluations a profile). Deterministic for a seed.
 */
import { CATEGORIES, type CategoryId } from "../../rules/schema.js";
import { addMonthsToDay, addYearsToDay, dayOf, type Day, isoOf } from "../../calendar/days.js";
import type { RuleBook } from "../../rules/rule-book.js";
import type { CategoryVersion, LanguageTestCode } from "../../rules/schema.js";
import { EDUCATION_LEVELS } from "../../rules/schema.js";
import type { PublishedDistribution } from "../history/round-record.js";
import type { Profile } from "../profile/profile.js";
import { evaluateForRound, type RoundEvaluation } from "../rounds/round.js";
import { OTHER_NOCS, PERSONAL, type SyntheticGroup } from "./assumptions.js";
import type { ShareModel } from "./groups.js";
import { prng } from "./prng.js";
import { apportion, MAX_CRS, NOMINATION_POINTS, subBands, targetHistogram } from "./target.js";

export interface GenerateSpec {
  distribution: PublishedDistribution;
  size: number;
  seed: number;
  shares: ShareModel;
  book: RuleBook;
  /** Ids are `${idPrefix}${n}` (n from 1, seven digits); default `syn${seed}-`. */
  idPrefix?: string;
}

export interface GeneratedProfile {
  /** The profile in the import format, with its id and submittedAt. */
  profile: Profile & { id: string; submittedAt: string };
  evaluation: RoundEvaluation;
  /** The published band (dd key) the engine's CRS puts it in. */
  band: string;
}

/** Counters for profiling the generator (evaluations, and why candidates were not kept). */
export const STATS = { evaluations: 0, outOfPool: 0, missed: 0, inconsistent: 0 };

export class GenerationError extends Error {}

/** The categories defined by occupation: every category but French. */
type OccupationGroup = Exclude<CategoryId, "french-language">;
const OCCUPATION_GROUPS = CATEGORIES.filter((c): c is OccupationGroup => c !== "french-language");
type Occupation = OccupationGroup | "other";

interface Attributes {
  pnp: boolean;
  cec: boolean;
  french: boolean;
  occupation: Occupation;
}

/** Attempts at one set of groups before drawing the groups again, and at one slice before giving it up. */
const TRIES_PER_GROUPS = 40;
const TRIES_PER_SLICE = 600;
const MEMORY = 24;

export function* generatePool(spec: GenerateSpec): Generator<GeneratedProfile> {
  const { book, distribution, shares } = spec;
  const asOf = distribution.asOf;
  const today = dayOf(asOf);
  const rnd = prng(spec.seed);
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
  const chance = (p: number) => rnd() < p;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
  const pad = (v: number) => String(v).padStart(2, "0");
  const prefix = spec.idPrefix ?? `syn${spec.seed}-`;

  // Quotas: exact counts per published band, then per ten-point slice by the target's shape.
  const h = targetHistogram(distribution.bands, book.poolBands);
  const slices = subBands(h, book.poolBands);
  const bandKeys = [...new Set(slices.map((s) => s.band))];
  const bandWeight = bandKeys.map((k) =>
    slices.filter((s) => s.band === k).reduce((a, s) => a + s.weight, 0),
  );
  const bandQuota = apportion(spec.size, bandWeight);
  const quota = new Array<number>(slices.length).fill(0);
  bandKeys.forEach((k, bi) => {
    const idx = slices.flatMap((s, i) => (s.band === k ? [i] : []));
    apportion(
      bandQuota[bi] ?? 0,
      idx.map((i) => slices[i]?.weight ?? 0),
    ).forEach((q, j) => {
      quota[idx[j] as number] = q;
    });
  });
  const sliceOf = new Int16Array(MAX_CRS + 1).fill(-1);
  slices.forEach((s, i) => sliceOf.fill(i, s.from, s.to + 1));

  // The rules in force on the date: category versions by group, the French one, NOCs by group.
  const versions = book.categoriesFor(asOf);
  const versionOf = (g: string): CategoryVersion | undefined => versions.find((v) => v.category === g);
  const skilled = (noc: string) => (book.noc(noc)?.teer ?? 9) <= 3;
  const categoryNocs = new Set(
    versions.flatMap((v) => (v.requirement.kind === "occupation" ? v.requirement.nocs : [])),
  );
  const physicianNocs = new Set(
    versions.flatMap((v) =>
      v.category === "physicians" && v.requirement.kind === "occupation" ? v.requirement.nocs : [],
    ),
  );
  const nocsOf = new Map<Occupation, string[]>();
  for (const g of OCCUPATION_GROUPS) {
    const v = versionOf(g);
    if (v?.requirement.kind !== "occupation") continue;
    const nocs = v.requirement.nocs.filter(
      (n) => skilled(n) && (g !== "healthcare" || !physicianNocs.has(n)),
    );
    if (nocs.length > 0) nocsOf.set(g, nocs);
  }
  nocsOf.set(
    "other",
    OTHER_NOCS.filter((n) => skilled(n) && !categoryNocs.has(n)),
  );
  const inCanadaGroup = (g: Occupation) => {
    const v = g === "other" ? undefined : versionOf(g);
    return v?.requirement.kind === "occupation" && v.requirement.inCanada;
  };
  const frenchVersion = versions.find((v) => v.requirement.kind === "french-language");

  const drawAttributes = (slice: number): Attributes => {
    const s = slices[slice] as (typeof slices)[number];
    const pnp = s.from > NOMINATION_POINTS;
    const x = Math.round((s.from + s.to) / 2);
    const at = (g: SyntheticGroup) => shares(g, x);
    const weights = OCCUPATION_GROUPS.map((g) =>
      nocsOf.has(g) ? Math.max(0, g === "healthcare" ? at(g) - at("physicians") : at(g)) : 0,
    );
    const sum = weights.reduce((a, w) => a + w, 0);
    const scale = sum > 0.95 ? 0.95 / sum : 1;
    let r = rnd();
    let occupation: Occupation = "other";
    for (let i = 0; i < weights.length; i++)
      if ((r -= (weights[i] ?? 0) * scale) < 0) {
        occupation = OCCUPATION_GROUPS[i] as Occupation;
        break;
      }
    const cec = inCanadaGroup(occupation) || chance(at("CEC"));
    return { pnp, cec, french: frenchVersion !== undefined && chance(at("french-language")), occupation };
  };

  // Language results from the charts in force on the test date: the lowest raw scores of each level.
  const chartRow = (test: LanguageTestCode, date: string, level: number) => {
    const charts = book
      .languageTest(test)
      .charts.filter((c) => c.testDateFrom === null || c.testDateFrom <= date)
      .sort((a, b) => (a.testDateFrom ?? "").localeCompare(b.testDateFrom ?? ""));
    const rows = (charts.at(-1) ?? book.languageTest(test).charts[0])?.minimumScores ?? [];
    return rows.reduce((best, row) => (Math.abs(row.clb - level) < Math.abs(best.clb - level) ? row : best));
  };
  const test = (code: LanguageTestCode, date: string, levels: readonly number[]) => {
    const [speaking, listening, reading, writing] = levels.map((l, i) => {
      const row = chartRow(code, date, l);
      return [row.speaking, row.listening, row.reading, row.writing][i] as number;
    }) as [number, number, number, number];
    return { test: code, date, speaking, listening, reading, writing };
  };
  const levelsAround = (mean: number, lo: number, hi: number) =>
    [0, 1, 2, 3].map(() => clamp(Math.round(mean + (rnd() - 0.5) * 1.6), lo, hi));
  const testDate = () => isoOf(today - int(20, 650));
  const englishCode = (): LanguageTestCode => {
    const r = rnd();
    return r < PERSONAL.ielts ? "IELTS" : r < PERSONAL.ielts + PERSONAL.celpip ? "CELPIP" : "PTE_CORE";
  };
  const yearsAgo = (years: number, jitter: number): Day => addYearsToDay(today, -years) - int(0, jitter);

  const build = (a: Attributes, u: number): Profile => {
    const age = clamp(Math.round(46 - 24 * u + (rnd() - 0.5) * 8), 19, 58);
    const dateOfBirth = isoOf(addYearsToDay(today, -age) - int(1, 360));
    const level = EDUCATION_LEVELS[clamp(Math.round(1 + 5.6 * u + (rnd() - 0.5) * 3), 1, 7)] as string;
    const noc = pick(nocsOf.get(a.occupation) ?? nocsOf.get("other") ?? ["13110"]);
    const teer = book.noc(noc)?.teer ?? 3;
    const minClb = a.cec ? (teer <= 1 ? 7 : 5) : 7;
    const english = levelsAround(6.5 + 4 * u, minClb, 10);
    const languageTests: Profile["languageTests"] = [];
    const frenchLevels = a.french
      ? levelsAround(7.5 + 2.5 * u, 7, 10)
      : chance(PERSONAL.someFrench)
        ? levelsAround(5, 4, 6)
        : null;
    if (!a.french || chance(PERSONAL.frenchAlsoEnglish))
      languageTests.push(test(englishCode(), testDate(), english));
    if (frenchLevels) languageTests.push(test(chance(0.7) ? "TEF" : "TCF", testDate(), frenchLevels));

    const work: Profile["workHistory"] = [];
    const job = (country: string, start: Day, end: Day | null) => ({
      noc,
      country,
      start: isoOf(start),
      end: end === null ? null : isoOf(end),
      hoursPerWeek: chance(0.85) ? 40 : 37.5,
      paid: true,
      selfEmployed: false,
      fullTimeStudent: false,
      authorized: true,
    });
    const abroad = pick(PERSONAL.abroad);
    if (a.cec) {
      const years = clamp(1 + Math.floor(3 * u + rnd() * 2), 1, 5);
      const start = yearsAgo(years, 200) - 20;
      if (chance(0.5)) {
        // The same draws as ever; an earlier job that would end before it began starts 180 days before its end.
        const begin = yearsAgo(years + int(1, 5), 100) - 30;
        const end = start - int(30, 200);
        work.push(job(abroad, Math.min(begin, end - 180), end));
      }
      work.push(job("CA", start, null));
    } else {
      const years = clamp(1 + Math.floor(3 * u + rnd() * 4), 1, 9);
      work.push(job(abroad, yearsAgo(years, 200) - 20, null));
    }

    const partnered = chance(PERSONAL.partnered);
    const children = partnered ? int(0, 2) : 0;
    const studiedHere = a.cec && level !== "secondary" && chance(PERSONAL.canadianStudy);
    const credential =
      level === "secondary"
        ? "secondary-or-less"
        : level === "one-year" || level === "two-year"
          ? "one-or-two-year"
          : "three-year-or-more";
    const spouseEnglish = chance(PERSONAL.spouseHasTest)
      ? [test(englishCode(), testDate(), levelsAround(4 + 5 * rnd(), 4, 10))]
      : [];
    return {
      dateOfBirth,
      maritalStatus: partnered ? (chance(0.8) ? "married" : "common-law") : "single",
      spouse: partnered
        ? {
            canadianCitizenOrPR: false,
            accompanying: chance(PERSONAL.spouseAccompanying),
            education: EDUCATION_LEVELS[int(1, 7)] as Profile["education"]["level"],
            canadianStudyYears: 0,
            languageTests: spouseEnglish,
            workHistory: [],
          }
        : null,
      education: studiedHere
        ? {
            level: level as Profile["education"]["level"],
            obtainedIn: "canada",
            ecaDate: null,
            canadianCredential: credential,
            canadianStudyYears: int(1, 3),
          }
        : {
            level: level as Profile["education"]["level"],
            obtainedIn: "abroad",
            ecaDate: isoOf(today - int(60, 1500)),
            canadianCredential: null,
            canadianStudyYears: 0,
          },
      languageTests,
      workHistory: work,
      certificateOfQualification: null,
      jobOffer: null,
      provincialNomination: a.pnp,
      relativesInCanada: { sibling: chance(PERSONAL.sibling), otherRelative: false },
      settlementFunds: (16 + 5 * ((partnered ? 1 : 0) + children) + int(0, 25)) * 1000,
      familySize: 1 + (partnered ? 1 : 0) + children,
      authorizedToWorkInCanada: a.cec,
    } as Profile;
  };

  const consistent = (a: Attributes, e: RoundEvaluation) => {
    if (a.cec !== e.programs.includes("CEC")) return false;
    if (frenchVersion && a.french !== e.categories.includes(frenchVersion.id)) return false;
    if (a.occupation !== "other") {
      const v = versionOf(a.occupation);
      if (v && !e.categories.includes(v.id)) return false;
    }
    return true;
  };

  // Where each combination of score-moving groups landed, by slice: the u values that got there.
  const memory = new Map<string, number[]>();
  const keyOf = (a: Attributes) => `${a.pnp ? 1 : 0}${a.cec ? 1 : 0}${a.french ? 1 : 0}`;
  const remember = (key: string, slice: number, u: number) => {
    const k = `${key}|${slice}`;
    const list = memory.get(k) ?? [];
    if (list.length >= MEMORY) list[int(0, MEMORY - 1)] = u;
    else list.push(u);
    memory.set(k, list);
  };
  const aim = (key: string, slice: number) => {
    const list = memory.get(`${key}|${slice}`);
    if (!list || list.length === 0 || chance(0.15)) return rnd();
    return clamp(pick(list) + (rnd() - 0.5) * 0.06, 0, 1);
  };

  const unreachable = new Set<number>();
  const submittedFrom = addMonthsToDay(today, -12) + 1;
  let remaining = spec.size;
  for (let n = 1; n <= spec.size; n++) {
    let r = Math.floor(rnd() * remaining);
    let slice = 0;
    while (slice < quota.length - 1 && r >= (quota[slice] ?? 0)) r -= quota[slice++] ?? 0;
    let found: { profile: Profile; evaluation: RoundEvaluation } | null = null;
    for (let tries = 0; !found;) {
      const a = drawAttributes(slice);
      const key = keyOf(a);
      for (let t = 0; t < TRIES_PER_GROUPS && !found; t++, tries++) {
        const u = aim(key, slice);
        const profile = build(a, u);
        const evaluation = evaluateForRound(profile, asOf, book);
        STATS.evaluations++;
        if (evaluation.crs === null || !evaluation.inPool) {
          STATS.outOfPool++;
          continue;
        }
        const landed = sliceOf[evaluation.crs] ?? -1;
        if (landed >= 0) remember(key, landed, u);
        if (landed !== slice) STATS.missed++;
        else if (!consistent(a, evaluation)) STATS.inconsistent++;
        else found = { profile, evaluation };
      }
      if (!found && tries >= TRIES_PER_SLICE) {
        // The slice is out of reach of the generator's candidates: its quota moves to the nearest
        // slice of the same published band, so the band's count stays exact.
        const band = slices[slice]?.band;
        unreachable.add(slice);
        const open = slices.flatMap((c, i) => (c.band === band && !unreachable.has(i) ? [i] : []));
        if (open.length === 0)
          throw new GenerationError(
            `no generated candidate reaches band ${slices[slice]?.from}–${slices[slice]?.to} on ${asOf}`,
          );
        const next = open.reduce((best, i) => (Math.abs(i - slice) < Math.abs(best - slice) ? i : best));
        quota[next] = (quota[next] ?? 0) + (quota[slice] ?? 0);
        quota[slice] = 0;
        slice = next;
        tries = 0;
      }
    }
    quota[slice] = (quota[slice] ?? 0) - 1;
    remaining--;
    const day = int(submittedFrom, today - 1);
    const submittedAt = `${isoOf(day)}T${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}Z`;
    yield {
      profile: { id: `${prefix}${String(n).padStart(7, "0")}`, submittedAt, ...found.profile },
      evaluation: found.evaluation,
      band: slices[slice]?.band ?? "",
    };
  }
}
