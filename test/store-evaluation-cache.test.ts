/**
 * The evaluation cache on a real database, SQLite and PostgreSQL (issue 7 §2): each profile's evaluation is kept with the
 * last day it holds, so a refresh for another date re-evaluates only the profiles whose evaluation does
 * not hold then, and ranks exactly as a full re-evaluation of the pool would. Edits are never lost to a
 * refresh running at the same time, and the database itself refuses a second open invitation.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../src/adapters/store/open.js";
import { importProfiles, refreshEvaluations, updateProfiles } from "../src/app/pool-service.js";
import type { PoolMoment, PoolStore } from "../src/app/ports.js";
import { addDays } from "../src/calendar/dates.js";
import { evaluateForRound } from "../src/domain/rounds/round.js";
import { validateProfile } from "../src/domain/eligibility/report.js";
import { defaultRuleBook } from "../src/rules/index.js";
import { profileArb } from "./arbitraries.js";
import { BACKENDS, type StoreBackend, type TestDatabase } from "./store-backends.js";

const BOOK = defaultRuleBook();
const DAY = "2026-03-02";
const moment = (date: string): PoolMoment => ({ date, at: `${date}T17:00:00.000Z` });

/** 400 valid profiles submitted in the 12 months before DAY (so they are in the pool on it). */
const PROFILES = fc
  .sample(profileArb, { numRuns: 1200, seed: 42 })
  .map((p, i) => ({
    ...p,
    id: `p${String(i).padStart(4, "0")}`,
    submittedAt: `2025-${String((i % 10) + 3).padStart(2, "0")}-15T12:00:00Z`,
  }))
  .filter((p) => validateProfile(p, BOOK).status === "ok" && (p.dateOfBirth as string) < "2008-01-01")
  .slice(0, 400);

let backend: StoreBackend;
const stores: PoolStore[] = [];
const databases: TestDatabase[] = [];
async function freshPool(name: string): Promise<PoolStore> {
  const database = await backend.create(name);
  databases.push(database);
  const store = await openStore(database.location);
  stores.push(store);
  await importProfiles(
    store,
    PROFILES.map((value, i) => ({ line: i + 1, value })),
    { book: BOOK, now: "2026-01-01T00:00:00Z" },
  );
  return store;
}

/** Everything a round reads: each group's size and order, and the pool's score histogram. */
async function rankings(store: PoolStore, date: string) {
  const m = moment(date);
  const groups = [
    "all",
    "program:FSW",
    "program:CEC",
    "program:FST",
    "pnp",
    ...BOOK.categoriesFor(date).map((v) => `category:${v.id}`),
  ];
  const out: Record<string, unknown> = {};
  for (const g of groups)
    out[g] = { n: await store.countEligible(m, g), top: await store.rankGroup(m, g, 50) };
  out.histogram = [...(await store.crsHistogram(m)).entries()].sort((a, b) => a[0] - b[0]);
  return out;
}

afterAll(async () => {
  for (const s of stores.splice(0)) await s.close();
  await Promise.all(databases.splice(0).map((d) => d.remove()));
}, 60_000);

for (const each of BACKENDS)
  describe.skipIf(!each.available)(`on ${each.name}`, () => {
    beforeAll(() => {
      backend = each;
    });

    describe("refresh by validity", () => {
      it("the fixture pool is varied enough to say something", async () => {
        expect(PROFILES.length).toBe(400);
        const inPool = PROFILES.filter((p) => {
          const v = validateProfile(p, BOOK);
          return v.status === "ok" && evaluateForRound(v.profile, DAY, BOOK).inPool;
        });
        expect(inPool.length).toBeGreaterThan(40);
      });

      it("the next day re-evaluates only the lapsed evaluations, and ranks as a full re-evaluation does", async () => {
        const store = await freshPool("incremental");
        expect(await refreshEvaluations(store, DAY, BOOK)).toBe(PROFILES.length);
        expect(await refreshEvaluations(store, DAY, BOOK)).toBe(0);
        // The profiles whose evaluation holds exactly through DAY are those the next day re-evaluates.
        const lapsing = PROFILES.filter((p) => {
          const v = validateProfile(p, BOOK);
          return v.status === "ok" && evaluateForRound(v.profile, DAY, BOOK).validUntil === DAY;
        }).length;
        for (const date of [addDays(DAY, 1), addDays(DAY, 30), addDays(DAY, 400)]) {
          const redone = await refreshEvaluations(store, date, BOOK);
          expect(redone).toBeLessThan(PROFILES.length);
          if (date === addDays(DAY, 1)) expect(redone).toBe(lapsing);
          const full = await freshPool(`full-${date}`);
          await refreshEvaluations(full, date, BOOK);
          expect(await rankings(store, date)).toEqual(await rankings(full, date));
        }
      });

      it("going back in time re-evaluates what was evaluated for a later date, and still ranks as a full re-evaluation", async () => {
        const store = await freshPool("backwards");
        await refreshEvaluations(store, addDays(DAY, 20), BOOK);
        expect(await refreshEvaluations(store, DAY, BOOK)).toBe(PROFILES.length);
        const full = await freshPool("backwards-full");
        await refreshEvaluations(full, DAY, BOOK);
        expect(await rankings(store, DAY)).toEqual(await rankings(full, DAY));
      });

      it("an evaluation computed from a revision that has changed since is not saved (an edit is never overwritten)", async () => {
        const store = await freshPool("revisions");
        const [first] = PROFILES;
        const id = first?.id as string;
        const [input] = await store.evaluationInputs([id]);
        // Meanwhile the profile is edited (a new revision) …
        await updateProfiles(store, [{ line: 1, value: { ...first, provincialNomination: true } }], BOOK);
        // … and the evaluation of the old revision arrives.
        const stale = evaluateForRound(JSON.parse(input?.data as string), DAY, BOOK);
        const saved = await store.transaction((tx) =>
          tx.saveEvaluations([
            { ...(input as NonNullable<typeof input>), evaluatedOn: DAY, evaluation: stale },
          ]),
        );
        expect(saved).toBe(0);
        expect(await store.staleProfileIds(DAY, ["in-pool"])).toContain(id);
        await refreshEvaluations(store, DAY, BOOK);
        expect((await store.getProfile(id))?.evaluation?.provincialNomination).toBe(true);
      });
    });

    describe("the database's own guarantees", () => {
      it("refuses a second open invitation for the same profile", async () => {
        const store = await freshPool("invitations");
        const round = (number: number) => ({
          number,
          name: "No Program Specified",
          kind: "general" as const,
          program: null,
          categoryVersion: null,
          invitationsRequested: 1,
          at: `${DAY}T15:00:00Z`,
          asOfDate: DAY,
          invited: 1,
          eligible: 1,
          cutoffCrs: 500,
          tieBreak: null,
          distribution: { source: "", bands: [] },
          createdAt: "2026-03-02T15:00:00Z",
        });
        const invitation = (roundNumber: number) => ({
          roundNumber,
          profileId: "p0000",
          rank: 1,
          crs: 500,
          issuedAt: `${DAY}T15:00:00Z`,
          expiresAt: "2026-05-01T15:00:00Z",
          status: "issued" as const,
          respondedAt: null,
        });
        await store.transaction(async (tx) => {
          await tx.insertRound(round(1));
          await tx.insertInvitations([invitation(1)]);
        });
        await expect(
          store.transaction(async (tx) => {
            await tx.insertRound(round(2));
            await tx.insertInvitations([invitation(2)]);
          }),
        ).rejects.toThrow(
          backend.name === "sqlite"
            ? /UNIQUE constraint failed: invitations.profile_id/
            : /duplicate key value violates unique constraint "invitations_one_open"/,
        );
        expect(await store.getRound(2)).toBeUndefined();
      });
    });
  });
