import { useEffect, useMemo, useState } from "preact/hooks";
import {
  api,
  ApiError,
  qs,
  type BandDef,
  type CheckedRound,
  type Forecast,
  type HistoryCheck,
  type HistoryRound,
  type HistoryStats,
} from "../api";
import { useShared } from "../app-state";
import { LineChart, PALETTE, toSeconds } from "../chart";
import { SelectField, Status, TextField } from "../components";
import { useI18n, type I18n } from "../i18n";

/** A family of rounds: "general", a program code (CEC, PNP, FSW, FST) or a category key. */
export function familyOf(r: HistoryRound): string {
  if (r.kind === "program") return r.program ?? "program";
  if (r.kind === "category") return r.category ?? "category";
  return "general";
}

export function familyLabel(i18n: I18n, family: string): string {
  if (family === "general") return i18n.t("family.general");
  if (["CEC", "PNP", "FSW", "FST"].includes(family)) return i18n.tx(`program.${family}`, family);
  return i18n.tx(`category.${family}`, family);
}

/**
 * The round's name in the page's language: the API's French name (IRCC's French feed's where it was
 * read, else the rules' name of the round's kind), else the English one.
 */
export function roundName(i18n: I18n, r: { name: string; french?: { name: string } | undefined }): string {
  return i18n.lang === "fr" && r.french ? r.french.name : r.name;
}

const DEFAULT_FAMILIES = ["general", "CEC", "french-language", "healthcare"];

function normalizeBands(raw: unknown): BandDef[] {
  const list: unknown = Array.isArray(raw) ? raw : (raw as { bands?: unknown } | null)?.bands;
  if (Array.isArray(list)) return list as BandDef[];
  if (list && typeof list === "object")
    return Object.entries(list as Record<string, Omit<BandDef, "key">>).map(([key, v]) => ({ ...v, key }));
  return [];
}

export function History() {
  const i18n = useI18n();
  const { t, num, date } = i18n;
  const shared = useShared();
  const [stats, setStats] = useState<HistoryStats | null>(null);
  const [rounds, setRounds] = useState<HistoryRound[]>([]);
  const [bandDefs, setBandDefs] = useState<BandDef[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>(DEFAULT_FAMILIES);
  const [from, setFrom] = useState("2022-01-01");

  useEffect(() => {
    Promise.all([
      api<HistoryStats>("/api/history/stats"),
      api<{ rounds: HistoryRound[] }>("/api/history/rounds"),
      api<unknown>("/api/history/bands").catch(() => null),
    ])
      .then(([s, r, b]) => {
        setStats(s);
        setRounds(r.rounds);
        setBandDefs(normalizeBands(b));
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  const families = useMemo(() => {
    const seen = new Map<string, HistoryRound>();
    for (const r of rounds) {
      const f = familyOf(r);
      const prev = seen.get(f);
      if (!prev || r.at > prev.at) seen.set(f, r);
    }
    return [...seen.entries()].sort((a, b) => b[1].at.localeCompare(a[1].at));
  }, [rounds]);

  const cutoffChart = useMemo(() => {
    const picked = rounds.filter(
      (r) => r.date >= from && r.cutoff !== null && selected.includes(familyOf(r)),
    );
    const xs = [...new Set(picked.map((r) => toSeconds(r.date)))].sort((a, b) => a - b);
    const index = new Map(xs.map((x, k) => [x, k]));
    const ys = selected.map((f) => {
      const arr: (number | null)[] = xs.map(() => null);
      for (const r of picked) if (familyOf(r) === f) arr[index.get(toSeconds(r.date))!] = r.cutoff;
      return arr;
    });
    const allFamilies = families.map(([f]) => f);
    const series = selected.map((f) => ({
      label: familyLabel(i18n, f),
      color: PALETTE[allFamilies.indexOf(f) % PALETTE.length] ?? "#000",
    }));
    return { xs, ys, series };
  }, [rounds, selected, from, families, i18n]);

  const distChart = useMemo(() => {
    if (!stats) return null;
    const leaf = stats.bands.map((b) => b.key);
    const labelOf = (key: string) =>
      bandDefs.find((b) => b.key === key)?.label ?? stats.bands.find((b) => b.key === key)?.label ?? key;
    const ds = stats.distributions.filter((d) => d.asOf >= from);
    return {
      xs: ds.map((d) => toSeconds(d.asOf)),
      ys: leaf.map((k) => ds.map((d) => d.bands[k] ?? null)),
      series: leaf.map((k, n) => ({ label: labelOf(k), color: PALETTE[n % PALETTE.length] ?? "#000" })),
    };
  }, [stats, bandDefs, from]);

  const scoreLine = useMemo(
    () =>
      shared.score === null ? [] : [{ value: shared.score, label: t("hist.yourScore"), color: "#000000" }],
    [shared.score, i18n],
  );

  const toggle = (f: string) => setSelected((s) => (s.includes(f) ? s.filter((x) => x !== f) : [...s, f]));

  return (
    <div class="history">
      <h1>{t("hist.title")}</h1>
      <p class="lead">{t("hist.lead")}</p>
      <Status loading={!stats && !error} error={error} />
      {stats && (
        <p>{t("hist.summary", { n: num(stats.rounds), from: date(stats.from), to: date(stats.to) })}</p>
      )}

      <section aria-labelledby="cutoffs-title">
        <h2 id="cutoffs-title">{t("hist.cutoffs")}</h2>
        <div class="row no-print">
          <TextField path="hist.from" type="date" label={t("hist.from")} value={from} onInput={setFrom} />
        </div>
        <fieldset class="legend no-print">
          <legend>{t("hist.families")}</legend>
          {families.map(([f], n) => (
            <label key={f} class="choice legend-item">
              <input type="checkbox" checked={selected.includes(f)} onChange={() => toggle(f)} />
              <span class="swatch" style={{ background: PALETTE[n % PALETTE.length] }} aria-hidden="true" />
              {familyLabel(i18n, f)}
            </label>
          ))}
        </fieldset>
        {rounds.length > 0 && (
          <LineChart
            id="chart-cutoffs"
            title={t("hist.cutoffsChart")}
            xs={cutoffChart.xs}
            ys={cutoffChart.ys}
            series={cutoffChart.series}
            yLabel={t("hist.crs")}
            extraLines={scoreLine}
          />
        )}
        {shared.score !== null && <p class="hint">{t("hist.scoreLine", { score: num(shared.score) })}</p>}
      </section>

      <section aria-labelledby="latest-title">
        <h2 id="latest-title">{t("hist.latest")}</h2>
        <p>
          {shared.score === null ? t("hist.noScore") : t("hist.yourScoreIs", { score: num(shared.score) })}
        </p>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t("hist.latest")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("hist.kind")}</th>
                <th scope="col">{t("hist.round")}</th>
                <th scope="col">{t("hist.date")}</th>
                <th scope="col">{t("hist.invitations")}</th>
                <th scope="col">{t("hist.cutoff")}</th>
                <th scope="col">{t("hist.difference")}</th>
              </tr>
            </thead>
            <tbody>
              {families.map(([f, r]) => {
                const diff = shared.score !== null && r.cutoff !== null ? shared.score - r.cutoff : null;
                return (
                  <tr key={f}>
                    <th scope="row">{familyLabel(i18n, f)}</th>
                    <td>
                      #{r.number} {roundName(i18n, r)}
                    </td>
                    <td>{date(r.date)}</td>
                    <td class="num">{num(r.invitations)}</td>
                    <td class="num">{num(r.cutoff)}</td>
                    <td class="num">
                      {diff === null ? "—" : diff >= 0 ? `+${num(diff)}` : `−${num(-diff)}`}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="dist-title">
        <h2 id="dist-title">{t("hist.distribution")}</h2>
        {distChart && distChart.xs.length > 0 ? (
          <LineChart
            id="chart-distribution"
            title={t("hist.distributionChart")}
            xs={distChart.xs}
            ys={distChart.ys}
            series={distChart.series}
            yLabel={t("hist.candidates")}
            height={360}
          />
        ) : (
          <p>{t("hist.noDistribution")}</p>
        )}
        {distChart && (
          <ul class="legend-static" aria-label={t("hist.bandsLegend")}>
            {distChart.series.map((s) => (
              <li key={s.label}>
                <span class="swatch" style={{ background: s.color }} aria-hidden="true" />
                {s.label}
              </li>
            ))}
          </ul>
        )}
      </section>

      <CheckView />
      <ForecastView families={families} />
    </div>
  );
}

function CheckView() {
  const i18n = useI18n();
  const { t, num, date } = i18n;
  const shared = useShared();
  const [result, setResult] = useState<HistoryCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const nameOf = (c: CheckedRound) => roundName(i18n, c);

  const run = async () => {
    setError(null);
    let profile: unknown;
    try {
      profile = JSON.parse(shared.profileText);
    } catch {
      setError(t("hist.check.noProfile"));
      return;
    }
    setLoading(true);
    try {
      setResult(await api<HistoryCheck>("/api/history/check", { body: { profile } }));
    } catch (e) {
      setResult(null);
      setError(
        e instanceof ApiError
          ? [e.message, ...e.errors.map((x) => `${x.field}: ${x.message}`)].join(" — ")
          : String(e),
      );
    } finally {
      setLoading(false);
    }
  };

  const verdict = (c: CheckedRound) => i18n.msg(c.verdict.message, c.verdict.why);

  return (
    <section aria-labelledby="check-title">
      <h2 id="check-title">{t("hist.check")}</h2>
      <p>{shared.profileText.trim() ? t("hist.check.usesProfile") : t("hist.check.noProfile")}</p>
      <button type="button" class="primary" onClick={() => void run()} disabled={!shared.profileText.trim()}>
        {t("hist.check.run")}
      </button>
      <Status loading={loading} error={error} />
      {result && (
        <div class="check-result" data-testid="check-result">
          <p>{t("hist.check.considered", { n: num(result.considered), date: date(result.submittedAt) })}</p>
          <p class="verdict">
            {result.firstInvitation
              ? t("hist.check.first", {
                  round: result.firstInvitation.round,
                  name: nameOf(result.firstInvitation),
                  date: date(result.firstInvitation.date),
                })
              : t("hist.check.never")}
          </p>
          {result.invitations.length > 0 && (
            <>
              <h3>{t("hist.check.invitations")}</h3>
              <ul>
                {result.invitations.map((c) => (
                  <li key={c.round} data-round={c.round}>
                    #{c.round} {nameOf(c)} ({date(c.date)}) — {verdict(c)}
                  </li>
                ))}
              </ul>
            </>
          )}
          {result.nearMisses.length > 0 && (
            <>
              <h3>{t("hist.check.nearMisses")}</h3>
              <ul>
                {result.nearMisses.map((c) => (
                  <li key={c.round} data-round={c.round}>
                    #{c.round} {nameOf(c)} ({date(c.date)}) — {verdict(c)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}

function ForecastView({ families }: { families: [string, HistoryRound][] }) {
  const i18n = useI18n();
  const { t, num, date } = i18n;
  const names = useMemo(() => {
    const s = new Set<string>();
    for (const [, r] of families) s.add(r.name);
    return [...s];
  }, [families]);
  const [name, setName] = useState("Canadian Experience Class");
  const [invitations, setInvitations] = useState("3000");
  const [at, setAt] = useState("2026-08-20");
  const [result, setResult] = useState<Forecast | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const frenchOf = (n: string) => families.find(([, r]) => r.name === n)?.[1].french;

  const run = async () => {
    setError(null);
    setLoading(true);
    try {
      setResult(
        await api<Forecast>(
          `/api/forecast${qs({ roundName: name, invitations: invitations.replace(/\s/g, ""), at })}`,
        ),
      );
    } catch (e) {
      setResult(null);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  };

  return (
    <section aria-labelledby="forecast-title">
      <h2 id="forecast-title">{t("fc.title")}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div class="row">
          <SelectField
            path="fc.roundName"
            label={t("fc.roundName")}
            value={name}
            options={(names.includes(name) ? names : [name, ...names]).map((n) => {
              return [n, roundName(i18n, { name: n, french: frenchOf(n) })] as const;
            })}
            onChange={setName}
          />
          <TextField
            path="fc.invitations"
            label={t("fc.invitations")}
            inputMode="numeric"
            value={invitations}
            onInput={setInvitations}
          />
          <TextField path="fc.at" type="date" label={t("fc.at")} value={at} onInput={setAt} />
        </div>
        <button type="submit" class="primary">
          {t("fc.run")}
        </button>
      </form>
      <Status loading={loading} error={error} />
      {result && (
        <div class="forecast" data-testid="forecast-result">
          <p class="big">
            {t("fc.cutoff", { cutoff: num(result.cutoff), low: num(result.low), high: num(result.high) })}
          </p>
          <p>
            {t("fc.basedOn", {
              round: result.basedOn.lastRound,
              date: date(result.basedOn.lastRoundDate),
              cutoff: num(result.basedOn.lastCutoff),
            })}
          </p>
          <p>
            {t("fc.backtest", {
              mae: num(result.backtest.mae, 1),
              naive: num(result.backtest.naiveMae, 1),
              rounds: num(result.backtest.rounds),
              coverage: i18n.pct(result.backtest.coverage),
            })}
          </p>
          <p>
            {t("fc.method", { candidate: i18n.tx(`fc.candidate.${result.candidate}`, result.candidate) })}
          </p>
          {result.backtest.mae > result.backtest.naiveMae && <p class="notice">{t("fc.notBetter")}</p>}
        </div>
      )}
    </section>
  );
}
