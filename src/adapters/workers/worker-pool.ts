/** A small pool of worker threads running one module: jobs go round-robin, answers come back by id. */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

export interface WorkerPool<In, Out> {
  run(job: In): Promise<Out>;
  readonly size: number;
  close(): Promise<void>;
}

export function createWorkerPool<In, Out>(module: URL, size = availableParallelism()): WorkerPool<In, Out> {
  const workers = Array.from({ length: Math.max(1, size) }, () => new Worker(module));
  const pending = new Map<number, { resolve: (out: Out) => void; reject: (e: Error) => void }>();
  let next = 0;
  for (const w of workers) {
    w.on("message", (m: { seq: number; out: Out }) => {
      pending.get(m.seq)?.resolve(m.out);
      pending.delete(m.seq);
    });
    w.on("error", (error) => {
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    });
  }
  return {
    size: workers.length,
    run(job: In): Promise<Out> {
      const seq = next++;
      return new Promise<Out>((resolve, reject) => {
        pending.set(seq, { resolve, reject });
        (workers[seq % workers.length] as Worker).postMessage({ seq, job });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
