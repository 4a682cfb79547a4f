/**
 * `npm run import:noc [-- --structure PATH --french PATH --out PATH]`: regenerates `rules/noc-2021.json`
 * from Statistics Canada's NOC 2021 classification-structure CSV and the French unit-group titles CSV.
 *
 * Defaults are relative to the package root; paths given on the command line are relative to the current
 * directory. Exit codes: 0 written; 2 bad usage, an unreadable input or a malformed input (nothing is
 * written); 1 anything else. Errors are one message on stderr, never a stack trace.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildNocFile, countByTeer, formatNocFile, NocImportError } from "./noc-csv.js";

/** The package root: this file is dist/src/adapters/import/import-noc-main.js (src/… when run from source). */
const ROOT = ((up3) => (basename(up3) === "dist" ? dirname(up3) : up3))(
  resolve(dirname(fileURLToPath(import.meta.url)), "../../.."),
);

const DEFAULTS = {
  structure: resolve(ROOT, "../shared/data/noc-2021-structure.csv"),
  french: resolve(ROOT, "../shared/data/noc-2021-unit-groups-fr.csv"),
  out: resolve(ROOT, "rules/noc-2021.json"),
};

class UsageError extends Error {}

function readInput(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (code ?? String(error));
    throw new UsageError(`cannot read the ${what} file ${path}: ${reason}`);
  }
}

function main(argv: string[]): number {
  let values: { structure?: string; french?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        structure: { type: "string" },
        french: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message}\nusage: npm run import:noc -- [--structure PATH] [--french PATH] [--out PATH]`,
    );
  }
  if (values.help) {
    process.stdout.write(
      "usage: npm run import:noc -- [--structure PATH] [--french PATH] [--out PATH]\n" +
        `  --structure  StatCan NOC 2021 V1.0 classification structure CSV (default ${DEFAULTS.structure})\n` +
        `  --french     French unit-group titles CSV (default ${DEFAULTS.french})\n` +
        `  --out        output JSON (default ${DEFAULTS.out})\n`,
    );
    return 0;
  }
  const structurePath = values.structure === undefined ? DEFAULTS.structure : resolve(values.structure);
  const frenchPath = values.french === undefined ? DEFAULTS.french : resolve(values.french);
  const outPath = values.out === undefined ? DEFAULTS.out : resolve(values.out);

  const file = buildNocFile(readInput(structurePath, "structure"), readInput(frenchPath, "French titles"), {
    structure: structurePath,
    french: frenchPath,
  });
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, formatNocFile(file));

  const teer = Object.entries(countByTeer(file.unitGroups))
    .map(([level, n]) => `TEER ${level}: ${n}`)
    .join(", ");
  const shown = relative(process.cwd(), outPath) || outPath;
  process.stdout.write(`wrote ${shown}: ${file.unitGroups.length} unit groups (${teer})\n`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof NocImportError || error instanceof UsageError) {
    process.stderr.write(`import:noc: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(
      `import:noc: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
