/**
 * Scenario: round #397, "Physicians with Canadian Work Experience, 2026-Version 1", run at
 * 2026-02-19T14:24:23Z with 391 invitations on a designed pool, reproduces IRCC's published cut-off of
 * 169 and tie-break of 2026-01-03T03:25:14Z exactly.
 */
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importProfiles } from "../src/app/pool-service.js";
import type { PoolStore } from "../src/app/ports.js";
import { type PublishedRound, runRound } from "../src/app/round-service.js";
import { openStore } from "../src/adapters/store/open.js";
import { BACKENDS, type TestDatabase } from "./store-backends.js";
import { defaultRuleBook, score } from "../src/index.js";

const TIE_BREAK = "2026-01-03T03:25:14Z";
const ROUND = {
  number: 397,
  name: "Physicians with Canadian Work Experience, 2026-Version 1",
  kind: "category",
  invitations: 391,
  at: "2026-02-19T14:24:23Z",
};

/**
 * A physician (NOC 31102) working full time in Canada since 2024-09-02: 536 days × 30/7 h = 2,297 h on
 * the round date, so 1 completed year of Canadian work (CEC-eligible, physicians category: 12 months
 * in Canada within 3 years). Married to an accompanying foreign spouse with a secondary diploma.
 * Born 1981-06-01 (44 on 2026-02-19), secondary education obtained in Canada, CELPIP 7/8/9/10 (S/L/R/W).
 * CRS with spouse (reference §1.2–1.4): age 44 → 5; secondary → 28; first language CLB 7/8/9/10 →
 * 16 + 22 + 29 + 32 = 99; Canadian work 1 year → 35; core 167. Spouse: secondary → 2. Transferability:
 * secondary education → 0, no foreign work, no certificate → 0. Additional: 0. Total 169.
 */
function physician169(id: string, submittedAt: string) {
  return {
    id,
    submittedAt,
    dateOfBirth: "1981-06-01",
    maritalStatus: "married",
    spouse: { canadianCitizenOrPR: false, accompanying: true, education: "secondary" },
    education: { level: "secondary", obtainedIn: "canada" },
    languageTests: [
      { test: "CELPIP", date: "2025-10-01", speaking: 7, listening: 8, reading: 9, writing: 10 },
    ],
    workHistory: [{ noc: "31102", country: "CA", start: "2024-09-02", end: null, hoursPerWeek: 40 }],
  };
}

/** Same physician with a master's (professional degree): core education 126 instead of 28, plus transferability. */
function physicianHigh(id: string, submittedAt: string) {
  return { ...physician169(id, submittedAt), education: { level: "masters", obtainedIn: "canada" } };
}

/** Same physician aged 46 (born 1979-06-01): no age points, so 169 − 5 = 164. */
function physicianLow(id: string, submittedAt: string) {
  return { ...physician169(id, submittedAt), dateOfBirth: "1979-06-01" };
}

/** A software engineer (21231) in Canada with a high score: in the pool, not in the physicians group. */
function engineerHigh(id: string, submittedAt: string) {
  return {
    ...physicianHigh(id, submittedAt),
    workHistory: [{ noc: "21231", country: "CA", start: "2022-01-01", end: null, hoursPerWeek: 40 }],
  };
}

const instant = (base: string, seconds: number) => Temporal.Instant.from(base).add({ seconds }).toString();

for (const backend of BACKENDS)
  describe.skipIf(!backend.available)(`on ${backend.name}`, () => {
    let store: PoolStore;
    let database: TestDatabase;
    let result: PublishedRound;

    beforeAll(async () => {
      database = await backend.create("r397");
      store = await openStore(database.location);
      const profiles: object[] = [];
      // 300 physicians well above the cut-off, submitted over 2025.
      for (let i = 0; i < 300; i++)
        profiles.push(physicianHigh(`high-${i}`, instant("2025-03-01T00:00:00Z", i * 3600)));
      // 91 physicians at 169 submitted at or before the tie-break: the last of them exactly at it.
      for (let i = 0; i < 91; i++)
        profiles.push(physician169(`at-cutoff-${i}`, instant(TIE_BREAK, -(90 - i) * 60)));
      // 25 physicians at 169 submitted after the tie-break (from one second after): ranked below, not invited.
      for (let i = 0; i < 25; i++) profiles.push(physician169(`late-${i}`, instant(TIE_BREAK, 1 + i * 600)));
      // 40 physicians below the cut-off, submitted early.
      for (let i = 0; i < 40; i++)
        profiles.push(physicianLow(`low-${i}`, instant("2025-05-01T00:00:00Z", i * 60)));
      // 200 engineers with higher scores than any physician: not in the group.
      for (let i = 0; i < 200; i++)
        profiles.push(engineerHigh(`eng-${i}`, instant("2025-06-01T00:00:00Z", i * 60)));
      // Shuffle the import order deterministically so ranking cannot lean on insertion order.
      profiles.sort(
        (a, b) =>
          (((a as { id: string }).id.length * 7919) % 13) - (((b as { id: string }).id.length * 7919) % 13),
      );
      await importProfiles(
        store,
        profiles.map((value, i) => ({ line: i + 1, value })),
        { book: defaultRuleBook(), now: "2026-01-10T00:00:00Z" },
      );
      result = await runRound(store, ROUND, { book: defaultRuleBook() });
    }, 60_000);

    afterAll(async () => {
      await store.close();
      await database.remove();
    });

    describe("round #397 on a designed pool", () => {
      it("the designed profiles score as computed by hand from the grid", () => {
        const crs = (p: object) => {
          const r = score({
            asOf: "2026-02-19",
            maritalStatus: "married",
            spouse: {
              canadianCitizenOrPR: false,
              accompanying: true,
              education: "secondary",
              canadianWorkYears: 0,
              language: null,
            },
            dateOfBirth: (p as { dateOfBirth: string }).dateOfBirth,
            education: (p as { education: { level: "secondary" } }).education.level,
            firstLanguage: {
              test: "CELPIP",
              date: "2025-10-01",
              speaking: 7,
              listening: 8,
              reading: 9,
              writing: 10,
            },
            canadianWorkYears: 1,
            foreignWorkYears: 0,
          });
          return r.status === "scored" ? r.total : -1;
        };
        expect(crs(physician169("x", TIE_BREAK))).toBe(169);
        expect(crs(physicianLow("x", TIE_BREAK))).toBe(164);
        expect(crs(physicianHigh("x", TIE_BREAK))).toBeGreaterThan(169);
      });

      it("publishes IRCC's figures: 391 invitations, CRS 169, tie-break 2026-01-03T03:25:14Z", () => {
        expect(result.name).toBe("Physicians with Canadian Work Experience, 2026-Version 1");
        expect(result.categoryVersion).toBe("physicians-2026-v1");
        expect(result.at).toBe("2026-02-19T14:24:23Z");
        expect(result.invitations).toBe(391);
        expect(result.rankRequired).toBe("391 or above");
        expect(result.cutoffCrs).toBe(169);
        expect(result.tieBreak).toBe(TIE_BREAK);
        expect(result.eligible).toBe(300 + 91 + 25 + 40);
        expect(result.shortfall).toBe(0);
      });

      it("invites every physician above the cut-off and the 91 at 169 submitted by the tie-break", () => {
        const invited = new Set(result.invited.map((c) => c.id));
        for (let i = 0; i < 300; i++) expect(invited.has(`high-${i}`)).toBe(true);
        for (let i = 0; i < 91; i++) expect(invited.has(`at-cutoff-${i}`)).toBe(true);
      });

      it("does not invite physicians at 169 submitted after the tie-break, nor those below 169", () => {
        const invited = new Set(result.invited.map((c) => c.id));
        for (let i = 0; i < 25; i++) expect(invited.has(`late-${i}`)).toBe(false);
        for (let i = 0; i < 40; i++) expect(invited.has(`low-${i}`)).toBe(false);
      });

      it("does not invite non-physicians, whatever their score", async () => {
        expect(result.invited.some((c) => c.id.startsWith("eng-"))).toBe(false);
        const engineer = await store.getProfile("eng-0");
        expect(engineer?.evaluation?.crs).toBeGreaterThan(169);
        expect(engineer?.status).toBe("in-pool");
      });

      it("stores the invitations and marks the invitees invited, with 60 days to apply", async () => {
        const invitations = await store.invitationsOfRound(397);
        expect(invitations).toHaveLength(391);
        expect(invitations.at(-1)?.profileId).toBe("at-cutoff-90");
        expect(invitations[0]?.expiresAt).toBe("2026-04-20T14:24:23Z");
        expect((await store.getProfile("at-cutoff-90"))?.status).toBe("invited");
        expect((await store.getProfile("late-0"))?.status).toBe("in-pool");
      });

      it("the pool distribution as of the round counts every eligible candidate in IRCC's bands", () => {
        const total = result.distribution.bands.find((b) => b.key === "dd18")?.count;
        expect(total).toBe(300 + 91 + 25 + 40 + 200);
        expect(result.distribution.bands.find((b) => b.key === "dd17")?.count).toBe(91 + 25 + 40);
      });
    });
  });
