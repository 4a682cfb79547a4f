/** A BatchEvaluator on worker threads, for refreshing a large pool's evaluations. */
import type { BatchEvaluator } from "../../app/pool-service.js";
import type { Profile } from "../../domain/profile/profile.js";
import type { RoundEvaluation } from "../../domain/rounds/round.js";
import { createWorkerPool } from "./worker-pool.js";

export function workerEvaluator(workers?: number): {
  evaluate: BatchEvaluator;
  inFlight: number;
  close: () => Promise<void>;
} {
  const pool = createWorkerPool<{ profiles: readonly Profile[]; date: string }, RoundEvaluation[]>(
    new URL("./evaluate-worker.js", import.meta.url),
    workers,
  );
  return {
    evaluate: (profiles, date) => pool.run({ profiles, date }),
    inFlight: pool.size * 2,
    close: () => pool.close(),
  };
}
