/**
 * Program eligibility (minimum entry criteria) for the Federal Skilled Worker Program, the Canadian
 * Experience Class and the Federal Skilled Trades Program, each with every reason, as of a date.
 */
import { groupThousands, hoursText } from "../format.js";
import type { RuleBook } from "../../rules/rule-book.js";
import { ABILITIES, type FstRules, type FswRules } from "../../rules/schema.js";
import { completedYears, isoFromEpochDay, lastDayUnderYears } from "../../calendar/dates.js";
import { type Clb, type ConvertedLanguageResult, convertLanguageResult, minClb } from "../language.js";
import type { Derivation } from "../profile/derive.js";
import { workClassifier } from "../profile/derive.js";
import type { Profile } from "../profile/profile.js";
import {
  cappedHours,
  completeYears,
  continuousHoursByNoc,
  hoursByNoc,
  lastQualifyingDay,
  type Span,
  spans,
  windowBefore,
} from "../work.js";
import type { Check, FswGridLine, ProgramResult } from "./types.js";

const clbText = (c: Clb) => ABILITIES.map((a) => c[a]).join("/");
/** The earliest of several (date, reason) lapses; null dates never lapse. */
export function earliest(...lapses: [string | null | undefined, string][]): {
  until: string | null;
  reason?: string;
} {
  let best: [string, string] | undefined;
  for (const [until, reason] of lapses)
    if (typeof until === "string" && (!best || until < best[0])) best = [until, reason];
  return best ? { until: best[0], reason: best[1] } : { until: null };
}

/**
 * Until when a language requirement stays met: the latest expiry among the valid tests that meet it
 * (when one test expires, another official language test that also meets it can take its place).
 */
function languageLapse(
  profile: Profile,
  asOf: string,
  book: RuleBook,
  meets: (c: Clb) => boolean,
): [string | null, string] {
  const passing = profile.languageTests
    .map((t) => convertLanguageResult(t, asOf, book))
    .flatMap((o) => (o.ok && meets(o.result.clb) ? [o.result] : []))
    .sort((a, b) => b.validUntil.localeCompare(a.validUntil));
  const last = passing[0];
  return [
    last?.validUntil ?? null,
    `the ${last?.testName} language test result of ${last?.date} expires after ${last?.validUntil}`,
  ];
}

/** Groups spans for "in a single occupation" rules: one unit per NOC. */
export function byNoc(list: readonly Span[]): Span[][] {
  const groups = new Map<string, Span[]>();
  for (const s of list) groups.set(s.noc, [...(groups.get(s.noc) ?? []), s]);
  return [...groups.values()];
}

/** Splits spans into continuous stretches per NOC (no day without a job in that occupation). */
export function continuousStretches(list: readonly Span[]): Span[][] {
  const out: Span[][] = [];
  for (const group of byNoc(list)) {
    group.sort((a, b) => a.from - b.from);
    let current: Span[] = [];
    let end = Number.NEGATIVE_INFINITY;
    for (const s of group) {
      if (s.from > end + 1 && current.length > 0) {
        out.push(current);
        current = [];
      }
      current.push(s);
      end = Math.max(end, s.to);
    }
    if (current.length > 0) out.push(current);
  }
  return out;
}

/** Future-facing spans: ongoing jobs continue (the "if nothing changes" assumption). */
export const FAR_FUTURE = "2199-12-31";

function languageCheck(
  id: string,
  label: string,
  converted: ConvertedLanguageResult | null,
  raw: unknown,
  met: (clb: Clb) => boolean,
  requirement: string,
): Check {
  if (!converted)
    return {
      id,
      label,
      met: false,
      detail: raw
        ? "the test result cannot be used on this date (expired, future-dated or not yet accepted)"
        : "no test result",
    };
  return {
    id,
    label,
    met: met(converted.clb),
    detail: `${converted.testName} of ${converted.date}: CLB ${clbText(converted.clb)} (S/L/R/W); needs ${requirement}`,
  };
}

function fundsCheck(profile: Profile, asOf: string, book: RuleBook, exempt: boolean): Check {
  if (exempt)
    return {
      id: "funds",
      label: "Proof of settlement funds",
      met: true,
      detail: "exempt: authorized to work in Canada with a valid job offer",
    };
  const table = book.proofOfFundsFor(asOf);
  if (!table)
    return {
      id: "funds",
      label: "Proof of settlement funds",
      met: false,
      detail: `no funds table in force on ${asOf}`,
    };
  const size = profile.familySize;
  const last = table.byFamilySize.length;
  const needed =
    size <= last
      ? (table.byFamilySize[size - 1] as number)
      : (table.byFamilySize[last - 1] as number) + (size - last) * table.eachAdditional;
  return {
    id: "funds",
    label: "Proof of settlement funds",
    met: profile.settlementFunds >= needed,
    detail: `CAD ${groupThousands(profile.settlementFunds)} for a family of ${size}; needs CAD ${groupThousands(needed)} (table of ${table.effectiveFrom})`,
  };
}

function step<R>(
  rows: readonly R[],
  from: (r: R) => number,
  points: (r: R) => number,
  value: number,
): number {
  let p = 0;
  for (const r of rows) if (from(r) <= value) p = points(r);
  return p;
}

export function fswGrid(profile: Profile, d: Derivation, rules: FswRules, asOf: string, book: RuleBook) {
  const g = rules.grid;
  const first = d.languages.firstConverted;
  const second = d.languages.secondConverted;
  const classify = workClassifier(book);
  const firstPoints = first
    ? ABILITIES.reduce(
        (acc, a) =>
          acc +
          step(
            g.language.firstPerAbility,
            (r) => r.clbFrom,
            (r) => r.points,
            first.clb[a],
          ),
        0,
      )
    : 0;
  const secondPoints =
    second && minClb(second.clb) >= g.language.secondAllAbilitiesMinClb ? g.language.secondPoints : 0;
  const experienceHours = cappedHours(
    spans(profile.workHistory, asOf, classify.anySkilled),
    windowBefore(asOf, g.experience.windowYears),
  );
  const experienceYears = completeYears(experienceHours);
  const age = completedYears(profile.dateOfBirth, asOf);
  const offer = d.questionnaire.jobOffer !== null;
  const spouse = profile.spouse?.accompanying && !profile.spouse.canadianCitizenOrPR ? profile.spouse : null;
  const a = g.adaptability;
  const spouseLang = spouse
    ? spouse.languageTests
        .map((t) => convertLanguageResult(t, asOf, book))
        .find((o) => o.ok && minClb(o.result.clb) >= a.spouseLanguageMinClbAllAbilities)
    : undefined;
  const ownCanadianHours = cappedHours(
    spans(profile.workHistory, asOf, classify.canadian),
    windowBefore(asOf, g.experience.windowYears),
  );
  const spouseCanadianHours = spouse
    ? cappedHours(
        spans(spouse.workHistory, asOf, classify.canadian),
        windowBefore(asOf, g.experience.windowYears),
      )
    : 0;
  const adaptabilityItems: [string, number][] = [
    ["spouse language CLB 4+", spouseLang ? a.spouseLanguage : 0],
    [
      "your study in Canada",
      profile.education.canadianStudyYears >= a.ownStudyInCanadaMinYears ? a.ownStudyInCanada : 0,
    ],
    [
      "spouse's study in Canada",
      spouse && spouse.canadianStudyYears >= a.ownStudyInCanadaMinYears ? a.spouseStudyInCanada : 0,
    ],
    ["your work in Canada", ownCanadianHours >= a.ownWorkInCanadaMinHours ? a.ownWorkInCanada : 0],
    ["spouse's work in Canada", spouseCanadianHours >= a.ownWorkInCanadaMinHours ? a.spouseWorkInCanada : 0],
    ["arranged employment", offer ? a.arrangedEmployment : 0],
    [
      "relative in Canada",
      profile.relativesInCanada.sibling || profile.relativesInCanada.otherRelative ? a.relativeInCanada : 0,
    ],
  ];
  const adaptabilityRaw = adaptabilityItems.reduce((acc, [, p]) => acc + p, 0);
  const lines: FswGridLine[] = [
    {
      factor: "fsw.language",
      label: "Language",
      input: `first ${first ? clbText(first.clb) : "none"}; second ${second ? clbText(second.clb) : "none"}`,
      points: Math.min(firstPoints + secondPoints, g.language.maximum),
      maximum: g.language.maximum,
    },
    {
      factor: "fsw.education",
      label: "Education",
      input: profile.education.level,
      points: g.education.points[profile.education.level] ?? 0,
      maximum: g.education.maximum,
    },
    {
      factor: "fsw.experience",
      label: "Work experience",
      input: `${experienceYears} years (${hoursText(experienceHours)} skilled paid work in ${g.experience.windowYears} years)`,
      points: step(
        g.experience.rows,
        (r) => r.yearsFrom,
        (r) => r.points,
        experienceYears,
      ),
      maximum: g.experience.maximum,
    },
    {
      factor: "fsw.age",
      label: "Age",
      input: String(age),
      points: step(
        g.age.rows,
        (r) => r.ageFrom,
        (r) => r.points,
        age,
      ),
      maximum: g.age.maximum,
    },
    {
      factor: "fsw.arrangedEmployment",
      label: "Arranged employment",
      input: offer ? `offer in NOC ${profile.jobOffer?.noc}` : "none",
      points: offer ? g.arrangedEmployment.points : 0,
      maximum: g.arrangedEmployment.maximum,
    },
    {
      factor: "fsw.adaptability",
      label: "Adaptability",
      input:
        adaptabilityItems
          .filter(([, p]) => p > 0)
          .map(([label, p]) => `${label} ${p}`)
          .join("; ") || "none",
      points: Math.min(adaptabilityRaw, a.maximum),
      maximum: a.maximum,
    },
  ];
  return { total: lines.reduce((acc, l) => acc + l.points, 0), passMark: rules.minimum.passMark, lines };
}

export function fswEligibility(
  profile: Profile,
  d: Derivation,
  asOf: string,
  book: RuleBook,
  detail = true,
): ProgramResult {
  const rules = book.fswFor(asOf) as FswRules;
  const m = rules.minimum;
  const classify = workClassifier(book);
  const window = windowBefore(asOf, m.windowYears);
  const skilled = spans(profile.workHistory, asOf, classify.anySkilled);
  const continuous = continuousHoursByNoc(skilled, window);
  const [bestNoc, bestHours] = [...continuous.entries()].sort((x, y) => y[1] - x[1])[0] ?? [null, 0];
  const first = d.languages.firstConverted;
  const ecaValidUntil = profile.education.ecaDate
    ? lastDayUnderYears(profile.education.ecaDate, m.ecaValidityYears)
    : null;
  const educationMet =
    profile.education.obtainedIn === "canada" || (ecaValidUntil !== null && asOf <= ecaValidUntil);
  const grid = fswGrid(profile, d, rules, asOf, book);
  const offerAndAuthorized = profile.authorizedToWorkInCanada && d.questionnaire.jobOffer !== null;
  const checks: Check[] = [
    {
      id: "experience",
      label: "1 year continuous skilled work in one occupation within 10 years",
      met: bestHours >= m.experienceHours,
      detail: bestNoc
        ? `best: ${hoursText(bestHours)} continuous in NOC ${bestNoc}; needs ${hoursText(m.experienceHours)}`
        : "no paid skilled (TEER 0-3) work in the last 10 years",
    },
    languageCheck(
      "language",
      "First official language CLB 7 in all four abilities",
      first,
      d.languages.first,
      (c) => minClb(c) >= m.minClbAllAbilities,
      `CLB ${m.minClbAllAbilities} in all four`,
    ),
    {
      id: "education",
      label: "Canadian credential, or foreign credential with a valid ECA",
      met: educationMet,
      detail:
        profile.education.obtainedIn === "canada"
          ? "Canadian credential"
          : ecaValidUntil
            ? `ECA of ${profile.education.ecaDate} valid until ${ecaValidUntil}`
            : "no educational credential assessment",
    },
    {
      id: "grid",
      label: `Selection grid ${m.passMark}/100`,
      met: grid.total >= m.passMark,
      detail: `${grid.total} points; needs ${m.passMark}`,
    },
    fundsCheck(profile, asOf, book, offerAndAuthorized),
  ];
  const eligible = checks.every((c) => c.met);
  let lapse: ReturnType<typeof earliest> | undefined;
  if (eligible && detail) {
    const future = spans(profile.workHistory, FAR_FUTURE, classify.anySkilled);
    const day = lastQualifyingDay(continuousStretches(future), m.experienceHours, asOf, m.windowYears);
    lapse = earliest(
      [
        day === null ? null : isoFromEpochDay(day),
        "the continuous year of experience leaves the 10-year window after this day",
      ],
      languageLapse(profile, asOf, book, (c) => minClb(c) >= m.minClbAllAbilities),
      [ecaValidUntil, `the educational credential assessment expires after ${ecaValidUntil}`],
    );
  }
  return {
    program: "FSW",
    title: "Federal Skilled Worker Program",
    eligible,
    checks,
    rules: { id: rules.id, source: rules.source },
    eligibleUntil: lapse?.until,
    lapseReason: lapse?.reason,
    grid,
  };
}

export function cecEligibility(
  profile: Profile,
  d: Derivation,
  asOf: string,
  book: RuleBook,
  detail = true,
): ProgramResult {
  const rules = book.cecFor(asOf);
  if (!rules) throw new Error(`no CEC rules on ${asOf}`);
  const classify = workClassifier(book);
  const first = d.languages.firstConverted;
  const clb = first ? minClb(first.clb) : 0;
  const required = (noc: string) => rules.minClbByTeer[String(book.noc(noc)?.teer) as "0"] ?? 99;
  const window = windowBefore(asOf, rules.windowYears);
  const canadian = spans(profile.workHistory, asOf, classify.canadian);
  const total = cappedHours(canadian, window);
  const counted = canadian.filter((s) => clb >= required(s.noc));
  const countedHours = cappedHours(counted, window);
  const checks: Check[] = [
    {
      id: "experience",
      label: "1 year of skilled work in Canada within 3 years",
      met: total >= rules.experienceHours,
      detail: `${hoursText(total)} of paid, authorized, skilled work in Canada (not self-employed, not while a full-time student) since ${isoFromEpochDay(window.from)}; needs ${hoursText(rules.experienceHours)}`,
    },
    {
      id: "language",
      label: "Language: CLB 7 for TEER 0/1 experience, CLB 5 for TEER 2/3",
      met: first !== null && countedHours >= rules.experienceHours,
      detail: first
        ? `${first.testName}: lowest ability CLB ${clb}; ${hoursText(countedHours)} of the experience is in occupations whose level this meets`
        : d.languages.first
          ? "the test result cannot be used on this date"
          : "no test result",
    },
  ];
  const eligible = checks.every((c) => c.met);
  let lapse: ReturnType<typeof earliest> | undefined;
  if (eligible && detail) {
    const future = spans(profile.workHistory, FAR_FUTURE, classify.canadian).filter(
      (s) => clb >= required(s.noc),
    );
    const day = lastQualifyingDay([future], rules.experienceHours, asOf, rules.windowYears);
    lapse = earliest(
      [
        day === null ? null : isoFromEpochDay(day),
        "the Canadian experience no longer adds up to a year within 3 years after this day",
      ],
      languageLapse(profile, asOf, book, (c) => minClb(c) >= clb),
    );
  }
  return {
    program: "CEC",
    title: "Canadian Experience Class",
    eligible,
    checks,
    rules: { id: rules.id, source: rules.source },
    eligibleUntil: lapse?.until,
    lapseReason: lapse?.reason,
  };
}

export function isSkilledTrade(noc: string, rules: FstRules, book: RuleBook): boolean {
  const unit = book.noc(noc);
  if (!unit || !rules.trades.teers.includes(unit.teer)) return false;
  const t = rules.trades;
  if (t.unitGroups.includes(noc) || t.minorGroups.includes(unit.minorGroup)) return true;
  return t.majorGroups.includes(unit.majorGroup) && !t.excludedSubMajorGroups.includes(unit.subMajorGroup);
}

export function fstEligibility(
  profile: Profile,
  d: Derivation,
  asOf: string,
  book: RuleBook,
  detail = true,
): ProgramResult {
  const rules = book.fstFor(asOf);
  if (!rules) throw new Error(`no FST rules on ${asOf}`);
  const classify = workClassifier(book);
  const trade = (e: { noc: string }) => isSkilledTrade(e.noc, rules, book);
  const window = windowBefore(asOf, rules.windowYears);
  const tradeSpans = spans(profile.workHistory, asOf, (e) => classify.anySkilled(e) && trade(e));
  const perTrade = hoursByNoc(tradeSpans, window);
  const [bestNoc, bestHours] = [...perTrade.entries()].sort((x, y) => y[1] - x[1])[0] ?? [null, 0];
  const tests = profile.languageTests
    .map((t) => convertLanguageResult(t, asOf, book))
    .flatMap((o) => (o.ok ? [o.result] : []));
  const meets = (c: Clb) => ABILITIES.every((a) => c[a] >= rules.minClb[a]);
  const passing = tests.find((t) => meets(t.clb));
  // The offer or certificate must be in the skilled trade of the experience (IRPR s.87.2).
  const qualifyingTrades = new Set(
    [...perTrade.entries()].filter(([, h]) => h >= rules.experienceHours).map(([n]) => n),
  );
  const inQualifyingTrade = (noc: string) => qualifyingTrades.has(noc);
  const offer = profile.jobOffer;
  const offerInTrade = offer && offer.fullTime && offer.atLeastOneYear && inQualifyingTrade(offer.noc);
  const certificateInTrade =
    profile.certificateOfQualification && inQualifyingTrade(profile.certificateOfQualification.noc);
  const checks: Check[] = [
    {
      id: "experience",
      label: "2 years in one skilled trade within 5 years",
      met: bestHours >= rules.experienceHours,
      detail: bestNoc
        ? `best: ${hoursText(bestHours)} in NOC ${bestNoc} (${book.noc(bestNoc)?.titleEn}); needs ${hoursText(rules.experienceHours)}`
        : "no paid work in an eligible trade (NOC 2021 trade groups, TEER 2-3) in the last 5 years",
    },
    {
      id: "language",
      label: "CLB 5 speaking and listening, CLB 4 reading and writing",
      met: passing !== undefined,
      detail: passing
        ? `${passing.testName} of ${passing.date}: CLB ${clbText(passing.clb)} (S/L/R/W)`
        : tests.length > 0
          ? `best valid test: CLB ${tests.map((t) => clbText(t.clb)).join(", ")}`
          : "no valid test result",
    },
    {
      id: "offer-or-certificate",
      label:
        "Job offer of at least a year, or a Canadian certificate of qualification, in the trade of the experience",
      met: Boolean(offerInTrade || certificateInTrade),
      detail: certificateInTrade
        ? `certificate of qualification in NOC ${profile.certificateOfQualification?.noc}`
        : offerInTrade
          ? `full-time job offer in NOC ${offer?.noc}`
          : qualifyingTrades.size > 0
            ? `neither a full-time job offer of at least a year nor a certificate of qualification in NOC ${[...qualifyingTrades].join(", ")}`
            : "no trade with two years of experience to hold an offer or certificate in",
    },
    fundsCheck(profile, asOf, book, profile.authorizedToWorkInCanada && d.questionnaire.jobOffer !== null),
  ];
  const eligible = checks.every((c) => c.met);
  let lapse: ReturnType<typeof earliest> | undefined;
  if (eligible && detail) {
    const future = spans(profile.workHistory, FAR_FUTURE, (e) => classify.anySkilled(e) && trade(e));
    const day = lastQualifyingDay(byNoc(future), rules.experienceHours, asOf, rules.windowYears);
    lapse = earliest(
      [
        day === null ? null : isoFromEpochDay(day),
        "the two years in the trade leave the 5-year window after this day",
      ],
      languageLapse(profile, asOf, book, meets),
    );
  }
  return {
    program: "FST",
    title: "Federal Skilled Trades Program",
    eligible,
    checks,
    rules: { id: rules.id, source: rules.source },
    eligibleUntil: lapse?.until,
    lapseReason: lapse?.reason,
  };
}
