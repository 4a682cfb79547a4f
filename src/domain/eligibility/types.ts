import type { Source } from "../../rules/schema.js";
import { englishOf, type Message } from "./messages.js";

/** One condition of a program or category, met or not, with the reason in words. */
export interface Check {
  id: string;
  label: string;
  met: boolean;
  detail: string;
  /** The label as a message (code and parameters): `label` is its English text. */
  labelMessage: Message;
  /** The detail as a message: `detail` is its English text. */
  message: Message;
}

/** A check whose label and detail are the English text of their messages. */
export function checkOf(id: string, met: boolean, label: Message, detail: Message): Check {
  return {
    id,
    label: englishOf(label),
    met,
    detail: englishOf(detail),
    labelMessage: label,
    message: detail,
  };
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
  /** `lapseReason` as a message. */
  lapseMessage?: Message;
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
  qualifyingOccupation: { noc: string; title: string; titleFr: string; hours: number } | null;
  eligibleUntil?: string | null;
  lapseReason?: string;
  /** `lapseReason` as a message. */
  lapseMessage?: Message;
  unverifiedConditions: string[];
  rules: RuleCitation;
}
