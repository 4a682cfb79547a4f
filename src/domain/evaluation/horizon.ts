/**
 * Until when does an evaluation hold? Every date-dependent value an evaluation reads on its day reports
 * here the first later day on which it may read differently (a birthday, a test's expiry, a rule
 * change, the profile's expiry) or, for hours of work, the measure to watch; `nextChange()` is then the
 * first day on which anything the evaluation read can differ. Between the evaluation's day and that
 * day, everything it read, and so everything it answered, stays the same.
 */
import type { Day } from "../../calendar/days.js";
import { type Cumulative, nextLevelChange } from "../work.js";
import { LAST_DAY } from "./timeline.js";

export class Horizon {
  private next = Number.POSITIVE_INFINITY;
  /** Watched measures, flat: [cumulative, years, quantum, cap, …]; allocated on the first watch. */
  private watched: (Cumulative | number)[] | undefined;

  constructor(readonly day: Day) {}

  /** Something read today may read differently from `day` on. */
  changesOn(day: Day): void {
    if (day > this.day && day < this.next) this.next = day;
  }

  /** A level of the hours in a sliding window was read today (years of work, or a threshold met). */
  watch(f: Cumulative, years: number, quantum: number, cap: number): void {
    if (f.empty) return;
    const w = (this.watched ??= []);
    for (let i = 0; i < w.length; i += 4)
      if (w[i] === f && w[i + 1] === years && w[i + 2] === quantum && w[i + 3] === cap) return;
    w.push(f, years, quantum, cap);
  }

  /** The first day after `day` on which something read may differ; null when nothing is foreseen. */
  nextChange(): Day | null {
    let limit = Math.min(this.next, LAST_DAY + 1);
    const w = this.watched ?? [];
    for (let i = 0; i < w.length && limit > this.day + 1; i += 4) {
      const e = nextLevelChange(
        w[i] as Cumulative,
        w[i + 1] as number,
        w[i + 2] as number,
        w[i + 3] as number,
        this.day,
        limit - 1,
      );
      if (e !== null && e < limit) limit = e;
    }
    return limit > LAST_DAY ? null : limit;
  }
}
