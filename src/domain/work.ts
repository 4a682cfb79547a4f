/**
 * Hours of work as functions of the day, in integer day numbers, for every work requirement of the
 * CRS, the programs and the categories.
 *
 * Units: a job contributes hoursPerWeek / 7 hours a day; we count in sevenths of an hour, so a day
 * contributes `hoursPerWeek` units and the 30 h/week cap is 30 units a day (exact arithmetic for the
 * usual whole and half hours). 1,560 h = 10,920 units.
 *
 * A set of jobs becomes a `Cumulative`: F(x) = capped units worked on the days up to x. The hours in
 * "the N years before day d" are then H(d) = F(d) − F(d − N years), and a requirement reads a *level*
 * of H: whole years (floor(H / 1 year)) or met / not met (H ≥ threshold). `nextLevelChange` finds the
 * first day a level changes in closed form: H is linear between the days where a job starts or ends at
 * either edge of the sliding window, and where the window's start moves irregularly (29 February,
 * 1 March), so each linear piece is solved for its threshold crossing and the answer checked against H.
 *
 * The 30 h/week and 1,560 h figures are IRCC's definition of a year of full-time work, common to every
 * program and to the CRS since 2015 (IRPR s.73 "full-time work"; IRCC's FSW and CEC pages). They are not
 * versioned because they have never changed; if they ever do, they belong in rules/.
 */
import { addYearsToDay, type Day, nextLeapSeam } from "../calendar/days.js";

/** Units per hour: a day of a 37.5 h/week job is 37.5 units (37.5 / 7 hours). */
export const UNITS_PER_HOUR = 7;
/** All jobs together never count more than 30 hours a week (30 units a day). */
export const DAILY_CAP_UNITS = 30;
/** 1,560 hours (30 h × 52 weeks) make a year of full-time work. */
export const YEAR_UNITS = 1560 * UNITS_PER_HOUR;

export const unitsToHours = (units: number) => units / UNITS_PER_HOUR;
export const hoursToUnits = (hours: number) => hours * UNITS_PER_HOUR;

/** Absorbs float noise of decimal hours (e.g. 37.3 h/week) so a threshold reached is reached. */
const EPSILON = 1e-6;

/** The level of `units` in steps of `quantum` units, at most `cap`: years (quantum = a year) or met (cap 1). */
export function level(units: number, quantum: number, cap: number): number {
  const l = Math.floor((units + EPSILON) / quantum);
  return l > cap ? cap : l;
}

export interface DaySpan {
  from: Day;
  /** Last day (inclusive); ongoing jobs run to the end of the calendar ("if nothing changes"). */
  to: Day;
  /** Units per day: the job's hours per week. */
  rate: number;
}

/** Capped cumulative units: piecewise linear, with the rate changing on the days in `starts`. */
export class Cumulative {
  /** Days on which a rate segment starts, ascending; segment i runs to starts[i+1] − 1. */
  readonly starts: number[];
  /** Capped units per day on segment i (the last segment's rate is 0). */
  readonly rates: number[];
  /** F(starts[i] − 1). */
  readonly base: number[];

  constructor(spans: readonly DaySpan[]) {
    // Rate changes as (day, delta) pairs, sorted by day; merged into capped segments.
    const days: number[] = [];
    const deltas: number[] = [];
    for (const s of spans) {
      if (s.to < s.from || s.rate <= 0) continue;
      days.push(s.from, s.to + 1);
      deltas.push(s.rate, -s.rate);
    }
    const order = days.map((_, i) => i).sort((a, b) => (days[a] as number) - (days[b] as number));
    const starts: number[] = [];
    const rates: number[] = [];
    let raw = 0;
    for (let k = 0; k < order.length; k++) {
      const i = order[k] as number;
      const d = days[i] as number;
      raw += deltas[i] as number;
      const next = order[k + 1];
      if (next !== undefined && days[next] === d) continue; // apply every change of the day first
      if (raw < EPSILON) raw = 0;
      const capped = raw > DAILY_CAP_UNITS ? DAILY_CAP_UNITS : raw;
      if (rates.length > 0 && rates[rates.length - 1] === capped) continue;
      if (rates.length === 0 && capped === 0) continue;
      starts.push(d);
      rates.push(capped);
    }
    this.starts = starts;
    this.rates = rates;
    this.base = [0];
    for (let i = 1; i < starts.length; i++)
      this.base[i] =
        (this.base[i - 1] as number) +
        (this.rates[i - 1] as number) * ((starts[i] as number) - (starts[i - 1] as number));
  }

  get empty(): boolean {
    return this.starts.length === 0;
  }

  /** Index of the segment holding day x, or −1 before the first. */
  segment(x: Day): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    if (hi < 0 || x < (s[0] as number)) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((s[mid] as number) <= x) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Units worked on the days up to and including x. */
  at(x: Day): number {
    const i = this.segment(x);
    if (i < 0) return 0;
    return (this.base[i] as number) + (this.rates[i] as number) * (x - (this.starts[i] as number) + 1);
  }

  rateOf(segment: number): number {
    return segment < 0 ? 0 : (this.rates[segment] as number);
  }

  /** Last day of a segment (segment −1 ends the day before the first start). */
  segmentEnd(segment: number): Day {
    const next = this.starts[segment + 1];
    return next === undefined ? Number.MAX_SAFE_INTEGER : next - 1;
  }

  /** Units worked on the days after `after` up to and including `through`. */
  between(after: Day, through: Day): number {
    return this.at(through) - this.at(after);
  }
}

/** The day before "the N years before d" begin: the window is the days after it, through d. */
export const windowEdge = (d: Day, years: number): Day => addYearsToDay(d, -years);

/** Units in the N years before day d (the days after d − N years, through d). */
export function unitsInWindow(f: Cumulative, years: number, d: Day): number {
  return f.at(d) - f.at(windowEdge(d, years));
}

/** The last day y whose window edge is at or before `edge`. */
function lastDayWithEdgeAtOrBefore(edge: Day, years: number): Day {
  let y = addYearsToDay(edge, years);
  while (windowEdge(y + 1, years) <= edge) y++;
  while (windowEdge(y, years) > edge) y--;
  return y;
}

/**
 * The first day after `from`, up to `limit`, on which the level of the units in the `years`-year window
 * differs from its level on `from`; null when it holds through `limit`.
 */
export function nextLevelChange(
  f: Cumulative,
  years: number,
  quantum: number,
  cap: number,
  from: Day,
  limit: Day,
): Day | null {
  if (f.empty) return null;
  const h = (d: Day) => unitsInWindow(f, years, d);
  const v0 = level(h(from), quantum, cap);
  const differs = (d: Day) => level(h(d), quantum, cap) !== v0;
  let x = from;
  let hx = h(x);
  while (x < limit) {
    const y = x + 1;
    const ey = windowEdge(y, years);
    if (ey - windowEdge(x, years) !== 1) {
      // The window's start jumps (or stands) at a leap seam: take the day on its own.
      const hy = h(y);
      if (level(hy, quantum, cap) !== v0) return y;
      x = y;
      hx = hy;
      continue;
    }
    const lead = f.segment(y);
    const trail = f.segment(ey);
    const slope = f.rateOf(lead) - f.rateOf(trail);
    let b = Math.min(limit, f.segmentEnd(lead), nextLeapSeam(y) - 1);
    const trailEnd = f.segmentEnd(trail);
    if (trailEnd < Number.MAX_SAFE_INTEGER) b = Math.min(b, lastDayWithEdgeAtOrBefore(trailEnd, years));
    if (b < y) b = y;
    // On (x, b], H(z) = hx + slope · (z − x).
    if (slope !== 0) {
      let z: number | null = null;
      if (slope > 0 && v0 < cap) z = x + Math.ceil(((v0 + 1) * quantum - EPSILON - hx) / slope);
      else if (slope < 0 && v0 > 0) z = x + Math.floor((hx - (v0 * quantum - EPSILON)) / -slope) + 1;
      if (z !== null) {
        if (z <= x) z = x + 1;
        if (z <= b + 1) {
          // Closed form proposes z; settle it against H itself (float rounding can move it by a day).
          while (z > x + 1 && differs(z - 1)) z--;
          while (z <= b && !differs(z)) z++;
          if (z <= b) return z;
        }
      }
    }
    const hb = h(b);
    if (level(hb, quantum, cap) !== v0) {
      // Not expected on a linear piece; if float rounding ever gets here, find the day by walking.
      for (let z = x + 1; z <= b; z++) if (differs(z)) return z;
    }
    x = b;
    hx = hb;
  }
  return null;
}
