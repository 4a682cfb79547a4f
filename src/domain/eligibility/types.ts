import type { Source } from "../../rules/schema.js";

/** One condition of a program or category, met or not, with the reason in words. */
export interface Check {
  id: string;
  label: string;
  met: boolean;
  detail: string;
}

export interface RuleCitation {
  id: string;
  source: Source;
}

export interface FswGridLine {
  factor: string;
  label: string;
  input: string;
  points: number;
  maximum: number;
}

export interface ProgramResult {
  program: "FSW" | "CEC" | "FST";
  title: string;
  eligible: boolean;
  checks: Check[];
  rules: RuleCitation;
  /** Last day the program stays met if nothing changes; null when no end is foreseen; undefined when not eligible. */
  eligibleUntil?: string | null;
  lapseReason?: string;
  grid?: { total: number; passMark: number; lines: FswGridLine[] };
}

export interface CategoryResult {
  id: string;
  category: string;
  title: string;
  roundName: string | null;
  inForce: { from: string; to: string | null };
  eligible: boolean;
  checks: Check[];
  /** The listed occupation the experience qualifies in. */
  qualifyingOccupation: { noc: string; title: string; hours: number } | null;
  eligibleUntil?: string | null;
  lapseReason?: string;
  unverifiedConditions: string[];
  rules: RuleCitation;
}
