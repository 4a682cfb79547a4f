/**
 * Rounds of invitations: the instruction (which group, how many, when), the ranking (CRS descending,
 * then profile submission time ascending), and the result as IRCC publishes it.
 */
import { z } from "zod";
import type { RuleBook } from "../../rules/rule-book.js";
import type { PoolBands } from "../../rules/schema.js";
import { isUtcInstant, normalizeInstant, ottawaDate, UTC_INSTANT_FORM } from "../../calendar/instants.js";

export { ottawaDate };
import { type Day, dayOf, isoOf } from "../../calendar/days.js";
import { answersWithValidity } from "../evaluation/evaluate.js";
import { type Timeline, timelineOf } from "../evaluation/timeline.js";
import type { Profile } from "../profile/profile.js";

export const ROUND_PROGRAMS = ["CEC", "FSW", "FST", "PNP"] as const;
export type RoundProgram = (typeof ROUND_PROGRAMS)[number];

/**
 * A UTC instant like 2026-02-19T14:24:23Z (seconds 00–59, an optional fraction), normalized to the
 * fixed-width stored form so strings sort by time. One definition with the CLI's (calendar/instants.ts).
 */
export const utcInstantSchema = z
  .string({
    error: (i) => (i.input === undefined ? "is required" : `must be ${UTC_INSTANT_FORM}`),
  })
  .refine(isUtcInstant, { message: `must be ${UTC_INSTANT_FORM}` })
  .transform(normalizeInstant);

export const roundSchema = z
  .strictObject({
    number: z
      .number({ error: "must be a round number" })
      .int("must be a whole number")
      .positive("must be positive"),
    name: z.string({ error: "is required" }).min(1, "is required"),
    kind: z.enum(["general", "program", "category"], { error: "must be general, program or category" }),
    program: z.enum(ROUND_PROGRAMS, { error: `must be one of ${ROUND_PROGRAMS.join(", ")}` }).optional(),
    /** Category version id (rules/categories/<id>.json); defaults to the version whose round name is `name`. */
    categoryVersion: z.string().optional(),
    invitations: z
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .positive("must be positive"),
    at: utcInstantSchema,
  })
  .superRefine((r, ctx) => {
    if (r.kind === "program" && !r.program)
      ctx.addIssue({ code: "custom", path: ["program"], message: "is required for a program round" });
    if (r.kind !== "program" && r.program)
      ctx.addIssue({
        code: "custom",
        path: ["program"],
        message: `applies only to program rounds, not ${r.kind}`,
      });
  });
export type RoundInput = z.input<typeof roundSchema>;
export type Round = z.infer<typeof roundSchema> & { categoryVersion?: string };

/** What a round needs to know of a candidate on its date, and the last date it holds. */
export interface RoundEvaluation {
  /** CRS total; null when the profile cannot be scored on the date (no valid first-language result). */
  crs: number | null;
  inPool: boolean;
  programs: string[];
  /** Ids of the category versions in force the candidate is eligible for. */
  categories: string[];
  provincialNomination: boolean;
  /** The last (Ottawa) date on which all of the above stays the same; null when no change is foreseen. */
  validUntil: string | null;
}

/**
 * The candidate's CRS total and group memberships on `asOf`, and until when they hold, without
 * explanation text (the path used for every profile of the pool).
 */
export function evaluateForRound(profile: Profile, asOf: string, book: RuleBook): RoundEvaluation {
  return roundEvaluationOn(timelineOf(profile, book), dayOf(asOf));
}

export function roundEvaluationOn(t: Timeline, day: Day): RoundEvaluation {
  const { answers, validUntil } = answersWithValidity(t, day);
  return {
    crs: answers.crs,
    inPool: answers.inPool,
    programs: answers.programs,
    categories: answers.categories,
    provincialNomination: t.profile.provincialNomination,
    validUntil: validUntil === null ? null : isoOf(validUntil),
  };
}

/** The group of every profile in the pool (a general round ranks it; the pool's distribution counts it). */
export const ALL_GROUP = "all";

/** The round's group as one of the keys of `groupKeysOf` (a round to run, or a published one). */
export function groupKey(round: Pick<Round, "kind" | "program" | "categoryVersion">): string {
  switch (round.kind) {
    case "general":
      return ALL_GROUP;
    case "program":
      return round.program === "PNP" ? "pnp" : `program:${round.program}`;
    case "category":
      return `category:${round.categoryVersion}`;
  }
}

/** The groups a profile in the pool belongs to by its evaluation (none when it is not in the pool). */
export function groupKeysOf(e: RoundEvaluation): string[] {
  if (!e.inPool) return [];
  return [
    ALL_GROUP,
    ...e.programs.map((p) => `program:${p}`),
    ...e.categories.map((c) => `category:${c}`),
    ...(e.provincialNomination ? ["pnp"] : []),
  ];
}

/** An evaluation's programs, categories and nomination, comma-wrapped (",program:CEC,category:x,pnp,"), as stored. */
export function groupsOf(e: RoundEvaluation): string {
  const keys = [
    ...e.programs.map((p) => `program:${p}`),
    ...e.categories.map((c) => `category:${c}`),
    ...(e.provincialNomination ? ["pnp"] : []),
  ];
  return `,${keys.join(",")},`;
}

/** Resolves and checks the round's category version against the rules in force on the round's date. */
export function resolveRound(
  round: z.infer<typeof roundSchema>,
  book: RuleBook,
): { round: Round } | { error: { field: string; message: string } } {
  if (round.kind !== "category") return { round };
  const version = round.categoryVersion
    ? book.categoryVersions.find((v) => v.id === round.categoryVersion)
    : book.categoryByRoundName(round.name);
  if (!version)
    return {
      error: round.categoryVersion
        ? { field: "categoryVersion", message: `no category version ${round.categoryVersion}` }
        : {
            field: "name",
            message: `no category version has the round name '${round.name}'; give categoryVersion`,
          },
    };
  const date = ottawaDate(round.at);
  if (version.effectiveFrom > date || (version.effectiveTo !== null && date > version.effectiveTo))
    return {
      error: {
        field: "at",
        message: `category version ${version.id} is in force ${version.effectiveFrom} → ${version.effectiveTo ?? "now"}, not on ${date}`,
      },
    };
  return { round: { ...round, categoryVersion: version.id } };
}

export interface RankedCandidate {
  id: string;
  crs: number;
  submittedAt: string;
}

/** CRS descending, then submission time ascending (the published tie-break), then id for exact ties. */
export function compareRank(a: RankedCandidate, b: RankedCandidate): number {
  if (a.crs !== b.crs) return b.crs - a.crs;
  // Instants are compared in their fixed-width form ("…00.500Z" is after "…00Z", not before).
  const ta = normalizeInstant(a.submittedAt);
  const tb = normalizeInstant(b.submittedAt);
  return ta < tb ? -1 : ta > tb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface RoundOutcome {
  invited: RankedCandidate[];
  eligibleCount: number;
  /** CRS of the lowest-ranked candidate invited; null when nobody was invited. */
  cutoffCrs: number | null;
  /** Submission time of the last candidate invited: at the cut-off score, only profiles submitted at or before it were invited. */
  tieBreak: string | null;
  /** Invitations not issued because the group was smaller than the round size. */
  shortfall: number;
}

/** Ranks the eligible group and takes the first N. */
export function rankRound(group: readonly RankedCandidate[], invitations: number): RoundOutcome {
  const ranked = [...group].sort(compareRank);
  const invited = ranked.slice(0, invitations);
  const last = invited.at(-1);
  return {
    invited,
    eligibleCount: group.length,
    cutoffCrs: last?.crs ?? null,
    tieBreak: last?.submittedAt ?? null,
    shortfall: Math.max(0, invitations - group.length),
  };
}

export interface Distribution {
  source: string;
  /** level 0: a band or subtotal row; level 1: a ten-point band inside a subtotal row. */
  bands: { key: string; label: string; count: number; subtotal: boolean; level: 0 | 1 }[];
}

/** The pool's CRS distribution in IRCC's published bands (subtotal rows included). */
export function distribution(scores: Iterable<number> | Map<number, number>, bands: PoolBands): Distribution {
  const disjoint = bands.bands.filter((b) => !b.subtotalOf);
  // Score → index of its disjoint band, so a million scores cost a million array reads.
  const bandOf = new Int8Array(1201).fill(-1);
  disjoint.forEach((b, i) => bandOf.fill(i, b.from, b.to + 1));
  const counts = new Array<number>(disjoint.length).fill(0);
  const add = (score: number, n: number) => {
    const i = bandOf[score] ?? -1;
    if (i >= 0) counts[i] = (counts[i] ?? 0) + n;
  };
  if (scores instanceof Map) for (const [score, n] of scores) add(score, n);
  else for (const score of scores) add(score, 1);
  const value = (key: string): number => {
    const band = bands.bands.find((b) => b.key === key);
    if (band?.subtotalOf) return band.subtotalOf.reduce((acc, k) => acc + value(k), 0);
    return counts[disjoint.findIndex((b) => b.key === key)] ?? 0;
  };
  // Ten-point bands sit inside a subtotal row made only of plain bands (451–500, 401–450), not the total.
  const isSubtotal = (key: string) => !!bands.bands.find((b) => b.key === key)?.subtotalOf;
  const inner = new Set(
    bands.bands
      .filter((b) => b.subtotalOf && !b.subtotalOf.some(isSubtotal))
      .flatMap((b) => b.subtotalOf ?? []),
  );
  return {
    source: bands.source.url,
    bands: bands.bands.map((b) => ({
      key: b.key,
      label: b.label,
      count: value(b.key),
      subtotal: !!b.subtotalOf,
      level: inner.has(b.key) ? 1 : 0,
    })),
  };
}
