/**
 * `ee history …` as a user runs it: sync from a file and from an http URL (a local server), the
 * shipped history without a database, bad input named with a non-zero exit and nothing written.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleFeed } from "../examples/make-feed-sample.js";
import { CLI, ee, requireBuiltCli, ROOT, tempDir } from "./ee.js";

requireBuiltCli();

const SHARED_FEED = join(ROOT, "../shared/data/ircc-rounds.json");
const FR_FIXTURE = join(ROOT, "test/fixtures/ee_rounds_123_fr.cp1252.json");

const run = promisify(execFile);
async function eeAsync(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, EE_DB: undefined },
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("ee history on the shipped table (no database)", () => {
  it("list filters by kind, category and dates; --json gives the records", () => {
    const r = ee(["history", "list", "--category", "physicians", "--json"]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { origin: string; rounds: { number: string; cutoff: number }[] };
    expect(out.origin).toBe("shipped");
    expect(out.rounds.map((x) => [x.number, x.cutoff])).toEqual([
      ["397", 169],
      ["421", 223],
    ]);
    const pnp2025 = JSON.parse(
      ee(["history", "list", "--category", "PNP", "--from", "2025-01-01", "--to", "2025-12-31", "--json"])
        .stdout,
    ) as { rounds: unknown[] };
    expect(pnp2025.rounds.length).toBeGreaterThan(10);
    expect(ee(["history", "list", "--kind", "category"]).stdout).toMatch(/#397 +2026-02-19 +Physicians/);
  });

  it("show N prints the round as published, with its distribution and anomalies; 91a works", () => {
    const r = ee(["history", "show", "247"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Feed anomaly \(dd3\): 451-500 is 55867 but its bands add up to 55687/);
    expect(ee(["history", "show", "91a"]).stdout).toMatch(/Federal Skilled Trades/);
    const missing = ee(["history", "show", "999", "--json"]);
    expect(missing.status).toBe(5);
    expect(JSON.parse(missing.stderr)).toMatchObject({ error: { kind: "not-found" } });
  });

  it("stats per kind, with the inflow and (with --chart) the cut-off charts", () => {
    const r = ee(["history", "stats", "--from", "2025-01-01", "--chart"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^CEC +\d+/m);
    expect(r.stdout).toMatch(/Net inflow per day/);
    expect(r.stdout).toMatch(/Cut-off of PNP rounds/);
    expect(r.stdout).toMatch(/┤/);
    const json = JSON.parse(ee(["history", "stats", "--category", "healthcare", "--json"]).stdout) as {
      families: { family: string; rounds: number; invitationsPerYear: Record<string, number> }[];
      inflows: { perDay: Record<string, number> }[];
    };
    expect(json.families.map((f) => f.family)).toEqual(["healthcare"]);
    expect(json.families[0]?.invitationsPerYear["2026"]).toBe(8000);
  });

  it.each([
    [["history", "list", "--kind", "lottery"], /--kind: must be general, program or category/],
    [["history", "list", "--from", "2025-13-01"], /--from: must be a date YYYY-MM-DD/],
    [["history", "stats", "--to", "soon"], /--to: must be a date/],
  ])("bad filters: %j", (args, message) => {
    const r = ee(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("check: a profile with submittedAt; without it, exit 2 naming the field", () => {
    const ok = ee(["history", "check", "examples/physician-profile.json", "--json"]);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ firstInvitation: { round: "397" } });
    const dir = tempDir();
    const raw = JSON.parse(readFileSync(join(ROOT, "examples/physician-profile.json"), "utf8")) as Record<
      string,
      unknown
    >;
    delete raw.submittedAt;
    writeFileSync(join(dir, "p.json"), JSON.stringify(raw));
    const bad = ee(["history", "check", join(dir, "p.json"), "--json"]);
    expect(bad.status).toBe(2);
    expect(JSON.parse(bad.stderr)).toMatchObject({ error: { errors: [{ field: "submittedAt" }] } });
    const given = ee([
      "history",
      "check",
      join(dir, "p.json"),
      "--submitted-at",
      "2026-06-01T00:00:00Z",
      "--json",
    ]);
    expect(JSON.parse(given.stdout)).toMatchObject({ firstInvitation: { round: "421" } });
  });
});

describe("ee history sync", () => {
  let server: Server;
  let base: string;
  const feed = sampleFeed(["391", "392", "397", "398"]);
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/ee_rounds_123_en.json") res.end(feed);
      else if (req.url === "/ee_rounds_123_fr.json") res.end(readFileSync(FR_FIXTURE));
      else if (req.url === "/page.html") res.end("<html>not a feed</html>");
      else {
        res.statusCode = 404;
        res.end("no");
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("from an http URL, with the French feed: stored, then read back by list/show with --db", async () => {
    const db = join(tempDir(), "h.sqlite");
    const r = await eeAsync([
      "history",
      "sync",
      "--from",
      `${base}/ee_rounds_123_en.json`,
      "--french",
      `${base}/ee_rounds_123_fr.json`,
      "--db",
      db,
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toMatchObject({
      rounds: 4,
      added: ["391", "392", "397", "398"],
      changed: [],
    });
    const list = JSON.parse(ee(["history", "list", "--db", db, "--json"]).stdout) as {
      origin: string;
      rounds: { number: string; nameFr?: string }[];
    };
    expect(list.origin).toBe("store");
    expect(list.rounds.find((x) => x.number === "392")?.nameFr).toBe("Catégorie de l’expérience canadienne");
    expect(ee(["history", "show", "397"], { env: { EE_DB: db } }).stdout).toMatch(/Médecins/);
    // A second sync of the same feed changes nothing.
    const again = await eeAsync([
      "history",
      "sync",
      "--from",
      `${base}/ee_rounds_123_en.json`,
      "--db",
      db,
      "--json",
    ]);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: [], changed: ["391", "392", "397", "398"] });
  });

  it.each([
    ["a URL that answers 404", "/missing.json", /--from: .* answered HTTP 404/],
    ["a page that is not a feed", "/page.html", /--from: .*not JSON/],
  ])("%s: exit 2, nothing written", async (_name, path, message) => {
    const db = join(tempDir(), "h.sqlite");
    const r = await eeAsync(["history", "sync", "--from", `${base}${path}`, "--db", db]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(db)).toBe(false);
  });

  it("a closed port, a missing file, a French feed given as --from: exit 2, nothing written", () => {
    const db = join(tempDir(), "h.sqlite");
    for (const [from, message] of [
      ["http://127.0.0.1:9/feed.json", /--from: cannot download/],
      ["no-such-feed.json", /--from: cannot read no-such-feed.json \(no such file\)/],
      [FR_FIXTURE, /is a French feed; give it with --french/],
      ["ftp://example.org/feed.json", /only files and http\(s\) URLs/],
    ] as const) {
      const r = ee(["history", "sync", "--from", from, "--db", db]);
      expect(r.status, from).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(db)).toBe(false);
    }
  });

  it("the README's sample feed is what npm run examples:feed writes", () => {
    expect(readFileSync(join(ROOT, "examples/ee_rounds_123_en.sample.json"), "utf8")).toBe(sampleFeed());
  });

  it.skipIf(!existsSync(SHARED_FEED))(
    "the whole shared feed into a pool database, beside its profiles",
    () => {
      const db = join(tempDir(), "pool.sqlite");
      expect(ee(["pool", "import", "examples/pool.jsonl", "--db", db]).status).toBe(0);
      const r = ee(["history", "sync", "--from", SHARED_FEED, "--db", db]);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/435 rounds stored/);
      expect(ee(["pool", "stats", "--db", db, "--as-of", "2026-02-18"]).status).toBe(0);
    },
  );
});
