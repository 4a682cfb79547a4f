/**
 * Large imports (≥ 20,000 records) validate on worker threads: the same all-or-nothing behaviour,
 * through the built CLI (workers load the compiled worker module).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const ee = (args: string[]) =>
  spawnSync(process.execPath, [join(root, "dist/src/adapters/cli/main.js"), ...args], {
    encoding: "utf8",
    cwd: root,
    maxBuffer: 256 * 1024 * 1024,
  });

const physician = JSON.parse(readFileSync(join(root, "examples/physician-profile.json"), "utf8"));
const N = 20_500;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ee-parallel-"));
  const lines = Array.from({ length: N }, (_, i) => JSON.stringify({ ...physician, id: `doc-${i}` }));
  writeFileSync(join(dir, "good.jsonl"), `${lines.join("\n")}\n`);
  const bad = [...lines];
  bad[17_345] = JSON.stringify({
    ...physician,
    id: "doc-bad",
    workHistory: [{ ...physician.workHistory[0], noc: "99999" }],
  });
  writeFileSync(join(dir, "bad.jsonl"), `${bad.join("\n")}\n`);
  const notJson = [...lines];
  notJson[19_000] = "{ not json";
  writeFileSync(join(dir, "not-json.jsonl"), `${notJson.join("\n")}\n`);
});

describe("parallel import", () => {
  it("a bad record deep in a large file aborts with its line and field; nothing is written", () => {
    const db = join(dir, "bad.sqlite");
    const run = ee(["pool", "import", join(dir, "bad.jsonl"), "--db", db]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/line 17346: workHistory\.0\.noc: 99999 is not a NOC 2021 unit group/);
    const exported = ee(["pool", "export", "--db", db]);
    expect(exported.stdout).toBe("");
  });

  it("a line that is not JSON is reported with its line", () => {
    const run = ee(["pool", "import", join(dir, "not-json.jsonl"), "--db", join(dir, "nj.sqlite")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/line 19001: .*not valid JSON/);
  });

  it("imports every record of a valid large file, in order", () => {
    const db = join(dir, "good.sqlite");
    const run = ee(["pool", "import", join(dir, "good.jsonl"), "--db", db]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/imported 20,500 profiles/);
    const ids = ee(["pool", "export", "--db", db])
      .stdout.trim()
      .split("\n")
      .map((l) => JSON.parse(l).id);
    expect(ids).toHaveLength(N);
    expect(new Set(ids).size).toBe(N);
  });
});
