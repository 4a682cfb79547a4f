/**
 * The synthetic pool's assumptions, in one place. IRCC publishes no pool composition by group or by
 * personal factor (../shared/data/README.md, "Public data on category membership"), so what the rounds
 * cannot reveal is assumed here, each with its reason. docs/synthetic-pools.md explains their use.
 */
import { CATEGORIES } from "../../rules/schema.js";

/** The groups a synthetic pool models: CEC and every category (PNP is the 601–1200 band itself). */
export const SYNTHETIC_GROUPS = ["CEC", ...CATEGORIES] as const;
export type SyntheticGroup = (typeof SYNTHETIC_GROUPS)[number];

/**
 * Share of the pool in each group when no round of the group falls within a year of the pool's date
 * (assumption: orders of magnitude consistent with the rounds of 2023–2026 and IRCC's planned 2024
 * invitation shares by category reported in the press; not a published figure).
 */
export const GROUP_DEFAULT_SHARES: Readonly<Record<SyntheticGroup, number>> = {
  CEC: 0.35,
  "french-language": 0.07,
  healthcare: 0.08,
  stem: 0.12,
  trades: 0.07,
  transport: 0.03,
  agriculture: 0.01,
  education: 0.03,
  physicians: 0.003,
  "senior-managers": 0.005,
  researchers: 0.005,
  military: 0.0005,
};

/** How the observations are weighted: e-folding in days and CRS points, and the window in days. */
export const OBSERVATION_KERNEL = { days: 90, points: 20, windowDays: 365 } as const;

/**
 * Personal factors (assumptions, for plausibility; the CRS they give is calibrated by quota, so these
 * shape who the candidates are, not the pool's distribution).
 */
export const PERSONAL = {
  /** Married or common-law, and of those, accompanied by a spouse who is not a citizen or PR. */
  partnered: 0.45,
  spouseAccompanying: 0.85,
  spouseHasTest: 0.5,
  /** English test taken: IELTS, CELPIP, PTE Core (the rest). */
  ielts: 0.55,
  celpip: 0.3,
  /** Candidates outside the French group who still hold a weaker French result (NCLC 4–6). */
  someFrench: 0.06,
  /** French-group candidates who also hold an English result. */
  frenchAlsoEnglish: 0.85,
  /** A Canadian credential, among candidates with Canadian work. */
  canadianStudy: 0.45,
  sibling: 0.07,
  /** English abroad: countries of work outside Canada. */
  abroad: ["IN", "PH", "NG", "CN", "PK", "IR", "BR", "MX", "VN", "GB", "FR", "MA", "CM", "DZ"],
} as const;

/** NOC 2021 occupations outside every category (TEER 0–3), for candidates in no occupation category. */
export const OTHER_NOCS = [
  "11100",
  "11200",
  "12010",
  "12100",
  "12200",
  "13100",
  "13110",
  "10010",
  "10020",
  "62010",
  "62020",
  "64100",
  "12011",
  "11101",
  "13102",
  "14100",
  "41210",
  "52120",
] as const;
