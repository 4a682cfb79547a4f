/**
 * Program eligibility (minimum entry criteria) for the Federal Skilled Worker Program, the Canadian
 * Experience Class and the Federal Skilled Trades Program, as of a day, read through a DayView (so
 * each verdict knows when it may change). Without `detail` a verdict stops at the first unmet
 * requirement and builds no text: that is the path of a round over a whole pool.
 */
import type { RuleBook } from "../../rules/rule-book.js";
import { ABILITIES, type FstRules, type FswRules } from "../../rules/schema.js";
import { addYearsToDay, isoOf, lastDayUnder } from "../../calendar/days.js";
import type { DayView } from "../evaluation/day-view.js";
import { type Cumulative, hoursToUnits, unitsToHours } from "../work.js";
import {
  occupationUnits,
  occupationsOf,
  type TestOnFile,
  type WorkClass,
  workInOccupation,
  workOf,
  workWhere,
} from "../evaluation/timeline.js";
import { hoursText } from "../format.js";
import type { Clb } from "../language.js";
import { qualifyingJobOffer } from "../profile/derive.js";
import { type Message, message } from "./messages.js";
import { type Check, checkOf, type FswGridLine, type ProgramResult } from "./types.js";

export type ProgramId = ProgramResult["program"];
export const PROGRAMS: readonly ProgramId[] = ["FSW", "CEC", "FST"];

/** A program's verdict on a day; `checks` and `grid` lines are filled only with detail. */
export type ProgramVerdict = Omit<ProgramResult, "eligibleUntil" | "lapseReason" | "lapseMessage">;

const clbText = (c: Clb) => ABILITIES.map((a) => c[a]).join("/");
const hoursOf = (units: number) => hoursText(unitsToHours(units));

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

/** A unit of work that can meet a requirement on its own, and the occupation it is in. */
interface WorkUnit {
  noc: string;
  work: Cumulative;
}

/** The alternatives that can each meet a work requirement: per continuous stretch, per occupation, or all work. */
function workUnits(v: DayView, c: WorkClass, continuous: boolean, singleOccupation: boolean): WorkUnit[] {
  const t = v.t;
  const kind =
    (c === "canadian" ? 0 : c === "foreign" ? 4 : 8) + (continuous ? 2 : 0) + (singleOccupation ? 1 : 0);
  const cached = t.programUnits[kind];
  if (cached) return cached as WorkUnit[];
  const out: WorkUnit[] = [];
  if (!singleOccupation && !continuous) out.push({ noc: "", work: workOf(t, "principal", c) });
  else
    for (const noc of occupationsOf(t, c))
      for (const work of occupationUnits(t, c, noc, continuous)) out.push({ noc, work });
  t.programUnits[kind] = out;
  return out;
}

/** Whether any unit reaches the threshold; with detail, also the best unit (for the explanation). */
function anyUnitMet(v: DayView, units: readonly WorkUnit[], years: number, threshold: number) {
  let met = false;
  for (const u of units)
    if (v.workMet(u.work, years, threshold)) {
      met = true;
      if (!v.detail) break;
    }
  let best: { noc: string; units: number } | null = null;
  if (v.detail)
    for (const u of units) {
      const n = v.units(u.work, years);
      if (n > 0 && (best === null || n > best.units)) best = { noc: u.noc, units: n };
    }
  return { met, best };
}

function fundsNeeded(v: DayView): { needed: number; table: string } | null {
  const table = v.period.proofOfFunds;
  if (!table) return null;
  const size = v.t.profile.familySize;
  const last = table.byFamilySize.length;
  const needed =
    size <= last
      ? (table.byFamilySize[size - 1] as number)
      : (table.byFamilySize[last - 1] as number) + (size - last) * table.eachAdditional;
  return { needed, table: table.effectiveFrom };
}

function fundsCheck(v: DayView, exempt: boolean): Check {
  const label = message("funds.label");
  if (exempt) return checkOf("funds", true, label, message("funds.exempt"));
  const f = fundsNeeded(v);
  if (!f) return checkOf("funds", false, label, message("funds.no-table", { date: v.iso }));
  const p = v.t.profile;
  return checkOf(
    "funds",
    p.settlementFunds >= f.needed,
    label,
    message("funds.amount", {
      funds: p.settlementFunds,
      familySize: p.familySize,
      needed: f.needed,
      table: f.table,
    }),
  );
}

function fundsMet(v: DayView, exempt: boolean): boolean {
  if (exempt) return true;
  const f = fundsNeeded(v);
  return f !== null && v.t.profile.settlementFunds >= f.needed;
}

/** Why no first official language result can be used on the day. */
function languageUnusable(v: DayView): Message {
  const first = v.languages().first;
  return first
    ? message("language.unusable", { test: first.rules.name, date: first.input.date, asOf: v.iso })
    : message("language.no-test");
}

/** Verdicts without text, one pair per rules version: the round path decides a million of them. */
const bare = new WeakMap<object, [ProgramVerdict, ProgramVerdict]>();
function bareVerdict(
  program: ProgramId,
  title: string,
  rules: { id: string; source: ProgramVerdict["rules"]["source"] },
  eligible: boolean,
): ProgramVerdict {
  let pair = bare.get(rules);
  if (!pair) {
    const base = { program, title, rules: { id: rules.id, source: rules.source }, checks: [] };
    pair = [Object.freeze({ ...base, eligible: false }), Object.freeze({ ...base, eligible: true })];
    bare.set(rules, pair);
  }
  return pair[eligible ? 1 : 0];
}

function notInForce(program: ProgramId, title: string, v: DayView): ProgramVerdict {
  return {
    program,
    title,
    eligible: false,
    checks: v.detail
      ? [checkOf("rules", false, message("rules.label"), message("rules.none", { program, date: v.iso }))]
      : [],
    rules: { id: "none", source: { url: "https://www.canada.ca/", status: "secondary" } },
  };
}

// ---------------------------------------------------------------------------------------------------
// Federal Skilled Worker Program
// ---------------------------------------------------------------------------------------------------

export interface FswGrid {
  total: number;
  passMark: number;
  lines: FswGridLine[];
}

/** The FSW selection grid (67/100) on the day. */
export function fswGrid(v: DayView, rules: FswRules): FswGrid {
  const g = rules.grid;
  const t = v.t;
  const p = t.profile;
  const picks = v.languages();
  const first = picks.firstValid ? picks.first : null;
  const second = picks.second;
  let firstPoints = 0;
  if (first)
    for (const a of ABILITIES)
      firstPoints += step(
        g.language.firstPerAbility,
        (r) => r.clbFrom,
        (r) => r.points,
        first.clb[a],
      );
  const secondPoints =
    second && second.minClb >= g.language.secondAllAbilitiesMinClb ? g.language.secondPoints : 0;
  const experienceCap = Math.max(0, ...g.experience.rows.map((r) => r.yearsFrom));
  const experienceYears = v.workYears(
    workOf(t, "principal", "skilled"),
    g.experience.windowYears,
    experienceCap,
  );
  const age = v.age();
  const offer = qualifyingJobOffer(p, t.book) !== null;
  const a = g.adaptability;
  const spouse = p.spouse?.accompanying && !p.spouse.canadianCitizenOrPR ? p.spouse : null;
  let spouseLanguage = false;
  if (spouse)
    for (const test of t.spouse?.tests ?? [])
      if (test.minClb >= a.spouseLanguageMinClbAllAbilities && v.testValid(test)) {
        spouseLanguage = true;
        break;
      }
  const inCanadaUnits = hoursToUnits(a.ownWorkInCanadaMinHours);
  const ownWork = v.workMet(workOf(t, "principal", "canadian"), g.experience.windowYears, inCanadaUnits);
  const spouseWork = spouse
    ? v.workMet(workOf(t, "spouse", "canadian"), g.experience.windowYears, inCanadaUnits)
    : false;
  const adaptability: [string, number][] = [
    ["spouse language CLB 4+", spouseLanguage ? a.spouseLanguage : 0],
    [
      "your study in Canada",
      p.education.canadianStudyYears >= a.ownStudyInCanadaMinYears ? a.ownStudyInCanada : 0,
    ],
    [
      "spouse's study in Canada",
      spouse && spouse.canadianStudyYears >= a.ownStudyInCanadaMinYears ? a.spouseStudyInCanada : 0,
    ],
    ["your work in Canada", ownWork ? a.ownWorkInCanada : 0],
    ["spouse's work in Canada", spouseWork ? a.spouseWorkInCanada : 0],
    ["arranged employment", offer ? a.arrangedEmployment : 0],
    [
      "relative in Canada",
      p.relativesInCanada.sibling || p.relativesInCanada.otherRelative ? a.relativeInCanada : 0,
    ],
  ];
  const points = {
    language: Math.min(firstPoints + secondPoints, g.language.maximum),
    education: g.education.points[p.education.level] ?? 0,
    experience: step(
      g.experience.rows,
      (r) => r.yearsFrom,
      (r) => r.points,
      experienceYears,
    ),
    age: step(
      g.age.rows,
      (r) => r.ageFrom,
      (r) => r.points,
      age,
    ),
    arrangedEmployment: offer ? g.arrangedEmployment.points : 0,
    adaptability: Math.min(
      adaptability.reduce((acc, [, n]) => acc + n, 0),
      a.maximum,
    ),
  };
  const total =
    points.language +
    points.education +
    points.experience +
    points.age +
    points.arrangedEmployment +
    points.adaptability;
  if (!v.detail) return { total, passMark: rules.minimum.passMark, lines: [] };
  const skilledUnits = v.units(workOf(t, "principal", "skilled"), g.experience.windowYears);
  const lines: FswGridLine[] = [
    {
      factor: "fsw.language",
      label: "Language",
      input: `first ${first ? clbText(first.clb) : "none"}; second ${second ? clbText(second.clb) : "none"}`,
      points: points.language,
      maximum: g.language.maximum,
    },
    {
      factor: "fsw.education",
      label: "Education",
      input: p.education.level,
      points: points.education,
      maximum: g.education.maximum,
    },
    {
      factor: "fsw.experience",
      label: "Work experience",
      input: `${experienceYears} years (${hoursOf(skilledUnits)} skilled paid work in ${g.experience.windowYears} years)`,
      points: points.experience,
      maximum: g.experience.maximum,
    },
    { factor: "fsw.age", label: "Age", input: String(age), points: points.age, maximum: g.age.maximum },
    {
      factor: "fsw.arrangedEmployment",
      label: "Arranged employment",
      input: offer ? `offer in NOC ${p.jobOffer?.noc}` : "none",
      points: points.arrangedEmployment,
      maximum: g.arrangedEmployment.maximum,
    },
    {
      factor: "fsw.adaptability",
      label: "Adaptability",
      input:
        adaptability
          .filter(([, n]) => n > 0)
          .map(([label, n]) => `${label} ${n}`)
          .join("; ") || "none",
      points: points.adaptability,
      maximum: a.maximum,
    },
  ];
  return { total, passMark: rules.minimum.passMark, lines };
}

export function fswOn(v: DayView): ProgramVerdict {
  const title = "Federal Skilled Worker Program";
  const rules = v.period.fsw;
  if (!rules) return notInForce("FSW", title, v);
  const m = rules.minimum;
  const t = v.t;
  const p = t.profile;
  const no = bareVerdict("FSW", title, rules, false);
  const picks = v.languages();
  const first = picks.firstValid ? picks.first : null;
  const languageMet = first !== null && first.minClb >= m.minClbAllAbilities;
  if (!languageMet && !v.detail) return no;
  const educationMet = p.education.obtainedIn === "canada" || v.ecaValid(m.ecaValidityYears);
  if (!educationMet && !v.detail) return no;
  const exempt = p.authorizedToWorkInCanada && qualifyingJobOffer(p, t.book) !== null;
  const fundsOk = fundsMet(v, exempt);
  if (!fundsOk && !v.detail) return no;
  const units = workUnits(v, "skilled", m.continuous, m.singleOccupation);
  const experience = anyUnitMet(v, units, m.windowYears, hoursToUnits(m.experienceHours));
  if (!experience.met && !v.detail) return no;
  const grid = fswGrid(v, rules);
  const gridMet = grid.total >= m.passMark;
  const eligible = languageMet && educationMet && fundsOk && experience.met && gridMet;
  if (!v.detail) return bareVerdict("FSW", title, rules, eligible);
  const eca = p.education.ecaDate;
  const ecaLast = t.ecaDay === null ? null : isoOf(lastDayUnder(t.ecaDay, m.ecaValidityYears));
  const best = experience.best;
  const checks: Check[] = [
    checkOf(
      "experience",
      experience.met,
      message(
        m.continuous
          ? m.singleOccupation
            ? "fsw.experience.label.continuous-one-occupation"
            : "fsw.experience.label.continuous"
          : m.singleOccupation
            ? "fsw.experience.label.one-occupation"
            : "fsw.experience.label",
        { windowYears: m.windowYears },
      ),
      best
        ? message(
            m.continuous
              ? best.noc
                ? "fsw.experience.best.continuous-noc"
                : "fsw.experience.best.continuous"
              : best.noc
                ? "fsw.experience.best.noc"
                : "fsw.experience.best",
            { hours: unitsToHours(best.units), noc: best.noc, needed: m.experienceHours },
          )
        : message("fsw.experience.none", { windowYears: m.windowYears }),
    ),
    checkOf(
      "language",
      languageMet,
      message("fsw.language.label", { required: m.minClbAllAbilities }),
      first
        ? message("fsw.language.result", {
            test: first.rules.name,
            date: first.input.date,
            clb: clbText(first.clb),
            required: m.minClbAllAbilities,
          })
        : languageUnusable(v),
    ),
    checkOf(
      "education",
      educationMet,
      message("fsw.education.label"),
      p.education.obtainedIn === "canada"
        ? message("fsw.education.canadian")
        : eca
          ? eca > v.iso
            ? message("fsw.education.eca-after", { eca, asOf: v.iso })
            : message("fsw.education.eca-valid", { eca, until: String(ecaLast) })
          : message("fsw.education.no-eca"),
    ),
    checkOf(
      "grid",
      gridMet,
      message("fsw.grid.label", { passMark: m.passMark }),
      message("fsw.grid.points", { total: grid.total, passMark: m.passMark }),
    ),
    fundsCheck(v, exempt),
  ];
  return { ...no, eligible, checks, grid };
}

// ---------------------------------------------------------------------------------------------------
// Canadian Experience Class
// ---------------------------------------------------------------------------------------------------

export function cecOn(v: DayView): ProgramVerdict {
  const title = "Canadian Experience Class";
  const rules = v.period.cec;
  if (!rules) return notInForce("CEC", title, v);
  const t = v.t;
  const no = bareVerdict("CEC", title, rules, false);
  const picks = v.languages();
  const first = picks.firstValid ? picks.first : null;
  if (!first && !v.detail) return no;
  const threshold = hoursToUnits(rules.experienceHours);
  const canadian = workOf(t, "principal", "canadian");
  const experienceMet = v.workMet(canadian, rules.windowYears, threshold);
  if (!experienceMet && !v.detail) return no;
  const clb = first ? first.minClb : 0;
  const required = (teer: number) => rules.minClbByTeer[String(teer) as "0"] ?? 99;
  // The experience that counts is in occupations whose level the language result meets.
  const counted = workWhere(t, rules.id, clb, "canadian", (s) => clb >= required(s.teer));
  const languageMet = first !== null && v.workMet(counted, rules.windowYears, threshold);
  const eligible = experienceMet && languageMet;
  if (!v.detail) return bareVerdict("CEC", title, rules, eligible);
  const since = isoOf(addYearsToDay(v.day, -rules.windowYears) + 1);
  const checks: Check[] = [
    checkOf(
      "experience",
      experienceMet,
      message("cec.experience.label", { windowYears: rules.windowYears }),
      message("cec.experience.hours", {
        hours: unitsToHours(v.units(canadian, rules.windowYears)),
        since,
        needed: rules.experienceHours,
      }),
    ),
    checkOf(
      "language",
      languageMet,
      message("cec.language.label"),
      first
        ? message("cec.language.result", {
            test: first.rules.name,
            clb,
            hours: unitsToHours(v.units(counted, rules.windowYears)),
          })
        : languageUnusable(v),
    ),
  ];
  return { ...no, eligible, checks };
}

// ---------------------------------------------------------------------------------------------------
// Federal Skilled Trades Program
// ---------------------------------------------------------------------------------------------------

export function isSkilledTrade(noc: string, rules: FstRules, book: RuleBook): boolean {
  const unit = book.noc(noc);
  if (!unit || !rules.trades.teers.includes(unit.teer)) return false;
  const t = rules.trades;
  if (t.unitGroups.includes(noc) || t.minorGroups.includes(unit.minorGroup)) return true;
  return t.majorGroups.includes(unit.majorGroup) && !t.excludedSubMajorGroups.includes(unit.subMajorGroup);
}

export function fstOn(v: DayView): ProgramVerdict {
  const title = "Federal Skilled Trades Program";
  const rules = v.period.fst;
  if (!rules) return notInForce("FST", title, v);
  const t = v.t;
  const p = t.profile;
  const book = t.book;
  const no = bareVerdict("FST", title, rules, false);
  const meets = (c: Clb) => ABILITIES.every((a) => c[a] >= rules.minClb[a]);
  let passing: TestOnFile | null = null;
  for (const test of t.principal.tests)
    if (meets(test.clb) && v.testValid(test)) {
      passing = test;
      break;
    }
  if (!passing && !v.detail) return no;
  const offer = p.jobOffer;
  const offerNoc = offer && offer.fullTime && offer.atLeastOneYear ? offer.noc : null;
  const certificateNoc = p.certificateOfQualification?.noc ?? null;
  if (offerNoc === null && certificateNoc === null && !v.detail) return no;
  const exempt = p.authorizedToWorkInCanada && qualifyingJobOffer(p, book) !== null;
  const fundsOk = fundsMet(v, exempt);
  if (!fundsOk && !v.detail) return no;
  const threshold = hoursToUnits(rules.experienceHours);
  // The offer or certificate must be in a trade with the two years of experience (IRPR s.87.2), which
  // then also meets the experience requirement: without detail only those occupations are read.
  const tradeMet = (noc: string | null) =>
    noc !== null &&
    isSkilledTrade(noc, rules, book) &&
    v.workMet(workInOccupation(t, "skilled", noc), rules.windowYears, threshold);
  const offerInTrade = tradeMet(offerNoc);
  const certificateInTrade = tradeMet(certificateNoc);
  if (!v.detail) return bareVerdict("FST", title, rules, offerInTrade || certificateInTrade);
  const trades = occupationsOf(t, "skilled").filter((noc) => isSkilledTrade(noc, rules, book));
  const perTrade = trades.map((noc) => ({
    noc,
    units: v.units(workInOccupation(t, "skilled", noc), rules.windowYears),
    met: v.workMet(workInOccupation(t, "skilled", noc), rules.windowYears, threshold),
  }));
  const best = [...perTrade].sort((x, y) => y.units - x.units)[0];
  const experienceMet = perTrade.some((x) => x.met);
  const qualifying = perTrade.filter((x) => x.met).map((x) => x.noc);
  const validTests = t.principal.tests.filter((x) => v.testValid(x));
  const bestUnit = best ? book.noc(best.noc) : undefined;
  const checks: Check[] = [
    checkOf(
      "experience",
      experienceMet,
      message("fst.experience.label", { windowYears: rules.windowYears }),
      best
        ? message("fst.experience.best", {
            hours: unitsToHours(best.units),
            noc: best.noc,
            title: String(bestUnit?.titleEn),
            titleFr: String(bestUnit?.titleFr),
            needed: rules.experienceHours,
          })
        : message("fst.experience.none", { windowYears: rules.windowYears }),
    ),
    checkOf(
      "language",
      passing !== null,
      message("fst.language.label"),
      passing
        ? message("fst.language.result", {
            test: passing.rules.name,
            date: passing.input.date,
            clb: clbText(passing.clb),
          })
        : validTests.length > 0
          ? message("fst.language.best-valid", { clbs: validTests.map((x) => clbText(x.clb)).join(", ") })
          : message("fst.language.none"),
    ),
    checkOf(
      "offer-or-certificate",
      offerInTrade || certificateInTrade,
      message("fst.offer.label"),
      certificateInTrade
        ? message("fst.offer.certificate", { noc: String(certificateNoc) })
        : offerInTrade
          ? message("fst.offer.job-offer", { noc: String(offerNoc) })
          : qualifying.length > 0
            ? message("fst.offer.neither", { nocs: qualifying.join(", ") })
            : message("fst.offer.no-trade"),
    ),
    fundsCheck(v, exempt),
  ];
  return { ...no, eligible: passing !== null && (offerInTrade || certificateInTrade) && fundsOk, checks };
}
