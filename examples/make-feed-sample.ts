/**
 * Writes examples/ee_rounds_123_en.sample.json: a few rounds of the shipped history (rules/ircc-rounds.json)
 * written back in the shape of IRCC's feed (ee_rounds_123_en.json: strings, thousands commas, English
 * date-times), for the README's `ee history sync --from FILE` and the CLI tests.
 *
 *   npm run examples:feed      # node dist/examples/make-feed-sample.js examples/ee_rounds_123_en.sample.json
 */
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { shippedHistory } from "../src/adapters/history/shipped-history.js";

export const SAMPLE_ROUNDS = ["247", "391", "392", "397", "398"];

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const words = (iso: string) =>
  `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${Number(iso.slice(8, 10))}, ${iso.slice(0, 4)}`;
const dateTime = (instant: string) => `${words(instant.slice(0, 10))} at ${instant.slice(11, 19)} UTC`;

/** The feed's text for the given rounds of the shipped history, newest first as IRCC lists them. */
export function sampleFeed(numbers: readonly string[] = SAMPLE_ROUNDS): string {
  const rounds = shippedHistory()
    .filter((r) => numbers.includes(r.number))
    .reverse()
    .map((r) => ({
      drawNumber: r.number,
      drawDate: r.date,
      drawDateFull: words(r.date),
      drawName: r.name,
      drawSize: r.invitations.toLocaleString("en-CA"),
      drawCRS: String(r.cutoff),
      drawDateTime: r.at ? dateTime(r.at) : "",
      drawCutOff: r.tieBreak ? dateTime(r.tieBreak) : "",
      drawDistributionAsOn: r.distribution ? words(r.distribution.asOf) : "",
      ...Object.fromEntries(
        Array.from({ length: 18 }, (_, i) => [
          `dd${i + 1}`,
          (r.distribution?.bands[`dd${i + 1}`] ?? 0).toLocaleString("en-CA"),
        ]),
      ),
    }));
  return `${JSON.stringify({ classes: "wb-tables", rounds }, null, 2)}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const out = process.argv[2] ?? "examples/ee_rounds_123_en.sample.json";
  writeFileSync(out, sampleFeed());
  process.stdout.write(`${out}: ${SAMPLE_ROUNDS.length} rounds in the feed's format\n`);
}
