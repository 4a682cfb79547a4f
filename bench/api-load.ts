/**
 * Load on the HTTP API: the scoring and eligibility routes and a history route, over real HTTP with autocannon,
 * against the real server (`dist/src/adapters/http/main.js`, a child process, logging as in
 * production to /dev/null, rate limit off). Prints requests per second and latency p50/p99 with the
 * machine's load; not a test.
 *
 *   npm run bench:api                  # 10 s per route, 10 connections
 *   BENCH_SECONDS=30 BENCH_CONNECTIONS=20 npm run bench:api
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

async function startServer(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ["dist/src/adapters/http/main.js"], {
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      EE_DB: join(dir, "ee.sqlite"),
      EE_RATE_LIMIT: "0",
      EE_DEMO_POOL_SIZE: "0",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(buffered);
      if (match) {
        // From here on the server's log lines are read and dropped, as a log shipper would.
        child.stdout.off("data", onData);
        child.stdout.resume();
        resolve(match[1] as string);
      }
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the server exited with ${code} before listening`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** POST `body` as JSON, or GET when there is none. */
async function measure(name: string, url: string, path: string, body?: unknown) {
  const run = (duration: number) =>
    autocannon({
      url: `${url}${path}`,
      ...(body === undefined
        ? { method: "GET" as const }
        : {
            method: "POST" as const,
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          }),
      connections: CONNECTIONS,
      duration,
    });
  await run(2); // warm-up: JIT, caches
  const loadBefore = load();
  const r = await run(SECONDS);
  const ok = r["2xx"];
  console.log(
    `${name.padEnd(34)} ${Math.round(r.requests.average).toLocaleString("en-CA").padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(3)} ms   p99 ${String(r.latency.p99).padStart(3)} ms   ${ok.toLocaleString("en-CA")} 2xx, ${r.non2xx} other, ${r.errors} errors   (load ${loadBefore})`,
  );
  if (r.non2xx > 0 || r.errors > 0) process.exitCode = 1;
}

const dir = mkdtempSync(join(tmpdir(), "ee-api-load-"));
const server = await startServer(dir);
try {
  console.log(
    `API load — node ${process.version}, ${cpus().length} cores, ${CONNECTIONS} connections, ${SECONDS} s per route, server and autocannon on the same machine`,
  );
  const questionnaire = JSON.parse(readFileSync("examples/single-ielts.json", "utf8"));
  const married = JSON.parse(readFileSync("examples/married-tef.json", "utf8"));
  const profile = JSON.parse(readFileSync("examples/physician-profile.json", "utf8"));
  await measure("POST /api/score (questionnaire)", server.url, "/api/score", questionnaire);
  await measure("POST /api/score (married, TEF)", server.url, "/api/score", married);
  await measure("POST /api/score?asOf (profile)", server.url, "/api/score?asOf=2026-02-19", profile);
  await measure("POST /api/eligibility?asOf", server.url, "/api/eligibility?asOf=2026-02-19", profile);
  await measure("GET /api/history/rounds?category", server.url, "/api/history/rounds?category=physicians");
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
