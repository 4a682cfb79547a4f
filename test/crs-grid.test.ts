/**
 * Every row of every CRS table, in both spouse columns. Expected values are transcribed from the
 * published grid (reference notes §1.2–§1.5), not produced by the implementation.
 */
import { describe, expect, it } from "vitest";
import { accompanyingSpouse, celpip, expectSubtotalsAddUp, pointsOf, scoreOf, tcf } from "./helpers.js";

const withSpouse = { maritalStatus: "married" as const, spouse: accompanyingSpouse() };

// [age, with spouse, without spouse]
const AGE: [number, number, number][] = [
  [17, 0, 0],
  [18, 90, 99],
  [19, 95, 105],
  [20, 100, 110],
  [21, 100, 110],
  [22, 100, 110],
  [23, 100, 110],
  [24, 100, 110],
  [25, 100, 110],
  [26, 100, 110],
  [27, 100, 110],
  [28, 100, 110],
  [29, 100, 110],
  [30, 95, 105],
  [31, 90, 99],
  [32, 85, 94],
  [33, 80, 88],
  [34, 75, 83],
  [35, 70, 77],
  [36, 65, 72],
  [37, 60, 66],
  [38, 55, 61],
  [39, 50, 55],
  [40, 45, 50],
  [41, 35, 39],
  [42, 25, 28],
  [43, 15, 17],
  [44, 5, 6],
  [45, 0, 0],
  [46, 0, 0],
  [60, 0, 0],
  [0, 0, 0],
  [16, 0, 0],
];

// [education, with spouse, without spouse]
const EDUCATION: [string, number, number][] = [
  ["none", 0, 0],
  ["secondary", 28, 30],
  ["one-year", 84, 90],
  ["two-year", 91, 98],
  ["bachelors", 112, 120],
  ["two-or-more", 119, 128],
  ["masters", 126, 135],
  ["doctoral", 140, 150],
];

// [CLB, with spouse, without spouse] per ability, first official language
const FIRST_LANGUAGE: [number, number, number][] = [
  [3, 0, 0],
  [4, 6, 6],
  [5, 6, 6],
  [6, 8, 9],
  [7, 16, 17],
  [8, 22, 23],
  [9, 29, 31],
  [10, 32, 34],
  [12, 32, 34],
];

// [NCLC, with spouse, without spouse] per ability, second official language (uncapped per ability)
const SECOND_LANGUAGE: [number, number, number][] = [
  [0, 0, 0],
  [4, 0, 0],
  [5, 1, 1],
  [6, 1, 1],
  [7, 3, 3],
  [8, 3, 3],
  [9, 6, 6],
  [10, 6, 6],
];

// [years, with spouse, without spouse]
const CANADIAN_WORK: [number, number, number][] = [
  [0, 0, 0],
  [1, 35, 40],
  [2, 46, 53],
  [3, 56, 64],
  [4, 63, 72],
  [5, 70, 80],
  [6, 70, 80],
  [10, 70, 80],
];

describe("A. core / human capital", () => {
  it.each(AGE)("age %i → %i with spouse, %i without", (age, withS, without) => {
    expect(pointsOf(scoreOf({ age, ...withSpouse }), "core.age")).toBe(withS);
    expect(pointsOf(scoreOf({ age }), "core.age")).toBe(without);
  });

  it.each(EDUCATION)("education %s → %i with spouse, %i without", (education, withS, without) => {
    const e = education as "none";
    expect(pointsOf(scoreOf({ education: e, ...withSpouse }), "core.education")).toBe(withS);
    expect(pointsOf(scoreOf({ education: e }), "core.education")).toBe(without);
  });

  it.each(FIRST_LANGUAGE)("first language CLB %i → %i/%i per ability", (clb, withS, without) => {
    const single = scoreOf({ firstLanguage: celpip(clb) });
    const married = scoreOf({ firstLanguage: celpip(clb), ...withSpouse });
    for (const ability of ["speaking", "listening", "reading", "writing"]) {
      expect(pointsOf(single, `core.firstLanguage.${ability}`)).toBe(without);
      expect(pointsOf(married, `core.firstLanguage.${ability}`)).toBe(withS);
    }
    expect(pointsOf(single, "core.firstLanguage")).toBe(4 * without);
    expect(pointsOf(married, "core.firstLanguage")).toBe(4 * withS);
  });

  it("first language maxima are 128 with spouse and 136 without", () => {
    expect(scoreOf({ firstLanguage: celpip(10) }).core.lines[2]?.maximum).toBe(136);
    expect(scoreOf({ firstLanguage: celpip(10), ...withSpouse }).core.lines[2]?.maximum).toBe(128);
  });

  it.each(SECOND_LANGUAGE)("second language NCLC %i → %i/%i per ability", (nclc, withS, without) => {
    const second = tcf(nclc);
    const single = scoreOf({ secondLanguage: second });
    const married = scoreOf({ secondLanguage: second, ...withSpouse });
    expect(pointsOf(single, "core.secondLanguage.speaking")).toBe(without);
    expect(pointsOf(married, "core.secondLanguage.writing")).toBe(withS);
  });

  it("second language is capped at 22 with spouse and 24 without", () => {
    // 4 × 6 = 24: reaches the single cap exactly, exceeds the with-spouse cap.
    expect(pointsOf(scoreOf({ secondLanguage: tcf(9) }), "core.secondLanguage")).toBe(24);
    expect(pointsOf(scoreOf({ secondLanguage: tcf(9), ...withSpouse }), "core.secondLanguage")).toBe(22);
    // 6 + 6 + 6 + 3 = 21: under both caps.
    expect(pointsOf(scoreOf({ secondLanguage: tcf(9, 9, 9, 7), ...withSpouse }), "core.secondLanguage")).toBe(
      21,
    );
  });

  it.each(CANADIAN_WORK)("Canadian work %i years → %i/%i", (years, withS, without) => {
    expect(pointsOf(scoreOf({ canadianWorkYears: years, ...withSpouse }), "core.canadianWork")).toBe(withS);
    expect(pointsOf(scoreOf({ canadianWorkYears: years }), "core.canadianWork")).toBe(without);
  });

  it("core maxima: 460 with spouse, 500 without", () => {
    const best = {
      age: 25,
      education: "doctoral" as const,
      firstLanguage: celpip(10),
      secondLanguage: tcf(10),
      canadianWorkYears: 5,
    };
    const single = scoreOf(best);
    const married = scoreOf({ ...best, ...withSpouse });
    expect(single.core.subtotal).toBe(500);
    expect(single.core.maximum).toBe(500);
    expect(married.core.subtotal).toBe(460);
    expect(married.core.maximum).toBe(460);
  });
});

describe("B. spouse or common-law partner factors", () => {
  const SPOUSE_EDUCATION: [string, number][] = [
    ["none", 0],
    ["secondary", 2],
    ["one-year", 6],
    ["two-year", 7],
    ["bachelors", 8],
    ["two-or-more", 9],
    ["masters", 10],
    ["doctoral", 10],
  ];
  it.each(SPOUSE_EDUCATION)("spouse education %s → %i", (education, points) => {
    const r = scoreOf({ maritalStatus: "married", spouse: accompanyingSpouse({ education }) });
    expect(pointsOf(r, "spouse.education")).toBe(points);
  });

  const SPOUSE_LANGUAGE: [number, number][] = [
    [3, 0],
    [4, 0],
    [5, 1],
    [6, 1],
    [7, 3],
    [8, 3],
    [9, 5],
    [10, 5],
  ];
  it.each(SPOUSE_LANGUAGE)("spouse language CLB %i → %i per ability", (clb, points) => {
    const r = scoreOf({ maritalStatus: "common-law", spouse: accompanyingSpouse({ language: celpip(clb) }) });
    expect(pointsOf(r, "spouse.language.speaking")).toBe(points);
    expect(pointsOf(r, "spouse.language")).toBe(4 * points);
  });

  it("spouse language in French (TCF) counts the same way", () => {
    const r = scoreOf({ maritalStatus: "married", spouse: accompanyingSpouse({ language: tcf(7) }) });
    expect(pointsOf(r, "spouse.language")).toBe(12);
  });

  const SPOUSE_WORK: [number, number][] = [
    [0, 0],
    [1, 5],
    [2, 7],
    [3, 8],
    [4, 9],
    [5, 10],
    [9, 10],
  ];
  it.each(SPOUSE_WORK)("spouse Canadian work %i years → %i", (years, points) => {
    const r = scoreOf({ maritalStatus: "married", spouse: accompanyingSpouse({ canadianWorkYears: years }) });
    expect(pointsOf(r, "spouse.canadianWork")).toBe(points);
  });

  it("spouse maximum is 40", () => {
    const r = scoreOf({
      maritalStatus: "married",
      spouse: accompanyingSpouse({ education: "doctoral", language: celpip(10), canadianWorkYears: 5 }),
    });
    expect(r.spouse.subtotal).toBe(40);
    expect(r.spouse.maximum).toBe(40);
    expectSubtotalsAddUp(r);
  });
});

describe("C. skill transferability", () => {
  // [education, CLB (all four), expected education+language]
  const EDU_LANG: [string, number, number][] = [
    ["secondary", 10, 0],
    ["one-year", 6, 0],
    ["one-year", 7, 13],
    ["one-year", 9, 25],
    ["two-year", 7, 13],
    ["two-year", 9, 25],
    ["bachelors", 8, 13],
    ["bachelors", 9, 25],
    ["two-or-more", 7, 25],
    ["two-or-more", 9, 50],
    ["masters", 7, 25],
    ["masters", 10, 50],
    ["doctoral", 8, 25],
    ["doctoral", 9, 50],
  ];
  it.each(EDU_LANG)("education %s + CLB %i → %i", (education, clb, points) => {
    const r = scoreOf({ education: education as "none", firstLanguage: celpip(clb) });
    expect(pointsOf(r, "skillTransferability.education.language")).toBe(points);
  });

  it("the language tiers read the lowest of the four abilities", () => {
    // CLB 9/9/9/8 is "7+ with one below 9", not "9+".
    const r = scoreOf({ education: "masters", firstLanguage: celpip(9, 9, 9, 8) });
    expect(pointsOf(r, "skillTransferability.education.language")).toBe(25);
    const low = scoreOf({ education: "masters", firstLanguage: celpip(10, 10, 10, 6) });
    expect(pointsOf(low, "skillTransferability.education.language")).toBe(0);
  });

  // [education, Canadian years, expected]
  const EDU_CDN: [string, number, number][] = [
    ["secondary", 5, 0],
    ["one-year", 0, 0],
    ["one-year", 1, 13],
    ["two-year", 2, 25],
    ["bachelors", 1, 13],
    ["bachelors", 3, 25],
    ["two-or-more", 1, 25],
    ["masters", 2, 50],
    ["doctoral", 1, 25],
    ["doctoral", 5, 50],
  ];
  it.each(EDU_CDN)("education %s + %i years in Canada → %i", (education, years, points) => {
    const r = scoreOf({ education: education as "none", firstLanguage: celpip(4), canadianWorkYears: years });
    expect(pointsOf(r, "skillTransferability.education.canadianWork")).toBe(points);
  });

  // [foreign years, CLB, expected foreign+language]
  const FOREIGN_LANG: [number, number, number][] = [
    [0, 10, 0],
    [1, 6, 0],
    [1, 7, 13],
    [2, 8, 13],
    [1, 9, 25],
    [2, 10, 25],
    [3, 7, 25],
    [3, 9, 50],
    [8, 10, 50],
  ];
  it.each(FOREIGN_LANG)("%i years abroad + CLB %i → %i", (years, clb, points) => {
    const r = scoreOf({ foreignWorkYears: years, firstLanguage: celpip(clb) });
    expect(pointsOf(r, "skillTransferability.foreignWork.language")).toBe(points);
  });

  // [foreign years, Canadian years, expected]
  const FOREIGN_CDN: [number, number, number][] = [
    [0, 3, 0],
    [1, 0, 0],
    [1, 1, 13],
    [2, 1, 13],
    [2, 2, 25],
    [1, 4, 25],
    [3, 1, 25],
    [3, 2, 50],
    [5, 5, 50],
  ];
  it.each(FOREIGN_CDN)("%i years abroad + %i in Canada → %i", (foreign, canadian, points) => {
    const r = scoreOf({ foreignWorkYears: foreign, canadianWorkYears: canadian, firstLanguage: celpip(4) });
    expect(pointsOf(r, "skillTransferability.foreignWork.canadianWork")).toBe(points);
  });

  // [CLB S, L, R, W, expected certificate points]
  const COQ: [number, number, number, number, number][] = [
    [4, 4, 4, 4, 0],
    [5, 5, 5, 4, 0],
    [5, 5, 5, 5, 25],
    [6, 6, 6, 6, 25],
    [7, 7, 7, 6, 25],
    [7, 7, 7, 7, 50],
    [10, 10, 10, 10, 50],
  ];
  it.each(COQ)("certificate of qualification with CLB %i/%i/%i/%i → %i", (s, l, r, w, points) => {
    const result = scoreOf({ certificateOfQualification: true, firstLanguage: celpip(s, l, r, w) });
    expect(pointsOf(result, "skillTransferability.certificateOfQualification")).toBe(points);
    expect(
      pointsOf(
        scoreOf({ firstLanguage: celpip(s, l, r, w) }),
        "skillTransferability.certificateOfQualification",
      ),
    ).toBe(0);
  });

  it("each group is capped at 50 and the section at 100", () => {
    const r = scoreOf({
      education: "doctoral",
      firstLanguage: celpip(10),
      canadianWorkYears: 2,
      foreignWorkYears: 3,
      certificateOfQualification: true,
    });
    expect(pointsOf(r, "skillTransferability.education")).toBe(50);
    expect(pointsOf(r, "skillTransferability.foreignWork")).toBe(50);
    expect(pointsOf(r, "skillTransferability.certificateOfQualification")).toBe(50);
    expect(r.skillTransferability.subtotal).toBe(100);
    expect(r.skillTransferability.maximum).toBe(100);
  });
});

describe("D. additional points (rule set of 2025-03-25)", () => {
  it("provincial nomination → 600", () => {
    expect(pointsOf(scoreOf({ provincialNomination: true }), "additional.provincialNomination")).toBe(600);
  });
  it("sibling in Canada → 15", () => {
    expect(pointsOf(scoreOf({ siblingInCanada: true }), "additional.sibling")).toBe(15);
  });
  const CDN_EDU: [string, number][] = [
    ["secondary-or-less", 0],
    ["one-or-two-year", 15],
    ["three-year-or-more", 30],
  ];
  it.each(CDN_EDU)("Canadian education %s → %i", (credential, points) => {
    const r = scoreOf({ education: "masters", canadianEducation: credential as "secondary-or-less" });
    expect(pointsOf(r, "additional.canadianEducation")).toBe(points);
  });
  it("French: NCLC 7+ all four with no English test → 25 (French as first language)", () => {
    expect(pointsOf(scoreOf({ firstLanguage: tcf(7) }), "additional.frenchProficiency")).toBe(25);
  });
  it("French: NCLC 7+ all four and English CLB 4 in one ability → 25", () => {
    const r = scoreOf({ firstLanguage: tcf(8), secondLanguage: celpip(9, 9, 9, 4) });
    expect(pointsOf(r, "additional.frenchProficiency")).toBe(25);
  });
  it("French: NCLC 7+ all four and English CLB 5+ all four → 50", () => {
    const r = scoreOf({ firstLanguage: celpip(5), secondLanguage: tcf(7) });
    expect(pointsOf(r, "additional.frenchProficiency")).toBe(50);
  });
  it("French: one French ability below NCLC 7 → 0", () => {
    const r = scoreOf({ firstLanguage: celpip(10), secondLanguage: tcf(10, 10, 10, 6) });
    expect(pointsOf(r, "additional.frenchProficiency")).toBe(0);
  });
  it("the additional total is capped at 600", () => {
    const r = scoreOf({
      provincialNomination: true,
      siblingInCanada: true,
      education: "masters",
      canadianEducation: "three-year-or-more",
      firstLanguage: celpip(9),
      secondLanguage: tcf(7),
    });
    expect(r.additional.subtotal).toBe(600);
    expectSubtotalsAddUp(r);
  });
});
