/**
 * The eligibility report for a profile on a date: CRS score, programs (FSW with its grid, CEC, FST),
 * pool membership and every category version in force, each with reasons and the last day it holds;
 * and `validUntil`, the last day on which the whole evaluation stays the same.
 */
import { type Day, dayOf, isoOf } from "../../calendar/days.js";
import type { RuleBook } from "../../rules/rule-book.js";
import { isoDateSchema } from "../../rules/schema.js";
import { type FieldError, zodIssuesToFieldErrors } from "../crs/questionnaire.js";
import { type CrsOutcome, scoreFacts, summarizeRuleSet } from "../crs/score.js";
import { DayView } from "../evaluation/day-view.js";
import {
  answersOf,
  poolVerdict,
  type DayVerdicts,
  type Followed,
  followedKey,
  walkFrom,
  verdictsOn,
} from "../evaluation/evaluate.js";
import { type Timeline, timelineOf } from "../evaluation/timeline.js";
import { convertLanguageResult, languageScaleProblems } from "../language.js";
import { crsScorable, type Derivation, derivationOn, factsContextOf } from "../profile/derive.js";
import { type Profile, profileSchema } from "../profile/profile.js";
import { categoryOn, type PoolVerdict } from "./categories.js";
import { cecOn, fstOn, fswOn, PROGRAMS, type ProgramId, type ProgramVerdict } from "./programs.js";
import { englishOf, type Message, type MessageCode, message } from "./messages.js";
import type { CategoryResult, Check, ProgramResult } from "./types.js";

export interface PoolMembership {
  /** In the pool: within the profile's 12 months, scorable, and eligible for at least one program. */
  inPool: boolean;
  programs: string[];
  /** The days the profile is in the pool by its submission time (null without submittedAt). */
  profileValidity: { from: string; until: string } | null;
  eligibleUntil?: string | null;
  lapseReason?: string;
  /** `lapseReason` as a message. */
  lapseMessage?: Message;
}

export interface EligibilityReport {
  status: "evaluated";
  asOf: string;
  profileId: string | null;
  crs: CrsOutcome;
  derivation: Derivation["notes"];
  programs: ProgramResult[];
  /** Eligible for at least one program (and within the profile's validity): the profile can be in the pool. */
  inPool: boolean;
  pool: PoolMembership;
  categories: CategoryResult[];
  /**
   * The last day on which the whole evaluation stays the same if the profile does not change: the same
   * CRS total, the same verdict for every program and category version, the same pool membership.
   * null when no change is foreseen.
   */
  validUntil: string | null;
}

export type ProfileOutcome = { status: "ok"; profile: Profile } | { status: "invalid"; errors: FieldError[] };

/**
 * Validates a profile: its shape, then facts that need the rule data (NOC codes, one test per language,
 * scores on each test's scale). `ee eligibility`, `ee crs` and the pool's imports all use this one.
 */
export function validateProfile(input: unknown, book: RuleBook): ProfileOutcome {
  const parsed = profileSchema.safeParse(input);
  if (!parsed.success) return { status: "invalid", errors: zodIssuesToFieldErrors(parsed.error.issues) };
  const p = parsed.data;
  const errors: FieldError[] = [];
  const checkNoc = (code: string, field: string) => {
    if (!book.noc(code)) errors.push({ field, message: `${code} is not a NOC 2021 unit group` });
  };
  p.workHistory.forEach((w, i) => checkNoc(w.noc, `workHistory.${i}.noc`));
  p.spouse?.workHistory.forEach((w, i) => checkNoc(w.noc, `spouse.workHistory.${i}.noc`));
  if (p.jobOffer) checkNoc(p.jobOffer.noc, "jobOffer.noc");
  if (p.certificateOfQualification)
    checkNoc(p.certificateOfQualification.noc, "certificateOfQualification.noc");
  const tests = (list: Profile["languageTests"], field: string) => {
    const languages = list.map((t) => book.languageTest(t.test).language);
    if (new Set(languages).size !== languages.length)
      errors.push({ field, message: "holds at most one English and one French test" });
    list.forEach((t, i) => {
      for (const problem of languageScaleProblems(t, book))
        errors.push({ field: `${field}.${i}.${problem.field}`, message: problem.message });
    });
  };
  tests(p.languageTests, "languageTests");
  if (
    p.firstOfficialLanguage &&
    !p.languageTests.some((t) => book.languageTest(t.test).language === p.firstOfficialLanguage)
  )
    errors.push({
      field: "firstOfficialLanguage",
      message: `is ${p.firstOfficialLanguage}, but there is no ${p.firstOfficialLanguage} test`,
    });
  if (p.spouse) tests(p.spouse.languageTests, "spouse.languageTests");
  return errors.length > 0 ? { status: "invalid", errors } : { status: "ok", profile: p };
}

/** The checks that have their own "… is no longer met" sentence (others name their label). */
const LAPSE_CHECKS = new Set([
  "experience",
  "language",
  "french",
  "education",
  "grid",
  "funds",
  "offer-or-certificate",
  "pool",
  "rules",
]);

/** Why a verdict no longer holds, without the date: its unmet checks (a list), or "no longer met". */
function lapseWhy(failing: readonly Check[]): Message | Message[] {
  if (failing.length === 0) return message("lapse.no-longer-met");
  return failing.map((c) =>
    message(LAPSE_CHECKS.has(c.id) ? (`lapse.check.${c.id}` as MessageCode) : "lapse.check", {
      label: c.labelMessage,
      detail: c.message,
    }),
  );
}

/** Why a verdict that held the day before no longer holds on `day`: its unmet checks on that day. */
function lapseMessage(failing: readonly Check[], iso: string): Message {
  return message("lapse.from", { date: iso, why: lapseWhy(failing) });
}

/** A lapse reason with its message. */
const lapse = (m: Message) => ({ lapseReason: englishOf(m), lapseMessage: m });

function crsOutcomeOn(v: DayView, d: DayVerdicts): CrsOutcome {
  const set = v.period.crs;
  if (!set)
    return {
      status: "not-scored",
      asOf: v.iso,
      ruleSet: null,
      reasons: [{ field: "asOf", message: "no CRS rule set" }],
    };
  if (!d.crs) {
    const first = v.languages().first;
    const outcome = first ? convertLanguageResult(first.input, v.iso, v.t.book) : null;
    const reasons =
      outcome && !outcome.ok
        ? outcome.problems.map((p) => ({ field: `firstLanguage.${p.field}`, message: p.message }))
        : [{ field: "firstLanguage", message: "no test result can be used on this date" }];
    return { status: "not-scored", asOf: v.iso, ruleSet: summarizeRuleSet(set), reasons };
  }
  return scoreFacts(d.crs.facts, factsContextOf(v, d.crs), d.crs.set, v.t.book);
}

const programOn = (id: ProgramId, v: DayView) => (id === "FSW" ? fswOn : id === "CEC" ? cecOn : fstOn)(v);

/** A day on which something lapsed, evaluated with text as far as the lapse reasons need. */
class LapseDay {
  private readonly view: DayView;
  /** The same day without text: what decides; the detailed view only explains. */
  private readonly fast: DayView;
  private readonly programs = new Map<ProgramId, ProgramVerdict>();
  private cachedPool: PoolVerdict | undefined;

  constructor(
    private readonly t: Timeline,
    readonly day: Day,
  ) {
    this.view = new DayView(t, day, undefined, true);
    this.fast = new DayView(t, day);
  }

  get iso(): string {
    return this.view.iso;
  }

  program(id: ProgramId): ProgramVerdict {
    let p = this.programs.get(id);
    if (!p) this.programs.set(id, (p = programOn(id, this.view)));
    return p;
  }

  private pool(): PoolVerdict {
    if (this.cachedPool) return this.cachedPool;
    const eligible = PROGRAMS.filter((id) => programOn(id, this.fast).eligible);
    const scorable = crsScorable(this.fast);
    return (this.cachedPool = poolVerdict(this.view, scorable, eligible));
  }

  /** Why the profile is out of the pool on this day, given the programs it was in the pool through. */
  poolReason(before: readonly string[]): Message {
    const iso = this.iso;
    const pool = this.pool();
    if (!pool.withinProfileValidity) return message("lapse.pool.validity", { date: iso });
    if (!this.view.languages().firstValid) {
      const first = this.view.languages().first;
      const outcome = first ? convertLanguageResult(first.input, iso, this.t.book) : null;
      // The language module's problems are English text (no codes of their own yet).
      const why =
        outcome && !outcome.ok
          ? outcome.problems.map((p) => p.message).join("; ")
          : message("language.no-test");
      return message("lapse.pool.no-language", { date: iso, why });
    }
    const reasons = before.map((id) =>
      message("lapse.pool.program", {
        program: id,
        why: lapseWhy(this.program(id as ProgramId).checks.filter((c) => !c.met)),
      }),
    );
    return message("lapse.pool.leaves", { date: iso, reasons });
  }

  category(id: string): CategoryResult | undefined {
    const entry = this.view.period.categories.find((e) => e.version.id === id);
    return entry ? categoryOn(this.view, entry, this.pool()) : undefined;
  }
}

/** The full report on a day (explanations, lapse dates and validUntil) for a validated profile. */
export function evaluateProfile(profile: Profile, asOf: string, book: RuleBook): EligibilityReport {
  const t = timelineOf(profile, book);
  return reportOn(t, dayOf(asOf));
}

export function reportOn(t: Timeline, day: Day): EligibilityReport {
  const v = new DayView(t, day, undefined, true);
  const d = verdictsOn(v);
  const followed: Followed[] = [
    ...d.programs.filter((p) => p.eligible).map((p) => ({ kind: "program" as const, program: p.program })),
    ...d.categories.filter((c) => c.eligible).map((c) => ({ kind: "category" as const, id: c.id })),
    ...(d.pool.met ? [{ kind: "pool" as const }] : []),
  ];
  // The detailed evaluation of the day read everything: its answers and reads start the walk.
  const walked = walkFrom(t, day, { answers: answersOf(d), horizon: v.horizon }, followed);
  const lapses = walked.lapses;
  const lapseViews = new Map<Day, LapseDay>();
  const at = (lapse: Day) => {
    let x = lapseViews.get(lapse);
    if (!x) lapseViews.set(lapse, (x = new LapseDay(t, lapse)));
    return x;
  };
  const lapseOf = (
    f: Followed,
  ): { eligibleUntil?: string | null; lapseReason?: string; lapseMessage?: Message } => {
    const day = lapses.get(followedKey(f));
    if (day === undefined || day === null) return { eligibleUntil: day === null ? null : undefined };
    const x = at(day);
    const until = isoOf(day - 1);
    if (f.kind === "pool") return { eligibleUntil: until, ...lapse(x.poolReason(d.pool.programs)) };
    if (f.kind === "program")
      return {
        eligibleUntil: until,
        ...lapse(
          lapseMessage(
            x.program(f.program).checks.filter((c) => !c.met),
            x.iso,
          ),
        ),
      };
    const later = x.category(f.id);
    if (!later) {
      const version = d.categories.find((c) => c.id === f.id);
      return {
        eligibleUntil: until,
        ...lapse(message("lapse.category.out-of-force", { date: version?.inForce.to ?? until })),
      };
    }
    const failing = later.checks.filter((c) => !c.met);
    // Out of the pool: say why the profile left it, then anything else the category lacks.
    if (failing.some((c) => c.id === "pool")) {
      const others = failing.filter((c) => c.id !== "pool");
      const pool = x.poolReason(d.pool.programs);
      return {
        eligibleUntil: until,
        ...lapse(
          others.length > 0 ? message("lapse.category.pool-and", { pool, why: lapseWhy(others) }) : pool,
        ),
      };
    }
    return { eligibleUntil: until, ...lapse(lapseMessage(failing, x.iso)) };
  };

  const window = t.poolDays;
  const poolLapse = d.pool.met ? lapseOf({ kind: "pool" }) : {};
  return {
    status: "evaluated",
    asOf: v.iso,
    profileId: t.profile.id ?? null,
    crs: crsOutcomeOn(v, d),
    derivation: derivationOn(v).notes,
    programs: d.programs.map((p) => ({
      ...p,
      ...(p.eligible ? lapseOf({ kind: "program", program: p.program }) : {}),
    })),
    inPool: d.pool.met,
    pool: {
      inPool: d.pool.met,
      programs: d.pool.programs,
      profileValidity: window ? { from: isoOf(window.from), until: isoOf(window.until) } : null,
      ...poolLapse,
    },
    categories: d.categories.map((c) => ({
      ...c,
      ...(c.eligible ? lapseOf({ kind: "category", id: c.id }) : {}),
    })),
    validUntil: walked.validUntil === null ? null : isoOf(walked.validUntil),
  };
}

export type EligibilityOutcome = EligibilityReport | { status: "invalid"; errors: FieldError[] };

export function eligibilityOf(
  input: unknown,
  options: { asOf?: string; book: RuleBook; today: () => string },
): EligibilityOutcome {
  if (options.asOf !== undefined) {
    const checked = isoDateSchema.safeParse(options.asOf);
    if (!checked.success)
      return { status: "invalid", errors: [{ field: "asOf", message: "must be a date written YYYY-MM-DD" }] };
  }
  const asOf = options.asOf ?? options.today();
  if (!options.book.crsRuleSetFor(asOf))
    return {
      status: "invalid",
      errors: [{ field: "asOf", message: `${asOf} is before Express Entry (2015-01-01)` }],
    };
  const validated = validateProfile(input, options.book);
  if (validated.status === "invalid") return validated;
  if (validated.profile.dateOfBirth > asOf)
    return {
      status: "invalid",
      errors: [{ field: "dateOfBirth", message: `is after the as-of date ${asOf}` }],
    };
  return evaluateProfile(validated.profile, asOf, options.book);
}
