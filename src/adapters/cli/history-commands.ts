/**
 * `ee history …`: IRCC's published rounds (sync, list, show, stats) and "would I have been invited?"
 * (check). What they do is in history-actions.ts, loaded only when one runs.
 */
import type { Command } from "commander";

type Actions = typeof import("./history-actions.js");

export function registerHistoryCommands(program: Command, setExit: (code: number) => void): void {
  const lazily =
    <A extends unknown[]>(pick: (actions: Actions) => (...args: A) => Promise<number>) =>
    async (...args: A) =>
      setExit(await pick(await import("./history-actions.js"))(...args));
  const history = program
    .command("history")
    .description(
      "IRCC's published rounds of invitations: the shipped history, or the one `history sync` stored in --db",
    );
  const dbOpt = [
    "--db <path>",
    "read the history synced into this database (default: $EE_DB; without either, the shipped history)",
  ] as const;
  const jsonOpt = ["--json", "print the result as JSON; errors as JSON on stderr"] as const;
  const filters = (c: Command) =>
    c
      .option("--kind <kind>", "general, program or category")
      .option("--category <name>", "a program (CEC, PNP, FSW, FST), a category (healthcare) or a version id")
      .option("--from <date>", "rounds on or after this date (YYYY-MM-DD)")
      .option("--to <date>", "rounds on or before this date (YYYY-MM-DD)");

  history
    .command("sync")
    .description("Read IRCC's rounds feed (a file or an http(s) URL) into the database, all or nothing")
    .option("--from <path|url>", "the English feed (default: IRCC's ee_rounds_123_en.json on canada.ca)")
    .option("--french <path|url>", "the French feed (ee_rounds_123_fr.json), for the French round names")
    .option("--third-party <path|url>", "a marked third-party copy that adds rounds IRCC's feed lacks")
    .option("--db <path>", "database to write (created if absent; default: $EE_DB or ./ee.sqlite)")
    .option(...jsonOpt)
    .action(lazily((a) => a.historySync));

  filters(
    history.command("list").description("Rounds, oldest first: number, date, name, size, cut-off, tie-break"),
  )
    .option(...dbOpt)
    .option(...jsonOpt)
    .action(lazily((a) => a.historyList));

  history
    .command("show")
    .description("One round as published, with its pool distribution and the feed's anomalies")
    .argument("<N>", "round number (397, 91a)")
    .option(...dbOpt)
    .option(...jsonOpt)
    .action(lazily((a) => a.historyShow));

  filters(
    history
      .command("stats")
      .description(
        "Per kind and category: cut-off over time (a chart in a terminal), invitations per year, the pool distribution and the inflow per band",
      ),
  )
    .option("--chart", "draw the cut-off charts even when not in a terminal")
    .option(...dbOpt)
    .option(...jsonOpt)
    .action(lazily((a) => a.historyStats));

  history
    .command("check")
    .description(
      "Would this profile have been invited? Every round from its submission while it was in the pool",
    )
    .argument("<file>", "a profile (JSON) with submittedAt, or '-' for standard input")
    .option("--submitted-at <instant>", "the profile's submission time, if the file has none")
    .option(...dbOpt)
    .option(...jsonOpt)
    .action(lazily((a) => a.historyCheck));
}
