/**
 * The published rounds the synthetic pools and the replay read: the project's shipped normalized
 * history (rules/ircc-rounds.json, an array of HistoryRound written by the history importer).
 * TODO(synth): use the history module's shippedHistory() once it is on main (one loader).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { HistoryRound } from "../domain/history/round-record.js";
import { rulesDirectory } from "../rules/index.js";

export class HistoryUnavailableError extends Error {}

export function shippedHistoryRounds(path = join(rulesDirectory(), "ircc-rounds.json")): HistoryRound[] {
  if (!existsSync(path))
    throw new HistoryUnavailableError(`the published rounds are not available (${path} is missing)`);
  return JSON.parse(readFileSync(path, "utf8")) as HistoryRound[];
}
