/**
 * IRCC's rounds feed → normalized rounds. The shared copy of the whole feed (../shared/data) is read where
 * it exists (CI); the quirks are also tested on their own from the examples the feed's README lists, and
 * the French feed on a fixture written from its format (test/fixtures, in Windows-1252 and UTF-8).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildHistoryFile,
  formatHistoryFile,
  shippedHistory,
} from "../src/adapters/history/shipped-history.js";
import {
  decodeFeed,
  FeedFormatError,
  mergeFeeds,
  parseFeedDate,
  parseFeedNumber,
  parseRoundsFeed,
  roundOrder,
} from "../src/adapters/import/ircc-rounds-feed.js";
import { defaultRuleBook } from "../src/rules/index.js";
import { ROOT } from "./ee.js";

const book = defaultRuleBook();
const SHARED = join(ROOT, "../shared/data");
const FEED = join(SHARED, "ircc-rounds.json");
const THIRD = join(SHARED, "ircc-rounds-gotfrid.json");
const FIXTURES = join(ROOT, "test/fixtures");

describe("date-times as the feed writes them", () => {
  it.each([
    ["February 19, 2026 at 14:24:23 UTC", "2026-02-19", "14:24:23", []],
    ["April 27, 2022 16:04:21 UTC", "2022-04-27", "16:04:21", ["no 'at'"]],
    ["May 26, 2017, at 16:35:48 UTC", "2017-05-26", "16:35:48", []],
    ["March 23,2023 12:27:59 UTC", "2023-03-23", "12:27:59", ["punctuation after the day", "no 'at'"]],
    ["February 02 2022 at 14:16:27 UTC", "2022-02-02", "14:16:27", ["punctuation after the day"]],
    ["August 30. 2023 at 17:30:21 UTC", "2023-08-30", "17:30:21", ["punctuation after the day"]],
    ["March 27, 2015 at 23:59:47", "2015-03-27", "23:59:47", ["no 'UTC'"]],
    ["October 25, 2023 at 15:48:39 AM UTC", "2023-10-25", "15:48:39", ["AM appended to a 24-hour time"]],
    ["June 22, 2021 at 20:19:59 PM UTC", "2021-06-22", "20:19:59", ["PM appended to a 24-hour time"]],
    ["August 15, 2024 at 2024-08-15 15:11:54 UTC", "2024-08-15", "15:11:54", ["ISO date repeated"]],
    ["November 18, 2017 at 6:30:42 UTC", "2017-11-18", "06:30:42", ["one-digit hour"]],
    ["October 18, 2025 at  7:18:52 UTC", "2025-10-18", "07:18:52", ["extra spaces", "one-digit hour"]],
    ["July 3rd 2026 at 21:35:13 UTC", "2026-07-03", "21:35:13", ["ordinal day", "punctuation after the day"]],
    [" July 13, 2016 at 13:56:45 UTC", "2016-07-13", "13:56:45", ["extra spaces"]],
    ["19 février 2026 à 14:24:23 UTC", "2026-02-19", "14:24:23", []],
    ["1er août 2025 à 15:51:35 UTC", "2025-08-01", "15:51:35", []],
  ])("%s", (text, date, time, irregular) => {
    const parts = parseFeedDate(text);
    expect(parts).not.toBeNull();
    const p = parts as NonNullable<typeof parts>;
    expect(`${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`).toBe(date);
    expect(p.time).toBe(time);
    expect(p.irregular).toEqual(irregular);
  });

  it("a date without a year says so, and nonsense is refused", () => {
    expect(parseFeedDate("October 7 at 16:38:21 UTC")).toMatchObject({ year: null, month: 10, day: 7 });
    expect(parseFeedDate("soon")).toBeNull();
    expect(parseFeedDate("February 19, 2026 at noon")).toBeNull();
  });

  it("numbers with thousands separators, and round numbers with a suffix", () => {
    expect(parseFeedNumber("27,332")).toBe(27332);
    expect(parseFeedNumber("4 000")).toBe(4000);
    expect(parseFeedNumber("4\u00a0000")).toBe(4000);
    expect(parseFeedNumber("4\u202f000")).toBe(4000);
    expect(parseFeedNumber("n/a")).toBeNull();
    expect(roundOrder("91a")).toBeCloseTo(91.1);
    expect(roundOrder("91b")).toBeCloseTo(91.2);
    expect(roundOrder("x")).toBeNull();
  });
});

describe("feeds that are not the format", () => {
  it.each([
    ["not JSON", "{", /not JSON/],
    ["no rounds", '{"classes": "wb-tables"}', /not an IRCC rounds feed/],
    ["empty", '{"rounds": []}', /no rounds/],
    ["rounds without numbers", '{"rounds": [{"drawName": "x"}]}', /drawNumber: is required/],
  ])("%s", (_name, text, message) => {
    expect(() => parseRoundsFeed(text, book)).toThrow(FeedFormatError);
    expect(() => parseRoundsFeed(text, book)).toThrow(message);
  });

  it("a round with an unknown name or unreadable figures is left out and reported", () => {
    const round = {
      drawNumber: "500",
      drawDate: "2026-09-01",
      drawName: "Astronauts (Version 1)",
      drawSize: "100",
      drawCRS: "500",
      drawDateTime: "September 1, 2026 at 14:00:00 UTC",
      drawCutOff: "",
    };
    const parsed = parseRoundsFeed(
      JSON.stringify({
        rounds: [round, { ...round, drawNumber: "501", drawName: "General", drawSize: "lots" }],
      }),
      book,
    );
    expect(parsed.rounds).toEqual([]);
    expect(parsed.anomalies).toEqual([
      expect.objectContaining({ round: "500", field: "drawName" }),
      expect.objectContaining({ round: "501", field: "drawSize" }),
    ]);
  });
});

describe("the French feed (a fixture written from its format)", () => {
  const cp1252 = readFileSync(join(FIXTURES, "ee_rounds_123_fr.cp1252.json"));
  const utf8 = readFileSync(join(FIXTURES, "ee_rounds_123_fr.utf8.json"));

  it("reads the same in Windows-1252 and UTF-8", () => {
    expect(cp1252.equals(utf8)).toBe(false);
    expect(decodeFeed(cp1252)).toBe(decodeFeed(utf8));
  });

  it("rounds keyed r397…, French dates, spaces as thousands separators, French names mapped", () => {
    const fr = parseRoundsFeed(decodeFeed(cp1252), book);
    expect(fr.language).toBe("fr");
    expect(fr.anomalies).toEqual([]);
    const byNumber = Object.fromEntries(fr.rounds.map((r) => [r.number, r]));
    expect(byNumber["397"]).toMatchObject({
      kind: "category",
      categoryVersion: "physicians-2026-v1",
      invitations: 391,
      cutoff: 169,
      at: "2026-02-19T14:24:23.000Z",
      tieBreak: "2026-01-03T03:25:14.000Z",
      distribution: { asOf: "2026-02-15", bands: { dd18: 235695, dd2: 16559 } },
    });
    expect(byNumber["398"]).toMatchObject({ categoryVersion: "healthcare-2026-v3", invitations: 4000 });
    expect(byNumber["392"]).toMatchObject({
      kind: "program",
      program: "CEC",
      invitations: 6000,
      distribution: null,
    });
    expect(byNumber["391"]).toMatchObject({ kind: "program", program: "PNP", cutoff: 746 });
  });

  it.skipIf(!existsSync(FEED))("completes the English feed with the French names (figures agree)", () => {
    const merged = mergeFeeds(parseRoundsFeed(readFileSync(FEED, "utf8"), book), {
      french: parseRoundsFeed(decodeFeed(utf8), book),
    });
    const r397 = merged.rounds.find((r) => r.number === "397");
    expect(r397?.name).toBe("Physicians with Canadian Work Experience, 2026-Version 1");
    expect(r397?.nameFr).toBe("Médecins ayant une expérience de travail au Canada, 2026-Version 1");
    expect(
      merged.anomalies.filter((a) => a.field.includes("French") || a.message.includes("French")),
    ).toEqual([]);
  });
});

describe.skipIf(!existsSync(FEED))("the whole shared feed (../shared/data/ircc-rounds.json)", () => {
  // Read only where the shared copy exists (describe bodies run even when their tests are skipped).
  const text = existsSync(FEED) ? readFileSync(FEED, "utf8") : '{"rounds": [{"drawNumber": "0"}]}';
  const raw = JSON.parse(text) as { rounds: Record<string, string>[] };
  const parsed = parseRoundsFeed(text, book);
  const byNumber = new Map(parsed.rounds.map((r) => [r.number, r]));

  it("parses all 435 rounds, none left out", () => {
    expect(parsed.rounds).toHaveLength(435);
    expect(parsed.anomalies.filter((a) => a.message.includes("left out"))).toEqual([]);
  });

  it("recovers every tie-break instant given, and every round's instant", () => {
    const given = raw.rounds.filter((r) => (r.drawCutOff ?? "").trim() !== "");
    expect(given).toHaveLength(359);
    for (const r of given)
      expect(byNumber.get(r.drawNumber as string)?.tieBreak, r.drawNumber).not.toBeNull();
    expect(parsed.rounds.filter((r) => r.at === null)).toEqual([]);
  });

  it.each([
    ["379", "2025-11-14", "healthcare-v2", 3500, 462, "2024-12-02T22:19:41.000Z", "2025-11-09"],
    ["385", "2025-12-11", "healthcare-v2", 1000, 476, "2025-11-26T07:44:30.000Z", "2025-12-07"],
    ["397", "2026-02-19", "physicians-2026-v1", 391, 169, "2026-01-03T03:25:14.000Z", "2026-02-15"],
    ["398", "2026-02-20", "healthcare-2026-v3", 4000, 467, "2025-12-09T18:22:06.000Z", "2026-02-15"],
  ])("seed round #%s exactly", (number, date, version, invitations, cutoff, tieBreak, asOf) => {
    expect(byNumber.get(number)).toMatchObject({
      date,
      kind: "category",
      categoryVersion: version,
      invitations,
      cutoff,
      tieBreak,
      distribution: { asOf },
      source: "ircc",
    });
  });

  it("#397's distribution as published", () => {
    expect(byNumber.get("397")?.distribution?.bands).toMatchObject({
      dd1: 280,
      dd2: 16559,
      dd3: 73609,
      dd4: 13504,
      dd9: 64305,
      dd15: 53650,
      dd16: 19009,
      dd17: 8283,
      dd18: 235695,
    });
    expect(parsed.rounds.filter((r) => r.distribution !== null)).toHaveLength(217);
  });

  it("reports every anomaly the feed's README lists, with the round and the field", () => {
    const has = (round: string, field: string, message: RegExp) =>
      expect(
        parsed.anomalies.some((a) => a.round === round && a.field === field && message.test(a.message)),
        `${round} ${field} ${message}`,
      ).toBe(true);
    for (const n of ["104", "108", "146", "148", "357"]) has(n, "drawDateTime", /differs from drawDate/);
    has("247", "dd3", /add up to 55687/);
    has("208", "drawCutOff", /no year; read as 2021/);
    has("91a", "drawNumber", /letter suffix/);
    has("91b", "drawNumber", /letter suffix/);
    for (const n of ["6", "258", "383"])
      expect(parsed.anomalies.some((a) => a.round === n && /no 'UTC'/.test(a.message))).toBe(true);
    has("270", "drawDateTime", /AM appended/);
    has("310", "drawDateTime", /ISO date repeated/);
    has("432", "drawCutOff", /ordinal day/);
    for (let n = 1; n <= 76; n++) has(String(n), "drawCutOff", /is empty/);
    // The early 2015 rounds ran at 23:59 Eastern: a UTC date a day later, the same Ottawa date, no anomaly.
    for (const n of ["7", "8", "9", "11", "13"])
      expect(parsed.anomalies.filter((a) => a.round === n && a.field === "drawDateTime")).toEqual([]);
  });

  it.skipIf(!existsSync(THIRD))(
    "rules/ircc-rounds.json is what the importer makes of the shared files",
    () => {
      const file = buildHistoryFile(parsed, {
        thirdParty: parseRoundsFeed(readFileSync(THIRD, "utf8"), book),
      });
      const committed = readFileSync(join(ROOT, "rules/ircc-rounds.json"), "utf8");
      expect(
        formatHistoryFile(file) === committed,
        "rules/ircc-rounds.json is stale: run `npm run import:rounds`",
      ).toBe(true);
      const extra = file.rounds.filter((r) => r.source === "third-party").map((r) => [r.number, r.cutoff]);
      expect(extra).toEqual([
        ["435", 760],
        ["436", 523],
        ["437", 382],
      ]);
    },
  );
});

describe("the shipped history (no ../shared needed)", () => {
  const rounds = shippedHistory();
  it("has IRCC's 435 rounds and the three newer marked ones, in order", () => {
    expect(rounds.filter((r) => r.source === "ircc")).toHaveLength(435);
    expect(rounds.filter((r) => r.source === "third-party").map((r) => r.number)).toEqual([
      "435",
      "436",
      "437",
    ]);
    expect(rounds.map((r) => r.order)).toEqual([...rounds.map((r) => r.order)].sort((a, b) => a - b));
  });

  it("every category round maps to a version in force on its date (the rules' one mapping)", () => {
    for (const r of rounds.filter((x) => x.kind === "category")) {
      const v = book.categoryVersions.find((x) => x.id === r.categoryVersion);
      if (!v) throw new Error(`round ${r.number}: no version ${r.categoryVersion}`);
      expect(v.effectiveFrom <= r.date && (v.effectiveTo === null || r.date <= v.effectiveTo), r.number).toBe(
        true,
      );
      expect(book.roundByName(r.name, r.date)).toMatchObject({
        categoryVersion: r.categoryVersion,
        loose: false,
      });
    }
  });

  it("name drift in case and plural matches; a version suffix alone matches loosely", () => {
    expect(book.roundByName("TRADE OCCUPATIONS (VERSION 2)", "2025-09-18")).toMatchObject({
      categoryVersion: "trades-v2",
      loose: false,
    });
    expect(
      book.roundByName("Healthcare and Social Services Occupation, 2026-Version 3", "2026-03-01"),
    ).toMatchObject({ categoryVersion: "healthcare-2026-v3" });
    expect(book.roundByName("Transport Occupations, 2026-Version 9", "2026-08-07")).toMatchObject({
      categoryVersion: "transport-2026-v2",
      loose: true,
    });
    expect(book.roundByName("CANADIAN EXPERIENCE CLASS.", "2026-01-01")).toMatchObject({
      kind: "program",
      program: "CEC",
    });
    expect(book.roundByName("Astronauts", "2026-01-01")).toBeUndefined();
  });
});
