/**
 * `ee forecast`: the expected cut-off of a round with a low–high interval, from the published history
 * strictly before the date, with the walk-forward backtest figures of the round's kind. Exit codes: 2 for
 * a bad --round-name, --invitations or --at; 5 when no round of the kind was published before the date.
 */
import type { Command } from "commander";
import { CommandError, EXIT } from "./errors.js";

interface ForecastOptions {
  db?: string;
  roundName: string;
  invitations: string;
  at?: string;
  json?: boolean;
}

export function registerForecastCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command("forecast")
    .description(
      "Forecast a round's cut-off (with a low-high interval) from the published rounds before the date",
    )
    .requiredOption(
      "--round-name <name>",
      "the round's name as IRCC writes it, e.g. 'Canadian Experience Class'",
    )
    .requiredOption("--invitations <n>", "the round's number of invitations")
    .option("--at <date>", "the round's date (YYYY-MM-DD); default today in Ottawa")
    .option(
      "--db <file>",
      "the history 'ee history sync' stored there (default $EE_DB; else the shipped table)",
    )
    .option("--json", "print the forecast as JSON; errors as JSON on stderr")
    .action(async (options: ForecastOptions) => setExit(await forecastCommand(options)));
}

async function forecastCommand(options: ForecastOptions): Promise<number> {
  // The history, the rules and the forecast load only when the command runs.
  const [
    { todayInOttawa },
    { NotFoundError },
    { defaultRuleBook, isoDateSchema },
    service,
    settings,
    history,
  ] = await Promise.all([
    import("../../calendar/instants.js"),
    import("../../app/errors.js"),
    import("../../rules/index.js"),
    import("../../app/forecast-service.js"),
    import("../../rules/forecast-parameters.js"),
    import("./history-actions.js"),
  ]);
  const invitations = Number(options.invitations);
  if (!/^\d+$/.test(options.invitations.trim()) || !Number.isSafeInteger(invitations) || invitations < 1)
    throw new CommandError(
      EXIT.invalid,
      `--invitations: must be a whole number of at least 1 (got '${options.invitations}')`,
    );
  const at = options.at ?? todayInOttawa();
  const checked = isoDateSchema.safeParse(at);
  if (!checked.success)
    throw new CommandError(EXIT.invalid, `--at: ${checked.error.issues[0]?.message} (got '${at}')`);
  const book = defaultRuleBook();
  // The synced history of --db or EE_DB when it has one, else the shipped table (as `ee history`).
  const { rounds } = await history.historyInUse(options);
  let report;
  try {
    report = service.forecastByName(
      rounds,
      { roundName: options.roundName, invitations, at },
      book,
      settings.forecastSettings(),
    );
  } catch (error) {
    if (error instanceof service.UnknownRoundNameError)
      throw new CommandError(EXIT.invalid, `--round-name: ${error.message}`);
    if (error instanceof NotFoundError) throw new CommandError(EXIT.notFound, error.message);
    throw error;
  }
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderForecast(report));
  return EXIT.ok;
}

type Report = import("../../app/forecast-service.js").ForecastReport;

function renderForecast(r: Report): string {
  const b = r.backtest;
  const lines = [
    `Forecast for '${r.roundName}' (${r.kind}), ${r.invitations.toLocaleString("en-CA")} invitations on ${r.at}:`,
    `  cut-off ${r.cutoff}   (interval ${r.low}–${r.high})`,
    `  naive forecast ${r.naive} (round #${r.basedOn.lastRound} of ${r.basedOn.lastRoundDate}: ${r.basedOn.lastCutoff})`,
    `  pool distribution as of ${r.basedOn.distributionAsOf ?? "none published yet"}`,
    `  backtest of this kind: ${b.rounds} rounds, MAE ${b.mae} (naive ${b.naiveMae}), interval coverage ${Math.round(b.coverage * 100)}%`,
  ];
  if (r.note) lines.push(`  note: ${r.note}`);
  lines.push(`  method: ${r.method}`);
  return `${lines.join("\n")}\n`;
}
