/**
 * Processes killed in the middle, on SQLite and PostgreSQL: a round killed (SIGKILL) while writing its
 * invitations leaves no round, no invitation and no status change; an import killed while inserting
 * leaves the pool as it was. SQLite rolls the open transaction back when the file is next opened,
 * PostgreSQL when the connection drops; either way the next run succeeds.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { importProfiles } from "../src/app/pool-service.js";
import { openStore } from "../src/adapters/store/open.js";
import { defaultRuleBook } from "../src/index.js";
import { BACKENDS, type TestDatabase } from "./store-backends.js";

const dist = fileURLToPath(new URL("../dist/src/", import.meta.url));
const EE = join(dist, "adapters/cli/main.js");
const dir = mkdtempSync(join(tmpdir(), "ee-kill-"));
const databases: TestDatabase[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await Promise.all(databases.map((d) => d.remove()));
}, 60_000);

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

const ROUND = {
  number: 397,
  name: "Physicians with Canadian Work Experience, 2026-Version 1",
  kind: "category",
  invitations: 10,
  at: "2026-02-19T14:24:23Z",
};

for (const backend of BACKENDS)
  describe.skipIf(!backend.available)(`on ${backend.name}`, () => {
    it("a round killed mid-way leaves no invitation behind, and the same round then runs", async () => {
      const database = await backend.create("killround");
      databases.push(database);
      const db = database.location;
      const store = await openStore(db);
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
      const script = join(dir, `kill-${backend.name}.mjs`);
      writeFileSync(
        script,
        `
      import { openStore } from ${JSON.stringify(join(dist, "adapters/store/open.js"))};
      import { runRound } from ${JSON.stringify(join(dist, "app/round-service.js"))};
      import { defaultRuleBook } from ${JSON.stringify(join(dist, "rules/index.js"))};
      const store = await openStore(${JSON.stringify(db)});
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
      await runRound(wrapped, ${JSON.stringify(ROUND)}, { book: defaultRuleBook() });
      console.log("not killed");
      `,
      );
      const child = spawnSync(process.execPath, [script], { encoding: "utf8" });
      expect(child.signal, child.stderr).toBe("SIGKILL");
      expect(child.stdout).not.toContain("not killed");

      const after = await openStore(db);
      try {
        expect(await after.getRound(397)).toBeUndefined();
        expect(await after.invitationsOfRound(397)).toEqual([]);
        for (let i = 0; i < 20; i++) expect((await after.getProfile(`doc-${i}`))?.status).toBe("in-pool");
      } finally {
        await after.close();
      }
      expect(await database.count("invitations")).toBe(0);
      const again = spawnSync(
        process.execPath,
        [
          EE,
          "round",
          "run",
          "--db",
          db,
          "--number",
          "397",
          "--name",
          ROUND.name,
          "--kind",
          "category",
        ].concat(["--invitations", "10", "--at", ROUND.at, "--json"]),
        { encoding: "utf8" },
      );
      expect(again.status, again.stderr).toBe(0);
      expect(await database.count("invitations")).toBe(10);
    }, 60_000);

    it("an import killed while inserting leaves the pool as it was, and the next import succeeds", async () => {
      const database = await backend.create("killimport");
      databases.push(database);
      const db = database.location;
      const small = join(dir, `small-${backend.name}.jsonl`);
      writeFileSync(small, `${JSON.stringify(physician("first", "2026-01-02T10:00:00Z"))}\n`);
      expect(spawnSync(process.execPath, [EE, "pool", "import", small, "--db", db]).status).toBe(0);
      // 60,000 profiles: validated on worker threads and inserted batch by batch in one transaction.
      const big = join(dir, `big-${backend.name}.jsonl`);
      writeFileSync(
        big,
        Array.from({ length: 60_000 }, (_, i) =>
          JSON.stringify(physician(`p-${i}`, `2026-01-0${1 + (i % 9)}T10:00:00Z`)),
        ).join("\n") + "\n",
      );
      const child = spawn(process.execPath, [EE, "pool", "import", big, "--db", db]);
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_c, s) => resolve(s)));
      // Killed once rows are going in (readers see none of them: they are in the open transaction).
      const inserting = async () =>
        backend.name === "sqlite"
          ? existsSync(`${db}-wal`) && statSync(`${db}-wal`).size > 4_000_000
          : Number(
              (
                await database.query<{ n: string }>(
                  "SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE 'COPY profile%' AND state = 'active'",
                )
              )[0]?.n,
            ) > 0;
      const started = Date.now();
      while (!(await inserting()) && Date.now() - started < 60_000)
        await new Promise((resolve) => setTimeout(resolve, 20));
      child.kill("SIGKILL");
      expect(await exited, stderr).toBe("SIGKILL");
      expect(await database.count("profiles")).toBe(1);
      expect(await database.count("profile_state")).toBe(1);
      const rerun = spawnSync(process.execPath, [EE, "pool", "import", big, "--db", db, "--json"], {
        encoding: "utf8",
      });
      expect(rerun.status, rerun.stderr).toBe(0);
      expect(JSON.parse(rerun.stdout).imported).toBe(60_000);
      expect(await database.count("profiles")).toBe(60_001);
    }, 180_000);
  });
