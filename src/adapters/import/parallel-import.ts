/**
 * Import with validation spread over worker threads while this thread inserts: the same all-or-nothing
 * import (app/pool-service importPrepared), faster on large files.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type ImportOptions, importPrepared, type PreparedRow } from "../../app/pool-service.js";
import type { PoolStore } from "../../app/ports.js";

/** A record to import: its line and either the raw JSON text (JSON lines) or an already parsed value. */
export interface RawRecord {
  line: number;
  text?: string;
  value?: unknown;
}

const CHUNK = 5000;

/** Yields prepared batches in input order, keeping every worker busy. */
async function* preparedInOrder(records: readonly RawRecord[], now: string, workerCount: number) {
  const workers = Array.from(
    { length: workerCount },
    () => new Worker(new URL("./validate-worker.js", import.meta.url)),
  );
  const pending = new Map<number, { resolve: (rows: PreparedRow[]) => void; reject: (e: Error) => void }>();
  const results = new Map<number, Promise<PreparedRow[]>>();
  for (const w of workers) {
    w.on("message", (m: { seq: number; out: PreparedRow[] }) => {
      pending.get(m.seq)?.resolve(m.out);
      pending.delete(m.seq);
    });
    w.on("error", (error) => {
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    });
  }
  const total = Math.ceil(records.length / CHUNK);
  const send = (seq: number) => {
    results.set(
      seq,
      new Promise<PreparedRow[]>((resolve, reject) => {
        pending.set(seq, { resolve, reject });
        (workers[seq % workers.length] as Worker).postMessage({
          seq,
          records: records.slice(seq * CHUNK, (seq + 1) * CHUNK),
          now,
        });
      }),
    );
  };
  try {
    const inFlight = workerCount * 2;
    for (let seq = 0; seq < Math.min(inFlight, total); seq++) send(seq);
    for (let seq = 0; seq < total; seq++) {
      const rows = await (results.get(seq) as Promise<PreparedRow[]>);
      results.delete(seq);
      if (seq + inFlight < total) send(seq + inFlight);
      yield rows;
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

export async function importInParallel(
  store: PoolStore,
  records: readonly RawRecord[],
  options: Omit<ImportOptions, "book"> & { workers?: number },
): Promise<{ imported: number }> {
  const workerCount = Math.max(1, options.workers ?? availableParallelism());
  return importPrepared(store, preparedInOrder(records, options.now, workerCount), (done) =>
    options.onProgress?.(done, records.length),
  );
}
