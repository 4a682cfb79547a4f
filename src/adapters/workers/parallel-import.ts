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

/** The records in jobs of at most CHUNK records, whatever the size of the chunks given. */
async function* jobsOf(
  chunks: AsyncIterable<readonly RawRecord[]> | Iterable<readonly RawRecord[]>,
): AsyncGenerator<RawRecord[]> {
  for await (const chunk of chunks)
    for (let i = 0; i < chunk.length; i += CHUNK) yield chunk.slice(i, i + CHUNK);
}

/**
 * Imports chunks of records read lazily (e.g. streamed from a file): at most two jobs per worker are
 * in flight, so memory is bounded whatever the input's size; rows are inserted in input order.
 * `onProgress` gets the records imported so far (the total is not known in advance).
 */
export async function importInParallel(
  store: PoolStore,
  chunks: AsyncIterable<readonly RawRecord[]> | Iterable<readonly RawRecord[]>,
  options: Omit<ImportOptions, "book" | "onProgress"> & {
    workers?: number;
    onProgress?: (done: number) => void;
  },
): Promise<{ imported: number }> {
  const pool = createWorkerPool<ValidateJob, PreparedRow[]>(
    new URL("./validate-worker.js", import.meta.url),
    options.workers,
  );
  async function* batches() {
    const jobs = jobsOf(chunks);
    const queue: Promise<PreparedRow[]>[] = [];
    let ended = false;
    const fill = async () => {
      while (!ended && queue.length < pool.size * 2) {
        const next = await jobs.next();
        if (next.done) ended = true;
        else {
          const job = pool.run({ records: next.value, now: options.now });
          job.catch(() => {}); // awaited in order below
          queue.push(job);
        }
      }
    };
    try {
      await fill();
      while (queue.length > 0) {
        const rows = await (queue.shift() as Promise<PreparedRow[]>);
        await fill();
        yield rows;
      }
    } finally {
      await jobs.return(undefined); // closes the input when the import stops early
    }
  }
  try {
    return await importPrepared(store, batches(), options.onProgress);
  } finally {
    await pool.close();
  }
}
