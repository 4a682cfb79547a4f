#!/usr/bin/env node
/**
 * `ee` — the Express Entry engine's command line. Exit codes: 0 success; 2 invalid input or usage;
 * 3 valid input that cannot be scored on the as-of date (e.g. an expired language test); 4 conflict with the
 * stored state (a round already run, an invitation already answered); 5 not found (no such invitation,
 * round or profile); 1 internal error.
 */
import { Command, CommanderError } from "commander";
import { type CrsOutcome, ruleSetCatalogue, scoreQuestionnaire } from "../../domain/crs/score.js";
import { todayInOttawa } from "../../calendar/instants.js";
import { defaultRuleBook, isoDateSchema } from "../../rules/index.js";
import { looksLikeProfile } from "../../domain/profile/profile.js";
import { formatCrsOutcome } from "./crs-format.js";
import { parseJson, readInputText } from "./input.js";
import { CommandError, EXIT } from "./errors.js";
import { registerPoolCommands } from "./pool-commands.js";
import { registerHistoryCommands } from "./history-commands.js";
import { registerForecastCommand } from "./forecast-command.js";

// Profiles need the eligibility modules (validation with NOC codes, derivation); they load only when an
// input is a profile, so scoring a questionnaire starts without them.
const profileSupport = async () => ({
  ...(await import("../../domain/eligibility/report.js")),
  ...(await import("../../app/scoring.js")),
});

async function crsCommand(
  file: string | undefined,
  options: { asOf?: string; json?: boolean },
): Promise<number> {
  const { text, name } = readInputText(file);
  const input = parseJson(text, name);
  const items = Array.isArray(input) ? input : [input];
  if (items.length === 0)
    throw new CommandError(EXIT.invalid, `${name}: the array is empty; nothing to score`);
  const book = defaultRuleBook();
  const profiles = items.some(looksLikeProfile) ? await profileSupport() : undefined;
  const scoring = { asOf: options.asOf, book, today: todayInOttawa };
  // One definition of "score this input" (app/scoring.ts), loaded only when an item is a profile.
  const outcomes: CrsOutcome[] = items.map((item) =>
    profiles ? profiles.scoreInput(item, scoring) : scoreQuestionnaire(item, scoring),
  );
  if (options.json) {
    process.stdout.write(`${JSON.stringify(Array.isArray(input) ? outcomes : outcomes[0], null, 2)}\n`);
  } else {
    outcomes.forEach((outcome, i) => {
      const { text: out, toStderr } = formatCrsOutcome(
        outcome,
        Array.isArray(input) ? `item ${i}` : undefined,
      );
      (toStderr ? process.stderr : process.stdout).write(`${out}\n${i < outcomes.length - 1 ? "\n" : ""}`);
    });
  }
  if (outcomes.some((o) => o.status === "invalid")) return EXIT.invalid;
  if (outcomes.some((o) => o.status === "not-scored")) return EXIT.notScored;
  return EXIT.ok;
}

async function eligibilityCommand(
  file: string | undefined,
  options: { asOf?: string; json?: boolean },
): Promise<number> {
  const { eligibilityOf } = await profileSupport();
  const { formatEligibilityOutcome } = await import("./eligibility-format.js");
  const { text, name } = readInputText(file);
  const input = parseJson(text, name);
  const items = Array.isArray(input) ? input : [input];
  if (items.length === 0)
    throw new CommandError(EXIT.invalid, `${name}: the array is empty; nothing to evaluate`);
  const book = defaultRuleBook();
  const outcomes = items.map((item) =>
    eligibilityOf(item, { asOf: options.asOf, book, today: todayInOttawa }),
  );
  if (options.json)
    process.stdout.write(`${JSON.stringify(Array.isArray(input) ? outcomes : outcomes[0], null, 2)}\n`);
  else
    outcomes.forEach((outcome, i) => {
      const { text: out, toStderr } = formatEligibilityOutcome(
        outcome,
        Array.isArray(input) ? `item ${i}` : undefined,
      );
      (toStderr ? process.stderr : process.stdout).write(`${out}\n${i < outcomes.length - 1 ? "\n" : ""}`);
    });
  return outcomes.some((o) => o.status === "invalid") ? EXIT.invalid : EXIT.ok;
}

function checkAsOf(asOf: string | undefined): void {
  if (asOf === undefined) return;
  const checked = isoDateSchema.safeParse(asOf);
  if (!checked.success)
    throw new CommandError(EXIT.invalid, `--as-of: ${checked.error.issues[0]?.message} (got '${asOf}')`);
  const first = defaultRuleBook().crsRuleSets[0];
  if (first && asOf < first.effectiveFrom)
    throw new CommandError(
      EXIT.invalid,
      `--as-of: ${asOf} is before the first CRS rule set (${first.effectiveFrom})`,
    );
}

function rulesCommand(options: { json?: boolean }): number {
  const catalogue = ruleSetCatalogue(defaultRuleBook());
  const sets = catalogue.crs;
  if (options.json) process.stdout.write(`${JSON.stringify(catalogue, null, 2)}\n`);
  else
    for (const s of sets)
      process.stdout.write(
        `${s.id}  ${s.effectiveFrom} → ${s.effectiveTo ?? "now"}  ${s.title}\n    ${s.changes}\n    source: ${s.source.url} (${s.source.status})\n`,
      );
  return EXIT.ok;
}

export function buildProgram(setExit: (code: number) => void, { jsonErrors = false } = {}): Command {
  const program = new Command("ee")
    .description("The open, executable Express Entry engine: dated, cited rules and explained CRS scores.")
    .version("0.1.0")
    .exitOverride()
    // Under --json, commander's own usage errors are reported by run() as JSON instead.
    .configureOutput({ outputError: (text, write) => (jsonErrors ? undefined : write(text)) });

  program
    .command("crs")
    .description(
      "Score CRS questionnaire(s) or full profile(s): one JSON object, or an array (one result each).",
    )
    .argument("[file]", "JSON file, or '-' for standard input")
    .option("--as-of <date>", "score as of this date (YYYY-MM-DD); overrides the input's asOf")
    .option("--json", "print the full result as JSON; errors as JSON on stderr")
    .action(async (file: string | undefined, options: { asOf?: string; json?: boolean }) => {
      checkAsOf(options.asOf);
      setExit(await crsCommand(file, options));
    });

  program
    .command("eligibility")
    .description(
      "Programs (FSW with its grid, CEC, FST), categories in force and the CRS score for profile(s).",
    )
    .argument("[file]", "JSON file with a profile (or an array of profiles), or '-' for standard input")
    .option("--as-of <date>", "evaluate as of this date (YYYY-MM-DD); default today in Ottawa")
    .option("--json", "print the full report as JSON; errors as JSON on stderr")
    .action(async (file: string | undefined, options: { asOf?: string; json?: boolean }) => {
      checkAsOf(options.asOf);
      setExit(await eligibilityCommand(file, options));
    });

  registerPoolCommands(program, setExit);
  registerHistoryCommands(program, setExit);
  registerForecastCommand(program, setExit);

  program
    .command("rules")
    .description("List the dated CRS rule sets and their sources.")
    .option("--json", "print as JSON; errors as JSON on stderr")
    .action((options: { json?: boolean }) => setExit(rulesCommand(options)));

  return program;
}

/** The command's exit code once it has set one; what a closed pipe ends the run with. */
let code: number = EXIT.ok;

// `ee … | head`: the reader went away. Nothing more can be shown, so end quietly with the code the
// command has (0 until it sets one) instead of an unhandled-error stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(code);
  process.stderr.write(`ee: cannot write to standard output: ${error.message}\n`);
  process.exit(EXIT.internal);
});

/** Errors come out as JSON when the command line asks for --json (before a "--" that ends the options). */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
}

/** Any failure as a CommandError: the exit code, the message and what else is known. */
function asCommandError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  if (error instanceof CommanderError) {
    // "error: unknown option '--bogus'" → "unknown option '--bogus'"; a bare group shows its help.
    const message =
      error.code === "commander.help"
        ? "a command is required (see --help)"
        : error.message.replace(/^error: /, "");
    return new CommandError(EXIT.invalid, message);
  }
  return new CommandError(EXIT.internal, `internal error: ${(error as Error).message}`);
}

export async function run(argv: string[]): Promise<number> {
  const jsonErrors = wantsJson(argv);
  try {
    await buildProgram((c) => (code = c), { jsonErrors }).parseAsync(argv, { from: "user" });
    return code;
  } catch (caught) {
    // Help and version print, then "fail" with code 0 inside commander.
    if (caught instanceof CommanderError && caught.exitCode === 0) return EXIT.ok;
    const error = asCommandError(caught);
    // Commander has printed its own usage errors already, unless under --json.
    if (jsonErrors) process.stderr.write(`${JSON.stringify(error)}\n`);
    else if (!(caught instanceof CommanderError)) process.stderr.write(`ee: ${error.message}\n`);
    return error.exitCode;
  }
}

process.exitCode = await run(process.argv.slice(2));
