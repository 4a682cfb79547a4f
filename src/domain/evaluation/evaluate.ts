/**
 * The evaluation of a profile on a day: its CRS total, each program's verdict, pool membership and each
 * category version's verdict, and how long they hold. One function decides (`verdictsOn`); the round
 * path, the report and the lapse dates all call it, on the day and on the days after it, so a lapse
 * date is by construction the day before the engine itself first answers otherwise.
 *
 * How long: every value a verdict reads reports when it may change (see Horizon). Starting on the
 * day, the evaluation jumps to the first such day, evaluates again, and stops at the first day on which
 * the answers differ: `validUntil` is the day before it. Most jumps land on a change (a birthday that
 * moves the score, a test's expiry), so this takes one to a few evaluations.
 */
import { type Day, isoOf } from "../../calendar/days.js";
import { crsPoints } from "../crs/points.js";
import { categoryOn, type CategoryVerdict, type PoolVerdict } from "../eligibility/categories.js";
import { cecOn, fstOn, fswOn, type ProgramId, type ProgramVerdict } from "../eligibility/programs.js";
import { crsReadingOn, type CrsReading } from "../profile/derive.js";
import { DayView } from "./day-view.js";
import { Horizon } from "./horizon.js";
import type { Timeline } from "./timeline.js";

export interface DayVerdicts {
  /** What the CRS read; null when the profile cannot be scored on the day (no valid first-language result). */
  crs: CrsReading | null;
  crsTotal: number | null;
  programs: ProgramVerdict[];
  pool: PoolVerdict;
  /** One per category version in force on the day. */
  categories: CategoryVerdict[];
}

/** Everything decided on the view's day (with text when the view has `detail`). */
export function verdictsOn(v: DayView): DayVerdicts {
  const crs = crsReadingOn(v);
  const crsTotal = crs ? crsPoints(crs.facts, crs.compiled).total : null;
  const programs = [fswOn(v), cecOn(v), fstOn(v)];
  const pool = poolOf(v, crsTotal, programs);
  const categories = v.period.categories.map((entry) => categoryOn(v, entry, pool));
  return { crs, crsTotal, programs, pool, categories };
}

/** In the pool: within the profile's validity, scorable, and eligible for at least one program. */
function poolOf(v: DayView, crsTotal: number | null, programs: readonly ProgramVerdict[]): PoolVerdict {
  const eligible = programs.filter((p) => p.eligible).map((p) => p.program);
  const within = v.withinProfileValidity();
  return {
    met: within && crsTotal !== null && eligible.length > 0,
    programs: eligible,
    withinProfileValidity: within,
  };
}

/** The answers whose change ends an evaluation's validity. */
export interface Answers {
  crs: number | null;
  /** Eligible programs, in the order FSW, CEC, FST. */
  programs: ProgramId[];
  inPool: boolean;
  /** Eligible category version ids, in the rule book's order. */
  categories: string[];
}

export function answersOf(d: DayVerdicts): Answers {
  return {
    crs: d.crsTotal,
    programs: d.pool.programs as ProgramId[],
    inPool: d.pool.met,
    categories: d.categories.filter((c) => c.eligible).map((c) => c.id),
  };
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

export function sameAnswers(a: Answers, b: Answers): boolean {
  return (
    a.crs === b.crs &&
    a.inPool === b.inPool &&
    sameList(a.programs, b.programs) &&
    sameList(a.categories, b.categories)
  );
}

/** The answers on a day and the last day they all hold (null: no change foreseen). */
export function answersWithValidity(t: Timeline, day: Day): { answers: Answers; validUntil: Day | null } {
  let h = new Horizon(day);
  const answers = answersOf(verdictsOn(new DayView(t, day, h)));
  for (;;) {
    const next = h.nextChange();
    if (next === null) return { answers, validUntil: null };
    h = new Horizon(next);
    if (!sameAnswers(answers, answersOf(verdictsOn(new DayView(t, next, h)))))
      return { answers, validUntil: next - 1 };
  }
}

/** A verdict followed for its lapse: a program, a category version, or pool membership. */
export type Followed =
  { kind: "program"; program: ProgramId } | { kind: "category"; id: string } | { kind: "pool" };

const keyOf = (f: Followed) =>
  f.kind === "program" ? `program:${f.program}` : f.kind === "category" ? `category:${f.id}` : "pool";

/** Decides one followed verdict on the view's day, reading only what it needs. */
function holds(v: DayView, f: Followed): boolean {
  if (f.kind === "program")
    return (f.program === "FSW" ? fswOn(v) : f.program === "CEC" ? cecOn(v) : fstOn(v)).eligible;
  const pool = poolOn(v);
  if (f.kind === "pool") return pool.met;
  const entry = v.period.categories.find((e) => e.version.id === f.id);
  return entry !== undefined && categoryOn(v, entry, pool).eligible;
}

/** Whether the CRS can score the profile on the day (what crsReadingOn needs before it reads the rest). */
function scorable(v: DayView): boolean {
  return v.languages().firstValid && v.period.crs !== undefined;
}

/** Pool membership, stopping at the first program that qualifies. */
function poolOn(v: DayView): PoolVerdict {
  if (!v.withinProfileValidity()) return { met: false, programs: [], withinProfileValidity: false };
  if (!scorable(v)) return { met: false, programs: [], withinProfileValidity: true };
  for (const program of [fswOn, cecOn, fstOn]) {
    const p = program(v);
    if (p.eligible) return { met: true, programs: [p.program], withinProfileValidity: true };
  }
  return { met: false, programs: [], withinProfileValidity: true };
}

/**
 * For verdicts that hold on `day`, the first later day on which each no longer holds (null: none
 * foreseen). Each step evaluates only the verdicts still holding, so it follows only their reads.
 */
export function lapseDays(t: Timeline, day: Day, followed: readonly Followed[]): Map<string, Day | null> {
  const out = new Map<string, Day | null>();
  let pending = [...followed];
  let h = new Horizon(day);
  const v0 = new DayView(t, day, h);
  pending = pending.filter((f) => {
    if (holds(v0, f)) return true;
    out.set(keyOf(f), day); // not holding on the day itself
    return false;
  });
  while (pending.length > 0) {
    const next = h.nextChange();
    if (next === null) {
      for (const f of pending) out.set(keyOf(f), null);
      break;
    }
    h = new Horizon(next);
    const v = new DayView(t, next, h);
    pending = pending.filter((f) => {
      if (holds(v, f)) return true;
      out.set(keyOf(f), next);
      return false;
    });
  }
  return out;
}

export { keyOf as followedKey, isoOf };
