/**
 * Shared by the HTTP API tests: a real server on a fresh SQLite file in a temporary directory (seeded as
 * `npm start` seeds it), requests over real HTTP (fetch), the built CLI run asynchronously for expected
 * values, and an arbitrary CRS questionnaire.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DestinationStream } from "pino";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import { seedStore } from "../src/adapters/http/seed.js";
import { buildServer, type ServerOptions } from "../src/adapters/http/server.js";
import { openSqliteStore } from "../src/adapters/store/sqlite.js";
import type { PoolStore } from "../src/app/ports.js";
import { defaultRuleBook } from "../src/rules/index.js";
import { CLI, ROOT } from "./ee.js";

export const BOOK = defaultRuleBook();
export type Json = Record<string, unknown>;

export const readJson = <T = Json>(path: string): T =>
  JSON.parse(readFileSync(join(ROOT, path), "utf8")) as T;

export const SINGLE_IELTS = readJson("examples/single-ielts.json");
export const PHYSICIAN = readJson("examples/physician-profile.json");
export const PHYSICIANS_ROUND = "Physicians with Canadian Work Experience, 2026-Version 1";
export const OPERATOR_TOKEN = "operator-secret-0123456789abcdef";

export interface TestServer {
  url: string;
  app: FastifyInstance;
  store: PoolStore;
  dir: string;
  dbPath: string;
  close(): Promise<void>;
}

export interface StartOptions extends Partial<Omit<ServerOptions, "store" | "book">> {
  /** Another server's store (not closed by this one), instead of a new seeded file. */
  store?: PoolStore;
  demoPoolSize?: number;
}

/** A server listening on 127.0.0.1 (a free port) over a new seeded SQLite file, or a given store. */
export async function startServer(o: StartOptions = {}): Promise<TestServer> {
  const now = o.now ?? (() => "2026-02-18T12:00:00Z");
  const today = o.today ?? (() => "2026-02-18");
  const dir = mkdtempSync(join(tmpdir(), "ee-api-"));
  const dbPath = join(dir, "pool.sqlite");
  const own = o.store === undefined;
  const store = o.store ?? (await openSqliteStore(dbPath, { create: true }));
  if (own) await seedStore(store, BOOK, { demoPoolSize: o.demoPoolSize ?? 200, now: now() });
  const app = await buildServer({
    store,
    book: BOOK,
    operatorToken: o.operatorToken === undefined ? OPERATOR_TOKEN : o.operatorToken,
    rateLimitPerMinute: o.rateLimitPerMinute ?? 0,
    log: o.log ?? false,
    webRoot: o.webRoot ?? null,
    now,
    today,
    databaseLabel: o.databaseLabel ?? "test.sqlite",
    ...(o.trustProxy !== undefined ? { trustProxy: o.trustProxy } : {}),
    ...(o.bodyLimit !== undefined ? { bodyLimit: o.bodyLimit } : {}),
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url,
    app,
    store,
    dir,
    dbPath,
    async close() {
      await app.close();
      if (own) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body (undefined when the body is not JSON). */
  body: unknown;
  json: Json;
}

/** Every answer received, so a file can check that no error ever showed a stack trace. */
export const answers: { route: string; answer: Answer }[] = [];

export interface RequestOptions {
  /** A JSON value, or a raw string sent as is. */
  body?: unknown;
  raw?: string;
  token?: string;
  headers?: Record<string, string>;
}

/** One request over HTTP; a `body` is sent as application/json. */
export async function call(
  base: string,
  method: string,
  path: string,
  o: RequestOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  let payload: string | undefined;
  if (o.body !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(o.body);
  }
  if (o.raw !== undefined) payload = o.raw;
  if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  Object.assign(headers, o.headers);
  const response = await fetch(base + path, { method, headers, body: payload });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const answer: Answer = {
    status: response.status,
    headers: response.headers,
    text,
    body,
    json: body as Json,
  };
  answers.push({ route: `${method} ${path}`, answer });
  return answer;
}

/** The error body's parts, checked to be the API's error shape. */
export function errorOf(a: Answer): {
  statusCode: number;
  code: string;
  message: string;
  errors?: { field: string; message: string }[];
  line?: number;
} {
  const error = (a.body as { error?: unknown } | undefined)?.error as ReturnType<typeof errorOf> | undefined;
  if (!error || typeof error !== "object") throw new Error(`not an error body (${a.status}): ${a.text}`);
  if (error.statusCode !== a.status)
    throw new Error(`statusCode ${error.statusCode} in a ${a.status} answer`);
  if (!/^application\/json/.test(a.headers.get("content-type") ?? ""))
    throw new Error(`error answered as ${a.headers.get("content-type")}`);
  return error;
}

/** What an answer must never show: a stack frame, a source file or the server's directories. */
export const STACK_TRACE = /(^|\\n|\n)\s*at \S|\.(ts|js):\d+|node_modules|\/work\/|file:\/\//;

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The built `ee`, asynchronously (several can run while the servers start). */
export function cli(args: string[], stdin?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: ROOT, encoding: "utf8", timeout: 30_000, env: { ...process.env, EE_DB: undefined } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") reject(error);
        else resolve({ status: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(stdin ?? "");
  });
}

/** The CLI's JSON answer (stdout), with its exit code checked. */
export async function cliJson<T = Json>(args: string[], expectStatus = 0, stdin?: string): Promise<T> {
  const run = await cli(args, stdin);
  if (run.status !== expectStatus)
    throw new Error(`ee ${args.join(" ")}: exit ${run.status} (expected ${expectStatus}): ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** A destination that keeps every log line. */
export function logCollector(): DestinationStream & { lines: string[] } {
  const lines: string[] = [];
  let partial = "";
  return {
    lines,
    write(chunk: string) {
      partial += chunk;
      const parts = partial.split("\n");
      partial = parts.pop() ?? "";
      lines.push(...parts.filter((l) => l !== ""));
    },
  };
}

// A CRS questionnaire as the official tool asks it: every marital status, spouse shape, education,
// tests of the four abilities (CLB 0–12 on CELPIP, TCF on its scales), work, offers and nomination.
const EDUCATION = [
  "none",
  "secondary",
  "one-year",
  "two-year",
  "bachelors",
  "two-or-more",
  "masters",
  "doctoral",
] as const;
const AS_OF = [
  "2016-01-15",
  "2019-03-01",
  "2022-07-01",
  "2025-03-24",
  "2025-03-25",
  "2026-02-19",
  "2026-11-21",
];
const clb = fc.integer({ min: 0, max: 12 });
const celpip = (date: string) =>
  fc.record({
    test: fc.constant("CELPIP"),
    date: fc.constant(date),
    speaking: clb,
    listening: clb,
    reading: clb,
    writing: clb,
  });
const tcf = (date: string) =>
  fc.record({
    test: fc.constant("TCF"),
    date: fc.constant(date),
    speaking: fc.integer({ min: 0, max: 20 }),
    listening: fc.integer({ min: 0, max: 699 }),
    reading: fc.integer({ min: 0, max: 699 }),
    writing: fc.integer({ min: 0, max: 20 }),
  });
/** A test date that is valid on the as-of date, or one more than two years before it (not scored). */
const testDate = (asOf: string) =>
  fc.constantFrom(asOf, asOf, asOf, `${Number(asOf.slice(0, 4)) - 3}${asOf.slice(4)}`);

export const questionnaireArb: fc.Arbitrary<Json> = fc.constantFrom(...AS_OF).chain((asOf) =>
  fc.record({
    asOf: fc.constant(asOf),
    maritalStatus: fc.constantFrom("single", "married", "common-law", "divorced", "widowed"),
    spouse: fc.record({
      canadianCitizenOrPR: fc.boolean(),
      accompanying: fc.boolean(),
      education: fc.constantFrom(...EDUCATION),
      canadianWorkYears: fc.integer({ min: 0, max: 8 }),
      language: fc.option(celpip(asOf), { nil: null }),
    }),
    age: fc.integer({ min: 15, max: 60 }),
    education: fc.constantFrom(...EDUCATION),
    canadianEducation: fc.constantFrom(null, "one-or-two-year", "three-year-or-more"),
    firstLanguage: testDate(asOf).chain(celpip),
    secondLanguage: fc.option(tcf(asOf), { nil: null }),
    canadianWorkYears: fc.integer({ min: 0, max: 8 }),
    foreignWorkYears: fc.integer({ min: 0, max: 8 }),
    certificateOfQualification: fc.boolean(),
    jobOffer: fc.constantFrom(null, "major-group-00", "teer-0-1-2-3"),
    provincialNomination: fc.boolean(),
    siblingInCanada: fc.boolean(),
  }),
);

/** Breaks one field of an object (a wrong type, an impossible value, or a missing field). */
export function corrupt<T extends Json>(input: fc.Arbitrary<T>): fc.Arbitrary<Json> {
  return fc
    .tuple(
      input,
      fc.nat(),
      fc.constantFrom<unknown>("x", -3, null, true, [], {}, "2026-02-30", 1e9, undefined),
    )
    .map(([value, pick, bad]) => {
      const copy = structuredClone(value) as Json;
      const paths: string[][] = [];
      const walk = (v: unknown, path: string[]) => {
        if (path.length > 0) paths.push(path);
        if (v && typeof v === "object") for (const [k, c] of Object.entries(v)) walk(c, [...path, k]);
      };
      walk(copy, []);
      const path = paths[pick % paths.length] ?? ["age"];
      let parent: Json = copy;
      for (const key of path.slice(0, -1)) parent = parent[key] as Json;
      const last = path[path.length - 1] as string;
      if (bad !== undefined) parent[last] = bad;
      else if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
      return copy;
    });
}
