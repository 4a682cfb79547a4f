/** Worker thread: parses and validates chunks of import records, returning rows ready to insert. */
import { parentPort } from "node:worker_threads";
import { type PreparedRow, prepareImportRecord } from "../../app/pool-service.js";
import { defaultRuleBook } from "../../rules/index.js";
import type { ValidateJob } from "./parallel-import.js";

const book = defaultRuleBook();

parentPort?.on("message", ({ seq, job }: { seq: number; job: ValidateJob }) => {
  const out: PreparedRow[] = job.records.map((r) => {
    let value = r.value;
    if (r.text !== undefined) {
      try {
        value = JSON.parse(r.text);
      } catch (error) {
        return {
          ok: false,
          line: r.line,
          errors: [{ field: "", message: `not valid JSON (${(error as Error).message})` }],
        };
      }
    }
    return prepareImportRecord({ line: r.line, value }, book, job.now);
  });
  parentPort?.postMessage({ seq, out });
});
