/**
 * `npm run import:rounds [-- --feed PATH --french PATH --third-party PATH --out PATH]`: regenerates
 * `rules/ircc-rounds.json` (the shipped round history) from IRCC's rounds feed, optionally its French
 * feed, and the marked third-party copy that adds the newest rounds. Defaults: ../shared/data/.
 * Exit codes: 0 written; 2 bad usage or an unreadable or malformed input (nothing written); 1 otherwise.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { defaultRuleBook } from "../../rules/index.js";
import { buildHistoryFile, formatHistoryFile } from "../history/shipped-history.js";
import { decodeFeed, FeedFormatError, parseRoundsFeed } from "./ircc-rounds-feed.js";

const ROOT = ((up3) => (basename(up3) === "dist" ? dirname(up3) : up3))(
  resolve(dirname(fileURLToPath(import.meta.url)), "../../.."),
);

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      feed: { type: "string", default: resolve(ROOT, "../shared/data/ircc-rounds.json") },
      french: { type: "string" },
      "third-party": { type: "string", default: resolve(ROOT, "../shared/data/ircc-rounds-gotfrid.json") },
      out: { type: "string", default: resolve(ROOT, "rules/ircc-rounds.json") },
    },
  });
  const book = defaultRuleBook();
  const read = (path: string, what: string) => {
    try {
      return parseRoundsFeed(decodeFeed(readFileSync(path)), book);
    } catch (error) {
      const reason =
        error instanceof FeedFormatError
          ? error.message
          : ((error as NodeJS.ErrnoException).code ?? String(error));
      throw new FeedFormatError(`${what} ${path}: ${reason}`);
    }
  };
  const english = read(values.feed as string, "feed");
  const french = values.french ? read(values.french, "French feed") : undefined;
  const thirdParty = values["third-party"] ? read(values["third-party"], "third-party copy") : undefined;
  const file = buildHistoryFile(english, { french, thirdParty });
  const out = values.out as string;
  const partial = `${out}.${process.pid}.tmp`;
  writeFileSync(partial, formatHistoryFile(file));
  renameSync(partial, out);
  process.stdout.write(
    `${out}: ${file.rounds.length} rounds (${english.rounds.length} from IRCC's feed), ${file.anomalies.length} anomalies reported\n`,
  );
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`import:rounds: ${(error as Error).message}\n`);
  process.exitCode =
    error instanceof FeedFormatError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
      ? 2
      : 1;
}
