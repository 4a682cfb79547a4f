/** Worker thread: evaluates pages of profiles for a date (CRS and group memberships). */
import { parentPort } from "node:worker_threads";
import type { Profile } from "../../domain/profile/profile.js";
import { evaluateForRound } from "../../domain/rounds/round.js";
import { defaultRuleBook } from "../../rules/index.js";

const book = defaultRuleBook();

parentPort?.on("message", ({ seq, job }: { seq: number; job: { profiles: Profile[]; date: string } }) => {
  parentPort?.postMessage({ seq, out: job.profiles.map((p) => evaluateForRound(p, job.date, book)) });
});
