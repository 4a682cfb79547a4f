/**
 * `ee … | head`: when the reader of standard output goes away early, ee ends quietly (no stack trace)
 * with the exit code the command had. A real pipe, closed after the first chunk, on a pool whose
 * invitation list is far larger than a pipe's buffer (64 KiB on Linux).
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../src/adapters/store/sqlite.js";
import type { NewProfileRow } from "../src/app/ports.js";
import { CLI, requireBuiltCli, ROOT, tempDir } from "./ee.js";

requireBuiltCli();

const INVITATIONS = 3000;
const AT = "2026-02-19T14:24:23.000Z";

/** Spawns ee with stdout piped, destroys the reading end after the first chunk, and waits for the exit. */
function closeAfterFirstChunk(
  args: string[],
): Promise<{ code: number | null; signal: string | null; stderr: string; chunks: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let chunks = 0;
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.stdout.on("data", () => {
      chunks++;
      child.stdout.destroy();
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stderr, chunks }));
  });
}

describe("a closed standard output (EPIPE)", () => {
  let db: string;
  beforeAll(async () => {
    db = join(tempDir(), "pool.sqlite");
    // Rows written straight through the store: the test is about output, not about ranking.
    const store = await openSqliteStore(db);
    try {
      const rows: NewProfileRow[] = Array.from({ length: INVITATIONS }, (_, i) => ({
        id: `candidate-${String(i).padStart(5, "0")}`,
        submittedAt: "2026-01-01T00:00:00.000Z",
        expiresAt: "2027-01-01T00:00:00.000Z",
        status: "invited",
        data: "{}",
      }));
      await store.insertProfiles(rows);
      await store.insertRound({
        number: 1,
        name: "General",
        kind: "general",
        program: null,
        categoryVersion: null,
        invitationsRequested: INVITATIONS,
        at: AT,
        asOfDate: "2026-02-19",
        invited: INVITATIONS,
        eligible: INVITATIONS,
        cutoffCrs: 400,
        tieBreak: null,
        distribution: { source: "", bands: [] } as never,
        createdAt: AT,
      });
      await store.insertInvitations(
        rows.map((r, i) => ({
          roundNumber: 1,
          profileId: r.id,
          rank: i + 1,
          crs: 500,
          issuedAt: AT,
          expiresAt: "2026-04-20T14:24:23.000Z",
          status: "issued" as const,
          respondedAt: null,
        })),
      );
    } finally {
      await store.close();
    }
  });

  it.each([[["ita", "list", "1"]], [["ita", "list", "1", "--json"]], [["pool", "export"]]])(
    "ee %j | head: exit 0, nothing on stderr",
    async (args) => {
      const run = await closeAfterFirstChunk([...args, "--db", db]);
      expect(run.chunks).toBeGreaterThan(0);
      expect(run.stderr).toBe("");
      expect([run.code, run.signal]).toEqual([0, null]);
    },
  );

  it("ee crs BATCH | head: the exit code is the command's own (3: one item has an expired test)", async () => {
    const [fresh, , expired] = JSON.parse(
      readFileSync(join(ROOT, "examples/batch.json"), "utf8"),
    ) as unknown[];
    const file = join(tempDir(), "many.json");
    writeFileSync(file, JSON.stringify([...Array.from({ length: 300 }, () => fresh), expired]));
    const run = await closeAfterFirstChunk(["crs", file]);
    expect(run.chunks).toBeGreaterThan(0);
    // The expired item's explanation goes to stderr, which stays open; no stack trace follows it.
    expect(run.stderr).toMatch(/^item 300: no score as of 2026-11-21/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect([run.code, run.signal]).toEqual([3, null]);
  });
});
