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
import { crsReadingOn, type CrsReading, crsTotalOn } from "../profile/derive.js";
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

/**
 * The pool rule, one definition: in the pool on a day means within the profile's 12 months, scorable by
 * the CRS, and eligible for at least one program.
 */
export function poolVerdict(v: DayView, scorable: boolean, programs: ProgramId[]): PoolVerdict {
  const within = v.withinProfileValidity();
  return { met: within && scorable && programs.length > 0, programs, withinProfileValidity: within };
}

function poolOf(v: DayView, crsTotal: number | null, programs: readonly ProgramVerdict[]): PoolVerdict {
  return poolVerdict(
    v,
    crsTotal !== null,
    programs.filter((p) => p.eligible).map((p) => p.program),
  );
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

/**
 * The answers alone, as `answersOf(verdictsOn(v))` gives them, without building verdict objects: the
 * round path runs this for every profile of a pool, on each day it jumps to.
 */
export function answersOn(v: DayView): Answers {
  const total = crsTotalOn(v);
  const programs: ProgramId[] = [];
  if (fswOn(v).eligible) programs.push("FSW");
  if (cecOn(v).eligible) programs.push("CEC");
  if (fstOn(v).eligible) programs.push("FST");
  const pool = poolVerdict(v, total !== null, programs);
  const categories: string[] = [];
  if (pool.met)
    for (const entry of v.period.categories)
      if (categoryOn(v, entry, pool).eligible) categories.push(entry.version.id);
  return { crs: total, programs, inPool: pool.met, categories };
}

/** The answers on a day and the last day they all hold (null: no change foreseen). */
export function answersWithValidity(t: Timeline, day: Day): { answers: Answers; validUntil: Day | null } {
  const horizon = new Horizon(day);
  const answers = answersOn(new DayView(t, day, horizon));
  return { answers, validUntil: walkFrom(t, day, { answers, horizon }, []).validUntil };
}

/** A verdict followed for its lapse: a program, a category version, or pool membership. */
export type Followed =
  { kind: "program"; program: ProgramId } | { kind: "category"; id: string } | { kind: "pool" };

const keyOf = (f: Followed) =>
  f.kind === "program" ? `program:${f.program}` : f.kind === "category" ? `category:${f.id}` : "pool";

/** Whether a followed verdict holds in a day's answers. */
function holdsIn(a: Answers, f: Followed): boolean {
  if (f.kind === "program") return a.programs.includes(f.program);
  if (f.kind === "category") return a.categories.includes(f.id);
  return a.inPool;
}

/**
 * From a day already evaluated (its answers and the Horizon of its reads), walks the days on which
 * anything read may change and returns `validUntil` (the day before the answers first differ) and, for
 * each followed verdict that holds on the day, the first day it no longer holds (null: none foreseen).
 */
export function walkFrom(
  t: Timeline,
  day: Day,
  first: { answers: Answers; horizon: Horizon },
  followed: readonly Followed[],
): { validUntil: Day | null; lapses: Map<string, Day | null> } {
  const lapses = new Map<string, Day | null>();
  let pending = followed.filter((f) => {
    if (holdsIn(first.answers, f)) return true;
    lapses.set(keyOf(f), day);
    return false;
  });
  let validUntil: Day | null | undefined;
  let h = first.horizon;
  while (validUntil === undefined || pending.length > 0) {
    const next = h.nextChange();
    if (next === null) {
      if (validUntil === undefined) validUntil = null;
      for (const f of pending) lapses.set(keyOf(f), null);
      break;
    }
    h = new Horizon(next);
    const answers = answersOn(new DayView(t, next, h));
    if (validUntil === undefined && !sameAnswers(first.answers, answers)) validUntil = next - 1;
    pending = pending.filter((f) => {
      if (holdsIn(answers, f)) return true;
      lapses.set(keyOf(f), next);
      return false;
    });
  }
  return { validUntil, lapses };
}

export { keyOf as followedKey, isoOf };
