/**
 * Work-experience accounting shared by the CRS, the programs and the categories.
 *
 * - 30 hours a week is full time; hours above 30 a week never count, even across overlapping jobs.
 * - 1,560 hours (30 h × 52 weeks) make one year; part-time adds up to the same total.
 * - A job contributes hoursPerWeek / 7 hours for each calendar day of its dates (both ends included).
 * - Windows: "within N years before asOf" = the days after the date N years before asOf, up to asOf.
 * Which jobs count (skilled, paid, in Canada and authorized, …) is decided by the caller's filter.
 * The 30 h and 1,560 h figures are IRCC's definition of a year of full-time work, common to every
 * program and to the CRS since 2015 (IRPR s.73 "full-time work"; IRCC's FSW and CEC pages); they are
 * not versioned because they have never changed — if they ever do, they belong in rules/.
 */
import { addDays, addYears, epochDay, isoFromEpochDay } from "../calendar/dates.js";

export const FULL_TIME_HOURS_PER_WEEK = 30;
export const HOURS_PER_YEAR = 1560;
const DAILY_CAP = FULL_TIME_HOURS_PER_WEEK / 7;

export interface WorkEntry {
  /** NOC 2021 unit group. */
  noc: string;
  /** ISO 3166-1 alpha-2 country code; "CA" is Canada. */
  country: string;
  start: string;
  /** null while the job continues. */
  end: string | null;
  hoursPerWeek: number;
  paid: boolean;
  selfEmployed: boolean;
  /** Worked while enrolled full time in a program of study. */
  fullTimeStudent: boolean;
  /** Held authorization (and temporary resident status) to work in Canada; ignored abroad. */
  authorized: boolean;
}

/** A job reduced to days (epoch-day numbers, inclusive) and hours per day. */
export interface Span {
  from: number;
  to: number;
  hoursPerDay: number;
  noc: string;
}

export interface DayWindow {
  from: number;
  to: number;
}

/** The days of "the N years before asOf": after asOf − N years, through asOf. */
export function windowBefore(asOf: string, years: number): DayWindow {
  return { from: epochDay(addDays(addYears(asOf, -years), 1)), to: epochDay(asOf) };
}

/** Jobs as day spans, ongoing jobs running through `through`, keeping those `keep` accepts. */
export function spans(
  entries: readonly WorkEntry[],
  through: string,
  keep: (e: WorkEntry) => boolean,
): Span[] {
  const out: Span[] = [];
  const last = epochDay(through);
  for (const e of entries) {
    if (!keep(e) || e.hoursPerWeek <= 0) continue;
    const from = epochDay(e.start);
    const to = Math.min(e.end === null ? last : epochDay(e.end), last);
    if (to >= from) out.push({ from, to, hoursPerDay: e.hoursPerWeek / 7, noc: e.noc });
  }
  return out;
}

/**
 * Hours worked inside the window, with all jobs together capped at 30 hours a week. A sweep over the
 * days where jobs start or stop, so overlapping jobs are counted once up to the cap.
 */
export function cappedHours(list: readonly Span[], window: DayWindow): number {
  if (list.length === 0) return 0;
  const deltas = new Map<number, number>();
  for (const s of list) {
    const from = Math.max(s.from, window.from);
    const to = Math.min(s.to, window.to);
    if (to < from) continue;
    deltas.set(from, (deltas.get(from) ?? 0) + s.hoursPerDay);
    deltas.set(to + 1, (deltas.get(to + 1) ?? 0) - s.hoursPerDay);
  }
  const days = [...deltas.keys()].sort((a, b) => a - b);
  let rate = 0;
  let hours = 0;
  for (let i = 0; i < days.length; i++) {
    rate += deltas.get(days[i] as number) as number;
    const next = days[i + 1];
    if (next !== undefined && rate > 1e-12) hours += Math.min(rate, DAILY_CAP) * (next - (days[i] as number));
  }
  // Rounded to 1/1000 h so sevenths of hours never make 1,559.9999 out of 1,560.
  return Math.round(hours * 1000) / 1000;
}

/** Hours per NOC (each capped at 30 h/week on its own), for "in a single occupation" rules. */
export function hoursByNoc(list: readonly Span[], window: DayWindow): Map<string, number> {
  const groups = new Map<string, Span[]>();
  for (const s of list) {
    const g = groups.get(s.noc);
    if (g) g.push(s);
    else groups.set(s.noc, [s]);
  }
  const out = new Map<string, number>();
  for (const [noc, group] of groups) out.set(noc, cappedHours(group, window));
  return out;
}

/**
 * The most hours in one continuous stretch of work (no day without a job) inside the window, per NOC.
 * A stretch is cut at the window's edges.
 */
export function continuousHoursByNoc(list: readonly Span[], window: DayWindow): Map<string, number> {
  const out = new Map<string, number>();
  const byNoc = new Map<string, Span[]>();
  for (const s of list) {
    const from = Math.max(s.from, window.from);
    const to = Math.min(s.to, window.to);
    if (to < from) continue;
    const clipped = { ...s, from, to };
    const g = byNoc.get(s.noc);
    if (g) g.push(clipped);
    else byNoc.set(s.noc, [clipped]);
  }
  for (const [noc, group] of byNoc) {
    group.sort((a, b) => a.from - b.from);
    let best = 0;
    let stretch: Span[] = [];
    let stretchEnd = Number.NEGATIVE_INFINITY;
    const close = () => {
      if (stretch.length > 0) best = Math.max(best, cappedHours(stretch, window));
    };
    for (const s of group) {
      if (s.from > stretchEnd + 1) {
        close();
        stretch = [];
      }
      stretch.push(s);
      stretchEnd = Math.max(stretchEnd, s.to);
    }
    close();
    out.set(noc, best);
  }
  return out;
}

export const completeYears = (hours: number) => Math.floor(hours / HOURS_PER_YEAR + 1e-9);

/**
 * Until when does a work requirement stay met, if nothing changes (jobs with an end date stay ended,
 * ongoing jobs go on)? `units` are the alternatives that can each satisfy it on their own — one per
 * occupation ("in a single occupation") or one per continuous stretch — and each unit's hours in the
 * sliding window are linear between the days where a job edge enters or leaves the window, so the
 * qualifying days of each unit are found exactly from those days plus a binary search at crossings.
 * Returns the last qualifying day (epoch day), or null when it is still met at the horizon.
 */
export function lastQualifyingDay(
  units: readonly (readonly Span[])[],
  thresholdHours: number,
  asOf: string,
  windowYears: number,
  measure: (unit: readonly Span[], window: DayWindow) => number = cappedHours,
): number | null {
  const start = epochDay(asOf);
  const horizon = epochDay(addYears(asOf, windowYears + 1));
  const at = (unit: readonly Span[], day: number) =>
    measure(unit, windowBefore(isoFromEpochDay(day), windowYears));
  const intervals: [number, number][] = [];
  for (const unit of units) {
    const candidates = new Set<number>([start, horizon]);
    const add = (d: number) => {
      if (d >= start && d <= horizon) candidates.add(d);
    };
    for (const s of unit) {
      for (const edge of [s.from, s.to + 1]) {
        add(edge);
        add(edge - 1);
        // The day whose window starts at `edge`.
        const d = epochDay(addYears(isoFromEpochDay(edge - 1), windowYears));
        for (const k of [-1, 0, 1]) add(d + k);
      }
    }
    // The window's length in days changes when it gains or loses a 29 February: check those days too.
    for (let y = Number(asOf.slice(0, 4)); y <= Number(asOf.slice(0, 4)) + windowYears + 1; y++)
      for (const md of ["02-27", "02-28", "03-01", "03-02"]) {
        const d = epochDay(`${y}-${md}`);
        add(d);
        add(d - 1);
        add(d + 1);
      }
    const days = [...candidates].sort((a, b) => a - b);
    const values = days.map((d) => at(unit, d));
    for (let i = 0; i < days.length; i++) {
      const a = days[i] as number;
      const fa = values[i] as number;
      if (fa >= thresholdHours) intervals.push([a, a]);
      const b = days[i + 1];
      if (b === undefined || b - a <= 1) continue;
      const fb = values[i + 1] as number;
      if (fa >= thresholdHours && fb >= thresholdHours) intervals.push([a, b]);
      else if (fa >= thresholdHours) {
        let lo = a; // qualifies
        let hi = b; // does not
        while (hi - lo > 1) {
          const mid = (lo + hi) >> 1;
          if (at(unit, mid) >= thresholdHours) lo = mid;
          else hi = mid;
        }
        intervals.push([a, lo]);
      } else if (fb >= thresholdHours) {
        let lo = a; // does not
        let hi = b; // qualifies
        while (hi - lo > 1) {
          const mid = (lo + hi) >> 1;
          if (at(unit, mid) >= thresholdHours) hi = mid;
          else lo = mid;
        }
        intervals.push([hi, b]);
      }
    }
  }
  // Walk forward from asOf through overlapping or touching qualifying intervals.
  intervals.sort((x, y) => x[0] - y[0]);
  let reach = start - 1;
  for (const [from, to] of intervals) {
    if (from > reach + 1) break;
    if (to > reach) reach = to;
  }
  return reach >= horizon ? null : reach;
}
