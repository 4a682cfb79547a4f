/**
 * The HTTP API over real HTTP (a listening server, fetch), route by route. Expected values come from the
 * built CLI (`ee … --json` for the same input) or from the rules, never from the API's own answers.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import SwaggerParser from "@apidevtools/swagger-parser";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../src/adapters/store/sqlite.js";
import { adviseProfile } from "../src/domain/crs/what-if.js";
import { validateProfile } from "../src/domain/eligibility/report.js";
import { defaultRuleBook } from "../src/rules/index.js";
import {
  answers,
  call,
  cliJson,
  errorOf,
  type Json,
  OPERATOR_TOKEN,
  PHYSICIAN,
  PHYSICIANS_ROUND,
  readJson,
  SINGLE_IELTS,
  STACK_TRACE,
  startServer,
  type TestServer,
} from "./api-helpers.js";
import { CLI } from "./ee.js";

const NOW = "2026-02-18T12:00:00Z";
const TODAY = "2026-02-18";
/** The operator's server: a week after round #397 of 2026-02-19. */
const OP_NOW = "2026-02-25T10:00:00Z";

/** Every operation of the API (OpenAPI path templates). */
const ROUTES = [
  "POST /api/score",
  "POST /api/eligibility",
  "POST /api/advice",
  "GET /api/rules",
  "GET /api/health",
  "GET /api/health/ready",
  "GET /api/history/rounds",
  "GET /api/history/rounds/{number}",
  "GET /api/history/stats",
  "GET /api/history/bands",
  "POST /api/history/check",
  "GET /api/forecast",
  "POST /api/profiles",
  "GET /api/profiles/{id}",
  "PUT /api/profiles/{id}",
  "DELETE /api/profiles/{id}",
  "GET /api/operator/pool/stats",
  "POST /api/operator/pool/import",
  "POST /api/operator/rounds",
  "GET /api/operator/rounds",
  "GET /api/operator/rounds/{number}",
  "GET /api/operator/rounds/{number}/invitations",
  "POST /api/operator/invitations/{id}/{answer}",
  "POST /api/operator/sweep",
].sort();

const EXPIRED_TEST = {
  ...SINGLE_IELTS,
  firstLanguage: { ...(SINGLE_IELTS.firstLanguage as Json), date: "2020-01-01" },
};
const BAD_SPEAKING = {
  ...SINGLE_IELTS,
  firstLanguage: { ...(SINGLE_IELTS.firstLanguage as Json), speaking: "x" },
};
const BAD_PROFILE = {
  ...PHYSICIAN,
  dateOfBirth: "1988-02-30",
  languageTests: [{ ...(PHYSICIAN.languageTests as Json[])[0], speaking: "x" }],
};
/** The physician example as a candidate sends it: the server sets id and submittedAt. */
const { id: _id, submittedAt: _submittedAt, ...CANDIDATE } = PHYSICIAN;
const physician = (id: string, overrides: Json = {}) => structuredClone({ ...PHYSICIAN, id, ...overrides });
const withoutOrigin = ({ origin: _o, syncedAt: _s, source: _src, ...rest }: Json) => rest;
/** The API adds each round's French name (`french`) to what `ee history` prints; the rest is the same. */
function withoutFrench(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutFrench);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "french")
        .map(([k, v]) => [k, withoutFrench(v)]),
    );
  return value;
}

const stdin = (value: unknown) => JSON.stringify(value);
let main: TestServer;
let op: TestServer;
let expected: Record<string, Json>;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p tsconfig.build.json)`);
  const cliAnswers = {
    crsSingle: cliJson(["crs", "examples/single-ielts.json", "--json"]),
    crsSinglePnp: cliJson(["crs", "-", "--json"], 0, stdin({ ...SINGLE_IELTS, provincialNomination: true })),
    crsSingleWork2: cliJson(["crs", "-", "--json"], 0, stdin({ ...SINGLE_IELTS, canadianWorkYears: 2 })),
    crsPhysician: cliJson(["crs", "examples/physician-profile.json", "--as-of", "2026-02-19", "--json"]),
    crsExpired: cliJson(["crs", "-", "--json"], 3, stdin(EXPIRED_TEST)),
    crsInvalid: cliJson(["crs", "-", "--json"], 2, stdin(BAD_SPEAKING)),
    crsBadProfile: cliJson(["crs", "-", "--as-of", "2026-02-19", "--json"], 2, stdin(BAD_PROFILE)),
    eligibility: cliJson([
      "eligibility",
      "examples/physician-profile.json",
      "--as-of",
      "2026-02-19",
      "--json",
    ]),
    eligibilityBad: cliJson(["eligibility", "-", "--as-of", "2026-02-19", "--json"], 2, stdin(BAD_PROFILE)),
    rules: cliJson(["rules", "--json"]),
    physicians: cliJson(["history", "list", "--kind", "category", "--category", "physicians", "--json"]),
    show397: cliJson(["history", "show", "397", "--json"]),
    stats: cliJson(["history", "stats", "--json"]),
    check: cliJson(["history", "check", "examples/physician-profile.json", "--json"]),
    forecast: cliJson([
      "forecast",
      "--round-name",
      "Canadian Experience Class",
      "--invitations",
      "3000",
      "--at",
      "2026-08-20",
      "--json",
    ]),
  };
  const [servers, values] = await Promise.all([
    Promise.all([
      startServer({ now: () => NOW, today: () => TODAY }),
      startServer({ now: () => OP_NOW, today: () => "2026-02-25" }),
    ]),
    Promise.all(Object.values(cliAnswers)),
  ]);
  [main, op] = servers;
  expected = Object.fromEntries(Object.keys(cliAnswers).map((k, i) => [k, values[i] as Json]));
}, 60_000);

afterAll(async () => {
  await main?.close();
  await op?.close();
});

const get = (path: string, o?: Parameters<typeof call>[3]) => call(main.url, "GET", path, o);
const post = (path: string, body?: unknown, o?: Parameters<typeof call>[3]) =>
  call(main.url, "POST", path, { body, ...o });

describe("POST /api/score", () => {
  it("scores a questionnaire exactly as `ee crs --json` does", async () => {
    const a = await post("/api/score", SINGLE_IELTS);
    expect(a.status).toBe(200);
    expect(a.body).toEqual(expected.crsSingle);
    expect(a.json.total).toBe(expected.crsSingle!.total);
  });

  it("scores a full profile on the query's date as `ee crs --as-of` does", async () => {
    const a = await post("/api/score?asOf=2026-02-19", PHYSICIAN);
    expect(a.status).toBe(200);
    expect(a.body).toEqual(expected.crsPhysician);
    expect(a.json).toMatchObject({ status: "scored", asOf: "2026-02-19", total: 463 });
  });

  it("answers 200 not-scored for a valid input with an expired test, as the CLI (exit 3)", async () => {
    const a = await post("/api/score", EXPIRED_TEST);
    expect(a.status).toBe(200);
    expect(a.json.status).toBe("not-scored");
    expect(a.body).toEqual(expected.crsExpired);
    expect((a.json.reasons as Json[]).map((r) => r.field)).toEqual(["firstLanguage.date"]);
  });

  it("refuses an invalid field with 400 and the CLI's field paths", async () => {
    const a = await post("/api/score", BAD_SPEAKING);
    expect(a.status).toBe(400);
    const e = errorOf(a);
    expect(e).toMatchObject({ statusCode: 400, code: "invalid" });
    expect(e.errors).toEqual(expected.crsInvalid!.errors);
    expect(e.errors?.map((x) => x.field)).toEqual(["firstLanguage.speaking"]);

    const p = await post("/api/score?asOf=2026-02-19", BAD_PROFILE);
    expect(p.status).toBe(400);
    expect(errorOf(p).errors).toEqual(expected.crsBadProfile!.errors);
    expect(errorOf(p).errors?.map((x) => x.field)).toEqual(["dateOfBirth", "languageTests.0.speaking"]);
  });

  it("refuses a date that does not exist and an unknown query key", async () => {
    const a = await post("/api/score?asOf=2026-02-30", SINGLE_IELTS);
    expect(a.status).toBe(400);
    expect(errorOf(a).errors?.map((e) => e.field)).toEqual(["asOf"]);
    const b = await post("/api/score?asof=2026-02-19", SINGLE_IELTS);
    expect(b.status).toBe(400);
    expect(errorOf(b)).toMatchObject({ code: "invalid" });
    expect(errorOf(b).message).toContain("asof");
  });

  it("answers a body that is not JSON, or not sent as JSON, with a 4xx JSON error", async () => {
    const notJson = await post("/api/score", undefined, {
      raw: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(notJson.status).toBe(400);
    expect(errorOf(notJson).code).toBe("invalid");
    const xml = await post("/api/score", undefined, {
      raw: "<age>29</age>",
      headers: { "content-type": "application/xml" },
    });
    expect(xml.status).toBe(415);
    expect(errorOf(xml).code).toBe("unsupported-media-type");
    const text = await post("/api/score", undefined, {
      raw: JSON.stringify(SINGLE_IELTS),
      headers: { "content-type": "text/plain" },
    });
    // JSON only: text/plain is not parsed (it would reach the route as a string).
    expect(text.status).toBe(415);
    expect(errorOf(text).code).toBe("unsupported-media-type");
    for (const body of [[SINGLE_IELTS], 5, "text", null]) {
      const a = await post("/api/score", body);
      expect(a.status).toBe(400);
      expect(errorOf(a).code).toBe("invalid");
    }
    const none = await call(main.url, "POST", "/api/score");
    expect(none.status).toBe(400);
    errorOf(none);
  });

  it("refuses a body over 64 KiB with 413 too-large", async () => {
    const big = { ...SINGLE_IELTS, padding: "x".repeat(64 * 1024) };
    const a = await post("/api/score", big);
    expect(a.status).toBe(413);
    expect(errorOf(a)).toMatchObject({ statusCode: 413, code: "too-large" });
  });
});

describe("POST /api/eligibility, POST /api/advice, GET /api/rules, GET /api/health", () => {
  it("eligibility: the report of `ee eligibility --as-of --json`", async () => {
    const a = await post("/api/eligibility?asOf=2026-02-19", PHYSICIAN);
    expect(a.status).toBe(200);
    expect(a.body).toEqual(expected.eligibility);
    const physicians = (a.json.categories as Json[]).find((c) => c.category === "physicians");
    expect(physicians).toMatchObject({ eligible: true });

    const bad = await post("/api/eligibility?asOf=2026-02-19", BAD_PROFILE);
    expect(bad.status).toBe(400);
    expect(errorOf(bad).errors).toEqual(expected.eligibilityBad!.errors);
    const date = await post("/api/eligibility?asOf=2026-13-01", PHYSICIAN);
    expect(errorOf(date).errors?.map((e) => e.field)).toEqual(["asOf"]);
  });

  it("advice on a questionnaire: ranked by gain; each gain what `ee crs` gives with the change", async () => {
    const a = await post("/api/advice", SINGLE_IELTS);
    expect(a.status).toBe(200);
    const base = expected.crsSingle!;
    expect(a.json).toMatchObject({ asOf: base.asOf, total: base.total });
    const improvements = a.json.improvements as {
      action: string;
      detail: Json;
      gain: number;
      total: number;
    }[];
    expect(improvements.length).toBeGreaterThan(0);
    for (const [i, m] of improvements.entries()) {
      expect(m.total).toBe((base.total as number) + m.gain);
      if (i > 0) expect(m.gain).toBeLessThanOrEqual(improvements[i - 1]!.gain);
    }
    // A nomination is worth 600 additional points, within the section's cap of 600.
    const additional = (base.additional as Json).subtotal as number;
    expect(additional).toBe(50); // French NCLC 7+ with English CLB 5+
    const pnp = improvements.find((m) => m.action === "provincial-nomination");
    expect(pnp?.gain).toBe(Math.min(600, 600 - additional));
    expect(pnp?.gain).toBe((expected.crsSinglePnp!.total as number) - (base.total as number));
    const work = improvements.find((m) => m.action === "canadian-work-year" && m.detail.toYears === 2);
    expect(work?.gain).toBe((expected.crsSingleWork2!.total as number) - (base.total as number));
  });

  it("advice on a profile: its CRS on the date; a nomination gains the full 600", async () => {
    const a = await post("/api/advice?asOf=2026-02-19", PHYSICIAN);
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ asOf: "2026-02-19", total: expected.crsPhysician!.total });
    const improvements = a.json.improvements as { action: string; gain: number }[];
    const gains = improvements.map((m) => m.gain);
    expect(gains).toEqual([...gains].sort((x, y) => y - x));
    const additional = (expected.crsPhysician!.additional as Json).subtotal as number;
    expect(improvements.find((m) => m.action === "provincial-nomination")?.gain).toBe(
      Math.min(600, 600 - additional),
    );
    expect(Array.isArray(a.json.losses)).toBe(true);
    expect(improvements.some((m) => m.action === "spouse-as-principal")).toBe(false);

    // With the spouse's date of birth (the profile lacks it), the spouse as principal is scored too:
    // the answer is the library's for the same option.
    const withSpouse = await post("/api/advice?asOf=2026-02-19&spouseDateOfBirth=1990-03-01", PHYSICIAN);
    expect(withSpouse.status).toBe(200);
    const book = defaultRuleBook();
    const profile = validateProfile(PHYSICIAN, book);
    if (profile.status !== "ok") throw new Error("the physician profile is valid");
    expect(withSpouse.json).toEqual(
      JSON.parse(
        JSON.stringify(
          adviseProfile(profile.profile, "2026-02-19", book, { spouseDateOfBirth: "1990-03-01" }),
        ),
      ),
    );
    const badSpouse = await post("/api/advice?spouseDateOfBirth=1990-02-30", PHYSICIAN);
    expect([badSpouse.status, errorOf(badSpouse).errors?.map((e) => e.field)]).toEqual([
      400,
      ["spouseDateOfBirth"],
    ]);

    const bad = await post("/api/advice", BAD_SPEAKING);
    expect(bad.status).toBe(400);
    expect(errorOf(bad).errors).toEqual(expected.crsInvalid!.errors);
  });

  it("rules: the same list as `ee rules --json`", async () => {
    const a = await get("/api/rules");
    expect(a.status).toBe(200);
    expect(a.body).toEqual(expected.rules);
  });

  it("health/ready: one row read, for load balancers", async () => {
    const a = await get("/api/health/ready");
    expect([a.status, a.json]).toEqual([200, { status: "ok" }]);
  });

  it("health: the database, its profiles and history, and whether operator routes exist", async () => {
    const a = await get("/api/health");
    expect(a.status).toBe(200);
    const shipped = readJson<{ rounds: unknown[] }>("rules/ircc-rounds.json");
    expect(a.body).toEqual({
      status: "ok",
      database: "test.sqlite",
      profiles: 200,
      historyRounds: shipped.rounds.length,
      operatorRoutes: true,
    });
  });
});

describe("history and forecast", () => {
  it("lists the physicians rounds as `ee history list --category physicians --json`", async () => {
    const a = await get("/api/history/rounds?kind=category&category=physicians");
    expect(a.status).toBe(200);
    expect(a.json.origin).toBe("store");
    expect(withoutFrench(a.json.rounds)).toEqual(expected.physicians!.rounds);
    expect((a.json.rounds as Json[]).map((r) => r.number)).toEqual(["397", "421"]);

    const all = await get("/api/history/rounds");
    expect((all.json.rounds as unknown[]).length).toBe(
      readJson<{ rounds: unknown[] }>("rules/ircc-rounds.json").rounds.length,
    );
    const bad = await get("/api/history/rounds?kind=lottery");
    expect(bad.status).toBe(400);
    expect(errorOf(bad).errors?.[0]?.field).toBe("kind");
  });

  it("shows round #397 as `ee history show 397` and answers 404 JSON for a round that does not exist", async () => {
    const a = await get("/api/history/rounds/397");
    expect(a.status).toBe(200);
    const { anomalies, ...round } = expected.show397!;
    expect(withoutFrench(a.json.round)).toEqual(round);
    expect(a.json.anomalies).toEqual(anomalies);
    expect(a.json.round).toMatchObject({ cutoff: 169, invitations: 391, name: PHYSICIANS_ROUND });
    expect((a.json.round as Json).tieBreak).toMatch(/^2026-01-03T03:25:14/);

    const missing = await get("/api/history/rounds/9999");
    expect(missing.status).toBe(404);
    expect(errorOf(missing).code).toBe("not-found");
  });

  it("stats: the trends of `ee history stats --json`", async () => {
    const a = await get("/api/history/stats");
    expect(a.status).toBe(200);
    expect(withoutFrench(withoutOrigin(a.json))).toEqual(withoutOrigin(expected.stats!));
  });

  it("bands: IRCC's 18 bands dd1–dd18 from the rules", async () => {
    const a = await get("/api/history/bands");
    expect(a.status).toBe(200);
    const bands = a.json.bands as { key: string }[];
    expect(bands.map((b) => b.key)).toEqual(Array.from({ length: 18 }, (_, i) => `dd${i + 1}`));
    expect(bands).toEqual(readJson<{ bands: unknown[] }>("rules/ircc-pool-bands.json").bands);
  });

  it("check: the physician is first invited by #397, as `ee history check` says", async () => {
    const a = await post("/api/history/check", { profile: PHYSICIAN });
    expect(a.status).toBe(200);
    expect((a.json.firstInvitation as Json).round).toBe("397");
    expect(withoutFrench(withoutOrigin(a.json))).toEqual(withoutOrigin(expected.check!));

    const noSubmission = await post("/api/history/check", { profile: CANDIDATE });
    expect(noSubmission.status).toBe(400);
    expect(errorOf(noSubmission).errors?.map((e) => e.field)).toEqual(["submittedAt"]);
    const given = await post("/api/history/check", {
      profile: CANDIDATE,
      submittedAt: "2025-12-20T16:05:00Z",
    });
    expect(withoutFrench(withoutOrigin(given.json))).toEqual(withoutOrigin(expected.check!));
    const bad = await post("/api/history/check", { profile: BAD_PROFILE });
    expect(errorOf(bad).errors?.map((e) => e.field)).toEqual([
      "profile.dateOfBirth",
      "profile.languageTests.0.speaking",
    ]);
  });

  it("forecast: the same JSON as `ee forecast`; an unknown name or 0 invitations is a 400", async () => {
    const a = await get(
      "/api/forecast?roundName=Canadian%20Experience%20Class&invitations=3000&at=2026-08-20",
    );
    expect(a.status).toBe(200);
    expect(withoutFrench(a.body)).toEqual(expected.forecast);

    const unknown = await get("/api/forecast?roundName=Lottery&invitations=3000&at=2026-08-20");
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown).errors?.map((e) => e.field)).toEqual(["roundName"]);
    const zero = await get("/api/forecast?roundName=Canadian%20Experience%20Class&invitations=0");
    expect(zero.status).toBe(400);
    expect(errorOf(zero).errors?.map((e) => e.field)).toEqual(["invitations"]);
    const missing = await get("/api/forecast?invitations=10");
    expect(errorOf(missing).errors?.map((e) => e.field)).toContain("roundName");
  });
});

describe("candidate profiles", () => {
  let first: Json;
  let second: Json;
  const path = (p: Json) => `/api/profiles/${String(p.id)}`;

  it("creates a profile: 201, its token once, a Location; id and submittedAt are the server's", async () => {
    const a = await post("/api/profiles", CANDIDATE);
    expect(a.status).toBe(201);
    first = a.json;
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{24,}$/);
    expect(a.headers.get("location")).toBe(path(first));
    expect(first).toMatchObject({
      status: "in-pool",
      submittedAt: NOW,
      expiresAt: "2027-02-18T12:00:00Z",
      revision: 0,
    });
    second = (await post("/api/profiles", CANDIDATE)).json;
    expect(second.id).not.toBe(first.id);
    expect(second.token).not.toBe(first.token);

    for (const field of ["id", "submittedAt"]) {
      const r = await post("/api/profiles", { ...CANDIDATE, [field]: field === "id" ? "mine" : NOW });
      expect(r.status).toBe(400);
      expect(errorOf(r).errors?.map((e) => e.field)).toEqual([field]);
    }
    const bad = await post("/api/profiles", { ...CANDIDATE, dateOfBirth: "1988-02-30" });
    expect(bad.status).toBe(400);
    expect(errorOf(bad).errors?.map((e) => e.field)).toEqual(["dateOfBirth"]);
  });

  it("reads it with its token, with the evaluation of the date", async () => {
    const a = await get(`${path(first)}?asOf=2026-02-19`, { token: String(first.token) });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ id: first.id, status: "in-pool", submittedAt: NOW, revision: 0 });
    const evaluation = a.json.evaluation as Json;
    expect(evaluation).toMatchObject({ status: "evaluated", asOf: "2026-02-19" });
    expect((evaluation.crs as Json).total).toBe(expected.crsPhysician!.total);
    const today = await get(path(first), { token: String(first.token) });
    expect((today.json.evaluation as Json).asOf).toBe(TODAY);
  });

  it("answers 401 without a token, 404 for a wrong token or another candidate's", async () => {
    const none = await get(path(first));
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    expect(errorOf(none).code).toBe("unauthorized");
    const basic = await get(path(first), { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(basic.status).toBe(401);

    const wrong = await get(path(first), { token: "not-the-token" });
    expect(wrong.status).toBe(404);
    expect(errorOf(wrong).code).toBe("not-found");
    const other = String(second.token);
    expect((await get(path(first), { token: other })).status).toBe(404);
    expect((await call(main.url, "PUT", path(first), { body: CANDIDATE, token: other })).status).toBe(404);
    expect((await call(main.url, "DELETE", path(first), { token: other })).status).toBe(404);
    const nobody = await get("/api/profiles/no-such-profile", { token: String(first.token) });
    expect(nobody.status).toBe(404);
    // Nothing changed through the other token.
    const still = await get(path(first), { token: String(first.token) });
    expect(still.json).toMatchObject({ status: "in-pool", revision: 0 });
  });

  it("updates it: same submission instant, a new revision", async () => {
    const token = String(first.token);
    const a = await call(main.url, "PUT", path(first), {
      body: { ...CANDIDATE, settlementFunds: 41000 },
      token,
    });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ id: first.id, status: "in-pool", submittedAt: NOW });
    expect(a.json.revision as number).toBeGreaterThan(first.revision as number);
    expect((a.json.profile as Json).settlementFunds).toBe(41000);
    const read = await get(path(first), { token });
    expect((read.json.profile as Json).settlementFunds).toBe(41000);
    expect(read.json.submittedAt).toBe(NOW);

    const moved = await call(main.url, "PUT", path(first), {
      body: { ...CANDIDATE, submittedAt: "2020-01-01T00:00:00Z" },
      token,
    });
    expect(moved.status).toBe(400);
    expect(errorOf(moved).errors?.map((e) => e.field)).toEqual(["submittedAt"]);
    const bad = await call(main.url, "PUT", path(first), {
      body: { ...CANDIDATE, familySize: "two" },
      token,
    });
    expect(bad.status).toBe(400);
    expect(errorOf(bad).errors?.map((e) => e.field)).toEqual(["familySize"]);
  });

  it("withdraws it; it then reads as withdrawn", async () => {
    const token = String(first.token);
    const a = await call(main.url, "DELETE", path(first), { token });
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ withdrawn: first.id });
    const read = await get(path(first), { token });
    expect(read.json.status).toBe("withdrawn");
    // It left the pool for good: withdrawing again, or editing it, is a conflict.
    const again = await call(main.url, "DELETE", path(first), { token });
    expect([again.status, errorOf(again).code]).toEqual([409, "conflict"]);
    const edit = await call(main.url, "PUT", path(first), { token, body: CANDIDATE });
    expect([edit.status, errorOf(edit).code]).toEqual([409, "conflict"]);
    const noToken = await call(main.url, "DELETE", path(second));
    expect(noToken.status).toBe(401);
  });

  it("stores only the token's SHA-256: the token itself is nowhere in the database files", async () => {
    const db = new Database(main.dbPath, { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare("SELECT profile_id, token_hash FROM profile_tokens").all() as {
        profile_id: string;
        token_hash: string;
      }[];
      const sha = (t: unknown) => createHash("sha256").update(String(t)).digest("hex");
      expect(rows).toHaveLength(2);
      expect(new Map(rows.map((r) => [r.profile_id, r.token_hash]))).toEqual(
        new Map([
          [first.id, sha(first.token)],
          [second.id, sha(second.token)],
        ]),
      );
    } finally {
      db.close();
    }
    for (const file of [main.dbPath, `${main.dbPath}-wal`, `${main.dbPath}-shm`]) {
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file);
      for (const token of [first.token, second.token]) expect(bytes.includes(String(token))).toBe(false);
    }
  });
});

describe("operator routes", () => {
  const O = { token: OPERATOR_TOKEN };
  const opGet = (path: string, o: Parameters<typeof call>[3] = O) => call(op.url, "GET", path, o);
  const opPost = (path: string, body?: unknown, o: Parameters<typeof call>[3] = O) =>
    call(op.url, "POST", path, { body, ...o });
  const profiles = async () => (await call(op.url, "GET", "/api/health")).json.profiles;
  const ROUND = {
    number: 397,
    name: PHYSICIANS_ROUND,
    kind: "category",
    invitations: 391,
    at: "2026-02-19T14:24:23Z",
  };
  let published: Json;
  let invitations: Json[];

  it("answers 401 without the operator token or with a wrong one, 200 with it", async () => {
    for (const o of [
      {},
      { token: "wrong" },
      { token: `${OPERATOR_TOKEN}x` },
      { headers: { authorization: OPERATOR_TOKEN } },
    ]) {
      const a = await opGet("/api/operator/pool/stats", o);
      expect(a.status).toBe(401);
      expect(a.headers.get("www-authenticate")).toBe("Bearer");
      expect(errorOf(a).code).toBe("unauthorized");
    }
    // The token is checked before the body is read.
    expect((await opPost("/api/operator/pool/import", [physician("x")], {})).status).toBe(401);
    expect((await opPost("/api/operator/sweep", { dryRun: true }, { token: "wrong" })).status).toBe(401);
    const a = await opGet("/api/operator/pool/stats");
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ at: OP_NOW, date: "2026-02-25" });
    expect(a.json.size).toBeTypeOf("number");
    const bad = await opGet("/api/operator/pool/stats?asOf=yesterday");
    expect(errorOf(bad).errors?.map((e) => e.field)).toEqual(["asOf"]);
  });

  it("imports profiles all or nothing; an invalid record is named by line and field", async () => {
    expect(await profiles()).toBe(200);
    const a = await opPost("/api/operator/pool/import", [
      physician("imp-1"),
      physician("imp-2"),
      physician("imp-3"),
    ]);
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ imported: 3 });
    expect(await profiles()).toBe(203);

    const bad = await opPost("/api/operator/pool/import", {
      profiles: [physician("imp-4"), physician("imp-5", { dateOfBirth: "1988-02-30" }), physician("imp-6")],
    });
    expect(bad.status).toBe(400);
    const e = errorOf(bad);
    expect(e.line).toBe(2);
    expect(e.errors?.map((x) => x.field)).toEqual(["dateOfBirth"]);
    expect(e.message).toMatch(/^line 2: dateOfBirth/);
    expect(await profiles()).toBe(203);
    expect((await opPost("/api/operator/pool/import", [])).status).toBe(400);
    expect((await opPost("/api/operator/pool/import", { list: [] })).status).toBe(400);
  });

  it("a dry run stores nothing; the real round is stored with its invitations; a number runs once", async () => {
    const dry = await opPost("/api/operator/rounds", { ...ROUND, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.json.dryRun).toBe(true);
    expect((await opGet("/api/operator/rounds")).body).toEqual({ rounds: [] });
    expect((await opGet("/api/operator/rounds/397")).status).toBe(404);

    const real = await opPost("/api/operator/rounds", ROUND);
    expect(real.status).toBe(200);
    published = real.json;
    expect(published).toMatchObject({ number: 397, name: PHYSICIANS_ROUND, dryRun: false });
    // The same ranking as the dry run; every physician imported is eligible (CRS 463 on 2026-02-19, per `ee crs`).
    expect({ ...dry.json, dryRun: false }).toEqual(published);
    expect(published.invitations).toBe(published.eligible);
    expect(published.eligible as number).toBeGreaterThanOrEqual(3);
    const list = await opGet("/api/operator/rounds");
    expect((list.json.rounds as Json[]).map((r) => [r.number, r.invited, r.kind])).toEqual([
      [397, published.invitations, "category"],
    ]);
    // A stored round answers as it was run, its invitees' submission instants (the tie-break) included.
    const shown = (await opGet("/api/operator/rounds/397")).json;
    expect(shown).toEqual(published);

    const inv = await opGet("/api/operator/rounds/397/invitations");
    expect(inv.status).toBe(200);
    invitations = inv.json.invitations as Json[];
    expect(invitations).toHaveLength(published.invitations as number);
    expect(invitations.map((i) => i.rank)).toEqual(invitations.map((_, k) => k + 1));
    expect(invitations.map((i) => i.profileId)).toEqual(expect.arrayContaining(["imp-1", "imp-2", "imp-3"]));
    for (const i of invitations.filter((x) => String(x.profileId).startsWith("imp-")))
      expect(i).toMatchObject({
        crs: expected.crsPhysician!.total,
        status: "issued",
        issuedAt: ROUND.at,
        expiresAt: "2026-04-20T14:24:23Z", // 60 days
      });
    expect(published.cutoffCrs).toBe(Math.min(...invitations.map((i) => i.crs as number)));

    const again = await opPost("/api/operator/rounds", { ...ROUND, invitations: 5 });
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe("conflict");
    const noName = await opPost("/api/operator/rounds", { ...ROUND, number: 398, name: undefined });
    expect(noName.status).toBe(400);
    const badDry = await opPost("/api/operator/rounds", { ...ROUND, number: 398, dryRun: "yes" });
    expect(errorOf(badDry).errors?.map((e) => e.field)).toEqual(["dryRun"]);
    expect((await opGet("/api/operator/rounds/500")).status).toBe(404);
    expect((await opGet("/api/operator/rounds/500/invitations")).status).toBe(404);
  });

  it("an invitation is answered once: accept, then any second answer is a 409", async () => {
    const [one, two] = invitations as [Json, Json];
    const a = await opPost(`/api/operator/invitations/${String(one.id)}/accept`, {
      at: "2026-02-25T10:00:00Z",
    });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({
      invitation: { id: one.id, status: "accepted", respondedAt: "2026-02-25T10:00:00Z" },
      profileStatus: "applied",
    });
    const again = await opPost(`/api/operator/invitations/${String(one.id)}/decline`, {});
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe("conflict");

    // No body: answered at the server's now.
    const d = await opPost(`/api/operator/invitations/${String(two.id)}/decline`);
    expect(d.status).toBe(200);
    expect(d.json).toMatchObject({ invitation: { id: two.id, status: "declined", respondedAt: OP_NOW } });
    expect((await opPost(`/api/operator/invitations/${String(two.id)}/accept`, {})).status).toBe(409);
    expect((await opPost("/api/operator/invitations/99999/accept", {})).status).toBe(404);
    expect((await opPost(`/api/operator/invitations/${String(two.id)}/maybe`, {})).status).toBe(400);
  });

  it("sweep: a dry run reports and stores nothing; an asOf far from now needs force", async () => {
    const unanswered = invitations.length - 2;
    const dry = await opPost("/api/operator/sweep", { asOf: "2026-05-01T00:00:00Z", dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.json).toMatchObject({
      at: "2026-05-01T00:00:00Z",
      dryRun: true,
      invitationsExpired: unanswered,
    });
    const after = await opGet("/api/operator/rounds/397/invitations");
    expect((after.json.invitations as Json[]).map((i) => i.status)).toEqual(
      invitations.map((_, k) => (k === 0 ? "accepted" : k === 1 ? "declined" : "issued")),
    );

    const far = await opPost("/api/operator/sweep", { asOf: "2029-01-01T00:00:00Z", dryRun: true });
    expect(far.status).toBe(400);
    expect(errorOf(far).errors?.map((e) => e.field)).toEqual(["asOf"]);
    const forced = await opPost("/api/operator/sweep", {
      asOf: "2029-01-01T00:00:00Z",
      dryRun: true,
      force: true,
    });
    expect(forced.status).toBe(200);
    expect(forced.json.dryRun).toBe(true);
    const now = await opPost("/api/operator/sweep", { dryRun: true });
    expect(now.json).toMatchObject({ at: OP_NOW, dryRun: true });
    const bad = await opPost("/api/operator/sweep", { asOf: "soon" });
    expect(errorOf(bad).errors?.map((e) => e.field)).toEqual(["asOf"]);
  });

  it("without an operator token configured, every operator route answers 404 JSON", async () => {
    const off = await startServer({ store: main.store, operatorToken: null });
    try {
      expect((await call(off.url, "GET", "/api/health")).json.operatorRoutes).toBe(false);
      for (const [method, path] of [
        ["GET", "/api/operator/pool/stats"],
        ["POST", "/api/operator/pool/import"],
        ["GET", "/api/operator/rounds"],
        ["POST", "/api/operator/rounds"],
        ["POST", "/api/operator/invitations/1/accept"],
        ["POST", "/api/operator/sweep"],
      ] as const) {
        for (const token of [undefined, OPERATOR_TOKEN]) {
          const a = await call(off.url, method, path, { body: method === "POST" ? {} : undefined, token });
          expect(a.status, `${method} ${path}`).toBe(404);
          expect(errorOf(a).code).toBe("not-found");
        }
      }
    } finally {
      await off.close();
    }
  });
});

describe("errors, limits, headers", () => {
  it("an unknown route is a 404 JSON error", async () => {
    for (const [method, path] of [
      ["GET", "/api/nothing"],
      ["GET", "/api/score"],
      ["DELETE", "/api/rules"],
      ["GET", "/api/profiles"],
    ]) {
      const a = await call(main.url, method!, path!);
      expect(a.status).toBe(404);
      expect(errorOf(a)).toMatchObject({ code: "not-found" });
    }
  });

  it("an internal failure answers JSON without its details (a closed database)", async () => {
    const store = await openSqliteStore(`${main.dir}/closed.sqlite`, { create: true });
    const broken = await startServer({ store });
    await store.close();
    try {
      const health = await call(broken.url, "GET", "/api/health");
      expect(health.status).toBe(503);
      expect(errorOf(health).code).toBe("unavailable");
      const rounds = await call(broken.url, "GET", "/api/history/rounds");
      expect(rounds.status).toBe(500);
      expect(errorOf(rounds)).toMatchObject({ code: "internal" });
      expect(rounds.text).not.toMatch(/sqlite|database connection/i);
    } finally {
      await broken.close();
    }
  });

  it("rate limit behind a proxy: X-Forwarded-For counts only from a trusted proxy (EE_TRUST_PROXY)", async () => {
    const behind = await startServer({ store: main.store, rateLimitPerMinute: 2, trustProxy: "127.0.0.1" });
    const direct = await startServer({ store: main.store, rateLimitPerMinute: 2 });
    try {
      const from = (server: { url: string }, client: string) =>
        call(server.url, "GET", "/api/rules", { headers: { "x-forwarded-for": client } });
      // Behind a trusted proxy each client has its own budget of 2.
      for (const client of ["203.0.113.7", "198.51.100.9"])
        expect([(await from(behind, client)).status, (await from(behind, client)).status]).toEqual([
          200, 200,
        ]);
      expect((await from(behind, "203.0.113.7")).status).toBe(429);
      // Without it the header is ignored: both "clients" are the proxy's one address, and share 2.
      expect((await from(direct, "203.0.113.7")).status).toBe(200);
      expect((await from(direct, "198.51.100.9")).status).toBe(200);
      expect((await from(direct, "192.0.2.1")).status).toBe(429);
    } finally {
      await behind.close();
      await direct.close();
    }
  });

  it("rate limit: the 6th public request of a minute is a 429 JSON; operator routes are not limited", async () => {
    const limited = await startServer({ store: main.store, rateLimitPerMinute: 5 });
    try {
      const publicCalls = [
        () => call(limited.url, "GET", "/api/rules"),
        () => call(limited.url, "POST", "/api/score", { body: SINGLE_IELTS }),
        () => call(limited.url, "GET", "/api/history/bands"),
        () => call(limited.url, "GET", "/api/history/rounds/397"),
        () => call(limited.url, "GET", "/api/rules"),
        () => call(limited.url, "GET", "/api/history/bands"),
      ];
      for (const [i, request] of publicCalls.entries()) {
        const a = await request();
        expect(a.headers.get("x-ratelimit-limit")).toBe("5");
        if (i < 5) {
          expect(a.status, `request ${i + 1}`).toBe(200);
          expect(a.headers.get("x-ratelimit-remaining")).toBe(String(4 - i));
        } else {
          expect(a.status).toBe(429);
          expect(errorOf(a)).toMatchObject({ statusCode: 429, code: "rate-limited" });
          expect(errorOf(a).message).toMatch(/at most 5 per 1 minute/);
          expect(Number(a.headers.get("retry-after"))).toBeGreaterThan(0);
          expect(a.headers.get("x-ratelimit-remaining")).toBe("0");
        }
      }
      expect((await call(limited.url, "POST", "/api/profiles", { body: CANDIDATE })).status).toBe(429);
      for (let i = 0; i < 8; i++) {
        const a = await call(limited.url, "GET", "/api/operator/rounds", { token: OPERATOR_TOKEN });
        expect(a.status).toBe(200);
        expect(a.headers.get("x-ratelimit-limit")).toBeNull();
      }
      expect((await call(limited.url, "GET", "/api/health")).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it("sends security headers on answers and errors", async () => {
    for (const a of [await get("/api/rules"), await get("/api/nothing"), await get("/docs/")]) {
      const csp = a.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'self'");
      expect(a.headers.get("x-content-type-options")).toBe("nosniff");
      expect(a.headers.get("x-frame-options")).toBe("SAMEORIGIN");
      expect(a.headers.get("referrer-policy")).toBe("no-referrer");
      expect(a.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
      expect(a.headers.get("cross-origin-opener-policy")).toBe("same-origin");
      expect(a.headers.get("x-powered-by")).toBeNull();
    }
  });
});

/** The server's own routes from its route tree (printRoutes), as "METHOD /path/{param}". */
function serverRoutes(tree: string): string[] {
  const stack: string[] = [];
  const out: string[] = [];
  for (const line of tree.split("\n")) {
    const m = /^(.*?)(?:└── |├── )(.+?) \(([^)]+)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const parent = depth === 0 ? "" : stack[depth - 1]!;
    const segment = m[2]!;
    const full = parent.endsWith("/") || segment.startsWith("/") ? parent + segment : `${parent}/${segment}`;
    stack[depth] = full;
    for (const method of m[3]!.split(", "))
      if (method !== "HEAD") out.push(`${method} ${full.replace(/:(\w+)/g, "{$1}")}`);
  }
  return out;
}

describe("OpenAPI", () => {
  it("/openapi.json is a valid OpenAPI 3.1 document of every API route; /docs/ is HTML", async () => {
    const a = await get("/openapi.json");
    expect(a.status).toBe(200);
    const doc = a.json as { openapi: string; paths: Record<string, Record<string, Json>> };
    expect(doc.openapi).toMatch(/^3\.1\./);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();

    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(ROUTES);
    const routes = serverRoutes(main.app.printRoutes({ commonPrefix: false }));
    expect(routes.filter((r) => r.includes(" /api/")).sort()).toEqual(ROUTES);
    for (const [path, ops] of Object.entries(doc.paths))
      for (const operation of Object.values(ops)) {
        if (path.startsWith("/api/operator/")) expect(operation.security).toEqual([{ operatorToken: [] }]);
        if (/^\/api\/profiles\/\{id\}/.test(path))
          expect(operation.security).toEqual([{ candidateToken: [] }]);
      }

    const docs = await get("/docs/");
    expect(docs.status).toBe(200);
    expect(docs.headers.get("content-type")).toMatch(/^text\/html/);
    expect(docs.text).toMatch(/<html/i);
  });

  it("every documented route was exercised by this file", () => {
    const patterns = ROUTES.map((r) => {
      const [method, path] = r.split(" ") as [string, string];
      return { r, re: new RegExp(`^${method} ${path.replace(/\{\w+\}/g, "[^/?]+")}(\\?.*)?$`) };
    });
    const missing = patterns.filter(({ re }) => !answers.some((x) => re.test(x.route))).map((p) => p.r);
    expect(missing).toEqual([]);
  });

  it("no answer of this file showed a stack trace or a source path", () => {
    expect(answers.length).toBeGreaterThan(100);
    for (const { route, answer } of answers) {
      if (answer.status < 400) continue;
      expect(answer.text, route).not.toMatch(STACK_TRACE);
      errorOf(answer);
    }
  });
});
