/**
 * Hours in sliding windows (src/domain/work.ts): the cumulative form agrees with a day-by-day
 * count of the rules (30 h/week cap across jobs, N-year windows), and the closed-form next level change
 * is the first day a day-by-day scan finds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addYearsToDay, dayOf } from "../src/calendar/days.js";
import {
  Cumulative,
  type DaySpan,
  level,
  nextLevelChange,
  unitsInWindow,
  YEAR_UNITS,
} from "../src/domain/work.js";

/** The rules counted day by day: each day adds the sum of the jobs' hoursPerWeek, capped at 30. */
function bruteUnits(spans: readonly DaySpan[], years: number, d: number): number {
  let total = 0;
  for (let x = addYearsToDay(d, -years) + 1; x <= d; x++) {
    let rate = 0;
    for (const s of spans) if (s.from <= x && x <= s.to) rate += s.rate;
    total += Math.min(rate, 30);
  }
  return total;
}

const BASE = dayOf("2018-01-01");
const span = fc
  .record({
    start: fc.integer({ min: 0, max: 3000 }),
    length: fc.integer({ min: 0, max: 2500 }),
    ongoing: fc.boolean(),
    rate: fc.constantFrom(10, 15, 20, 30, 37.5, 40, 12.3),
  })
  .map((s): DaySpan => ({
    from: BASE + s.start,
    to: s.ongoing ? dayOf("2199-12-31") : BASE + s.start + s.length,
    rate: s.rate,
  }));

describe("hours in a sliding window", () => {
  it("F(d) − F(d − N years) is the capped day-by-day count", () => {
    fc.assert(
      fc.property(
        fc.array(span, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(3, 5, 10),
        fc.integer({ min: 0, max: 4000 }),
        (spans, years, offset) => {
          const d = BASE + offset;
          expect(unitsInWindow(new Cumulative(spans), years, d)).toBeCloseTo(bruteUnits(spans, years, d), 6);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the next level change is the first day on which a day-by-day scan sees another level", () => {
    fc.assert(
      fc.property(
        fc.array(span, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(3, 5, 10),
        fc.constantFrom([YEAR_UNITS, 1], [YEAR_UNITS, 10], [YEAR_UNITS / 2, 1], [2 * YEAR_UNITS, 1]),
        fc.integer({ min: 0, max: 4000 }),
        (spans, years, [quantum, cap], offset) => {
          const f = new Cumulative(spans);
          const from = BASE + offset;
          const limit = from + 1500;
          const lvl = (d: number) => level(unitsInWindow(f, years, d), quantum as number, cap as number);
          let expected: number | null = null;
          for (let d = from + 1; d <= limit; d++)
            if (lvl(d) !== lvl(from)) {
              expected = d;
              break;
            }
          expect(nextLevelChange(f, years, quantum as number, cap as number, from, limit)).toBe(expected);
        },
      ),
      { numRuns: 400 },
    );
  });
});
