/**
 * `ee pool generate`: a synthetic pool (docs/synthetic-pools.md) written as JSON lines, streamed with
 * constant memory to a temporary file that is renamed onto --out only when complete, so a failure
 * leaves nothing written. Loaded only when the command runs.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { SingleBar } from "cli-progress";
import { isIsoDate } from "../../calendar/dates.js";
import { generatePool, GenerationError } from "../../domain/synthetic/generate.js";
import {
  nearestDistribution,
  NEAREST_DISTRIBUTION_MAX_DAYS,
  sharesFor,
} from "../../domain/synthetic/pool.js";
import { defaultRuleBook } from "../../rules/index.js";
import { shippedHistory } from "../history/shipped-history.js";
import { positiveInteger } from "./args.js";
import { CommandError, EXIT } from "./errors.js";

export interface GenerateOptions {
  like?: string;
  size?: string;
  seed?: string;
  out?: string;
  json?: boolean;
}

/** Whole number of any sign for --seed (a seed of 0 is as good as any). */
function seedOption(value: string | undefined): number {
  if (value === undefined) throw new CommandError(EXIT.invalid, "--seed: is required (a whole number)");
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new CommandError(EXIT.invalid, `--seed: must be a whole number 0 or more (got '${value}')`);
  return Number(value) >>> 0;
}

export async function poolGenerate(o: GenerateOptions): Promise<number> {
  if (o.like === undefined || !isIsoDate(o.like))
    throw new CommandError(
      EXIT.invalid,
      `--like: must be a real calendar date YYYY-MM-DD (got '${o.like ?? ""}')`,
    );
  if (o.size === undefined) throw new CommandError(EXIT.invalid, "--size: is required (1 or more)");
  const size = positiveInteger(o.size, "--size");
  const seed = seedOption(o.seed);
  const rounds = shippedHistory();
  const distribution = nearestDistribution(rounds, o.like);
  if (!distribution)
    throw new CommandError(
      EXIT.invalid,
      `--like: no published distribution within ${NEAREST_DISTRIBUTION_MAX_DAYS} days of ${o.like}`,
    );
  const book = defaultRuleBook();
  const shares = sharesFor(rounds, distribution.asOf, book.poolBands);

  const temp = o.out ? join(dirname(o.out), `.${basename(o.out)}.${process.pid}.tmp`) : null;
  let fd: number;
  try {
    fd = temp ? openSync(temp, "wx") : 1;
  } catch (error) {
    throw new CommandError(EXIT.invalid, `--out: cannot write ${o.out}: ${(error as Error).message}`);
  }
  const bar =
    process.stderr.isTTY === true && size >= 1000
      ? new SingleBar({ format: "generate [{bar}] {percentage}% {value}/{total}", hideCursor: true })
      : null;
  bar?.start(size, 0);
  let written = 0;
  try {
    let chunk: string[] = [];
    for (const g of generatePool({ distribution, size, seed, shares, book })) {
      chunk.push(JSON.stringify(g.profile));
      written++;
      if (chunk.length === 1000) {
        writeSync(fd, `${chunk.join("\n")}\n`);
        chunk = [];
        bar?.update(written);
      }
    }
    if (chunk.length > 0) writeSync(fd, `${chunk.join("\n")}\n`);
    bar?.update(written);
    if (temp) {
      closeSync(fd);
      renameSync(temp, o.out as string);
    }
  } catch (error) {
    if (temp) {
      try {
        closeSync(fd);
      } catch {
        /* already closed */
      }
      rmSync(temp, { force: true });
    }
    if (error instanceof GenerationError) throw new CommandError(EXIT.internal, error.message);
    throw error;
  } finally {
    bar?.stop();
  }
  if (o.out) {
    const summary = {
      generated: written,
      like: o.like,
      distributionAsOf: distribution.asOf,
      seed,
      out: o.out,
    };
    process.stdout.write(
      o.json
        ? `${JSON.stringify(summary, null, 2)}\n`
        : `generated ${written.toLocaleString("en-CA")} profiles like the pool of ${distribution.asOf} (seed ${seed}) into ${o.out}\n`,
    );
  }
  return EXIT.ok;
}
