/**
 * The round history the project ships (rules/ircc-rounds.json, written by `npm run import:rounds` from
 * IRCC's feed), so a fresh offline install has it; `ee history sync` puts a newer one in the store.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { rulesDirectory } from "../../rules/load.js";
import type { HistoryAnomaly, HistoryRound } from "../../domain/history/round-record.js";

export interface HistoryFile {
  source: { feed: string; thirdParty: string | null; note: string };
  /** The feed's newest round and the number of rounds, for a reader's first look. */
  newest: string;
  rounds: HistoryRound[];
  anomalies: HistoryAnomaly[];
}

export const HISTORY_FILE_NAME = "ircc-rounds.json";

let cached: HistoryFile | undefined;

export function shippedHistoryFile(): HistoryFile {
  return (cached ??= JSON.parse(
    readFileSync(join(rulesDirectory(), HISTORY_FILE_NAME), "utf8"),
  ) as HistoryFile);
}

/** The shipped rounds, oldest first. */
export function shippedHistory(): HistoryRound[] {
  return shippedHistoryFile().rounds;
}
