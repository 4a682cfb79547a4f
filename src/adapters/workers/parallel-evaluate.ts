/** Evaluation refresh on worker threads, for refreshes large enough to pay for starting them. */
import type { RemoteEvaluator } from "../../app/pool-service.js";
import type { RoundEvaluation } from "../../domain/rounds/round.js";
import { createWorkerPool } from "./worker-pool.js";

/**
 * Below this many profiles a refresh runs on the calling thread: starting workers (each loads the
 * engine and the rules) costs more than it saves (measured: docs/benchmarks.md).
 */
export const PARALLEL_REFRESH_FROM = 20_000;

export function workerEvaluator(workers?: number): RemoteEvaluator {
  const pool = createWorkerPool<{ texts: readonly string[]; date: string }, RoundEvaluation[]>(
    new URL("./evaluate-worker.js", import.meta.url),
    workers,
  );
  return {
    evaluate: (texts, date) => pool.run({ texts, date }),
    inFlight: pool.size * 2,
    close: () => pool.close(),
  };
}

/** Workers for a refresh of `count` profiles when it is large, else none (the caller's thread). */
export function evaluatorFor(count: number): RemoteEvaluator | undefined {
  return count >= PARALLEL_REFRESH_FROM ? workerEvaluator() : undefined;
}
