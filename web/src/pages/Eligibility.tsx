import { useState } from "preact/hooks";
import { api, ApiError, qs, type Check, type EligibilityResult, type FieldError } from "../api";
import { todayOttawa, useShared } from "../app-state";
import { ExtLink, Status, TextField } from "../components";
import { useI18n } from "../i18n";
import { translateError } from "./Calculator";
import exampleProfile from "../../../examples/physician-profile.json";

export const EXAMPLE_PROFILE_TEXT = JSON.stringify(exampleProfile, null, 2);

export function Eligibility() {
  const i18n = useI18n();
  const { t, num, date } = i18n;
  const shared = useShared();
  const [asOf, setAsOf] = useState(todayOttawa());
  const [result, setResult] = useState<EligibilityResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldError[]>([]);
  const [loading, setLoading] = useState(false);

  const run = async () => {
    setError(null);
    setFieldErrors([]);
    let profile: unknown;
    try {
      profile = JSON.parse(shared.profileText);
    } catch {
      setError(t("elig.badJson"));
      return;
    }
    setLoading(true);
    try {
      setResult(await api<EligibilityResult>(`/api/eligibility${qs({ asOf })}`, { body: profile }));
    } catch (e) {
      setResult(null);
      if (e instanceof ApiError) {
        setError(e.message);
        setFieldErrors(e.errors);
      } else setError(String(e));
    } finally {
      setLoading(false);
    }
  };

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    shared.setProfileText(await file.text());
  };

  const checks = (list: Check[], group: string) => (
    <ul class="checks">
      {list.map((c) => (
        <li key={c.id} class={c.met ? "met" : "unmet"} data-check={`${group}.${c.id}`}>
          <span class="badge">{c.met ? t("elig.met") : t("elig.unmet")}</span>{" "}
          <strong>{i18n.msg(c.labelMessage, c.label)}</strong>
          {c.detail && <span class="detail"> — {i18n.msg(c.message, c.detail)}</span>}
        </li>
      ))}
    </ul>
  );

  return (
    <div class="eligibility">
      <h1>{t("elig.title")}</h1>
      <p class="lead">{t("elig.lead")}</p>
      <form
        class="no-print"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div class="field">
          <label for="profile-json">{t("elig.profile")}</label>
          <textarea
            id="profile-json"
            rows={12}
            spellcheck={false}
            value={shared.profileText}
            aria-describedby="profile-json-hint"
            onInput={(e) => shared.setProfileText((e.currentTarget as HTMLTextAreaElement).value)}
          />
          <span id="profile-json-hint" class="hint">
            {t("elig.profileHint")}
          </span>
        </div>
        <div class="row">
          <div class="field">
            <label for="profile-file">{t("elig.upload")}</label>
            <input
              id="profile-file"
              type="file"
              accept="application/json,.json"
              onChange={(e) => void onFile((e.currentTarget as HTMLInputElement).files?.[0])}
            />
          </div>
          <TextField path="elig.asOf" type="date" label={t("calc.asOf")} value={asOf} onInput={setAsOf} />
        </div>
        <div class="toolbar">
          <button
            type="button"
            onClick={() => (shared.setProfileText(EXAMPLE_PROFILE_TEXT), setAsOf("2026-02-19"))}
          >
            {t("elig.loadExample")}
          </button>
          <button type="submit" class="primary" disabled={!shared.profileText.trim()}>
            {t("elig.evaluate")}
          </button>
        </div>
      </form>
      <Status loading={loading} error={error} />
      {fieldErrors.length > 0 && (
        <ul class="reasons" role="alert">
          {fieldErrors.map((f) => (
            <li key={f.field + f.message}>
              <code>{f.field}</code>: {translateError(i18n, f.message)}
            </li>
          ))}
        </ul>
      )}
      {result && (
        <div class="elig-result">
          <p class="summary">
            {t("elig.asOf", { date: date(result.asOf) })}
            {result.crs?.status === "scored" && <> · {t("elig.crs", { total: num(result.crs.total) })}</>}
            {result.validUntil && (
              <>
                {" "}
                ·{" "}
                <strong data-testid="valid-until">
                  {t("elig.validUntil", { date: date(result.validUntil) })}
                </strong>
              </>
            )}
          </p>
          <p>{result.inPool ? t("elig.inPool") : t("elig.notInPool")}</p>
          {result.pool?.lapseReason && (
            <p class="hint">{i18n.msg(result.pool.lapseMessage, result.pool.lapseReason)}</p>
          )}
          <section aria-labelledby="programs-title">
            <h2 id="programs-title">{t("elig.programs")}</h2>
            {result.programs.map((p) => (
              <article
                key={p.program}
                class={`card ${p.eligible ? "ok" : "no"}`}
                aria-labelledby={`prog-${p.program}`}
              >
                <h3 id={`prog-${p.program}`}>
                  {i18n.tx(`program.${p.program}`, p.title)}{" "}
                  <span class="badge">{p.eligible ? t("elig.eligible") : t("elig.notEligible")}</span>
                </h3>
                {p.eligible && p.eligibleUntil && (
                  <p>{t("elig.eligibleUntil", { date: date(p.eligibleUntil) })}</p>
                )}
                {checks(p.checks, p.program)}
                {p.grid && (
                  <div class="table-wrap">
                    <table>
                      <caption>
                        {t("elig.grid", { total: num(p.grid.total), pass: num(p.grid.passMark) })}
                      </caption>
                      <thead>
                        <tr>
                          <th scope="col">{t("calc.factor")}</th>
                          <th scope="col">{t("calc.input")}</th>
                          <th scope="col">{t("calc.points")}</th>
                          <th scope="col">{t("calc.maximum")}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {p.grid.lines.map((l) => (
                          <tr key={l.factor}>
                            <th scope="row">{i18n.tx(`factor.${l.factor}`, l.label)}</th>
                            <td>{l.input}</td>
                            <td class="num">{num(l.points)}</td>
                            <td class="num">{num(l.maximum)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
                {p.lapseReason && <p class="hint">{i18n.msg(p.lapseMessage, p.lapseReason)}</p>}
                {p.rules && (
                  <p class="hint">
                    <ExtLink href={p.rules.source.url}>{p.rules.id}</ExtLink>
                  </p>
                )}
              </article>
            ))}
          </section>
          <section aria-labelledby="categories-title">
            <h2 id="categories-title">{t("elig.categories")}</h2>
            {result.categories.map((c) => (
              <article key={c.id} class={`card ${c.eligible ? "ok" : "no"}`} aria-labelledby={`cat-${c.id}`}>
                <h3 id={`cat-${c.id}`}>
                  {i18n.tx(`category.${c.category}`, c.title)} <span class="muted">({c.id})</span>{" "}
                  <span class="badge">{c.eligible ? t("elig.eligible") : t("elig.notEligible")}</span>
                </h3>
                {c.eligible && c.eligibleUntil && (
                  <p>{t("elig.eligibleUntil", { date: date(c.eligibleUntil) })}</p>
                )}
                {c.qualifyingOccupation && (
                  <p>
                    {t("elig.occupation", {
                      noc: c.qualifyingOccupation.noc,
                      title:
                        i18n.lang === "fr" && c.qualifyingOccupation.titleFr
                          ? c.qualifyingOccupation.titleFr
                          : c.qualifyingOccupation.title,
                      hours: num(Math.round(c.qualifyingOccupation.hours)),
                    })}
                  </p>
                )}
                {checks(c.checks, c.id)}
                {(c.unverifiedConditions ?? []).length > 0 && (
                  <p class="hint">
                    {t("elig.unverified")} {c.unverifiedConditions!.join("; ")}
                  </p>
                )}
                {c.lapseReason && <p class="hint">{i18n.msg(c.lapseMessage, c.lapseReason)}</p>}
              </article>
            ))}
          </section>
        </div>
      )}
    </div>
  );
}
