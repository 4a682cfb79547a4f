/** Property tests of the ranking: whatever the pool, a round invites exactly the top of its group. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareRank, distribution, type RankedCandidate, rankRound } from "../src/domain/rounds/round.js";
import { defaultRuleBook } from "../src/index.js";

const instant = fc
  .integer({ min: Date.UTC(2025, 0, 1) / 1000, max: Date.UTC(2026, 1, 19) / 1000 })
  .map((s) => new Date(s * 1000).toISOString().replace(".000Z", "Z"));
// Few distinct scores and times, so ties on CRS (and sometimes on time) are common.
const candidate = fc.record({ crs: fc.integer({ min: 150, max: 175 }), submittedAt: instant });
const pool = fc
  .array(candidate, { maxLength: 300 })
  .map((cs) => cs.map((c, i) => ({ ...c, id: `p${String(i).padStart(4, "0")}` }) as RankedCandidate));

describe("rankRound", () => {
  it("invites min(N, eligible), and everyone invited outranks everyone not invited", () => {
    fc.assert(
      fc.property(pool, fc.integer({ min: 1, max: 400 }), (group, n) => {
        const r = rankRound(group, n);
        expect(r.invited).toHaveLength(Math.min(n, group.length));
        expect(r.shortfall).toBe(Math.max(0, n - group.length));
        const invited = new Set(r.invited.map((c) => c.id));
        const rest = group.filter((c) => !invited.has(c.id));
        for (const a of r.invited) for (const b of rest) expect(compareRank(a, b)).toBeLessThan(0);
      }),
      { numRuns: 200 },
    );
  });

  it("publishes the last invitee's CRS and submission time, and the tie-break rule holds", () => {
    fc.assert(
      fc.property(pool, fc.integer({ min: 1, max: 300 }), (group, n) => {
        const r = rankRound(group, n);
        const last = r.invited.at(-1);
        expect(r.cutoffCrs).toBe(last?.crs ?? null);
        expect(r.tieBreak).toBe(last?.submittedAt ?? null);
        if (!last || r.cutoffCrs === null || r.tieBreak === null) return;
        const invited = new Set(r.invited.map((c) => c.id));
        for (const c of group) {
          // Invited ⇔ CRS above the cut-off, or at it and submitted no later than the tie-break (exact
          // same-instant ties are broken by id, which IRCC never has to publish).
          if (c.crs > r.cutoffCrs) expect(invited.has(c.id)).toBe(true);
          if (c.crs < r.cutoffCrs) expect(invited.has(c.id)).toBe(false);
          if (c.crs === r.cutoffCrs && c.submittedAt < r.tieBreak) expect(invited.has(c.id)).toBe(true);
          if (c.crs === r.cutoffCrs && c.submittedAt > r.tieBreak) expect(invited.has(c.id)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("is deterministic: the order of the input never changes the result", () => {
    fc.assert(
      fc.property(
        pool.chain((g) => fc.tuple(fc.constant(g), fc.shuffledSubarray(g, { minLength: g.length }))),
        fc.integer({ min: 1, max: 300 }),
        ([group, shuffled], n) => {
          expect(rankRound(shuffled, n)).toEqual(rankRound(group, n));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("distribution", () => {
  it("puts every score in exactly one band; subtotals and total add up", () => {
    const bands = defaultRuleBook().poolBands;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1200 }), { maxLength: 500 }), (scores) => {
        const d = distribution(scores, bands);
        const count = (key: string) => d.bands.find((b) => b.key === key)?.count ?? -1;
        expect(count("dd18")).toBe(scores.length);
        expect(count("dd3")).toBe(["dd4", "dd5", "dd6", "dd7", "dd8"].reduce((a, k) => a + count(k), 0));
        expect(count("dd9")).toBe(["dd10", "dd11", "dd12", "dd13", "dd14"].reduce((a, k) => a + count(k), 0));
        expect(count("dd17")).toBe(scores.filter((s) => s <= 300).length);
        expect(count("dd4")).toBe(scores.filter((s) => s >= 491 && s <= 500).length);
      }),
      { numRuns: 200 },
    );
  });
});
