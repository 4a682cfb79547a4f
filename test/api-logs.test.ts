/**
 * The server's logs: JSON lines with no personal data. An in-process server's log stream is collected
 * over a run of requests full of personal data (a candidate's date of birth, occupation, funds, tokens,
 * a profile id in the path, the client's address); and the real `node dist/src/adapters/http/main.js`
 * is started, answers, says where it listens (and when its operator routes are off), and stops on
 * SIGTERM with exit 0.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  call,
  errorOf,
  type Json,
  logCollector,
  OPERATOR_TOKEN,
  PHYSICIAN,
  startServer,
  type TestServer,
} from "./api-helpers.js";
import { ROOT } from "./ee.js";

const MAIN = fileURLToPath(new URL("../dist/src/adapters/http/main.js", import.meta.url));

const DOB = "1979-03-17";
const NOC = "21231";
const FUNDS = 37913;
const CLIENT = "127.0.0.77";
const FORWARDED = "203.0.113.77";
const AGENT = "Secret-Agent/7.3";
const IMPORTED_ID = "log-secret-id-4821";
const WRONG_TOKEN = "wrong-token-Zq8xK2mN";

const { id: _id, submittedAt: _s, ...base } = PHYSICIAN;
const PERSON: Json = {
  ...base,
  dateOfBirth: DOB,
  settlementFunds: FUNDS,
  workHistory: (PHYSICIAN.workHistory as Json[]).map((w) => ({ ...w, noc: NOC })),
};

interface Reply {
  status: number;
  text: string;
  json: Json;
}

/** A request from the client address CLIENT (a loopback address of its own), with identifying headers. */
function send(
  url: string,
  method: string,
  path: string,
  o: { body?: unknown; raw?: string; token?: string } = {},
) {
  const target = new URL(path, url);
  const payload = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
  const headers: Record<string, string> = { "user-agent": AGENT, "x-forwarded-for": FORWARDED };
  if (payload !== undefined) headers["content-type"] = "application/json";
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  return new Promise<Reply>((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        headers,
        localAddress: CLIENT,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => {
          let json: Json = {};
          try {
            json = JSON.parse(text) as Json;
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** A log line with its numbers blanked (times and durations are digits that mean nothing). */
function withoutNumbers(value: unknown): unknown {
  if (typeof value === "number") return 0;
  if (Array.isArray(value)) return value.map(withoutNumbers);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNumbers(v)]));
  return value;
}
function numbersOf(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(numbersOf);
  return [];
}

describe("the log of an in-process server", () => {
  const log = logCollector();
  let server: TestServer;
  const secrets: string[] = [];

  beforeAll(async () => {
    server = await startServer({ log, rateLimitPerMinute: 300, demoPoolSize: 20 });
  }, 30_000);
  afterAll(async () => server?.close());

  it("holds JSON lines with no token, date of birth, id, body field or client address", async () => {
    const u = server.url;
    expect((await send(u, "POST", "/api/score?asOf=2026-02-19", { body: PERSON })).status).toBe(200);
    expect((await send(u, "POST", "/api/eligibility?asOf=2026-02-19", { body: PERSON })).status).toBe(200);
    expect((await send(u, "POST", "/api/advice?asOf=2026-02-19", { body: PERSON })).status).toBe(200);
    expect(
      (
        await send(u, "POST", "/api/history/check", {
          body: { profile: PERSON, submittedAt: "2025-12-20T16:05:00Z" },
        })
      ).status,
    ).toBe(200);
    expect(
      (await send(u, "POST", "/api/score", { body: { ...PERSON, dateOfBirth: "1979-02-30" } })).status,
    ).toBe(400);
    expect((await send(u, "POST", "/api/score", { raw: `{"dateOfBirth":"${DOB}",` })).status).toBe(400);

    const created = await send(u, "POST", "/api/profiles", { body: PERSON });
    expect(created.status).toBe(201);
    const id = String(created.json.id);
    const token = String(created.json.token);
    const other = await send(u, "POST", "/api/profiles", { body: PERSON });
    secrets.push(id, token, String(other.json.id), String(other.json.token));
    const path = `/api/profiles/${id}`;
    expect((await send(u, "GET", `${path}?asOf=2026-02-19`, { token })).status).toBe(200);
    expect((await send(u, "GET", `${path}?asOf=${DOB}`, { token })).status).toBe(200);
    expect((await send(u, "GET", path, { token: WRONG_TOKEN })).status).toBe(404);
    expect((await send(u, "GET", path, { token: String(other.json.token) })).status).toBe(404);
    expect((await send(u, "GET", path)).status).toBe(401);
    expect((await send(u, "GET", `${path}/${DOB}`, { token })).status).toBe(404);
    expect((await send(u, "PUT", path, { body: { ...PERSON, familySize: 3 }, token })).status).toBe(200);
    expect((await send(u, "PUT", path, { body: { ...PERSON, dateOfBirth: "x" }, token })).status).toBe(400);

    const op = { token: OPERATOR_TOKEN };
    expect((await send(u, "GET", "/api/operator/pool/stats", op)).status).toBe(200);
    expect((await send(u, "GET", "/api/operator/pool/stats", { token: WRONG_TOKEN })).status).toBe(401);
    expect(
      (
        await send(u, "POST", "/api/operator/pool/import", {
          body: [{ ...PERSON, id: IMPORTED_ID, submittedAt: "2025-12-20T16:05:00Z" }],
          ...op,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await send(u, "POST", "/api/operator/pool/import", {
          body: [{ ...PERSON, id: `${IMPORTED_ID}-2`, dateOfBirth: "1979-13-01" }],
          ...op,
        })
      ).status,
    ).toBe(400);
    expect((await send(u, "DELETE", path, { token })).status).toBe(200);

    const lines = log.lines;
    expect(lines.length).toBeGreaterThan(40);
    const parsed = lines.map((line) => {
      expect(() => JSON.parse(line), line).not.toThrow();
      return JSON.parse(line) as Json;
    });
    // The log does say what happened: each request's method, route pattern and status.
    const routes = parsed.map((l) => (l.req as Json | undefined)?.route).filter(Boolean);
    expect(routes).toEqual(
      expect.arrayContaining(["/api/profiles/:id", "/api/operator/pool/import", "(unknown)"]),
    );
    expect(parsed.map((l) => (l.res as Json | undefined)?.statusCode)).toEqual(
      expect.arrayContaining([200, 201, 400, 401, 404]),
    );

    const forbidden = [
      ...secrets,
      OPERATOR_TOKEN,
      WRONG_TOKEN,
      IMPORTED_ID,
      DOB,
      "1979-02-30",
      "1979-13-01",
      NOC,
      String(FUNDS),
      CLIENT,
      FORWARDED,
      AGENT,
      "Bearer",
      "authorization",
      "dateOfBirth",
      "settlementFunds",
      "workHistory",
      "languageTests",
      "maritalStatus",
      "remoteAddress",
      "remotePort",
      "user-agent",
      "asOf=",
    ];
    for (const [i, line] of parsed.entries()) {
      const text = JSON.stringify(withoutNumbers(line));
      for (const s of forbidden) expect(text, `log line ${lines[i]} contains ${s}`).not.toContain(s);
      for (const n of numbersOf(line)) expect([FUNDS, Number(NOC)]).not.toContain(n);
    }
  });
});

/** The real server as `npm start` runs it, with its stdout's JSON lines. */
class Spawned {
  readonly lines: Json[] = [];
  readonly raw: string[] = [];
  stderr = "";
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  private buffered = "";
  private waiters: { test: (l: Json) => boolean; resolve: (l: Json) => void }[] = [];

  constructor(env: NodeJS.ProcessEnv) {
    const clean = { ...process.env };
    for (const k of ["EE_OPERATOR_TOKEN", "EE_OPERATOR_TOKEN_FILE", "EE_RATE_LIMIT", "PORT", "HOST", "EE_DB"])
      delete clean[k];
    this.child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: { ...clean, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout?.setEncoding("utf8");
    this.child.stdout?.on("data", (chunk: string) => {
      this.buffered += chunk;
      const parts = this.buffered.split("\n");
      this.buffered = parts.pop() ?? "";
      for (const part of parts.filter(Boolean)) {
        this.raw.push(part);
        const line = JSON.parse(part) as Json;
        this.lines.push(line);
        this.waiters = this.waiters.filter((w) => (w.test(line) ? (w.resolve(line), false) : true));
      }
    });
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (c: string) => (this.stderr += c));
    this.exited = new Promise((resolve) => this.child.on("exit", (code) => resolve(code)));
  }

  /** The first line (already written or to come) that passes `test`. */
  waitFor(test: (l: Json) => boolean, ms = 20_000): Promise<Json> {
    const seen = this.lines.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no such log line in ${ms} ms; stderr: ${this.stderr}`)),
        ms,
      );
      this.waiters.push({
        test,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
      void this.exited.then((code) => reject(new Error(`server exited ${code}: ${this.stderr}`)));
    });
  }

  async listening(): Promise<string> {
    const line = await this.waitFor((l) => String(l.msg).includes("listening on http://"));
    const address = /listening on (http:\/\/[^\s]+)/.exec(String(line.msg))?.[1];
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(line.address).toBe(address);
    return address as string;
  }

  async stop(): Promise<number | null> {
    this.child.kill("SIGTERM");
    return this.exited;
  }
}

describe("the real server (node dist/src/adapters/http/main.js)", () => {
  const dirs: string[] = [];
  const started: Spawned[] = [];
  const temp = () => {
    const d = mkdtempSync(join(tmpdir(), "ee-api-main-"));
    dirs.push(d);
    return d;
  };
  beforeAll(() => {
    if (!existsSync(MAIN))
      throw new Error(`${MAIN} is missing: build first (npx tsc -p tsconfig.build.json)`);
  });
  afterAll(() => {
    for (const s of started) if (s.child.exitCode === null) s.child.kill("SIGKILL");
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("starts on a free port, seeds its database, answers /api/health and exits 0 on SIGTERM", async () => {
    const db = join(temp(), "ee.sqlite");
    const server = new Spawned({
      PORT: "0",
      EE_DB: db,
      EE_DEMO_POOL_SIZE: "50",
      EE_OPERATOR_TOKEN: OPERATOR_TOKEN,
    });
    started.push(server);
    const address = await server.listening();
    const health = await call(address, "GET", "/api/health");
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: "ok", database: db, profiles: 50, operatorRoutes: true });
    expect((health.json.historyRounds as number) > 400).toBe(true);
    const stats = await call(address, "GET", "/api/operator/pool/stats", { token: OPERATOR_TOKEN });
    expect(stats.status).toBe(200);
    expect(await server.stop()).toBe(0);
    expect(existsSync(db)).toBe(true);
    expect(server.lines.some((l) => l.level === 40)).toBe(false);
    expect(server.lines.find((l) => String(l.msg).includes("demo synthetic pool"))).toMatchObject({
      profiles: 50,
    });
    for (const raw of server.raw) expect(raw).not.toContain(OPERATOR_TOKEN);
    expect(server.stderr).toBe("");
  });

  it("without EE_OPERATOR_TOKEN: warns that operator routes are off, and they answer 404 JSON", async () => {
    const server = new Spawned({ PORT: "0", EE_DB: join(temp(), "ee.sqlite"), EE_DEMO_POOL_SIZE: "0" });
    started.push(server);
    const address = await server.listening();
    const warn = await server.waitFor((l) => l.level === 40);
    expect(String(warn.msg)).toMatch(/operator routes are off/);
    expect((await call(address, "GET", "/api/health")).json.operatorRoutes).toBe(false);
    for (const token of [undefined, OPERATOR_TOKEN]) {
      const a = await call(address, "GET", "/api/operator/pool/stats", { token });
      expect(a.status).toBe(404);
      expect(errorOf(a).code).toBe("not-found");
      const b = await call(address, "POST", "/api/operator/rounds", { body: {}, token });
      expect(b.status).toBe(404);
    }
    expect(await server.stop()).toBe(0);
    expect(server.stderr).toBe("");
  });
});
