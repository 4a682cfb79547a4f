/** Test helpers: questionnaires built from a readable base, and lookups into the explanation tree. */
import { expect } from "vitest";
import type { CrsLine, CrsOutcome, CrsScore, QuestionnaireInput } from "../src/index.js";
import { score } from "../src/index.js";

export const AS_OF = "2026-06-01";

/** CELPIP levels equal CLB levels for 4–9 (10–12 → CLB 10), so CELPIP makes CLB-driven cases readable. */
export function celpip(s: number, l = s, r = s, w = s, date = "2026-01-10") {
  return { test: "CELPIP", date, speaking: s, listening: l, reading: r, writing: w } as const;
}

/** TCF Canada results at the bottom of an NCLC band (S/W on 0–20, L/R on 0–699). */
const TCF_MIN: Record<number, { s: number; l: number; r: number; w: number }> = {
  0: { s: 0, l: 0, r: 0, w: 0 },
  4: { s: 4, l: 331, r: 342, w: 4 },
  5: { s: 6, l: 369, r: 375, w: 6 },
  6: { s: 7, l: 398, r: 406, w: 7 },
  7: { s: 10, l: 458, r: 453, w: 10 },
  8: { s: 12, l: 503, r: 499, w: 12 },
  9: { s: 14, l: 523, r: 524, w: 14 },
  10: { s: 16, l: 549, r: 549, w: 16 },
};
export function tcf(nclcS: number, nclcL = nclcS, nclcR = nclcS, nclcW = nclcS, date = "2026-01-10") {
  const at = (n: number) =>
    TCF_MIN[n] ??
    (() => {
      throw new Error(`no TCF row for NCLC ${n}`);
    })();
  return {
    test: "TCF",
    date,
    speaking: at(nclcS).s,
    listening: at(nclcL).l,
    reading: at(nclcR).r,
    writing: at(nclcW).w,
  } as const;
}

export function questionnaire(overrides: Partial<QuestionnaireInput> = {}): QuestionnaireInput {
  return {
    asOf: AS_OF,
    maritalStatus: "single",
    age: 29,
    education: "bachelors",
    canadianEducation: null,
    firstLanguage: celpip(9),
    secondLanguage: null,
    canadianWorkYears: 0,
    foreignWorkYears: 0,
    certificateOfQualification: false,
    jobOffer: null,
    provincialNomination: false,
    siblingInCanada: false,
    ...overrides,
  };
}

type SpouseInput = NonNullable<QuestionnaireInput["spouse"]>;

/** An accompanying spouse who is not a citizen/PR (the "with spouse" columns); overrides are unchecked on purpose. */
export function accompanyingSpouse(overrides: Record<string, unknown> = {}): SpouseInput {
  return {
    canadianCitizenOrPR: false,
    accompanying: true,
    education: "none",
    canadianWorkYears: 0,
    language: null,
    ...overrides,
  } as SpouseInput;
}

export function scored(outcome: CrsOutcome): CrsScore {
  if (outcome.status !== "scored") throw new Error(`expected a score, got ${JSON.stringify(outcome)}`);
  return outcome;
}

export function scoreOf(overrides: Partial<QuestionnaireInput> = {}, asOf?: string): CrsScore {
  return scored(score(questionnaire(overrides), asOf ? { asOf } : {}));
}

/** Finds a line anywhere in the tree by its factor id, e.g. "core.age" or "core.firstLanguage.speaking". */
export function line(result: CrsScore, factor: string): CrsLine {
  const walk = (lines: CrsLine[]): CrsLine | undefined => {
    for (const l of lines) {
      if (l.factor === factor) return l;
      const found = walk(l.lines ?? []);
      if (found) return found;
    }
    return undefined;
  };
  const found = walk([
    ...result.core.lines,
    ...result.spouse.lines,
    ...result.skillTransferability.lines,
    ...result.additional.lines,
  ]);
  if (!found) throw new Error(`no line ${factor}`);
  return found;
}

export const pointsOf = (result: CrsScore, factor: string) => line(result, factor).points;

export function expectSubtotalsAddUp(result: CrsScore) {
  const sections = [result.core, result.spouse, result.skillTransferability, result.additional];
  expect(result.total).toBe(sections.reduce((acc, s) => acc + s.subtotal, 0));
}
