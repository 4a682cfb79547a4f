/**
 * Two API server processes and a CLI process on one database (SQLite, then PostgreSQL), writing at once: rounds started at the
 * same moment run one after the other against the state the previous one left; a repeated round number
 * is refused (409 from a server, exit 4 from the CLI); nobody is invited twice; no request fails with an
 * internal error. EE_TEST_ROUND_PAUSE_MS holds each round's transaction open between ranking and
 * writing, which widens the window in which a second round could rank the same pool.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, requireBuiltCli, ROOT } from "./ee.js";
import { BACKENDS, type TestDatabase } from "./store-backends.js";

requireBuiltCli();

const SERVER = join(ROOT, "dist/src/adapters/http/main.js");
const TOKEN = "concurrency-operator-token";
let db: string;
const servers: ChildProcessWithoutNullStreams[] = [];

function startServer(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, PORT: "0", EE_DB: db, EE_OPERATOR_TOKEN: TOKEN, EE_RATE_LIMIT: "0", ...env },
  });
  servers.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, EE_DB: db, EE_TEST_ROUND_PAUSE_MS: "300" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const AT = "2026-08-04T14:00:00Z";
const round = (number: number) => ({
  number,
  name: "No Program Specified",
  kind: "general",
  invitations: 60,
  at: AT,
});

async function runRound(base: string, body: unknown) {
  const response = await fetch(`${base}/api/operator/rounds`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

for (const backend of BACKENDS)
  describe.skipIf(!backend.available)(`two API servers and the CLI on one ${backend.name} database`, () => {
    let a: string;
    let b: string;
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.create("apiconcurrency");
      db = database.location;
      // Both start at once on a new database: each seeds it in a transaction that first looks for data,
      // so it is seeded once (one history, one demo pool of 400), and both start.
      [a, b] = await Promise.all([
        startServer({ EE_DEMO_POOL_SIZE: "400", EE_TEST_ROUND_PAUSE_MS: "300" }),
        startServer({ EE_DEMO_POOL_SIZE: "400", EE_TEST_ROUND_PAUSE_MS: "300" }),
      ]);
    }, 60_000);
    afterAll(async () => {
      const exits = servers.splice(0).map(
        (s) =>
          new Promise((resolve) => {
            s.once("exit", resolve);
            s.kill("SIGTERM");
          }),
      );
      await Promise.all(exits);
      await database.remove();
    }, 60_000);

    it("two servers starting at once seed a new database once", async () => {
      expect(await database.count("profiles")).toBe(400);
      expect(await database.count("history_sync")).toBe(1);
    });

    it("run rounds one after the other: a repeated number refused, nobody invited twice", async () => {
      const results = await Promise.all([
        runRound(a, round(1)),
        runRound(b, round(2)),
        runRound(a, round(3)),
        runRound(b, round(3)),
        cli([
          "round",
          "run",
          "--number",
          "4",
          "--name",
          "No Program Specified",
          "--kind",
          "general",
          "--invitations",
          "60",
          "--at",
          AT,
          "--json",
        ]),
        cli([
          "round",
          "run",
          "--number",
          "3",
          "--name",
          "No Program Specified",
          "--kind",
          "general",
          "--invitations",
          "60",
          "--at",
          AT,
          "--json",
        ]),
      ]);
      const http = results.slice(0, 4) as { status: number; body: Record<string, unknown> }[];
      const processes = results.slice(4) as { code: number | null; stderr: string }[];
      // Rounds 1, 2 and 4 ran; of the three attempts at round 3 exactly one ran.
      expect(http[0]?.status).toBe(200);
      expect(http[1]?.status).toBe(200);
      expect(processes[0]?.code).toBe(0);
      const third = [http[2]?.status === 200, http[3]?.status === 200, processes[1]?.code === 0];
      expect(third.filter(Boolean)).toHaveLength(1);
      for (const r of http.slice(2)) if (r.status !== 200) expect(r.status).toBe(409);
      if (processes[1]?.code !== 0) expect(processes[1]?.code).toBe(4);
      for (const r of http) expect(JSON.stringify(r.body)).not.toMatch(/"code":"internal"/);

      const rounds = await database.query<{ number: number }>("SELECT number FROM rounds ORDER BY number");
      expect(rounds.map((r) => Number(r.number))).toEqual([1, 2, 3, 4]);
      const twice = await database.query(
        "SELECT profile_id, COUNT(*) AS n FROM invitations GROUP BY profile_id HAVING COUNT(*) > 1",
      );
      expect(twice).toEqual([]);
      // Each ran against the state the one before left: four rounds of 60 (the pool has more than 240).
      expect(await database.count("invitations")).toBe(240);
      // Each later round's cut-off is at most the earlier one's: the best candidates went first.
      const cutoffs = (
        await database.query<{ c: number }>("SELECT cutoff_crs AS c FROM rounds ORDER BY created_at")
      ).map((r) => Number(r.c));
      for (let i = 1; i < cutoffs.length; i++)
        expect(cutoffs[i]).toBeLessThanOrEqual(cutoffs[i - 1] as number);
    }, 120_000);
  });
