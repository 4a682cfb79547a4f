/**
 * Evaluations that know how long they hold (issue 7 §1). For random profiles and dates the engine is
 * compared with itself on neighbouring days:
 * - on every day from the as-of date through `validUntil`, the answers (CRS total, every program's and
 *   category version's verdict, pool membership) are those of the first day, and on the day after
 *   `validUntil` they differ;
 * - each `eligibleUntil` is the day before the first day on which the engine says "not eligible" for
 *   that program, category version or the pool;
 * - the report (with explanations) and the round path (without) decide alike.
 * And the case that showed the blind spot: the FSW grid losing a point on a birthday.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Day, dayOf, isoOf } from "../src/calendar/days.js";
import { type EligibilityReport, eligibilityOf, validateProfile } from "../src/domain/eligibility/report.js";
import { DayView } from "../src/domain/evaluation/day-view.js";
import { type Answers, answersOf, sameAnswers, verdictsOn } from "../src/domain/evaluation/evaluate.js";
import { type Timeline, timelineOf } from "../src/domain/evaluation/timeline.js";
import type { ProfileInput } from "../src/domain/profile/profile.js";
import { evaluateForRound } from "../src/domain/rounds/round.js";
import { defaultRuleBook } from "../src/rules/index.js";
import { isoBetween, profileArb } from "./arbitraries.js";
import { celpip } from "./helpers.js";

const book = defaultRuleBook();
/** Day-by-day checks reach this far; longer validities are checked on sampled days beyond. */
const SPAN = 800;

const answersOn = (t: Timeline, day: Day): Answers => answersOf(verdictsOn(new DayView(t, day)));

function evaluated(input: ProfileInput, asOf: string): { report: EligibilityReport; t: Timeline } | null {
  const v = validateProfile(input, book);
  if (v.status !== "ok" || v.profile.dateOfBirth > asOf) return null;
  const report = eligibilityOf(input, { asOf, book, today: () => asOf });
  if (report.status !== "evaluated") throw new Error(JSON.stringify(report));
  return { report, t: timelineOf(v.profile, book) };
}

const cases = fc.tuple(profileArb, isoBetween("2024-01-01", "2027-06-30"));

describe("validUntil: the whole evaluation holds through it, and not a day longer", () => {
  it("every day from the as-of date to validUntil answers as the first; the day after differs", () => {
    let changed = 0;
    fc.assert(
      fc.property(cases, ([input, asOf]) => {
        const e = evaluated(input, asOf);
        if (!e) return;
        const start = dayOf(asOf);
        const first = answersOn(e.t, start);
        const until = e.report.validUntil === null ? null : dayOf(e.report.validUntil);
        if (until !== null) expect(until).toBeGreaterThanOrEqual(start);
        const last = until === null ? start + SPAN : Math.min(until, start + SPAN);
        for (let d = start + 1; d <= last; d++)
          if (!sameAnswers(first, answersOn(e.t, d)))
            throw new Error(
              `answers differ on ${isoOf(d)}, before validUntil ${e.report.validUntil} (as of ${asOf})`,
            );
        if (until !== null) {
          changed++;
          expect(sameAnswers(first, answersOn(e.t, until + 1))).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
    expect(changed).toBeGreaterThan(75);
  });

  it("the round path's validUntil is the report's, and its answers are the report's verdicts", () => {
    fc.assert(
      fc.property(cases, ([input, asOf]) => {
        const e = evaluated(input, asOf);
        if (!e) return;
        const r = evaluateForRound(e.t.profile, asOf, book);
        const report = e.report;
        expect(r.validUntil).toBe(report.validUntil);
        expect(r.inPool).toBe(report.inPool);
        expect(r.programs).toEqual(report.programs.filter((p) => p.eligible).map((p) => p.program));
        expect(r.categories).toEqual(report.categories.filter((c) => c.eligible).map((c) => c.id));
        expect(r.crs).toBe(report.crs.status === "scored" ? report.crs.total : null);
      }),
      { numRuns: 250 },
    );
  });
});

describe("eligibleUntil: the day before the engine first says 'not eligible'", () => {
  it("for every program, category version and the pool that hold on the as-of date", () => {
    let lapsed = 0;
    fc.assert(
      fc.property(cases, ([input, asOf]) => {
        const e = evaluated(input, asOf);
        if (!e) return;
        const start = dayOf(asOf);
        const followed = [
          ...e.report.programs
            .filter((p) => p.eligible)
            .map((p) => ({
              name: p.program,
              until: p.eligibleUntil,
              holds: (a: Answers) => a.programs.includes(p.program),
            })),
          ...e.report.categories
            .filter((c) => c.eligible)
            .map((c) => ({
              name: c.id,
              until: c.eligibleUntil,
              holds: (a: Answers) => a.categories.includes(c.id),
            })),
          ...(e.report.inPool
            ? [{ name: "pool", until: e.report.pool.eligibleUntil, holds: (a: Answers) => a.inPool }]
            : []),
        ];
        if (followed.length === 0) return;
        const horizon = Math.max(
          ...followed.map((f) =>
            f.until === null || f.until === undefined
              ? start + SPAN
              : Math.min(dayOf(f.until) + 1, start + SPAN),
          ),
        );
        const answers = new Map<Day, Answers>();
        for (let d = start; d <= horizon; d++) answers.set(d, answersOn(e.t, d));
        for (const f of followed) {
          expect(f.until).not.toBeUndefined();
          const end = f.until === null ? start + SPAN : Math.min(dayOf(f.until as string), start + SPAN);
          for (let d = start; d <= end; d++)
            if (!f.holds(answers.get(d) as Answers))
              throw new Error(
                `${f.name} not eligible on ${isoOf(d)}, before its eligibleUntil ${f.until} (as of ${asOf})`,
              );
          if (f.until !== null && dayOf(f.until as string) + 1 <= start + SPAN) {
            lapsed++;
            expect(f.holds(answers.get(dayOf(f.until as string) + 1) as Answers)).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
    expect(lapsed).toBeGreaterThan(40);
  });
});

describe("the FSW grid at a birthday (the case that showed the blind spot)", () => {
  // Born 1989-06-15; CLB 9 in all four (CELPIP 9 of 2025-09-15, valid until 2027-09-14); master's from a
  // Canadian institution; exactly one year of skilled work abroad (2024-01-01 → 2024-12-30, 365 days at
  // 30 h: 1,564 h), single, no offer, funds CAD 30,000 for one (2025 table: 15,263).
  // Grid on 2026-03-01 (age 36): language 6 × 4 = 24; education 23; experience 1 year 9; age 36 → 11;
  // arranged 0; adaptability 0 → 67 = the pass mark. On 2026-06-15 (age 37) age → 10: 66 < 67.
  const p: ProfileInput = {
    dateOfBirth: "1989-06-15",
    maritalStatus: "single",
    education: { level: "masters", obtainedIn: "canada" },
    languageTests: [celpip(9, 9, 9, 9, "2025-09-15")],
    workHistory: [{ noc: "11100", country: "IN", start: "2024-01-01", end: "2024-12-30", hoursPerWeek: 30 }],
    settlementFunds: 30_000,
  };
  const fswOn = (asOf: string) => {
    const r = eligibilityOf(p, { asOf, book, today: () => asOf });
    if (r.status !== "evaluated") throw new Error("invalid");
    return { r, fsw: r.programs.find((x) => x.program === "FSW") };
  };
  it("on 2026-03-01: FSW with exactly 67, holding until the day before the 37th birthday", () => {
    const { r, fsw } = fswOn("2026-03-01");
    expect(fsw?.grid?.total).toBe(67);
    expect(fsw?.eligible).toBe(true);
    expect(fsw?.eligibleUntil).toBe("2026-06-14");
    expect(fsw?.lapseReason).toMatch(/selection grid/);
    expect(fsw?.lapseReason).toContain("66 points");
    // The pool rests on FSW alone (no Canadian work, no trade): it lapses with it.
    expect(r.pool.eligibleUntil).toBe("2026-06-14");
    expect(r.validUntil).not.toBeNull();
    expect(r.validUntil! <= "2026-06-14").toBe(true);
  });
  it("on 2026-06-14 still 67; on 2026-06-15 the engine itself says 66, not eligible", () => {
    expect(fswOn("2026-06-14").fsw?.grid?.total).toBe(67);
    const after = fswOn("2026-06-15").fsw;
    expect(after?.grid?.total).toBe(66);
    expect(after?.eligible).toBe(false);
  });
});
