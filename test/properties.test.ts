/** Property-based tests: caps, sums and monotonicity hold for every questionnaire, not just examples. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CrsLine, type CrsScore, score } from "../src/index.js";
import { scored } from "./helpers.js";

const EDUCATION = [
  "none",
  "secondary",
  "one-year",
  "two-year",
  "bachelors",
  "two-or-more",
  "masters",
  "doctoral",
] as const;
const AS_OF = [
  "2016-01-15",
  "2017-01-15",
  "2019-03-01",
  "2022-07-01",
  "2025-03-24",
  "2025-03-25",
  "2026-11-21",
];

const clb = fc.integer({ min: 0, max: 12 });
const celpip = (date: string) =>
  fc.record({
    test: fc.constant("CELPIP"),
    date: fc.constant(date),
    speaking: clb,
    listening: clb,
    reading: clb,
    writing: clb,
  });
// TCF speaking/writing are on 0–20, listening/reading on 0–699.
const tcf = (date: string) =>
  fc.record({
    test: fc.constant("TCF"),
    date: fc.constant(date),
    speaking: fc.integer({ min: 0, max: 20 }),
    listening: fc.integer({ min: 0, max: 699 }),
    reading: fc.integer({ min: 0, max: 699 }),
    writing: fc.integer({ min: 0, max: 20 }),
  });

const questionnaireArb = fc.constantFrom(...AS_OF).chain((asOf) =>
  fc.record({
    asOf: fc.constant(asOf),
    maritalStatus: fc.constantFrom("single", "married", "common-law", "divorced", "widowed"),
    spouse: fc.record({
      canadianCitizenOrPR: fc.boolean(),
      accompanying: fc.boolean(),
      education: fc.constantFrom(...EDUCATION),
      canadianWorkYears: fc.integer({ min: 0, max: 8 }),
      language: fc.option(celpip(asOf), { nil: null }),
    }),
    age: fc.integer({ min: 15, max: 60 }),
    education: fc.constantFrom(...EDUCATION),
    canadianEducation: fc.constant(null),
    firstLanguage: celpip(asOf),
    secondLanguage: fc.option(tcf(asOf), { nil: null }),
    canadianWorkYears: fc.integer({ min: 0, max: 8 }),
    foreignWorkYears: fc.integer({ min: 0, max: 8 }),
    certificateOfQualification: fc.boolean(),
    jobOffer: fc.constantFrom(null, "major-group-00", "teer-0-1-2-3"),
    provincialNomination: fc.boolean(),
    siblingInCanada: fc.boolean(),
  }),
);

type Q = typeof questionnaireArb extends fc.Arbitrary<infer T> ? T : never;
const total = (q: Q) => scored(score(q)).total;

function allLines(result: CrsScore): CrsLine[] {
  const out: CrsLine[] = [];
  const walk = (lines: CrsLine[]) => {
    for (const l of lines) {
      out.push(l);
      walk(l.lines ?? []);
    }
  };
  walk([
    ...result.core.lines,
    ...result.spouse.lines,
    ...result.skillTransferability.lines,
    ...result.additional.lines,
  ]);
  return out;
}

describe("invariants", () => {
  it("total = sum of sections; each section within its maximum; total ≤ 1200", () => {
    fc.assert(
      fc.property(questionnaireArb, (q) => {
        const r = scored(score(q));
        const sections = [r.core, r.spouse, r.skillTransferability, r.additional];
        expect(r.total).toBe(sections.reduce((acc, s) => acc + s.subtotal, 0));
        for (const s of sections) {
          expect(s.subtotal).toBeGreaterThanOrEqual(0);
          expect(s.subtotal).toBeLessThanOrEqual(s.maximum);
        }
        expect(r.maximum).toBe(1200);
        expect(r.core.maximum).toBe(r.scoredAs === "with-spouse" ? 460 : 500);
        expect(r.spouse.maximum).toBe(r.scoredAs === "with-spouse" ? 40 : 0);
        expect(r.skillTransferability.subtotal).toBeLessThanOrEqual(100);
        expect(r.additional.subtotal).toBeLessThanOrEqual(600);
        expect(r.total).toBeLessThanOrEqual(1200);
      }),
      { numRuns: 500 },
    );
  });

  it("every line is within its maximum, and a section's lines add up to its subtotal", () => {
    fc.assert(
      fc.property(questionnaireArb, (q) => {
        const r = scored(score(q));
        for (const l of allLines(r))
          if (!l.factor.endsWith(".cap")) expect(l.points).toBeLessThanOrEqual(l.maximum);
        for (const s of [r.core, r.spouse, r.skillTransferability, r.additional])
          expect(s.lines.reduce((acc, l) => acc + l.points, 0)).toBe(s.subtotal);
      }),
      { numRuns: 300 },
    );
  });

  it("each transferability group stays within 50", () => {
    fc.assert(
      fc.property(questionnaireArb, (q) => {
        const r = scored(score(q));
        for (const l of r.skillTransferability.lines)
          if (!l.factor.endsWith(".cap")) expect(l.points).toBeLessThanOrEqual(50);
      }),
      { numRuns: 300 },
    );
  });
});

describe("monotonicity: more never lowers the score", () => {
  const abilities = ["speaking", "listening", "reading", "writing"] as const;

  it("a higher first-language CLB in any ability", () => {
    fc.assert(
      fc.property(questionnaireArb, fc.constantFrom(...abilities), (q, ability) => {
        fc.pre(q.firstLanguage[ability] < 12);
        const better = {
          ...q,
          firstLanguage: { ...q.firstLanguage, [ability]: q.firstLanguage[ability] + 1 },
        };
        expect(total(better)).toBeGreaterThanOrEqual(total(q));
      }),
      { numRuns: 400 },
    );
  });

  it("a higher second-language score in any ability", () => {
    fc.assert(
      fc.property(questionnaireArb, fc.constantFrom(...abilities), (q, ability) => {
        fc.pre(q.secondLanguage !== null);
        const second = q.secondLanguage as NonNullable<Q["secondLanguage"]>;
        const max = ability === "speaking" || ability === "writing" ? 20 : 699;
        fc.pre(second[ability] < max);
        const better = { ...q, secondLanguage: { ...second, [ability]: second[ability] + 1 } };
        expect(total(better)).toBeGreaterThanOrEqual(total(q));
      }),
      { numRuns: 400 },
    );
  });

  it("a higher education level", () => {
    fc.assert(
      fc.property(questionnaireArb, (q) => {
        const i = EDUCATION.indexOf(q.education);
        fc.pre(i < EDUCATION.length - 1);
        expect(total({ ...q, education: EDUCATION[i + 1] as Q["education"] })).toBeGreaterThanOrEqual(
          total(q),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("more Canadian or foreign work experience", () => {
    fc.assert(
      fc.property(questionnaireArb, (q) => {
        expect(total({ ...q, canadianWorkYears: q.canadianWorkYears + 1 })).toBeGreaterThanOrEqual(total(q));
        expect(total({ ...q, foreignWorkYears: q.foreignWorkYears + 1 })).toBeGreaterThanOrEqual(total(q));
      }),
      { numRuns: 300 },
    );
  });

  it("a better-qualified accompanying spouse", () => {
    fc.assert(
      fc.property(questionnaireArb, (q) => {
        const s = q.spouse;
        const i = EDUCATION.indexOf(s.education);
        const nextEducation = EDUCATION[Math.min(i + 1, EDUCATION.length - 1)] as Q["education"];
        expect(total({ ...q, spouse: { ...s, education: nextEducation } })).toBeGreaterThanOrEqual(total(q));
        expect(
          total({ ...q, spouse: { ...s, canadianWorkYears: s.canadianWorkYears + 1 } }),
        ).toBeGreaterThanOrEqual(total(q));
        if (s.language && s.language.speaking < 12)
          expect(
            total({ ...q, spouse: { ...s, language: { ...s.language, speaking: s.language.speaking + 1 } } }),
          ).toBeGreaterThanOrEqual(total(q));
      }),
      { numRuns: 300 },
    );
  });

  it("adding a nomination, sibling or certificate", () => {
    fc.assert(
      fc.property(questionnaireArb, (q) => {
        for (const key of ["provincialNomination", "siblingInCanada", "certificateOfQualification"] as const)
          expect(total({ ...q, [key]: true })).toBeGreaterThanOrEqual(total(q));
      }),
      { numRuns: 200 },
    );
  });
});
