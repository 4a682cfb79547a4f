import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  api,
  ApiError,
  qs,
  type Advice,
  type FieldError,
  type Improvement,
  type LanguageResultOut,
  type Loss,
  type ScoredResult,
  type ScoreLine,
  type ScoreResult,
  type Section,
} from "../api";
import { readStorage, todayOttawa, useShared, writeStorage } from "../app-state";
import { ExtLink, fieldId, SelectField, TextField, YesNo } from "../components";
import { useI18n, type I18n, type MessageKey } from "../i18n";
import {
  ABILITIES,
  CANADIAN_EDUCATION,
  EDUCATION,
  emptyForm,
  emptyLang,
  ENGLISH_TESTS,
  exampleForm,
  FRENCH_TESTS,
  JOB_OFFERS,
  MARITAL,
  spouseCounts,
  started,
  TESTS,
  toQuestionnaire,
  withPartner,
  type Form,
  type LangForm,
} from "./calculator-form";

const FORM_KEY = "ee.calculator.form";
const PROFILES_KEY = "ee.calculator.profiles";
const SCENARIOS_KEY = "ee.calculator.scenarios";
const SLOTS = ["A", "B", "C"] as const;
type Slot = (typeof SLOTS)[number];
interface Scenario {
  form: Form;
  result: ScoredResult | null;
}
const SECTION_KEYS = ["core", "spouse", "skillTransferability", "additional"] as const;

function loadJson<T>(key: string, fallback: T): T {
  const raw = readStorage(key);
  if (!raw) return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return fallback;
  }
}

/** API messages we know, in the page's language; anything else as the API wrote it. */
export function translateError(i: I18n, message: string): string {
  const m = message.trim();
  if (/^is required/.test(m)) return i.t("err.required");
  if (/must be a number/.test(m)) return i.t("err.number");
  if (/whole number/.test(m)) return i.t("err.wholeNumber");
  if (/cannot be negative/.test(m)) return i.t("err.negative");
  const most = /must be at most (\d+)/.exec(m);
  if (most) return i.t("err.atMost", { n: most[1]! });
  if (/must be one of/.test(m)) return i.t("err.oneOf");
  if (/YYYY-MM-DD|date/i.test(m) && /must|invalid|not a/i.test(m)) return i.t("err.date");
  return m;
}

function visiblePaths(f: Form): Set<string> {
  const p = new Set<string>([
    "asOf",
    "maritalStatus",
    f.ageMode === "age" ? "age" : "dateOfBirth",
    "education",
    "canadianEducation",
    "canadianWorkYears",
    "foreignWorkYears",
    "certificateOfQualification",
    "jobOffer",
    "provincialNomination",
    "siblingInCanada",
  ]);
  const langPaths = (prefix: string) =>
    ["test", "date", ...ABILITIES].forEach((a) => p.add(`${prefix}.${a}`));
  langPaths("firstLanguage");
  if (f.hasSecond) langPaths("secondLanguage");
  if (withPartner(f)) {
    p.add("spouse.canadianCitizenOrPR");
    if (f.spouseCitizenPR === false) p.add("spouse.accompanying");
    if (spouseCounts(f)) {
      p.add("spouse.education");
      p.add("spouse.canadianWorkYears");
      p.add("spouse.language");
      if (f.spouseHasLanguage) langPaths("spouse.language");
    }
  }
  return p;
}

/** Where an API error is shown: its own field, or the question that leads to it. */
function displayPath(field: string, visible: Set<string>): string | null {
  const aliases: Record<string, string> = {
    spouse: "spouse.canadianCitizenOrPR",
    firstLanguage: "firstLanguage.test",
    secondLanguage: "secondLanguage.test",
    age: visible.has("age") ? "age" : "dateOfBirth",
    dateOfBirth: visible.has("dateOfBirth") ? "dateOfBirth" : "age",
  };
  const f = aliases[field] ?? field;
  if (visible.has(f)) return f;
  if (f.startsWith("spouse.language.") && visible.has("spouse.language")) return "spouse.language";
  return null;
}

export function Calculator() {
  const i18n = useI18n();
  const { t, num, date } = i18n;
  const shared = useShared();
  const [form, setForm] = useState<Form>(() => loadJson<Form>(FORM_KEY, emptyForm(todayOttawa())));
  const [result, setResult] = useState<ScoreResult | null>(null);
  const [advice, setAdvice] = useState<Advice | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [showAll, setShowAll] = useState(false);
  const [profiles, setProfiles] = useState<Record<string, Form>>(() => loadJson(PROFILES_KEY, {}));
  const [profileName, setProfileName] = useState("");
  const [chosenProfile, setChosenProfile] = useState("");
  const [scenarios, setScenarios] = useState<Partial<Record<Slot, Scenario>>>(() =>
    loadJson(SCENARIOS_KEY, {}),
  );
  const [note, setNote] = useState("");
  const abort = useRef<AbortController | null>(null);

  const update = (patch: Partial<Form>, path?: string) => {
    setForm((f) => ({ ...f, ...patch }));
    if (path) touch(path);
  };
  const touch = (path: string) =>
    setTouched((s) => {
      if (s.has(path)) return s;
      const n = new Set(s);
      n.add(path);
      return n;
    });

  // Debounced live score and advice.
  useEffect(() => {
    writeStorage(FORM_KEY, JSON.stringify(form));
    if (!started(form)) {
      setResult(null);
      setAdvice(null);
      setErrors([]);
      shared.setScore(null);
      return;
    }
    const timer = setTimeout(() => {
      abort.current?.abort();
      const ctrl = new AbortController();
      abort.current = ctrl;
      const body = toQuestionnaire(form);
      const asOf = qs({ asOf: form.asOf || undefined });
      setLoading(true);
      api<ScoreResult>(`/api/score${asOf}`, { body, signal: ctrl.signal })
        .then((r) => {
          setResult(r);
          setErrors([]);
          setFailure(null);
          shared.setScore(r.status === "scored" ? r.total : null);
          if (r.status === "scored")
            return api<Advice>(`/api/advice${asOf}`, { body, signal: ctrl.signal })
              .then(setAdvice)
              .catch((e: unknown) => {
                if (!(e instanceof DOMException)) setAdvice(null);
              });
          setAdvice(null);
          return undefined;
        })
        .catch((e: unknown) => {
          if (e instanceof DOMException && e.name === "AbortError") return;
          setResult(null);
          setAdvice(null);
          shared.setScore(null);
          if (e instanceof ApiError && e.errors.length) {
            setErrors(e.errors);
            setFailure(null);
          } else {
            setErrors([]);
            setFailure(e instanceof Error ? e.message : String(e));
          }
        })
        .finally(() => {
          if (abort.current === ctrl) setLoading(false);
        });
    }, 300);
    return () => clearTimeout(timer);
  }, [form]);

  const visible = useMemo(() => visiblePaths(form), [form]);
  const errorAt = useMemo(() => {
    const m = new Map<string, string>();
    const unbound: FieldError[] = [];
    for (const e of errors) {
      const p = displayPath(e.field, visible);
      if (p === null) unbound.push(e);
      else if (!m.has(p)) m.set(p, translateError(i18n, e.message));
    }
    return { m, unbound };
  }, [errors, visible, i18n]);
  const err = (path: string): string | undefined =>
    showAll || touched.has(path) ? errorAt.m.get(path) : undefined;
  const shownErrors = [...errorAt.m.keys()].filter((p) => showAll || touched.has(p));

  const scored = result?.status === "scored" ? result : null;
  const lr = scored?.languageResults;

  const opts = <T extends string>(values: readonly T[], prefix: string) =>
    values.map((v) => [v, i18n.tx(`${prefix}.${v}`, v)] as const);
  const firstIsFrench = FRENCH_TESTS.includes(form.first.test);
  const secondTests = TESTS.filter((x) => (firstIsFrench ? ENGLISH_TESTS : FRENCH_TESTS).includes(x));

  const saveProfile = () => {
    const name = profileName.trim();
    if (!name) return;
    const next = { ...profiles, [name]: form };
    setProfiles(next);
    writeStorage(PROFILES_KEY, JSON.stringify(next));
    setChosenProfile(name);
    setNote(t("calc.profileSaved", { name }));
  };
  const loadProfile = () => {
    const p = profiles[chosenProfile];
    if (p) {
      setForm(p);
      setNote(t("calc.profileLoaded", { name: chosenProfile }));
    }
  };
  const deleteProfile = () => {
    if (!(chosenProfile in profiles)) return;
    const next = { ...profiles };
    delete next[chosenProfile];
    setProfiles(next);
    writeStorage(PROFILES_KEY, JSON.stringify(next));
    setNote(t("calc.profileDeleted", { name: chosenProfile }));
    setChosenProfile("");
  };
  const saveScenario = (slot: Slot) => {
    const next = { ...scenarios, [slot]: { form, result: scored } };
    setScenarios(next);
    writeStorage(SCENARIOS_KEY, JSON.stringify(next));
    setNote(t("calc.scenarioSaved", { slot }));
  };
  const clearScenario = (slot: Slot) => {
    const next = { ...scenarios };
    delete next[slot];
    setScenarios(next);
    writeStorage(SCENARIOS_KEY, JSON.stringify(next));
  };

  const langBlock = (
    prefix: string,
    value: LangForm,
    set: (l: LangForm) => void,
    tests: readonly string[],
    out: LanguageResultOut | null | undefined,
  ) => {
    const french = FRENCH_TESTS.includes(value.test);
    return (
      <div class="lang-block">
        <div class="row">
          <SelectField
            path={`${prefix}.test`}
            label={t("calc.test")}
            value={value.test}
            placeholder={t("common.choose")}
            options={tests.map((x) => [x, i18n.tx(`test.${x}`, x)] as const)}
            onChange={(v) => (set({ ...value, test: v }), touch(`${prefix}.test`))}
            error={err(`${prefix}.test`)}
          />
          <TextField
            path={`${prefix}.date`}
            type="date"
            label={t("calc.testDate")}
            value={value.date}
            onInput={(v) => set({ ...value, date: v })}
            onBlur={() => touch(`${prefix}.date`)}
            error={err(`${prefix}.date`)}
          />
        </div>
        <div class="row abilities">
          {ABILITIES.map((a) => {
            const level = out?.clb[a];
            return (
              <TextField
                key={a}
                path={`${prefix}.${a}`}
                label={t(`ability.${a}` as MessageKey)}
                inputMode="decimal"
                value={value[a]}
                onInput={(v) => set({ ...value, [a]: v })}
                onBlur={() => touch(`${prefix}.${a}`)}
                error={err(`${prefix}.${a}`)}
                extra={
                  level !== undefined ? (
                    <output class="clb" for={fieldId(`${prefix}.${a}`)} data-testid={`clb-${prefix}.${a}`}>
                      {t(french || out?.language === "french" ? "calc.nclc" : "calc.clb", { n: level })}
                    </output>
                  ) : undefined
                }
              />
            );
          })}
        </div>
        {out && <p class="hint">{t("calc.validUntil", { date: date(out.validUntil) })}</p>}
      </div>
    );
  };

  const sectionTitle = (id: string) => i18n.tx(`section.${id}`, id);

  return (
    <div class="calculator">
      <h1>{t("calc.title")}</h1>
      <p class="lead">{t("calc.lead")}</p>
      <div class="toolbar no-print">
        <button type="button" onClick={() => setForm(exampleForm())}>
          {t("calc.loadExample")}
        </button>
        <button
          type="button"
          onClick={() => (setForm(emptyForm(todayOttawa())), setTouched(new Set()), setShowAll(false))}
        >
          {t("calc.reset")}
        </button>
        <button type="button" onClick={() => print()}>
          {t("calc.print")}
        </button>
      </div>
      <div class="calc-layout">
        <form
          class="calc-form no-print"
          aria-labelledby="calc-form-title"
          noValidate
          onSubmit={(e) => (e.preventDefault(), setShowAll(true))}
        >
          <h2 id="calc-form-title" class="visually-hidden">
            {t("calc.formTitle")}
          </h2>
          <fieldset>
            <legend>{t("calc.step.situation")}</legend>
            <SelectField
              path="maritalStatus"
              label={t("calc.maritalStatus")}
              value={form.maritalStatus}
              placeholder={t("common.choose")}
              options={opts(MARITAL, "marital")}
              onChange={(v) => update({ maritalStatus: v }, "maritalStatus")}
              error={err("maritalStatus")}
            />
            {withPartner(form) && (
              <YesNo
                path="spouse.canadianCitizenOrPR"
                label={t("calc.spouseCitizen")}
                value={form.spouseCitizenPR}
                onChange={(v) => update({ spouseCitizenPR: v }, "spouse.canadianCitizenOrPR")}
                error={err("spouse.canadianCitizenOrPR")}
              />
            )}
            {withPartner(form) && form.spouseCitizenPR === false && (
              <YesNo
                path="spouse.accompanying"
                label={t("calc.spouseAccompanying")}
                value={form.spouseAccompanying}
                onChange={(v) => update({ spouseAccompanying: v }, "spouse.accompanying")}
                error={err("spouse.accompanying")}
              />
            )}
            <fieldset class="inline">
              <legend>{t("calc.ageMode")}</legend>
              <label class="choice">
                <input
                  type="radio"
                  name="ageMode"
                  checked={form.ageMode === "age"}
                  onChange={() => update({ ageMode: "age" })}
                />
                {t("calc.ageMode.age")}
              </label>
              <label class="choice">
                <input
                  type="radio"
                  name="ageMode"
                  checked={form.ageMode === "dob"}
                  onChange={() => update({ ageMode: "dob" })}
                />
                {t("calc.ageMode.dob")}
              </label>
            </fieldset>
            {form.ageMode === "age" ? (
              <TextField
                path="age"
                label={t("calc.age")}
                inputMode="numeric"
                value={form.age}
                onInput={(v) => update({ age: v })}
                onBlur={() => touch("age")}
                error={err("age")}
              />
            ) : (
              <TextField
                path="dateOfBirth"
                type="date"
                label={t("calc.dateOfBirth")}
                value={form.dateOfBirth}
                onInput={(v) => update({ dateOfBirth: v })}
                onBlur={() => touch("dateOfBirth")}
                error={err("dateOfBirth")}
              />
            )}
          </fieldset>

          <fieldset>
            <legend>{t("calc.step.education")}</legend>
            <SelectField
              path="education"
              label={t("calc.education")}
              value={form.education}
              placeholder={t("common.choose")}
              options={opts(EDUCATION, "education")}
              onChange={(v) => update({ education: v }, "education")}
              error={err("education")}
            />
            <SelectField
              path="canadianEducation"
              label={t("calc.canadianEducation")}
              value={form.canadianEducation}
              options={[["", t("canadianEducation.none")], ...opts(CANADIAN_EDUCATION, "canadianEducation")]}
              onChange={(v) => update({ canadianEducation: v }, "canadianEducation")}
              error={err("canadianEducation")}
            />
          </fieldset>

          <fieldset>
            <legend>{t("calc.step.firstLanguage")}</legend>
            {langBlock("firstLanguage", form.first, (l) => update({ first: l }), TESTS, lr?.first)}
          </fieldset>

          <fieldset>
            <legend>{t("calc.step.secondLanguage")}</legend>
            <YesNo
              path="hasSecond"
              label={t("calc.hasSecond")}
              value={form.hasSecond}
              onChange={(v) => update({ hasSecond: v, second: v ? form.second : emptyLang() })}
            />
            {form.hasSecond &&
              langBlock("secondLanguage", form.second, (l) => update({ second: l }), secondTests, lr?.second)}
          </fieldset>

          <fieldset>
            <legend>{t("calc.step.work")}</legend>
            <div class="row">
              <TextField
                path="canadianWorkYears"
                label={t("calc.canadianWorkYears")}
                inputMode="numeric"
                value={form.canadianWorkYears}
                onInput={(v) => update({ canadianWorkYears: v })}
                onBlur={() => touch("canadianWorkYears")}
                error={err("canadianWorkYears")}
              />
              <TextField
                path="foreignWorkYears"
                label={t("calc.foreignWorkYears")}
                inputMode="numeric"
                value={form.foreignWorkYears}
                onInput={(v) => update({ foreignWorkYears: v })}
                onBlur={() => touch("foreignWorkYears")}
                error={err("foreignWorkYears")}
              />
            </div>
          </fieldset>

          <fieldset>
            <legend>{t("calc.step.additional")}</legend>
            <YesNo
              path="certificateOfQualification"
              label={t("calc.certificate")}
              value={form.certificateOfQualification}
              onChange={(v) => update({ certificateOfQualification: v }, "certificateOfQualification")}
              error={err("certificateOfQualification")}
            />
            <SelectField
              path="jobOffer"
              label={t("calc.jobOffer")}
              hint={t("calc.jobOffer.hint")}
              value={form.jobOffer}
              options={[["", t("jobOffer.none")], ...opts(JOB_OFFERS, "jobOffer")]}
              onChange={(v) => update({ jobOffer: v }, "jobOffer")}
              error={err("jobOffer")}
            />
            <YesNo
              path="provincialNomination"
              label={t("calc.nomination")}
              value={form.provincialNomination}
              onChange={(v) => update({ provincialNomination: v }, "provincialNomination")}
              error={err("provincialNomination")}
            />
            <YesNo
              path="siblingInCanada"
              label={t("calc.sibling")}
              value={form.siblingInCanada}
              onChange={(v) => update({ siblingInCanada: v }, "siblingInCanada")}
              error={err("siblingInCanada")}
            />
          </fieldset>

          {spouseCounts(form) && (
            <fieldset>
              <legend>{t("calc.step.spouse")}</legend>
              <SelectField
                path="spouse.education"
                label={t("calc.spouseEducation")}
                value={form.spouseEducation}
                placeholder={t("common.choose")}
                options={opts(EDUCATION, "education")}
                onChange={(v) => update({ spouseEducation: v }, "spouse.education")}
                error={err("spouse.education")}
              />
              <TextField
                path="spouse.canadianWorkYears"
                label={t("calc.spouseCanadianWork")}
                inputMode="numeric"
                value={form.spouseCanadianWorkYears}
                onInput={(v) => update({ spouseCanadianWorkYears: v })}
                onBlur={() => touch("spouse.canadianWorkYears")}
                error={err("spouse.canadianWorkYears")}
              />
              <YesNo
                path="spouse.language"
                label={t("calc.spouseHasLanguage")}
                value={form.spouseHasLanguage}
                onChange={(v) => update({ spouseHasLanguage: v }, "spouse.language")}
                error={err("spouse.language")}
              />
              {form.spouseHasLanguage &&
                langBlock(
                  "spouse.language",
                  form.spouseLanguage,
                  (l) => update({ spouseLanguage: l }),
                  TESTS,
                  lr?.spouse,
                )}
            </fieldset>
          )}

          <fieldset>
            <legend>{t("calc.step.asOf")}</legend>
            <TextField
              path="asOf"
              type="date"
              label={t("calc.asOf")}
              hint={t("calc.asOf.hint")}
              value={form.asOf}
              onInput={(v) => update({ asOf: v })}
              onBlur={() => touch("asOf")}
              error={err("asOf")}
            />
          </fieldset>
          <button type="submit" class="primary">
            {t("calc.checkAnswers")}
          </button>
        </form>

        <aside class="score-panel" aria-labelledby="score-panel-title">
          <h2 id="score-panel-title">{t("calc.yourScore")}</h2>
          <div class="score-total" aria-live="polite" aria-atomic="true">
            {scored ? (
              <p>
                <span class="total" data-testid="score-total">
                  {num(scored.total)}
                </span>{" "}
                <span class="of">/ {num(scored.maximum)}</span>
              </p>
            ) : result?.status === "not-scored" ? (
              <p>{t("calc.notScored")}</p>
            ) : (
              <p class="muted">{started(form) ? t("calc.incomplete") : t("calc.start")}</p>
            )}
          </div>
          <p class="visually-hidden" aria-live="polite">
            {loading ? t("common.loading") : ""}
          </p>
          {scored && (
            <>
              <ul class="subtotals">
                {SECTION_KEYS.map((k) => (
                  <li key={k}>
                    <span>{sectionTitle(k)}</span>{" "}
                    <span class="num">
                      {num(scored[k].subtotal)} / {num(scored[k].maximum)}
                    </span>
                  </li>
                ))}
              </ul>
              <p class="hint">{t("calc.ruleSet", { id: scored.ruleSet.id, date: date(scored.asOf) })}</p>
              <a
                class="no-print"
                href="#breakdown"
                onClick={(e) => (e.preventDefault(), scrollToId("breakdown"))}
              >
                {t("calc.seeBreakdown")}
              </a>
            </>
          )}
          <div role="status" aria-live="polite" class="error-summary">
            {shownErrors.length > 0 && <p>{t("calc.errorsCount", { n: shownErrors.length })}</p>}
          </div>
          {result?.status === "not-scored" && (
            <ul class="reasons" role="alert">
              {result.reasons.map((r) => (
                <li key={r.field + r.message}>
                  <code>{r.field}</code>: {r.message}
                </li>
              ))}
            </ul>
          )}
          {(showAll ? errorAt.unbound : []).map((e) => (
            <p key={e.field} class="field-error" role="alert">
              <code>{e.field || "—"}</code>: {translateError(i18n, e.message)}
            </p>
          ))}
          {failure && (
            <p class="error-banner" role="alert">
              {t("common.failed", { message: failure })}
            </p>
          )}
        </aside>
      </div>

      <div class="mobile-bar no-print" aria-hidden="true">
        <span>{t("calc.yourScore")}</span>
        <strong>{scored ? num(scored.total) : "—"}</strong>
      </div>

      {scored && <Breakdown result={scored} />}
      {scored && advice && <AdviceView advice={advice} />}

      <section class="scenarios no-print" aria-labelledby="scenarios-title">
        <h2 id="scenarios-title">{t("calc.scenarios")}</h2>
        <p class="hint">{t("calc.scenarios.hint")}</p>
        <div class="toolbar">
          {SLOTS.map((s) => (
            <button key={s} type="button" onClick={() => saveScenario(s)} disabled={!scored}>
              {t("calc.saveAs", { slot: s })}
            </button>
          ))}
        </div>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t("calc.scenarios")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("calc.section")}</th>
                {SLOTS.map((s) => (
                  <th key={s} scope="col">
                    {t("calc.scenario", { slot: s })}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">{t("calc.total")}</th>
                {SLOTS.map((s) => (
                  <td key={s} class="num">
                    {scenarios[s]?.result ? num(scenarios[s]!.result!.total) : "—"}
                  </td>
                ))}
              </tr>
              {SECTION_KEYS.map((k) => (
                <tr key={k}>
                  <th scope="row">{sectionTitle(k)}</th>
                  {SLOTS.map((s) => (
                    <td key={s} class="num">
                      {scenarios[s]?.result ? num(scenarios[s]!.result![k].subtotal) : "—"}
                    </td>
                  ))}
                </tr>
              ))}
              <tr>
                <th scope="row">{t("calc.actions")}</th>
                {SLOTS.map((s) => (
                  <td key={s}>
                    {scenarios[s] && (
                      <span class="cell-actions">
                        <button type="button" onClick={() => setForm(scenarios[s]!.form)}>
                          {t("calc.loadScenario", { slot: s })}
                        </button>
                        <button type="button" onClick={() => clearScenario(s)}>
                          {t("calc.clearScenario", { slot: s })}
                        </button>
                      </span>
                    )}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
      </section>

      <section class="profiles no-print" aria-labelledby="profiles-title">
        <h2 id="profiles-title">{t("calc.profiles")}</h2>
        <div class="row">
          <TextField
            path="profileName"
            label={t("calc.profileName")}
            value={profileName}
            onInput={setProfileName}
          />
          <div class="field actions">
            <button type="button" onClick={saveProfile} disabled={!profileName.trim()}>
              {t("calc.saveProfile")}
            </button>
          </div>
        </div>
        {Object.keys(profiles).length > 0 && (
          <div class="row">
            <SelectField
              path="savedProfile"
              label={t("calc.savedProfiles")}
              value={chosenProfile}
              placeholder={t("common.choose")}
              options={Object.keys(profiles).map((n) => [n, n] as const)}
              onChange={setChosenProfile}
            />
            <div class="field actions">
              <button type="button" onClick={loadProfile} disabled={!chosenProfile}>
                {t("calc.loadProfile")}
              </button>
              <button type="button" onClick={deleteProfile} disabled={!chosenProfile}>
                {t("calc.deleteProfile")}
              </button>
            </div>
          </div>
        )}
        <p role="status" class="hint">
          {note}
        </p>
      </section>
    </div>
  );
}

function scrollToId(id: string) {
  const el = document.getElementById(id);
  el?.scrollIntoView({ behavior: "smooth" });
  el?.focus({ preventScroll: true });
}

function Breakdown({ result }: { result: ScoredResult }) {
  const i18n = useI18n();
  const { t, num } = i18n;
  const row = (line: ScoreLine, depth: number): preact.JSX.Element[] => [
    <tr key={line.factor} class={depth ? "sub" : ""} data-factor={line.factor}>
      <th scope="row" style={depth ? { paddingInlineStart: `${0.5 + depth * 1.25}rem` } : undefined}>
        {factorLabel(i18n, line)}
      </th>
      <td>{inputText(i18n, line.input)}</td>
      <td class="num">{num(line.points)}</td>
      <td class="num">{num(line.maximum)}</td>
      <td>
        {line.rule ? (
          <ExtLink href={line.rule.source.url}>
            {line.rule.table}@{line.rule.setBy}
          </ExtLink>
        ) : (
          ""
        )}
      </td>
    </tr>,
    ...(line.lines ?? []).flatMap((l) => row(l, depth + 1)),
  ];
  const section = (s: Section) => (
    <section key={s.id} class="breakdown-section" aria-labelledby={`sec-${s.id}`}>
      <h3 id={`sec-${s.id}`}>
        {i18n.tx(`section.${s.id}`, s.title)}{" "}
        <span class="num">
          {num(s.subtotal)} / {num(s.maximum)}
        </span>
      </h3>
      {s.id === "spouse" && result.scoredAs === "single" && <p class="hint">{t("calc.scoredAsSingle")}</p>}
      {s.lines.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{i18n.tx(`section.${s.id}`, s.title)}</caption>
            <thead>
              <tr>
                <th scope="col">{t("calc.factor")}</th>
                <th scope="col">{t("calc.input")}</th>
                <th scope="col">{t("calc.points")}</th>
                <th scope="col">{t("calc.maximum")}</th>
                <th scope="col">{t("calc.rule")}</th>
              </tr>
            </thead>
            <tbody>{s.lines.flatMap((l) => row(l, 0))}</tbody>
          </table>
        </div>
      )}
    </section>
  );
  return (
    <section id="breakdown" class="breakdown" tabIndex={-1} aria-labelledby="breakdown-title">
      <h2 id="breakdown-title">
        {t("calc.breakdown")} —{" "}
        <span data-testid="breakdown-total">
          {t("calc.totalOf", { total: num(result.total), max: num(result.maximum) })}
        </span>
      </h2>
      <p>
        {t("calc.ruleSetLong", { id: result.ruleSet.id, from: i18n.date(result.ruleSet.effectiveFrom) })}{" "}
        <ExtLink href={result.ruleSet.source.url}>{t("calc.source")}</ExtLink>
      </p>
      {section(result.core)}
      {section(result.spouse)}
      {section(result.skillTransferability)}
      {section(result.additional)}
      {(result.notices ?? []).map((n) => (
        <p key={n.id} class="notice">
          <strong>{t("calc.notice")}</strong> {i18n.lang === "fr" && n.text_fr ? n.text_fr : n.text}
        </p>
      ))}
    </section>
  );
}

/** The engine writes a line's input in English; in French, translate the words it uses. */
export function inputText(i18n: I18n, input: string | undefined): string {
  if (input === undefined || input === null) return "";
  if (i18n.lang === "en") return input;
  const exact = i18n.tx(`education.${input}`, "");
  if (exact) return exact;
  const words: Record<string, string> = {
    none: "aucun",
    no: "non",
    yes: "oui",
    "no certificate": "aucun certificat",
    single: "personne seule",
  };
  if (input in words) return words[input]!;
  return input
    .replace(/\bCLB\b/g, "NCLC")
    .replace(/\b1 year\b/g, "1 an")
    .replace(/\b(\d+) years\b/g, "$1 ans")
    .replace(/\babroad\b/g, "à l’étranger")
    .replace(/\bin Canada\b/g, "au Canada")
    .replace(/capped at (\d+) \(uncapped (\d+)\)/, "plafonné à $1 (sans plafond : $2)")
    .replace("(S/L/R/W)", "(EO/CO/CE/EE)")
    .replace(/born (\S+), as of (\S+)/, "né le $1, au $2");
}

function factorLabel(i18n: I18n, line: ScoreLine): string {
  const leaf = line.factor.split(".").pop() ?? "";
  if (["speaking", "listening", "reading", "writing"].includes(leaf) && line.factor.split(".").length > 2)
    return i18n.t(`ability.${leaf}` as MessageKey);
  return i18n.tx(`factor.${line.factor}`, line.label);
}

export function improvementText(i18n: I18n, imp: Improvement): string {
  const d = (imp.detail ?? {}) as Record<string, string | number>;
  const { t, tx } = i18n;
  switch (imp.action) {
    case "language-next-clb":
      return t("advice.language-next-clb", {
        which: tx(`advice.which.${String(d.which)}`, String(d.which ?? "")),
        test: tx(`test.${String(d.test)}`, String(d.test ?? "")),
        ability: tx(`ability.${String(d.ability)}`, String(d.ability ?? "")),
        from: d.fromClb ?? "?",
        to: d.toClb ?? "?",
      });
    case "canadian-work-year":
    case "foreign-work-year":
      return t(`advice.${imp.action}`, { from: d.fromYears ?? "?", to: d.toYears ?? "?" });
    case "canadian-credential":
      return t("advice.canadian-credential", {
        credential: tx(`canadianEducation.${String(d.credential)}`, String(d.credential ?? "")),
      });
    case "spouse-as-principal":
      return t("advice.spouse-as-principal", { total: i18n.num(Number(d.total ?? imp.total)) });
    default:
      return tx(`advice.${imp.action}`, imp.action);
  }
}

export function lossText(i18n: I18n, loss: Loss): string {
  return i18n.tx(`loss.${loss.cause}`, loss.cause);
}

function AdviceView({ advice }: { advice: Advice }) {
  const i18n = useI18n();
  const { t, num, date } = i18n;
  const improvements = [...advice.improvements].sort((a, b) => b.gain - a.gain);
  const losses = [...advice.losses].sort((a, b) => a.on.localeCompare(b.on));
  return (
    <div class="advice">
      <section aria-labelledby="improve-title">
        <h2 id="improve-title">{t("advice.title")}</h2>
        {improvements.length === 0 ? (
          <p>{t("advice.none")}</p>
        ) : (
          <ol class="improvements">
            {improvements.map((imp, k) => (
              <li key={k}>
                <span>{improvementText(i18n, imp)}</span>{" "}
                <strong class="gain">
                  {t("advice.gain", { gain: num(imp.gain), total: num(imp.total) })}
                </strong>
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="loss-title">
        <h2 id="loss-title">{t("loss.title")}</h2>
        {losses.length === 0 ? (
          <p>{t("loss.none")}</p>
        ) : (
          <ul class="losses">
            {losses.map((l, k) => (
              <li key={k}>
                <time dateTime={l.on}>{date(l.on)}</time> — {lossText(i18n, l)}{" "}
                <strong class="loss">{t("loss.amount", { loss: num(l.loss), total: num(l.total) })}</strong>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
