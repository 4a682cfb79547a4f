/** Worker thread: evaluates pages of stored profiles (their JSON) for a date, with validUntil. */
import { parentPort } from "node:worker_threads";
import { evaluateHere } from "../../app/pool-service.js";
import { defaultRuleBook } from "../../rules/index.js";

const evaluate = evaluateHere(defaultRuleBook());

parentPort?.on("message", ({ seq, job }: { seq: number; job: { texts: string[]; date: string } }) => {
  void evaluate(job.texts, job.date).then((out) => parentPort?.postMessage({ seq, out }));
});
