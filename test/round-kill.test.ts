/**
 * A round killed in the middle (SIGKILL while writing its invitations) leaves no round, no invitation
 * and no status change: SQLite rolls the open transaction back when the file is next opened.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importProfiles } from "../src/app/pool-service.js";
import { openSqliteStore } from "../src/adapters/store/sqlite.js";
import { defaultRuleBook } from "../src/index.js";

const dist = fileURLToPath(new URL("../dist/src/", import.meta.url));

function physician(id: string, submittedAt: string) {
  return {
    id,
    submittedAt,
    dateOfBirth: "1985-01-01",
    maritalStatus: "single",
    education: { level: "masters", obtainedIn: "canada" },
    languageTests: [
      { test: "CELPIP", date: "2025-10-01", speaking: 9, listening: 9, reading: 9, writing: 9 },
    ],
    workHistory: [{ noc: "31102", country: "CA", start: "2024-01-01", end: null, hoursPerWeek: 40 }],
  };
}

describe("a round killed mid-way", () => {
  it("leaves no invitation behind", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ee-kill-"));
    const db = join(dir, "pool.sqlite");
    const store = await openSqliteStore(db);
    await importProfiles(
      store,
      Array.from({ length: 20 }, (_, i) => ({
        line: i + 1,
        value: physician(`doc-${i}`, `2026-01-0${1 + (i % 9)}T10:00:00Z`),
      })),
      { book: defaultRuleBook(), now: "2026-01-10T00:00:00Z" },
    );
    await store.close();

    // The child runs the round; its store kills the process after writing part of the invitations.
    const script = join(dir, "kill.mjs");
    writeFileSync(
      script,
      `
      import { openSqliteStore } from ${JSON.stringify(join(dist, "adapters/store/sqlite.js"))};
      import { runRound } from ${JSON.stringify(join(dist, "app/round-service.js"))};
      import { defaultRuleBook } from ${JSON.stringify(join(dist, "rules/index.js"))};
      const store = await openSqliteStore(${JSON.stringify(db)});
      const dying = (tx) => new Proxy(tx, {
        get(target, prop) {
          if (prop === "insertInvitations")
            return async (rows) => { await target.insertInvitations(rows.slice(0, 5)); process.kill(process.pid, "SIGKILL"); };
          const v = Reflect.get(target, prop, target);
          return typeof v === "function" ? v.bind(target) : v;
        },
      });
      const wrapped = new Proxy(store, {
        get(target, prop) {
          if (prop === "transaction") return (work) => target.transaction((tx) => work(dying(tx)));
          const v = Reflect.get(target, prop, target);
          return typeof v === "function" ? v.bind(target) : v;
        },
      });
      await runRound(wrapped, { number: 397, name: "Physicians with Canadian Work Experience, 2026-Version 1",
        kind: "category", invitations: 10, at: "2026-02-19T14:24:23Z" }, { book: defaultRuleBook() });
      console.log("not killed");
      `,
    );
    const child = spawnSync(process.execPath, [script], { encoding: "utf8" });
    expect(child.signal).toBe("SIGKILL");
    expect(child.stdout).not.toContain("not killed");

    const after = await openSqliteStore(db);
    try {
      expect(await after.getRound(397)).toBeUndefined();
      expect(await after.invitationsOfRound(397)).toEqual([]);
      for (let i = 0; i < 20; i++) expect((await after.getProfile(`doc-${i}`))?.status).toBe("in-pool");
    } finally {
      await after.close();
    }
  });
});
