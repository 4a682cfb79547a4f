/**
 * IRCC's rounds feed (ee_rounds_123_en.json / ee_rounds_123_fr.json) → normalized HistoryRound records.
 * Tolerant of every quirk of the published file (../shared/data/README.md): numbers with thousands
 * separators (commas, spaces, no-break spaces), free-text date-times in many shapes, "91a"/"91b", empty
 * tie-breaks, a drawDateTime whose date disagrees with drawDate. Every such thing is reported as an
 * anomaly naming the round and the field; nothing is guessed silently.
 */
import { isIsoDate } from "../../calendar/dates.js";
import { normalizeInstant, ottawaDate } from "../../calendar/instants.js";
import type { RuleBook } from "../../rules/rule-book.js";
import type {
  HistoryAnomaly,
  HistoryRound,
  HistorySource,
  PublishedDistribution,
} from "../../domain/history/round-record.js";

export class FeedFormatError extends Error {}

/** Where IRCC publishes the feed (English; the French one ends in _fr.json). */
export const IRCC_FEED_URL = "https://www.canada.ca/content/dam/ircc/documents/json/ee_rounds_123_en.json";

export interface ParsedFeed {
  language: "en" | "fr";
  rounds: HistoryRound[];
  anomalies: HistoryAnomaly[];
}

const MONTHS: Record<string, number> = {
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  may: 5,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
  janvier: 1,
  fevrier: 2,
  mars: 3,
  avril: 4,
  mai: 5,
  juin: 6,
  juillet: 7,
  aout: 8,
  septembre: 9,
  octobre: 10,
  novembre: 11,
  decembre: 12,
};

const plain = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();

/** The bytes of a feed as text: UTF-8, or Windows-1252 when the bytes are not UTF-8 (older French files). */
export function decodeFeed(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    // Node's "windows-1252" decoder is Latin-1 (0x92 stays U+0092), so 0x80–0x9F are mapped here.
    let text = "";
    for (const byte of bytes)
      text += byte >= 0x80 && byte < 0xa0 ? CP1252_HIGH[byte - 0x80] : String.fromCharCode(byte);
    return text;
  }
}

/** Windows-1252's characters for the bytes 0x80–0x9F (the five unassigned ones kept as they are). */
const CP1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

interface DateParts {
  year: number | null;
  month: number;
  day: number;
  time: string | null;
  /** Shapes that are not "Month D, YYYY at HH:MM:SS UTC", for the anomaly report. */
  irregular: string[];
}

/**
 * A date or date-time as the feed writes it: "February 19, 2026 at 14:24:23 UTC", "19 février 2026 à
 * 14:24:23 UTC", and the irregular shapes (no "at", extra or missing commas, a period, ordinals, AM/PM,
 * the ISO date repeated, a one-digit hour, no "UTC", no year).
 */
export function parseFeedDate(text: string): DateParts | null {
  const t = plain(text).replace(/\s+/g, " ").trim();
  const irregular: string[] = [];
  if (t !== plain(text)) irregular.push("extra spaces");
  const en = /^([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?\s*[,.]?\s*(\d{4})?\b(.*)$/.exec(t);
  const fr = /^(?:le )?(\d{1,2})(?:er)? ([a-z]+)\.?,? (\d{4})?\b(.*)$/.exec(t);
  let month: number | undefined;
  let day: number;
  let year: number | null;
  let rest: string;
  if (en && MONTHS[en[1] as string]) {
    month = MONTHS[en[1] as string];
    day = Number(en[2]);
    year = en[3] ? Number(en[3]) : null;
    rest = en[4] as string;
    if (/^[a-z]+ \d{1,2}(st|nd|rd|th)/.test(t)) irregular.push("ordinal day");
    if (en[3] && !new RegExp(`^[a-z]+ \\d{1,2}(st|nd|rd|th)?, \\d{4}`).test(t))
      irregular.push("punctuation after the day");
  } else if (fr && MONTHS[fr[2] as string]) {
    month = MONTHS[fr[2] as string];
    day = Number(fr[1]);
    year = fr[3] ? Number(fr[3]) : null;
    rest = fr[4] as string;
  } else return null;
  if (month === undefined) return null;
  if (year === null) irregular.push("no year");
  let time: string | null = null;
  if (rest.trim() !== "") {
    const m = /(\d{1,2})\s*(?::|h)\s*(\d{2})\s*(?::|min)\s*(\d{2})\s*s?\s*(am|pm)?\s*(utc)?\s*$/.exec(rest);
    if (!m) return null;
    const before = rest
      .slice(0, m.index)
      .trim()
      .replace(/^[,.]\s*/, "");
    if (!/^(at|a)?$/.test(before)) {
      if (/^(at )?\d{4}-\d{2}-\d{2}$/.test(before)) irregular.push("ISO date repeated");
      else return null;
    } else if (before === "") irregular.push("no 'at'");
    const hour = Number(m[1]);
    if ((m[1] as string).length === 1) irregular.push("one-digit hour");
    if (m[4]) irregular.push(`${m[4].toUpperCase()} appended to a 24-hour time`);
    if (!m[5]) irregular.push("no 'UTC'");
    time = `${String(hour).padStart(2, "0")}:${m[2]}:${m[3]}`;
  }
  return { year, month, day, time, irregular };
}

const iso = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

/** "27,332", "4 000", "4 000" → 27332 / 4000; null when it is not a number. */
export function parseFeedNumber(text: string): number | null {
  const t = text.replace(/[\s\u00a0\u202f,]/g, "");
  return /^\d+$/.test(t) ? Number(t) : null;
}

/** 397 → 397; "91a" → 91.1: the numeric order of a round number with its letter suffix. */
export function roundOrder(number: string): number | null {
  const m = /^(\d+)([a-z])?$/.exec(number);
  if (!m) return null;
  return Number(m[1]) + (m[2] ? (m[2].charCodeAt(0) - 96) / 10 : 0);
}

type RawRound = Record<string, unknown>;

function rawRounds(doc: unknown): RawRound[] {
  const list = Array.isArray(doc)
    ? doc
    : doc && typeof doc === "object" && "rounds" in doc
      ? (doc as { rounds: unknown }).rounds
      : undefined;
  // The French feed keys its rounds by "r392"; the English one is an array.
  const rounds = Array.isArray(list)
    ? list
    : list && typeof list === "object"
      ? Object.values(list)
      : undefined;
  if (!rounds)
    throw new FeedFormatError('not an IRCC rounds feed: expected {"rounds": [...]} or an array of rounds');
  if (rounds.length === 0) throw new FeedFormatError("the feed has no rounds");
  rounds.forEach((r, i) => {
    if (!r || typeof r !== "object" || typeof (r as RawRound).drawNumber !== "string")
      throw new FeedFormatError(`round ${i}: drawNumber: is required (not an IRCC rounds feed)`);
  });
  return rounds as RawRound[];
}

/** A French feed writes dates day first ("21 janvier 2026"). */
function languageOf(rounds: RawRound[]): "en" | "fr" {
  const sample = rounds.slice(0, 20).map((r) => plain(String(r.drawDateFull ?? r.drawDateTime ?? "")));
  const french = sample.filter((s) => /^\s*(le )?\d{1,2}(er)? [a-z]+ \d{4}/.test(s)).length;
  return french > sample.length / 2 ? "fr" : "en";
}

/**
 * Parses a feed. The RuleBook gives the one mapping of round names to kinds and category versions
 * (RuleBook.roundByName); a round whose name means nothing, or whose number, date, size or cut-off is
 * unreadable, is left out and reported.
 */
export function parseRoundsFeed(
  text: string,
  book: RuleBook,
  options: { source?: HistorySource } = {},
): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new FeedFormatError(`not JSON: ${(error as Error).message}`);
  }
  const raws = rawRounds(doc).map(feedShape);
  const language = languageOf(raws);
  const anomalies: HistoryAnomaly[] = [];
  const rounds: HistoryRound[] = [];
  const seen = new Set<string>();
  const keys = book.poolBands.bands.map((b) => b.key);
  for (const raw of raws) {
    const number = String(raw.drawNumber).trim();
    const report = (field: string, message: string) => anomalies.push({ round: number, field, message });
    const str = (field: string): string => (typeof raw[field] === "string" ? (raw[field] as string) : "");
    const order = roundOrder(number);
    if (order === null) {
      report("drawNumber", `'${number}' is not a round number; round left out`);
      continue;
    }
    if (seen.has(number)) {
      report("drawNumber", "appears twice; the second is left out");
      continue;
    }
    if (/[a-z]$/.test(number)) report("drawNumber", "has a letter suffix (two rounds on one day)");
    const date = str("drawDate").trim();
    if (!isIsoDate(date)) {
      report("drawDate", `'${date}' is not a date (YYYY-MM-DD); round left out`);
      continue;
    }
    const name = str("drawName").trim();
    const meaning = book.roundByName(name, date);
    if (!meaning) {
      report(
        "drawName",
        `'${name}' is not a known round name (rules/round-names.json, rules/categories); round left out`,
      );
      continue;
    }
    if (meaning.loose)
      report(
        "drawName",
        `'${name}' matched ${meaning.kind === "category" ? meaning.categoryVersion : ""} only without its version suffix`,
      );
    const invitations = parseFeedNumber(str("drawSize"));
    const cutoff = parseFeedNumber(str("drawCRS"));
    if (invitations === null || cutoff === null) {
      report(
        invitations === null ? "drawSize" : "drawCRS",
        `'${str(invitations === null ? "drawSize" : "drawCRS")}' is not a number; round left out`,
      );
      continue;
    }
    const instant = (field: string): string | null => {
      const value = str(field);
      if (value.trim() === "") {
        report(field, "is empty");
        return null;
      }
      const parts = parseFeedDate(value);
      if (!parts || parts.time === null) {
        report(field, `'${value}' is not a date and time; left empty`);
        return null;
      }
      let year = parts.year;
      if (year === null) {
        // A missing year: the round's own year for the round's time; for a tie-break the latest year
        // that does not put it after the round.
        year = Number(date.slice(0, 4));
        if (field !== "drawDateTime" && iso(year, parts.month, parts.day) > date) year -= 1;
        report(field, `'${value}' has no year; read as ${year}`);
      }
      const day = iso(year, parts.month, parts.day);
      if (!isIsoDate(day)) {
        report(field, `'${value}' is not a calendar date; left empty`);
        return null;
      }
      const irregular = parts.irregular.filter((s) => s !== "no year");
      if (irregular.length > 0) report(field, `irregular form '${value}' (${irregular.join(", ")})`);
      return normalizeInstant(`${day}T${parts.time}Z`);
    };
    const at = instant("drawDateTime");
    if (at !== null && ottawaDate(at) !== date)
      report(
        "drawDateTime",
        `its Ottawa date ${ottawaDate(at)} differs from drawDate ${date}; drawDate is kept as the round's date`,
      );
    const tieBreak = instant("drawCutOff");
    if (tieBreak !== null && at !== null && tieBreak > at) report("drawCutOff", "is after the round itself");
    let distribution: PublishedDistribution | null = null;
    const counts: Record<string, number> = {};
    let unreadable = false;
    for (const key of keys) {
      const n = parseFeedNumber(str(key));
      if (n === null) unreadable = true;
      else counts[key] = n;
    }
    if (unreadable) report("dd1-dd18", "a band count is missing or not a number; no distribution");
    else if (Object.values(counts).some((n) => n > 0)) {
      const asOfParts = parseFeedDate(str("drawDistributionAsOn"));
      if (!asOfParts || asOfParts.year === null)
        report("drawDistributionAsOn", `'${str("drawDistributionAsOn")}' is not a date; no distribution`);
      else {
        const asOf = iso(asOfParts.year, asOfParts.month, asOfParts.day);
        distribution = { asOf, bands: counts };
        for (const band of book.poolBands.bands) {
          if (!band.subtotalOf) continue;
          const sum = band.subtotalOf.reduce((acc, k) => acc + (counts[k] ?? 0), 0);
          if (sum !== counts[band.key])
            report(
              band.key,
              `${band.label} is ${counts[band.key]} but its bands add up to ${sum}; both kept as published`,
            );
        }
      }
    }
    seen.add(number);
    const record: HistoryRound = {
      number,
      order,
      date,
      at,
      name,
      kind: meaning.kind,
      invitations,
      cutoff,
      tieBreak,
      distribution,
      source: options.source ?? "ircc",
    };
    if (meaning.kind === "program" && meaning.program) record.program = meaning.program;
    if (meaning.kind === "category") {
      record.categoryVersion = meaning.categoryVersion;
      record.category = meaning.category;
    }
    if (language === "fr") {
      record.nameFr = name;
    }
    rounds.push(record);
  }
  rounds.sort((a, b) => a.order - b.order);
  return { language, rounds, anomalies };
}

/** A third-party copy's fields (drawSizeStr, a numeric drawCRS) in the feed's shape. */
function feedShape(raw: RawRound): RawRound {
  const out: RawRound = { ...raw };
  if (out.drawSize === undefined && typeof out.drawSizeStr === "string") out.drawSize = out.drawSizeStr;
  if (typeof out.drawCRS === "number") out.drawCRS = String(out.drawCRS);
  return out;
}

export interface MergedHistory {
  rounds: HistoryRound[];
  anomalies: HistoryAnomaly[];
}

/**
 * IRCC's English feed, completed by its French feed (French names; the figures must agree) and by a
 * marked third-party copy, which only adds rounds IRCC's feed does not have and never overrides a field.
 */
export function mergeFeeds(
  english: ParsedFeed,
  extras: { french?: ParsedFeed; thirdParty?: ParsedFeed } = {},
): MergedHistory {
  const anomalies = [...english.anomalies];
  const byNumber = new Map(english.rounds.map((r) => [r.number, { ...r }]));
  if (extras.french) {
    anomalies.push(...extras.french.anomalies.map((a) => ({ ...a, field: `${a.field} (French feed)` })));
    for (const fr of extras.french.rounds) {
      const en = byNumber.get(fr.number);
      if (!en) {
        byNumber.set(fr.number, fr);
        anomalies.push({ round: fr.number, field: "drawNumber", message: "only in the French feed" });
        continue;
      }
      en.nameFr = fr.name;
      for (const field of ["date", "invitations", "cutoff", "kind", "categoryVersion", "program"] as const)
        if (en[field] !== fr[field])
          anomalies.push({
            round: fr.number,
            field,
            message: `the French feed says ${String(fr[field])}, the English ${String(en[field])}; the English is kept`,
          });
    }
  }
  if (extras.thirdParty)
    for (const extra of extras.thirdParty.rounds) {
      if (byNumber.has(extra.number)) continue;
      byNumber.set(extra.number, { ...extra, source: "third-party" });
      anomalies.push({
        round: extra.number,
        field: "source",
        message: "not in IRCC's feed; taken from the third-party copy (no distribution)",
      });
    }
  return { rounds: [...byNumber.values()].sort((a, b) => a.order - b.order), anomalies };
}
