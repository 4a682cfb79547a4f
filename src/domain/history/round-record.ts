/**
 * A published round of invitations, normalized from IRCC's feed: the record every history use case
 * (list, stats, "would I have been invited?", synthetic pools, forecasts) reads.
 */
import type { RoundProgram } from "../rounds/round.js";

export type HistoryKind = "general" | "program" | "category";

/** Where a record's fields come from: IRCC's own feed, or a marked third-party copy (never overriding IRCC). */
export type HistorySource = "ircc" | "third-party";

/** The pool's CRS distribution as IRCC published it with a round: dd1–dd18 (rules/ircc-pool-bands.json). */
export interface PublishedDistribution {
  /** Ottawa date of the snapshot (drawDistributionAsOn). */
  asOf: string;
  /** Profiles per band key (dd1…dd18, subtotals and total included, as published). */
  bands: Record<string, number>;
}

export interface HistoryRound {
  /** As published: "397", or "91a"/"91b". */
  number: string;
  /** Sort key: the number, with a letter suffix as a fraction (91a → 91.1, 91b → 91.2). */
  order: number;
  /** Ottawa calendar date of the round (drawDate). */
  date: string;
  /** UTC instant of the round (drawDateTime), stored form …T14:24:23.000Z; null when unreadable. */
  at: string | null;
  /** The name as IRCC wrote it. */
  name: string;
  /** French name, when a French feed was read. */
  nameFr?: string;
  kind: HistoryKind;
  /** For program rounds. */
  program?: RoundProgram;
  /** For category rounds: the id of the category version of our rules (rules/categories/<id>.json). */
  categoryVersion?: string;
  /** For category rounds: the category across its versions (e.g. "healthcare"). */
  category?: string;
  invitations: number;
  /** CRS of the lowest-ranked candidate invited. */
  cutoff: number;
  /** Tie-break instant (drawCutOff), stored form; null when not published (#1–#76) or unreadable. */
  tieBreak: string | null;
  /** null when the feed has no distribution for the round (all "0"). */
  distribution: PublishedDistribution | null;
  source: HistorySource;
}

/** Something in the feed that was not as the format says, reported with the round and the field. */
export interface HistoryAnomaly {
  round: string;
  field: string;
  message: string;
}
