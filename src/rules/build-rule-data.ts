/**
 * Build step (`npm run build`): validates `rules/` with the full zod schemas and the RuleBook's
 * cross-checks (basedOn chains, complete CRS tables, category NOC codes), then writes the result for
 * defaultRuleBook() to read at start-up without validating again. An invalid rule file fails the
 * build (exit 1) and leaves no rule data behind.
 *
 *   node dist/src/rules/build-rule-data.js [RULES_DIR [OUT_FILE]]
 */
import { rmSync } from "node:fs";
import { loadRuleData, RULE_DATA_FILE, rulesDirectory, writePrevalidatedRuleData } from "./load.js";
import { RuleBook } from "./rule-book.js";

const [dir = rulesDirectory(), file = RULE_DATA_FILE] = process.argv.slice(2);
try {
  const data = loadRuleData(dir);
  new RuleBook(data);
  writePrevalidatedRuleData(data, file);
  process.stdout.write(`rule data: ${dir} validated, written to ${file}\n`);
} catch (error) {
  rmSync(file, { force: true });
  process.stderr.write(`rule data: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
