/**
 * The API while its PostgreSQL database is unreachable, and after it returns. The server reaches the
 * database through a TCP proxy in this process; stopping the proxy drops every connection and refuses
 * new ones, as a database restart or a network cut does. Meanwhile every route that needs the database
 * answers 503 with the API's JSON error body (never a stack trace, never a hang); routes that need
 * nothing of it still answer; when the proxy listens again the same server answers as before, writes
 * included, with no restart. The CLI names the unreachable database and exits 4.
 */
import { spawnSync } from "node:child_process";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedStore } from "../src/adapters/http/seed.js";
import { openStore } from "../src/adapters/store/open.js";
import type { PoolStore } from "../src/app/ports.js";
import {
  BOOK,
  call,
  errorOf,
  OPERATOR_TOKEN,
  SINGLE_IELTS,
  STACK_TRACE,
  startServer,
  type TestServer,
} from "./api-helpers.js";
import { CLI } from "./ee.js";
import { POSTGRES, type TestDatabase } from "./store-backends.js";

/** A TCP proxy to the database that can be cut and restored on the same port. */
function proxyTo(target: URL) {
  let server: net.Server | undefined;
  const sockets = new Set<net.Socket>();
  return {
    async listen(port = 0): Promise<number> {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("error", () => {});
          s.on("close", () => {
            sockets.delete(s);
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve) => (server as net.Server).listen(port, "127.0.0.1", resolve));
      return (server.address() as net.AddressInfo).port;
    },
    async cut(): Promise<void> {
      const closed = new Promise((resolve) => server?.close(resolve));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

describe.skipIf(!POSTGRES.available)("the API while PostgreSQL is unreachable", () => {
  let database: TestDatabase;
  let store: PoolStore;
  let server: TestServer;
  let proxy: ReturnType<typeof proxyTo>;
  let port: number;
  let viaProxy: string;

  beforeAll(async () => {
    database = await POSTGRES.create("outage");
    const direct = new URL(database.location);
    proxy = proxyTo(direct);
    port = await proxy.listen();
    const u = new URL(database.location);
    u.port = String(port);
    viaProxy = u.toString();
    store = await openStore(viaProxy, { busyTimeoutMs: 5000 });
    await seedStore(store, BOOK, { demoPoolSize: 50, now: "2026-02-18T12:00:00Z" });
    server = await startServer({ store, databaseLabel: "postgres" });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await store?.close();
    await proxy?.cut().catch(() => {});
    await database?.remove();
  }, 60_000);

  const databaseRoutes = () => [
    call(server.url, "GET", "/api/health"),
    call(server.url, "GET", "/api/health/ready"),
    call(server.url, "GET", "/api/operator/pool/stats", { token: OPERATOR_TOKEN }),
    call(server.url, "GET", "/api/operator/rounds", { token: OPERATOR_TOKEN }),
    call(server.url, "POST", "/api/profiles", { body: { ...profile(), id: undefined } }),
  ];

  function profile() {
    return {
      dateOfBirth: "1990-05-01",
      maritalStatus: "single",
      education: { level: "masters", obtainedIn: "abroad", ecaDate: "2025-01-10" },
      languageTests: [
        { test: "IELTS", date: "2025-10-01", speaking: 8, listening: 8.5, reading: 8, writing: 7.5 },
      ],
      workHistory: [{ noc: "21231", country: "IN", start: "2019-01-01", end: null, hoursPerWeek: 40 }],
    };
  }

  it("answers with the database up", async () => {
    const answers = await Promise.all(databaseRoutes());
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 201]);
  });

  it("answers 503 with a JSON error while it is down, and what needs no database still answers", async () => {
    await proxy.cut();
    const started = Date.now();
    const answers = await Promise.all(databaseRoutes());
    expect(Date.now() - started).toBeLessThan(15_000);
    for (const a of answers) {
      expect(a.status, a.text).toBe(503);
      expect(errorOf(a).code).toBe("unavailable");
      expect(a.text).not.toMatch(STACK_TRACE);
      expect(a.headers.get("content-type")).toMatch(/application\/json/);
    }
    expect(errorOf(answers[2] as (typeof answers)[number]).message).toMatch(/unreachable/);
    expect(errorOf(answers[2] as (typeof answers)[number]).message).not.toMatch(/password/);
    const score = await call(server.url, "POST", "/api/score", { body: SINGLE_IELTS });
    expect(score.status).toBe(200);
  });

  it("the CLI names the unreachable database and exits 4", () => {
    const run = spawnSync(process.execPath, [CLI, "pool", "stats", "--db", viaProxy], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(4);
    expect(run.stderr).toMatch(/unreachable/);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it("recovers when the database returns, reads and writes, with no restart", async () => {
    await proxy.listen(port);
    const answers = await Promise.all(databaseRoutes());
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 201]);
    const run = await call(server.url, "POST", "/api/operator/rounds", {
      token: OPERATOR_TOKEN,
      body: {
        number: 900,
        name: "No Program Specified",
        kind: "general",
        invitations: 5,
        at: "2026-02-18T12:00:00Z",
      },
    });
    expect(run.status, run.text).toBe(200);
    expect(await database.count("invitations")).toBe(5);
  });
});
