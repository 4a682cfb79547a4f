/**
 * The engine's sentences (eligibility checks, lapse reasons, pool membership, the history verdicts), one
 * code per sentence template. The English text the engine returns is rendered FROM these templates and
 * the message's parameters, so a translation (web/src/i18n: the `engine` section, one template per code)
 * renders the same message in another language. Adding a code here fails the web's typecheck until it
 * has a French template.
 *
 * A placeholder is `{name}` or `{name:format}`: `hours` (a number of hours, "1,560 h"), `thousands`
 * (a number grouped by thousands), `date` (an ISO day), `instant` (an ISO instant). A parameter may be a
 * nested message (rendered in the same language) or a list of them (joined with "; ").
 */
import { groupThousands, hoursText } from "../format.js";

export const ENGINE_MESSAGES = {
  // Program rules and proof of funds (FSW, FST)
  "rules.label": "Program rules in force",
  "rules.none": "no {program} rules on {date:date}",
  "funds.label": "Proof of settlement funds",
  "funds.exempt": "exempt: authorized to work in Canada with a valid job offer",
  "funds.no-table": "no funds table in force on {date:date}",
  "funds.amount":
    "CAD {funds:thousands} for a family of {familySize}; needs CAD {needed:thousands} (table of {table:date})",
  // A first official language result that cannot be used
  "language.unusable":
    "the {test} result of {date:date} cannot be used on {asOf:date} (expired, future-dated or not yet accepted)",
  "language.no-test": "no test result",
  // Federal Skilled Worker Program
  "fsw.experience.label": "1 year skilled work within {windowYears} years",
  "fsw.experience.label.one-occupation": "1 year skilled work in one occupation within {windowYears} years",
  "fsw.experience.label.continuous": "1 year continuous skilled work within {windowYears} years",
  "fsw.experience.label.continuous-one-occupation":
    "1 year continuous skilled work in one occupation within {windowYears} years",
  "fsw.experience.best": "best: {hours:hours}; needs {needed:hours}",
  "fsw.experience.best.noc": "best: {hours:hours} in NOC {noc}; needs {needed:hours}",
  "fsw.experience.best.continuous": "best: {hours:hours} continuous; needs {needed:hours}",
  "fsw.experience.best.continuous-noc": "best: {hours:hours} continuous in NOC {noc}; needs {needed:hours}",
  "fsw.experience.none": "no paid skilled (TEER 0-3) work in the last {windowYears} years",
  "fsw.language.label": "First official language CLB {required} in all four abilities",
  "fsw.language.result": "{test} of {date:date}: CLB {clb} (S/L/R/W); needs CLB {required} in all four",
  "fsw.education.label": "Canadian credential, or foreign credential with a valid ECA",
  "fsw.education.canadian": "Canadian credential",
  "fsw.education.eca-after": "ECA of {eca:date} is dated after {asOf:date}",
  "fsw.education.eca-valid": "ECA of {eca:date} valid until {until:date}",
  "fsw.education.no-eca": "no educational credential assessment",
  "fsw.grid.label": "Selection grid {passMark}/100",
  "fsw.grid.points": "{total} points; needs {passMark}",
  // Canadian Experience Class
  "cec.experience.label": "1 year of skilled work in Canada within {windowYears} years",
  "cec.experience.hours":
    "{hours:hours} of paid, authorized, skilled work in Canada (not self-employed, not while a full-time student) since {since:date}; needs {needed:hours}",
  "cec.language.label": "Language: CLB 7 for TEER 0/1 experience, CLB 5 for TEER 2/3",
  "cec.language.result":
    "{test}: lowest ability CLB {clb}; {hours:hours} of the experience is in occupations whose level this meets",
  // Federal Skilled Trades Program
  "fst.experience.label": "2 years in one skilled trade within {windowYears} years",
  "fst.experience.best": "best: {hours:hours} in NOC {noc} ({title}); needs {needed:hours}",
  "fst.experience.none":
    "no paid work in an eligible trade (NOC 2021 trade groups, TEER 2-3) in the last {windowYears} years",
  "fst.language.label": "CLB 5 speaking and listening, CLB 4 reading and writing",
  "fst.language.result": "{test} of {date:date}: CLB {clb} (S/L/R/W)",
  "fst.language.best-valid": "best valid test: CLB {clbs}",
  "fst.language.none": "no valid test result",
  "fst.offer.label":
    "Job offer of at least a year, or a Canadian certificate of qualification, in the trade of the experience",
  "fst.offer.certificate": "certificate of qualification in NOC {noc}",
  "fst.offer.job-offer": "full-time job offer in NOC {noc}",
  "fst.offer.neither":
    "neither a full-time job offer of at least a year nor a certificate of qualification in NOC {nocs}",
  "fst.offer.no-trade": "no trade with two years of experience to hold an offer or certificate in",
  // Pool membership, as a category's first check
  "pool.label": "Eligible for FSW, CEC or FST (in the pool)",
  "pool.eligible-for": "eligible for {programs}",
  "pool.outside-validity":
    "the profile is not in the pool on this date (not yet submitted, or its 12 months have passed)",
  "pool.no-program": "not eligible for any Express Entry program",
  // Categories
  "category.french.label": "French NCLC {required} in all four abilities",
  "category.french.result": "{test} of {date:date}: lowest ability NCLC {nclc}",
  "category.french.unusable": "the French test result cannot be used on this date",
  "category.french.none": "no French test",
  "category.rule.label": "Experience rule in force",
  "category.rule.none": "no category experience rule on {date:date}",
  "category.experience.label.canada":
    "{months} months in one listed occupation in Canada within {windowYears} years",
  "category.experience.label.canada-continuous":
    "{months} months continuous in one listed occupation in Canada within {windowYears} years",
  "category.experience.label.anywhere":
    "{months} months in one listed occupation in Canada or abroad within {windowYears} years",
  "category.experience.label.anywhere-continuous":
    "{months} months continuous in one listed occupation in Canada or abroad within {windowYears} years",
  "category.experience.best": "{hours:hours} in NOC {noc} ({title}) since {since:date}; needs {needed:hours}",
  "category.experience.best.continuous":
    "{hours:hours} continuous in NOC {noc} ({title}) since {since:date}; needs {needed:hours}",
  "category.experience.none.canada":
    "no paid work in Canada in a listed occupation ({count} NOC codes) since {since:date}",
  "category.experience.none.anywhere":
    "no paid work in Canada or abroad in a listed occupation ({count} NOC codes) since {since:date}",
  // Lapse reasons: why a verdict that held the day before no longer holds
  "lapse.from": "from {date:date}: {why}",
  "lapse.no-longer-met": "no longer met",
  "lapse.check": "{label} is no longer met ({label}: {detail})",
  "lapse.check.experience": "the work experience is no longer met ({label}: {detail})",
  "lapse.check.language": "the language requirement is no longer met ({label}: {detail})",
  "lapse.check.french": "the French language requirement is no longer met ({label}: {detail})",
  "lapse.check.education": "the education requirement is no longer met ({label}: {detail})",
  "lapse.check.grid": "the selection grid is no longer met ({label}: {detail})",
  "lapse.check.funds": "the proof of funds is no longer met ({label}: {detail})",
  "lapse.check.offer-or-certificate": "the job offer or certificate is no longer met ({label}: {detail})",
  "lapse.check.pool": "pool membership is no longer met ({label}: {detail})",
  "lapse.check.rules": "the rules is no longer met ({label}: {detail})",
  "lapse.pool.validity": "from {date:date}: the profile is no longer in the pool (its 12 months have passed)",
  "lapse.pool.no-language":
    "from {date:date}: the CRS can no longer score the profile: no valid first official language result ({why})",
  "lapse.pool.leaves": "from {date:date}: the profile leaves the pool ({reasons})",
  "lapse.pool.program": "{program}: {why}",
  "lapse.category.out-of-force": "this category version is in force only until {date:date}",
  "lapse.category.pool-and": "{pool}; and {why}",
  // "Would I have been invited?"
  "history.no-crs": "no CRS on the round's date (no valid first-language result)",
  "history.not-in-pool": "not in the pool on {date:date}: {why}",
  "history.no-program-met": "no program met",
  "history.not-ranked": "in the pool but not ranked",
  "history.no-nomination": "no provincial nomination",
  "history.not-eligible.FSW": "not eligible for the Federal Skilled Worker Program: {why}",
  "history.not-eligible.CEC": "not eligible for the Canadian Experience Class: {why}",
  "history.not-eligible.FST": "not eligible for the Federal Skilled Trades Program: {why}",
  "history.not-eligible.program": "not eligible for {program}: {why}",
  "history.program-not-in-force": "not in force",
  "history.not-eligible.category": "not eligible for {title}: {why}",
  "history.category-not-in-force": "category version {version} not in force on {date:date}",
  "history.unmet": "{label}: {detail}",
  "history.some-unmet": "a requirement is not met",
  "history.invited.above": "CRS {crs} above the cut-off {cutoff}",
  "history.invited.tie": "CRS {crs} equal to the cut-off, submitted before the tie-break {tieBreak:instant}",
  "history.missed.no-tie-break":
    "CRS {crs} equal to the cut-off; no tie-break was published, so not counted as invited",
  "history.missed.after-tie-break":
    "CRS {crs} equal to the cut-off, but submitted after the tie-break {tieBreak:instant}",
  "history.missed.below": "CRS {crs}, {missing} below the cut-off {cutoff}",
} as const;

/** Every code of an engine sentence. */
export type MessageCode = keyof typeof ENGINE_MESSAGES;
export const MESSAGE_CODES = Object.keys(ENGINE_MESSAGES) as MessageCode[];

/** A parameter: text or a number as is, or a nested message, or a list of them (joined with "; "). */
export type MessageParam = string | number | Message | readonly Message[];

/** A sentence of the engine: its code and parameters; any language's template renders it. */
export interface Message {
  code: MessageCode;
  params: Readonly<Record<string, MessageParam>>;
}

/** The formats a placeholder may ask for, `{name:format}`. */
export type PlaceholderFormat = "hours" | "thousands" | "date" | "instant";

/** `{name}` or `{name:format}` in a template. */
export const PLACEHOLDER = /\{(\w+)(?::(\w+))?\}/g;

export const message = (code: MessageCode, params: Record<string, MessageParam> = {}): Message => ({
  code,
  params,
});

/**
 * A message rendered with a catalogue of templates; null when the catalogue lacks a code (of the
 * message or a nested one). `format` writes a plain value (string or number) for a placeholder.
 */
export function renderWith(
  m: Message,
  templates: Readonly<Record<string, string>>,
  format: (value: string | number, as: string | undefined) => string,
): string | null {
  const pieces = compiled(templates, m.code);
  if (pieces === null) return null;
  let text = "";
  for (const piece of pieces) {
    if (typeof piece === "string") {
      text += piece;
      continue;
    }
    const value = m.params[piece.name];
    if (value === undefined) throw new Error(`message ${m.code}: no parameter ${piece.name}`);
    if (typeof value === "string" || typeof value === "number") {
      text += format(value, piece.as);
      continue;
    }
    const list = isMessageList(value) ? value : [value];
    for (let i = 0; i < list.length; i++) {
      const part = renderWith(list[i] as Message, templates, format);
      if (part === null) return null;
      text += i === 0 ? part : `; ${part}`;
    }
  }
  return text;
}

/** A template split once into its literal text and its placeholders (rendering is on the report's hot path). */
type Piece = string | { name: string; as: string | undefined };
const COMPILED = new WeakMap<object, Map<string, Piece[] | null>>();

function compiled(templates: Readonly<Record<string, string>>, code: string): Piece[] | null {
  let byCode = COMPILED.get(templates);
  if (!byCode) COMPILED.set(templates, (byCode = new Map()));
  let pieces = byCode.get(code);
  if (pieces !== undefined) return pieces;
  const template = templates[code];
  if (template === undefined) pieces = null;
  else {
    pieces = [];
    let last = 0;
    for (const match of template.matchAll(PLACEHOLDER)) {
      if (match.index > last) pieces.push(template.slice(last, match.index));
      pieces.push({ name: match[1] as string, as: match[2] });
      last = match.index + match[0].length;
    }
    if (last < template.length) pieces.push(template.slice(last));
  }
  byCode.set(code, pieces);
  return pieces;
}

function isMessageList(v: Message | readonly Message[]): v is readonly Message[] {
  return Array.isArray(v);
}

function englishValue(value: string | number, as: string | undefined): string {
  if (typeof value === "number")
    return as === "hours" ? hoursText(value) : as === "thousands" ? groupThousands(value) : String(value);
  return value;
}

/** The English text of a message: what the CLI prints and every `label`, `detail` and `why` holds. */
export function englishOf(m: Message): string {
  return renderWith(m, ENGINE_MESSAGES, englishValue) as string;
}
