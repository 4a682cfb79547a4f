/**
 * The round history the project ships (rules/ircc-rounds.json, written by `npm run import:rounds` from
 * IRCC's feed), so a fresh offline install has it; `ee history sync` puts a newer one in the store.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { rulesDirectory } from "../../rules/load.js";
import type { HistoryAnomaly, HistoryRound } from "../../domain/history/round-record.js";
import { IRCC_FEED_URL, mergeFeeds, type ParsedFeed } from "../import/ircc-rounds-feed.js";
import type { HistoryInUse } from "../../app/history-service.js";

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

/** The shipped file from the parsed feeds: IRCC's, completed by the French feed and the third-party copy. */
export function buildHistoryFile(
  english: ParsedFeed,
  extras: { french?: ParsedFeed; thirdParty?: ParsedFeed },
): HistoryFile {
  const merged = mergeFeeds(english, extras);
  return {
    source: {
      feed: IRCC_FEED_URL,
      thirdParty: extras.thirdParty
        ? "https://github.com/Gotfrid/canada-immigration-bot (data/data_all.json)"
        : null,
      note: "Normalized by src/adapters/import/ircc-rounds-feed.ts from IRCC's ee_rounds_123_en.json; rounds with source 'third-party' are not in IRCC's feed yet (no distribution, no tie-break). anomalies lists every irregular value of the feed with its round and field.",
    },
    newest: merged.rounds.at(-1)?.number ?? "",
    rounds: merged.rounds,
    anomalies: merged.anomalies,
  };
}

/** The file's text: one round per line, so a new feed's diff reads round by round. */
export function formatHistoryFile(file: HistoryFile): string {
  const lines = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).join(",\n");
  return `{\n"source": ${JSON.stringify(file.source)},\n"newest": ${JSON.stringify(file.newest)},\n"rounds": [\n${lines(file.rounds)}\n],\n"anomalies": [\n${lines(file.anomalies)}\n]\n}\n`;
}

/** The shipped table as the history a command or the API reads when the store has none synced. */
export function shippedHistoryInUse(): HistoryInUse {
  const file = shippedHistoryFile();
  return {
    origin: "shipped",
    syncedAt: null,
    source: file.source.feed,
    rounds: file.rounds,
    anomalies: file.anomalies,
  };
}
