/**
 * Concurrent writers on one database, SQLite and PostgreSQL, with real `ee` processes (issue 7 §3,
 * issue 10): rounds started at the
 * same moment run one after the other against the state the previous one left, or are refused cleanly
 * (exit 4) after the busy timeout; nobody is invited twice, a repeated round number is refused, and no
 * process fails with an internal error. The same for `ee ita accept` during a long import.
 *
 * EE_TEST_ROUND_PAUSE_MS holds each round's write transaction open between ranking and writing: it
 * widens the window in which a second round could rank the same pool (the race this guards against).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { BACKENDS, type StoreBackend, type TestDatabase } from "./store-backends.js";

const EE = fileURLToPath(new URL("../dist/src/adapters/cli/main.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "ee-concurrency-"));
const databases: TestDatabase[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await Promise.all(databases.map((d) => d.remove()));
}, 60_000);

async function fresh(backend: StoreBackend, label: string): Promise<TestDatabase> {
  const database = await backend.create(label);
  databases.push(database);
  return database;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function ee(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [EE, ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/** A physician working in Canada since 2024: in the pool (FSW, CEC) and the physicians category. */
function physician(i: number) {
  return {
    id: `doc-${String(i).padStart(5, "0")}`,
    submittedAt: `2026-01-${String(1 + (i % 28)).padStart(2, "0")}T${String(i % 24).padStart(2, "0")}:00:00Z`,
    dateOfBirth: `19${80 + (i % 15)}-0${1 + (i % 9)}-15`,
    maritalStatus: "single",
    education: { level: "masters", obtainedIn: "canada" },
    languageTests: [
      { test: "CELPIP", date: "2025-10-01", speaking: 7 + (i % 5), listening: 9, reading: 8, writing: 9 },
    ],
    workHistory: [
      { noc: "31102", country: "CA", start: `202${3 + (i % 2)}-01-01`, end: null, hoursPerWeek: 40 },
    ],
  };
}

function poolFile(name: string, from: number, count: number): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    Array.from({ length: count }, (_, k) => JSON.stringify(physician(from + k))).join("\n") + "\n",
  );
  return file;
}

const ROUND_AT = "2026-02-19T14:24:23Z";
const roundArgs = (db: string, number: number, invitations: number) => [
  "round",
  "run",
  "--db",
  db,
  "--number",
  String(number),
  "--name",
  "No Program Specified",
  "--kind",
  "general",
  "--invitations",
  String(invitations),
  "--at",
  ROUND_AT,
  "--json",
];

async function state(database: TestDatabase) {
  const open = (
    await database.query<{ profile_id: string; n: number }>(
      "SELECT profile_id, count(*) AS n FROM invitations WHERE status = 'issued' GROUP BY profile_id",
    )
  ).map((r) => ({ profile_id: r.profile_id, n: Number(r.n) }));
  const rounds = (
    await database.query<{ number: number; invited: number }>(
      "SELECT number, invited FROM rounds ORDER BY number",
    )
  ).map((r) => ({ number: Number(r.number), invited: Number(r.invited) }));
  const perRound = new Map(
    (
      await database.query<{ r: number; n: number }>(
        "SELECT round_number AS r, count(*) AS n FROM invitations GROUP BY round_number",
      )
    ).map((x) => [Number(x.r), Number(x.n)]),
  );
  const invitedStatus = Number(
    (
      await database.query<{ n: number }>("SELECT count(*) AS n FROM profile_state WHERE status = 'invited'")
    )[0]?.n,
  );
  return { open, rounds, perRound, invitedStatus };
}

for (const backend of BACKENDS)
  describe.skipIf(!backend.available)(`on ${backend.name}`, () => {
    describe("rounds started at the same moment on one database", () => {
      it("run one after the other: nobody holds two open invitations, a repeated number is refused, no internal error", async () => {
        for (let repeat = 0; repeat < 3; repeat++) {
          const database = await fresh(backend, `rounds${repeat}`);
          const db = database.location;
          const imported = await ee(["pool", "import", poolFile(`pool-${repeat}.jsonl`, 0, 120), "--db", db]);
          expect(imported.code, imported.stderr).toBe(0);
          const env = { EE_TEST_ROUND_PAUSE_MS: "250", EE_BUSY_TIMEOUT_MS: "30000" };
          // Four rounds of 20 and the first number once more, all at once.
          const numbers = [501, 502, 503, 504, 501];
          const runs = await Promise.all(numbers.map((n) => ee(roundArgs(db, n, 20), env)));
          for (const r of runs) {
            expect([0, 4], r.stderr).toContain(r.code);
            expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
          }
          const twice = runs.filter((_, i) => numbers[i] === 501);
          expect(twice.map((r) => r.code).sort()).toEqual([0, 4]);
          expect(twice.find((r) => r.code === 4)?.stderr).toMatch(/round 501 has already been run/);
          const s = await state(database);
          expect(s.open.filter((x) => x.n > 1)).toEqual([]);
          expect(s.rounds.map((r) => r.number)).toEqual([501, 502, 503, 504]);
          // Each stored round ran completely: its invitations are all there, and 4 × 20 distinct people are invited.
          for (const r of s.rounds) expect(s.perRound.get(r.number)).toBe(r.invited);
          expect(s.open.length).toBe(80);
          expect(s.invitedStatus).toBe(80);
          // Run one after the other: each later round's cut-off is at or below the earlier ones'.
          const published = runs
            .filter((r) => r.code === 0)
            .map((r) => JSON.parse(r.stdout) as { invited: { id: string }[] });
          const ids = published.flatMap((p) => p.invited.map((x) => x.id));
          expect(new Set(ids).size).toBe(ids.length);
        }
      }, 120_000);

      it("a writer that waits longer than the busy timeout is refused with exit 4 and a clear message; nothing partial", async () => {
        const database = await fresh(backend, "busy");
        const db = database.location;
        expect((await ee(["pool", "import", poolFile("busy.jsonl", 0, 60), "--db", db])).code).toBe(0);
        const holder = ee(roundArgs(db, 601, 10), { EE_TEST_ROUND_PAUSE_MS: "2500" });
        await new Promise((resolve) => setTimeout(resolve, 900));
        const refused = await ee(roundArgs(db, 602, 10), { EE_BUSY_TIMEOUT_MS: "200" });
        const first = await holder;
        expect(first.code, first.stderr).toBe(0);
        expect(refused.code, refused.stderr).toBe(4);
        expect(refused.stderr).toMatch(/database is busy/);
        expect(refused.stderr).not.toMatch(/internal error/);
        const s = await state(database);
        expect(s.rounds.map((r) => r.number)).toEqual([601]);
        expect(s.open.length).toBe(10);
      }, 60_000);
    });

    describe("a profile edited while a round runs", () => {
      it("is ranked as it was before the edit or as it is after, never half (the edit waits for the round, or the round for the edit)", async () => {
        const file = poolFile(`edit-${backend.name}.jsonl`, 0, 60);
        const invitedIds = (r: Run) =>
          (JSON.parse(r.stdout) as { invited: { id: string; crs: number }[] }).invited;
        // The round as it would rank the pool before the edit (A) and after it (B), each on a database of its own.
        const dryRun = async (label: string, edit?: string) => {
          const d = await fresh(backend, label);
          expect((await ee(["pool", "import", file, "--db", d.location])).code).toBe(0);
          if (edit) expect((await ee(["pool", "update", edit, "--db", d.location])).code).toBe(0);
          const r = await ee([...roundArgs(d.location, 801, 20), "--dry-run"]);
          expect(r.code, r.stderr).toBe(0);
          return invitedIds(r);
        };
        const before = await dryRun("editbefore");
        // The edit: a profile the round would not invite gains a provincial nomination (+600) and ranks first.
        const target = Array.from({ length: 60 }, (_, i) => physician(i)).find(
          (p) => !before.some((x) => x.id === p.id),
        ) as ReturnType<typeof physician>;
        const edited = join(dir, `edit-${backend.name}-update.jsonl`);
        writeFileSync(edited, `${JSON.stringify({ ...target, provincialNomination: true })}\n`);
        const after = await dryRun("editafter", edited);
        expect(after[0]?.id).toBe(target.id);
        const outcomes: string[] = [];
        for (const delay of [0, 300, 900]) {
          const database = await fresh(backend, `edit${delay}`);
          const db = database.location;
          expect((await ee(["pool", "import", file, "--db", db])).code).toBe(0);
          const round = ee(roundArgs(db, 801, 20), { EE_TEST_ROUND_PAUSE_MS: "1200" });
          await new Promise((resolve) => setTimeout(resolve, delay));
          const update = await ee(["pool", "update", edited, "--db", db]);
          const ran = await round;
          expect(ran.code, ran.stderr).toBe(0);
          expect(update.code, update.stderr).toBe(0);
          const invited = invitedIds(ran);
          expect([before, after]).toContainEqual(invited);
          outcomes.push(JSON.stringify(invited) === JSON.stringify(before) ? "before" : "after");
          // The edit is kept either way, and the stored invitations are the round's own.
          const stored = await database.query<{ profile_id: string; crs: number }>(
            "SELECT profile_id, crs FROM invitations WHERE round_number = 801 ORDER BY rank",
          );
          expect(stored.map((x) => [x.profile_id, Number(x.crs)])).toEqual(invited.map((x) => [x.id, x.crs]));
          const data = await database.query<{ data: string }>(
            `SELECT data FROM profiles WHERE id = '${target.id}'`,
          );
          expect(JSON.parse(data[0]?.data as string).provincialNomination).toBe(true);
        }
        // An edit sent well after the round began ranking waits for the round's write lock: ranked before it.
        expect(outcomes[2]).toBe("before");
      }, 180_000);
    });

    describe("ee ita accept during a long import", () => {
      it("waits for the import and then answers, or is refused with exit 4; never an internal error", async () => {
        const database = await fresh(backend, "ita");
        const db = database.location;
        expect((await ee(["pool", "import", poolFile("ita-pool.jsonl", 0, 30), "--db", db])).code).toBe(0);
        const round = await ee(roundArgs(db, 701, 5));
        expect(round.code, round.stderr).toBe(0);
        const outcomes: number[] = [];
        for (const [k, timeout] of ["60000", "100"].entries()) {
          const big = poolFile(`ita-big-${k}.jsonl`, 1000 + k * 30_000, 30_000);
          const importing = ee(["pool", "import", big, "--db", db, "--now", "2026-01-01T00:00:00Z"]);
          await new Promise((resolve) => setTimeout(resolve, 1200));
          const id = timeout === "60000" ? "1" : "2";
          const answer = await ee(["ita", "accept", id, "--db", db, "--at", "2026-02-25T10:00:00Z"], {
            EE_BUSY_TIMEOUT_MS: timeout,
          });
          const imported = await importing;
          expect([0, 4], answer.stderr).toContain(answer.code);
          expect(answer.stderr).not.toMatch(/internal error/);
          if (answer.code === 4) expect(answer.stderr).toMatch(/database is busy/);
          outcomes.push(answer.code as number);
          expect(imported.code, imported.stderr).toBe(0);
        }
        const statuses = await database.query<{ id: number; status: string }>(
          "SELECT id, status FROM invitations ORDER BY id",
        );
        const profiles = await database.count("profiles");
        expect(profiles).toBe(30 + 60_000);
        // The patient answer went through after the import; the impatient one, if refused, changed nothing.
        expect(outcomes[0]).toBe(0);
        expect(statuses[0]?.status).toBe("accepted");
        expect(statuses[1]?.status).toBe(outcomes[1] === 0 ? "accepted" : "issued");
      }, 180_000);
    });
  });
