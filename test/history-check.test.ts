/**
 * "Would I have been invited?" on hand-built profiles. The expected answers come from the published
 * cut-offs and tie-breaks (rules/ircc-rounds.json, as IRCC published them) and the ranking rule: invited
 * when the CRS is above the cut-off, or equal and the profile was submitted at or before the tie-break.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shippedHistory } from "../src/adapters/history/shipped-history.js";
import { checkAgainstHistory } from "../src/domain/history/check.js";
import type { HistoryRound } from "../src/domain/history/round-record.js";
import { evaluateProfile, validateProfile } from "../src/domain/eligibility/report.js";
import type { Profile } from "../src/domain/profile/profile.js";
import { defaultRuleBook } from "../src/rules/index.js";
import { ROOT } from "./ee.js";

const book = defaultRuleBook();
const history = shippedHistory();

function profileFrom(raw: unknown): Profile & { submittedAt: string } {
  const v = validateProfile(raw, book);
  if (v.status !== "ok") throw new Error(JSON.stringify(v.errors));
  return v.profile as Profile & { submittedAt: string };
}

const physicianRaw = JSON.parse(
  readFileSync(join(ROOT, "examples/physician-profile.json"), "utf8"),
) as Record<string, unknown>;

describe("a physician working in Canada, submitted 2025-12-20", () => {
  const physician = profileFrom(physicianRaw);
  const result = checkAgainstHistory(physician, history, book);
  const crsOn = (date: string) => {
    const r = evaluateProfile(physician, date, book).crs;
    return r.status === "scored" ? r.total : null;
  };

  it("#397 (physicians, cut-off 169) is the first round that would have invited it", () => {
    expect(crsOn("2026-02-19")).toBeGreaterThan(169);
    expect(result.firstInvitation?.round).toBe("397");
    expect(result.invitations.map((c) => c.round)).toEqual(["397", "421"]);
  });

  it("#398 (healthcare, cut-off 467) is a near miss by 467 − CRS points", () => {
    const crs = crsOn("2026-02-20") as number;
    expect(crs).toBeLessThan(467);
    expect(467 - crs).toBeLessThanOrEqual(10);
    const miss = result.nearMisses.find((c) => c.round === "398");
    expect(miss?.verdict).toMatchObject({ outcome: "missed", missing: 467 - crs, near: true });
  });

  it("CEC rounds: in the group (a year of Canadian work since 2025-09) and below the cut-off", () => {
    const cec = result.rounds.filter((c) => c.name === "Canadian Experience Class");
    expect(cec.length).toBeGreaterThan(0);
    for (const c of cec) {
      expect(c.verdict.outcome, c.round).toBe("missed");
      if (c.verdict.outcome === "missed")
        expect(c.verdict.missing).toBe(c.cutoff - (crsOn(c.date) as number));
    }
  });

  it("PNP and French rounds: not in the group, with the reason", () => {
    const pnp = result.rounds.find((c) => c.name === "Provincial Nominee Program");
    expect(pnp?.verdict).toEqual({
      outcome: "not-in-group",
      crs: expect.any(Number),
      why: "no provincial nomination",
      message: { code: "history.no-nomination", params: {} },
    });
    const french = result.rounds.find((c) => c.name.startsWith("French"));
    expect(french?.verdict.why).toMatch(/not eligible for French-language proficiency.*no French test/);
  });

  it("only rounds after the submission and within the profile's 12 months are considered", () => {
    expect((result.rounds[0]?.date ?? "") >= "2025-12-20").toBe(true);
    expect(result.rounds.every((c) => c.date <= "2026-12-20")).toBe(true);
    const early = checkAgainstHistory(
      { ...physician, submittedAt: "2024-06-01T00:00:00.000Z" },
      history,
      book,
    );
    expect((early.rounds.at(-1)?.date ?? "") <= "2025-06-01").toBe(true);
  });
});

describe("the tie-break, on rounds built by hand", () => {
  const physician = profileFrom(physicianRaw);
  const crs = (() => {
    const r = evaluateProfile(physician, "2026-02-19", book).crs;
    return r.status === "scored" ? r.total : 0;
  })();
  const round = (over: Partial<HistoryRound>): HistoryRound => ({
    number: "9001",
    order: 9001,
    date: "2026-02-19",
    at: "2026-02-19T14:24:23.000Z",
    name: "Physicians with Canadian Work Experience, 2026-Version 1",
    kind: "category",
    categoryVersion: "physicians-2026-v1",
    category: "physicians",
    invitations: 100,
    cutoff: crs,
    tieBreak: "2026-01-03T03:25:14.000Z",
    distribution: null,
    source: "ircc",
    ...over,
  });
  const verdict = (r: HistoryRound) => checkAgainstHistory(physician, [r], book).rounds[0]?.verdict;

  it("equal to the cut-off and submitted before the tie-break: invited", () => {
    expect(verdict(round({}))).toMatchObject({ outcome: "invited" });
  });
  it("submitted at the tie-break instant exactly: invited", () => {
    expect(verdict(round({ tieBreak: "2025-12-20T16:05:00.000Z" }))).toMatchObject({ outcome: "invited" });
  });
  it("submitted a second after the tie-break: missed, 0 points short", () => {
    expect(verdict(round({ tieBreak: "2025-12-20T16:04:59.000Z" }))).toMatchObject({
      outcome: "missed",
      missing: 0,
    });
  });
  it("no tie-break published: not counted as invited", () => {
    expect(verdict(round({ tieBreak: null }))).toMatchObject({ outcome: "missed", missing: 0 });
  });
  it("one point above: invited; one below: missed by 1", () => {
    expect(verdict(round({ cutoff: crs - 1 }))).toMatchObject({ outcome: "invited" });
    expect(verdict(round({ cutoff: crs + 1 }))).toMatchObject({ outcome: "missed", missing: 1, near: true });
  });
  it("a round held before the submission instant, the same day, is not considered", () => {
    expect(
      checkAgainstHistory(physician, [round({ date: "2025-12-20", at: "2025-12-20T12:00:00.000Z" })], book)
        .rounds,
    ).toEqual([]);
  });
});
