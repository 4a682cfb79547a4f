/**
 * The integer-day calendar (src/calendar/days.ts) against Temporal, the library it is derived from:
 * every day of the years the rules use, and every anniversary and year shift the engine computes.
 */
import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import {
  addMonthsToDay,
  addYearsToDay,
  anniversary,
  completedYearsBetween,
  dayOf,
  isoOf,
  lastDayUnder,
  nextLeapSeam,
} from "../src/calendar/days.js";
import { completedYears, isIsoDate, lastDayUnderYears } from "../src/calendar/dates.js";
import { instantMs, ottawaDate, ottawaDayOfMs } from "../src/calendar/instants.js";

const EPOCH = Temporal.PlainDate.from("1970-01-01");
const temporalDay = (d: Temporal.PlainDate) => EPOCH.until(d, { largestUnit: "days" }).days;

describe("day numbers", () => {
  it("every day 1900-01-01 → 2199-12-31 converts both ways as Temporal counts it", () => {
    let d = Temporal.PlainDate.from("1900-01-01");
    let n = temporalDay(d);
    const end = Temporal.PlainDate.from("2199-12-31");
    while (Temporal.PlainDate.compare(d, end) <= 0) {
      const iso = d.toString();
      if (dayOf(iso) !== n) throw new Error(`dayOf(${iso}) = ${dayOf(iso)}, Temporal says ${n}`);
      if (isoOf(n) !== iso) throw new Error(`isoOf(${n}) = ${isoOf(n)}, Temporal says ${iso}`);
      d = d.add({ days: 1 });
      n++;
    }
  });

  const someDay = fc
    .integer({ min: dayOf("1900-01-01"), max: dayOf("2199-12-31") })
    .map((n) => ({ n, date: EPOCH.add({ days: n }) }));

  it("adding years and months is Temporal's (constrained to the month's end)", () => {
    fc.assert(
      fc.property(someDay, fc.integer({ min: -30, max: 30 }), ({ n, date }, k) => {
        expect(isoOf(addYearsToDay(n, k))).toBe(date.add({ years: k }).toString());
        expect(isoOf(addMonthsToDay(n, k))).toBe(date.add({ months: k }).toString());
      }),
      { numRuns: 5000 },
    );
  });

  it("29 February: + 1 year is 28 February; the first anniversary (age 1) is 1 March", () => {
    expect(isoOf(addYearsToDay(dayOf("2024-02-29"), 1))).toBe("2025-02-28");
    expect(isoOf(anniversary(dayOf("2024-02-29"), 1))).toBe("2025-03-01");
    expect(isoOf(anniversary(dayOf("2024-02-29"), 4))).toBe("2028-02-29");
    expect(isoOf(lastDayUnder(dayOf("2024-02-29"), 1))).toBe("2025-02-28");
  });

  it("completed years and the last day under N years agree with Temporal's until()", () => {
    fc.assert(
      fc.property(someDay, fc.integer({ min: 0, max: 40000 }), ({ n, date }, span) => {
        const later = n + span;
        const expected = date.until(EPOCH.add({ days: later }), { largestUnit: "years" }).years;
        expect(completedYearsBetween(n, later)).toBe(expected);
        const iso = date.toString();
        expect(completedYears(iso, isoOf(later))).toBe(expected);
        const k = span % 12;
        expect(isoOf(lastDayUnder(n, k))).toBe(lastDayUnderYears(iso, k));
      }),
      { numRuns: 3000 },
    );
  });

  it("the leap seams (29 February, 1 March) are the only days on which 'N years before' does not move by one", () => {
    for (const years of [3, 5, 10]) {
      let d = dayOf("2019-01-01");
      let seam = nextLeapSeam(d - 1);
      for (; d < dayOf("2034-01-01"); d++) {
        if (d > seam) seam = nextLeapSeam(d - 1);
        const step = addYearsToDay(d, -years) - addYearsToDay(d - 1, -years);
        if (step !== 1) expect(d).toBe(seam);
      }
    }
  });
});

describe("isIsoDate", () => {
  it("accepts exactly the real dates Temporal accepts (29 February, month and day bounds)", () => {
    const valid = (iso: string) => {
      try {
        Temporal.PlainDate.from(iso, { overflow: "reject" });
        return true;
      } catch {
        return false;
      }
    };
    const pad = (n: number, w = 2) => String(n).padStart(w, "0");
    fc.assert(
      fc.property(
        fc.integer({ min: 1700, max: 2500 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const iso = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
          expect(isIsoDate(iso)).toBe(valid(iso));
        },
      ),
      { numRuns: 5000 },
    );
    for (const iso of ["2024-02-29", "2023-02-29", "2100-02-29", "2000-02-29", "2026-04-31", "2026-12-31"])
      expect(isIsoDate(iso)).toBe(valid(iso));
    expect(isIsoDate("2026-1-01")).toBe(false);
  });
});

describe("Ottawa dates of instants", () => {
  it("match Temporal's time zone across daylight-saving changes", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2150, 0, 1) }), (ms) => {
        const instant = Temporal.Instant.fromEpochMilliseconds(ms);
        const expected = instant.toZonedDateTimeISO("America/Toronto").toPlainDate().toString();
        expect(isoOf(ottawaDayOfMs(ms))).toBe(expected);
        expect(ottawaDate(instant.toString())).toBe(expected);
        expect(instantMs(instant.toString())).toBe(ms);
      }),
      { numRuns: 5000 },
    );
  });
  it("the hour around midnight: 04:59 UTC is the previous day in winter, 03:59 in summer", () => {
    expect(ottawaDate("2026-01-15T04:59:59Z")).toBe("2026-01-14");
    expect(ottawaDate("2026-01-15T05:00:00Z")).toBe("2026-01-15");
    expect(ottawaDate("2026-07-15T03:59:59.999Z")).toBe("2026-07-14");
    expect(ottawaDate("2026-07-15T04:00:00.000Z")).toBe("2026-07-15");
  });
});
