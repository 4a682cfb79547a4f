/**
 * Where `ee forecast` reads the published rounds from, and how a round name becomes a forecast target.
 * Stand-in until the history importer lands: the shipped table rules/ircc-rounds.json (HistoryRound[]),
 * and the name mapping over RuleBook.categoryByRoundName.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { forecastKind, type ForecastTarget } from "../../domain/forecast/forecast.js";
import type { HistoryRound } from "../../domain/history/round-record.js";
import { normalizeRoundName, type RuleBook } from "../../rules/rule-book.js";
import { rulesDirectory } from "../../rules/load.js";

export function forecastHistory(_book: RuleBook): HistoryRound[] {
  const file = join(rulesDirectory(), "ircc-rounds.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as HistoryRound[]) : [];
}

const PROGRAMS: Record<string, HistoryRound["program"]> = {
  canadianexperienceclass: "CEC",
  provincialnomineeprogram: "PNP",
  federalskilledtrades: "FST",
  federalskilledworker: "FSW",
};
const GENERAL = new Set(["general", "noprogramspecified"]);

export function targetOfRoundName(
  name: string,
  book: RuleBook,
): Omit<ForecastTarget, "invitations" | "date"> | null {
  const key = normalizeRoundName(name);
  if (GENERAL.has(key)) return { kind: "general", class: "general" };
  const program = PROGRAMS[key];
  if (program) return { kind: program, class: "program" };
  const version = book.categoryByRoundName(name);
  if (version)
    return { kind: forecastKind({ kind: "category", category: version.category }), class: "category" };
  return null;
}

/** The round names to suggest: every distinct name of the history, newest first. */
export function knownRoundNames(rounds: readonly HistoryRound[], _book: RuleBook): string[] {
  const seen = new Map<string, string>();
  for (const r of [...rounds].sort((a, b) => b.order - a.order))
    if (!seen.has(normalizeRoundName(r.name))) seen.set(normalizeRoundName(r.name), r.name);
  return [...seen.values()];
}
