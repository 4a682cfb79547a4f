/**
 * Start-up of `ee crs`: the pool's implementations (SQLite, Kysely, worker threads, progress bar) and
 * the eligibility modules load only when a command needs them, and the rule files are not validated
 * again at each start (the build did it). Checked on the modules a run really resolves.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, requireBuiltCli, ROOT, tempDir } from "./ee.js";

requireBuiltCli();

/** A module-resolution hook that prints every module a run loads to stderr. */
const TRACE = `data:text/javascript,${encodeURIComponent(`
import { register } from "node:module";
register("data:text/javascript," + encodeURIComponent(
  "export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write('loaded ' + r.url + '\\\\n'); return r; }"
));
`)}`;

function loadedBy(args: string[]): { status: number | null; modules: string[] } {
  const run = spawnSync(process.execPath, ["--import", TRACE, CLI, ...args], { cwd: ROOT, encoding: "utf8" });
  const modules = run.stderr
    .split("\n")
    .filter((l) => l.startsWith("loaded "))
    .map((l) => l.slice("loaded ".length));
  return { status: run.status, modules };
}

const HEAVY = [
  /\/node_modules\/kysely\//,
  /\/node_modules\/better-sqlite3\//,
  /\/node_modules\/cli-progress\//,
  /\/adapters\/cli\/pool-actions\.js$/,
  /\/adapters\/workers\//,
  /\/domain\/eligibility\/report\.js$/,
];

describe("what ee crs FILE loads", () => {
  it("a questionnaire: neither the pool's implementations nor the eligibility modules", () => {
    const { status, modules } = loadedBy(["crs", "examples/single-ielts.json"]);
    expect(status).toBe(0);
    expect(modules.some((m) => m.endsWith("/domain/crs/score.js"))).toBe(true);
    expect(modules.filter((m) => HEAVY.some((h) => h.test(m)))).toEqual([]);
  });

  it("a profile loads the eligibility modules, still no pool", () => {
    const { status, modules } = loadedBy(["crs", "examples/physician-profile.json", "--as-of", "2026-02-19"]);
    expect(status).toBe(0);
    expect(modules.some((m) => m.endsWith("/domain/eligibility/report.js"))).toBe(true);
    expect(modules.filter((m) => /kysely|better-sqlite3|pool-actions/.test(m))).toEqual([]);
  });

  it("a pool command loads its implementation (so the checks above can fail)", () => {
    const { status, modules } = loadedBy(["pool", "stats", "--db", join(tempDir(), "none.sqlite")]);
    expect(status).toBe(2);
    expect(modules.some((m) => m.endsWith("/adapters/cli/pool-actions.js"))).toBe(true);
    expect(modules.some((m) => /\/node_modules\/kysely\//.test(m))).toBe(true);
  });
});
