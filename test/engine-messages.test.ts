/**
 * The engine's sentences as message codes (src/domain/eligibility/messages.ts): every code has an English
 * and a French template in the web's catalogue (web/src/i18n/en.ts engineEn, fr.ts engineFr) and no
 * template is stale; the English text the engine returns is its message rendered from the English
 * template, and is the text the engine produced before the codes existed
 * (test/fixtures/engine-english.json, written from the engine of commit 3a69332 for the profiles of
 * test/engine-message-cases.ts); every such message renders in French.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shippedHistory } from "../src/adapters/history/shipped-history.js";
import { eligibilityOf, type EligibilityReport, validateProfile } from "../src/domain/eligibility/report.js";
import {
  ENGINE_MESSAGES,
  englishOf,
  type Message,
  MESSAGE_CODES,
  PLACEHOLDER,
} from "../src/domain/eligibility/messages.js";
import { groupThousands, hoursText } from "../src/domain/format.js";
import { checkAgainstHistory } from "../src/domain/history/check.js";
import { defaultRuleBook } from "../src/rules/index.js";
import { pathToFileURL } from "node:url";
import { ROOT } from "./ee.js";
import { ENGINE_CASES } from "./engine-message-cases.js";

// The web's catalogue, loaded by path: the web is typechecked with its own tsconfig (web/tsconfig.json),
// where a missing or stale code already fails; here the lists are compared at run time.
type Templates = Readonly<Record<string, string>>;
const web = (file: string) => import(pathToFileURL(join(ROOT, "web/src/i18n", file)).href);
const { engineEn } = (await web("en.ts")) as { engineEn: Templates };
const { engineFr } = (await web("fr.ts")) as { engineFr: Templates };
const { renderMessage } = (await web("engine.ts")) as {
  renderMessage: (
    m: Message,
    templates: Templates,
    format: (value: string | number, as: string | undefined) => string,
  ) => string | null;
};

const book = defaultRuleBook();
const before = JSON.parse(readFileSync(join(ROOT, "test/fixtures/engine-english.json"), "utf8")) as Record<
  string,
  Record<string, string>
>;

/** Every sentence of a report and of a history check: its path, English text and message. */
function sentences(name: string): { path: string; text: string; message: Message | undefined }[] {
  const c = ENGINE_CASES.find((x) => x.name === name)!;
  const r = eligibilityOf(c.profile, { asOf: c.asOf, book, today: () => c.asOf }) as EligibilityReport;
  expect(r.status).toBe("evaluated");
  const out: { path: string; text: string; message: Message | undefined }[] = [];
  const checks = (prefix: string, list: EligibilityReport["programs"][number]["checks"]) => {
    for (const k of list) {
      out.push({ path: `${prefix}.${k.id}.label`, text: k.label, message: k.labelMessage });
      out.push({ path: `${prefix}.${k.id}.detail`, text: k.detail, message: k.message });
    }
  };
  for (const p of r.programs) {
    checks(`programs.${p.program}`, p.checks);
    if (p.lapseReason)
      out.push({ path: `programs.${p.program}.lapseReason`, text: p.lapseReason, message: p.lapseMessage });
  }
  if (r.pool.lapseReason)
    out.push({ path: "pool.lapseReason", text: r.pool.lapseReason, message: r.pool.lapseMessage });
  for (const cat of r.categories) {
    checks(`categories.${cat.id}`, cat.checks);
    if (cat.lapseReason)
      out.push({
        path: `categories.${cat.id}.lapseReason`,
        text: cat.lapseReason,
        message: cat.lapseMessage,
      });
  }
  if (c.history) {
    const v = validateProfile(c.profile, book);
    if (v.status !== "ok") throw new Error(JSON.stringify(v.errors));
    const h = checkAgainstHistory(
      v.profile as typeof v.profile & { submittedAt: string },
      shippedHistory(),
      book,
    );
    for (const round of h.rounds)
      out.push({ path: `history.${round.round}`, text: round.verdict.why, message: round.verdict.message });
  }
  return out;
}

const english = (value: string | number, as: string | undefined) =>
  typeof value === "number"
    ? as === "hours"
      ? hoursText(value)
      : as === "thousands"
        ? groupThousands(value)
        : String(value)
    : value;
/** French parameters written plainly: the test checks that every placeholder is filled. */
const plain = (value: string | number) => String(value);

const placeholders = (template: string) => [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);

describe("the catalogue of engine messages", () => {
  it("every domain code has an English and a French template in the web catalogue, and no stale one", () => {
    expect(Object.keys(engineFr).sort()).toEqual([...MESSAGE_CODES].sort());
    expect(Object.keys(engineEn).sort()).toEqual([...MESSAGE_CODES].sort());
  });

  it("the web's English templates are the domain's", () => {
    for (const code of MESSAGE_CODES) expect(engineEn[code], code).toBe(ENGINE_MESSAGES[code]);
  });

  it("a French template names only parameters the engine gives (the English ones, a French title, a category id)", () => {
    for (const code of MESSAGE_CODES) {
      const known = new Set([...placeholders(ENGINE_MESSAGES[code]), "titleFr", "category"]);
      for (const name of placeholders(engineFr[code] ?? ""))
        expect(known.has(name), `${code}: {${name}}`).toBe(true);
    }
  });

  it("every notice has its French text beside the English one", () => {
    for (const n of book.noticesFor("9999-12-31")) {
      expect(n.text_fr.length, n.id).toBeGreaterThan(0);
      expect(n.text_fr).not.toBe(n.text);
    }
  });
});

describe.each(ENGINE_CASES.map((c) => c.name))("%s", (name) => {
  const list = sentences(name);

  it("the English text is unchanged: the same sentences as before the message codes", () => {
    expect(Object.fromEntries(list.map((s) => [s.path, s.text]))).toEqual(before[name]);
  });

  it("each sentence is its message rendered from the English template (the domain's and the web's)", () => {
    for (const s of list) {
      expect(s.message, s.path).toBeDefined();
      expect(englishOf(s.message!), s.path).toBe(s.text);
      expect(renderMessage(s.message!, engineEn, english), s.path).toBe(s.text);
    }
  });

  it("each message renders in French, every placeholder filled", () => {
    for (const s of list) {
      const fr = renderMessage(s.message!, engineFr, plain);
      expect(fr, s.path).not.toBeNull();
      expect(fr, s.path).not.toMatch(/[{}]/);
    }
  });
});

describe("the messages of a few verdicts", () => {
  const find = (name: string, path: string) => sentences(name).find((s) => s.path === path)!;

  it("the physician on 2026-02-19: FSW's language check and its lapse, the #397 invitation", () => {
    const language = find("physician", "programs.FSW.language.detail");
    expect(language.message).toEqual({
      code: "fsw.language.result",
      params: { test: "IELTS General Training", date: "2025-06-14", clb: "10/10/9/9", required: 7 },
    });
    expect(renderMessage(language.message!, engineFr, plain)).toBe(
      "IELTS General Training du 2025-06-14 : NCLC 10/10/9/9 (EO/CO/CE/EE); exige NCLC 7 dans les quatre",
    );
    expect(find("physician", "programs.FSW.lapseReason").message?.code).toBe("lapse.from");
    expect(find("physician", "history.397").message).toEqual({
      code: "history.invited.above",
      params: { crs: 463, cutoff: 169 },
    });
  });

  it("an expired test, too little experience, a grid below 67", () => {
    expect(find("physician, test expired", "programs.FSW.language.detail").message).toEqual({
      code: "language.unusable",
      params: { test: "IELTS General Training", date: "2025-06-14", asOf: "2027-06-14" },
    });
    expect(find("too little experience", "programs.CEC.experience.detail").message).toMatchObject({
      code: "cec.experience.hours",
      params: { since: "2023-02-20", needed: 1560 },
    });
    expect(find("FSW grid below 67", "programs.FSW.grid.detail").message).toEqual({
      code: "fsw.grid.points",
      params: { total: 36, passMark: 67 },
    });
  });
});
