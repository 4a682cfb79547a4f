/**
 * Import with validation spread over worker threads while this thread inserts: the same all-or-nothing
 * import (app/pool-service importPrepared), faster on large files.
 */
import { type ImportOptions, importPrepared, type PreparedRow } from "../../app/pool-service.js";
import type { PoolStore } from "../../app/ports.js";
import { createWorkerPool } from "./worker-pool.js";

/** A record to import: its line and either the raw JSON text (JSON lines) or an already parsed value. */
export interface RawRecord {
  line: number;
  text?: string;
  value?: unknown;
}

export interface ValidateJob {
  records: RawRecord[];
  now: string;
}

const CHUNK = 5000;

export async function importInParallel(
  store: PoolStore,
  records: readonly RawRecord[],
  options: Omit<ImportOptions, "book"> & { workers?: number },
): Promise<{ imported: number }> {
  const pool = createWorkerPool<ValidateJob, PreparedRow[]>(
    new URL("./validate-worker.js", import.meta.url),
    options.workers,
  );
  // Keeps two chunks per worker in flight and yields them in input order.
  async function* batches() {
    const total = Math.ceil(records.length / CHUNK);
    const queue: Promise<PreparedRow[]>[] = [];
    const send = (seq: number) => {
      const job = pool.run({ records: records.slice(seq * CHUNK, (seq + 1) * CHUNK), now: options.now });
      job.catch(() => {}); // awaited in order below
      queue.push(job);
    };
    let sent = 0;
    while (sent < Math.min(total, pool.size * 2)) send(sent++);
    while (queue.length > 0) {
      const rows = await (queue.shift() as Promise<PreparedRow[]>);
      if (sent < total) send(sent++);
      yield rows;
    }
  }
  try {
    return await importPrepared(store, batches(), (done) => options.onProgress?.(done, records.length));
  } finally {
    await pool.close();
  }
}
