/**
 * `ee pool …`, `ee round …`, `ee ita …` and `ee sweep`: their arguments, options and help. What they
 * do is in pool-actions.ts, imported only when one of them runs, so that the other commands start
 * without loading SQLite, Kysely and the worker threads.
 */
import type { Command } from "commander";

type Actions = typeof import("./pool-actions.js");
type GenerateActions = typeof import("./generate-action.js");

/** How far from now a sweep may reach without --force: one typo must not expire the whole pool. */
import { SWEEP_REACH_DAYS } from "../../app/sweep-reach.js";
export { SWEEP_REACH_DAYS };

export function registerPoolCommands(program: Command, setExit: (code: number) => void): void {
  /** An action handler that loads the implementations on first use and reports its exit code. */
  const lazily =
    <A extends unknown[]>(pick: (actions: Actions) => (...args: A) => Promise<number>) =>
    async (...args: A) =>
      setExit(await pick(await import("./pool-actions.js"))(...args));

  const pool = program
    .command("pool")
    .description("The pool of candidates (embedded SQLite; --db or EE_DB, default ./ee.sqlite)");
  const dbOpt = ["--db <path>", "SQLite database file (default: $EE_DB or ./ee.sqlite)"] as const;
  const jsonOpt = ["--json", "print the result as JSON; errors as JSON on stderr"] as const;

  pool
    .command("import")
    .description("Add profiles from a JSON array or JSON lines file, all or nothing")
    .argument("<file>", "JSON array or JSON lines; '-' for standard input")
    .option(...dbOpt)
    .option("--now <instant>", "submission time for profiles without submittedAt (default: now)")
    .option(...jsonOpt)
    .action(lazily((a) => a.poolImport));

  pool
    .command("update")
    .description("Edit existing profiles (their submission time, the tie-break key, is kept)")
    .argument("<file>", "JSON array or JSON lines of profiles with their ids")
    .option(...dbOpt)
    .option(...jsonOpt)
    .action(lazily((a) => a.poolUpdate));

  pool
    .command("withdraw")
    .description("Withdraw a profile from the pool")
    .argument("<ID>", "profile id")
    .option(...dbOpt)
    .option(...jsonOpt)
    .action(lazily((a) => a.poolWithdraw));

  pool
    .command("export")
    .description(
      "Write every profile, of any status, as JSON lines: the profile with its id and submittedAt, which 'pool import' reads back (the status is not written)",
    )
    .option(...dbOpt)
    .option("--out <file>", "file to write (default: standard output)")
    .option("--json", "errors as JSON on stderr (the output is JSON lines already)")
    .action(lazily((a) => a.poolExport));

  pool
    .command("generate")
    .description(
      "Write a synthetic pool like IRCC's published one on the distribution nearest a date, as JSON lines 'pool import' reads (docs/synthetic-pools.md)",
    )
    .option("--like <date>", "YYYY-MM-DD: copy the published distribution nearest this date")
    .option("--size <n>", "number of profiles")
    .option("--seed <s>", "whole number; the same seed gives the same file")
    .option("--out <file>", "file to write (default: standard output); written whole or not at all")
    .option("--json", "print the summary as JSON; errors as JSON on stderr")
    .action(async (o: Parameters<GenerateActions["poolGenerate"]>[0]) =>
      setExit(await (await import("./generate-action.js")).poolGenerate(o)),
    );

  pool
    .command("stats")
    .description("Pool size and CRS distribution in IRCC's published bands")
    .option(...dbOpt)
    .option("--as-of <date-or-instant>", "as of this date (end of day, Ottawa) or UTC instant; default now")
    .option(...jsonOpt)
    .action(lazily((a) => a.poolStatsCommand));

  const round = program.command("round").description("Rounds of invitations");
  round
    .command("run")
    .description(
      "Run a round: rank the eligible group as of its time, invite the first N (atomic; once per number)",
    )
    .argument("[file]", "round as JSON {number, name, kind, program?, categoryVersion?, invitations, at}")
    .option(...dbOpt)
    .option("--number <n>", "round number")
    .option("--name <name>", "round name as IRCC publishes it")
    .option("--kind <kind>", "general | program | category")
    .option("--program <program>", "CEC | FSW | FST | PNP (program rounds)")
    .option("--category-version <id>", "category version id (default: found from the name)")
    .option("--invitations <n>", "number of invitations")
    .option("--at <instant>", "date and time of the round, UTC (e.g. 2026-02-19T14:24:23Z)")
    .option("--dry-run", "compute and print, store nothing")
    .option(...jsonOpt)
    .action(lazily((a) => a.roundRun));
  round
    .command("show")
    .description("A stored round's published result")
    .argument("<N>", "round number")
    .option(...dbOpt)
    .option("--json", "print as JSON (with the invitations); errors as JSON on stderr")
    .action(lazily((a) => a.roundShow));
  round
    .command("list")
    .description("Stored rounds")
    .option(...dbOpt)
    .option(...jsonOpt)
    .action(lazily((a) => a.roundList));

  const ita = program.command("ita").description("Invitations to apply");
  for (const answer of ["accept", "decline"] as const)
    ita
      .command(answer)
      .description(
        answer === "accept"
          ? "Accept an invitation (apply)"
          : "Decline an invitation (back to the pool if still valid)",
      )
      .argument("<ID>", "invitation id (as 'ee ita list ROUND' shows it)")
      .option(...dbOpt)
      .option("--at <instant>", "when (default now)")
      .option(...jsonOpt)
      .action(
        lazily(
          (a) => (id: string, o: { db?: string; at?: string; json?: boolean }) => a.itaAnswer(answer, id, o),
        ),
      );
  ita
    .command("list")
    .description("Invitations of a round")
    .argument("<ROUND>", "round number")
    .option(...dbOpt)
    .option(...jsonOpt)
    .action(lazily((a) => a.itaList));

  program
    .command("sweep")
    .description(
      "Apply time: lapse unanswered invitations, expire year-old profiles, mark (in)eligible profiles",
    )
    .option(...dbOpt)
    .option(
      "--as-of <date-or-instant>",
      `up to this instant (a date means its end, Ottawa time); default now; at most ${SWEEP_REACH_DAYS} days from now unless --force`,
    )
    .option("--force", `sweep to an --as-of more than ${SWEEP_REACH_DAYS} days before or after now`)
    .option("--dry-run", "compute and print what the sweep would do, store nothing")
    .option(...jsonOpt)
    .action(lazily((a) => a.sweepCommand));
}
