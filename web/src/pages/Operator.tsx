import { useState } from "preact/hooks";
import {
  api,
  ApiError,
  qs,
  type DistributionBand,
  type Invitation,
  type PoolStats,
  type PublishedRound,
  type StoredRound,
} from "../api";
import { readStorage, todayOttawa, writeStorage } from "../app-state";
import { SelectField, Status, TextField } from "../components";
import { useI18n } from "../i18n";

const TOKEN_KEY = "ee.operator.token";

export function DistributionTable({ bands, caption }: { bands: DistributionBand[]; caption: string }) {
  const { t, num } = useI18n();
  return (
    <div class="table-wrap">
      <table class="distribution">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("op.crsRange")}</th>
            <th scope="col">{t("op.candidates")}</th>
          </tr>
        </thead>
        <tbody>
          {bands.map((b) => (
            <tr key={b.key} class={b.subtotal ? "subtotal" : ""}>
              <th
                scope="row"
                style={b.level ? { paddingInlineStart: `${0.5 + b.level * 1.25}rem` } : undefined}
              >
                {b.key === "dd18" ? t("op.total") : b.label}
              </th>
              <td class="num">{num(b.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Operator() {
  const i18n = useI18n();
  const { t, num, date, dateTime } = i18n;
  const [token, setToken] = useState(() => readStorage(TOKEN_KEY, "session") ?? "");
  const [tokenInput, setTokenInput] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [asOf, setAsOf] = useState(todayOttawa());
  const [stats, setStats] = useState<PoolStats | null>(null);
  const [round, setRound] = useState({
    number: "",
    name: "No Program Specified",
    kind: "general",
    program: "",
    categoryVersion: "",
    invitations: "",
    at: "",
  });
  const [published, setPublished] = useState<PublishedRound | null>(null);
  const [list, setList] = useState<StoredRound[] | null>(null);
  const [invitations, setInvitations] = useState<{ number: number; items: Invitation[] } | null>(null);

  const call = async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setError(null);
    setLoading(true);
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ApiError && e.statusCode === 401) setError(t("op.unauthorized"));
      else if (e instanceof ApiError && e.statusCode === 404 && e.code !== "not-found")
        setError(t("op.disabled"));
      else if (e instanceof ApiError)
        setError([e.message, ...e.errors.map((x) => `${x.field}: ${x.message}`)].join(" — "));
      else setError(String(e));
      return undefined;
    } finally {
      setLoading(false);
    }
  };

  const signIn = (e: Event) => {
    e.preventDefault();
    const v = tokenInput.trim();
    if (!v) return;
    setToken(v);
    writeStorage(TOKEN_KEY, v, "session");
    setTokenInput("");
  };
  const signOut = () => {
    setToken("");
    writeStorage(TOKEN_KEY, null, "session");
    setStats(null);
    setPublished(null);
    setList(null);
    setInvitations(null);
  };

  const loadStats = async () => {
    // A date means the end of that day in Ottawa, as `ee pool stats --as-of` takes it.
    const s = await call(() => api<PoolStats>(`/api/operator/pool/stats${qs({ asOf })}`, { token }));
    if (s) setStats(s);
  };
  const runRound = async (dryRun: boolean) => {
    const body: Record<string, unknown> = {
      name: round.name,
      kind: round.kind,
      invitations: Number(round.invitations.replace(/\s/g, "")),
      at: round.at ? new Date(`${round.at}:00Z`).toISOString().replace(".000Z", "Z") : "",
      dryRun,
    };
    if (round.number.trim()) body.number = Number(round.number);
    else {
      // No number given: the next one after the rounds run here (the server requires one).
      const stored = await call(() =>
        api<StoredRound[] | { rounds: StoredRound[] }>("/api/operator/rounds", { token }),
      );
      if (!stored) return;
      const rounds = Array.isArray(stored) ? stored : stored.rounds;
      body.number = rounds.reduce((m, r) => Math.max(m, Number(r.number)), 0) + 1;
    }
    if (round.kind === "program" && round.program) body.program = round.program;
    if (round.kind === "category" && round.categoryVersion.trim())
      body.categoryVersion = round.categoryVersion.trim();
    const r = await call(() => api<PublishedRound>("/api/operator/rounds", { body, token }));
    if (r) {
      setPublished(r);
      if (!dryRun) void loadList();
    }
  };
  const loadList = async () => {
    const r = await call(() =>
      api<StoredRound[] | { rounds: StoredRound[] }>("/api/operator/rounds", { token }),
    );
    if (r) setList(Array.isArray(r) ? r : r.rounds);
  };
  const loadInvitations = async (number: number) => {
    const r = await call(() =>
      api<Invitation[] | { invitations: Invitation[] }>(`/api/operator/rounds/${number}/invitations`, {
        token,
      }),
    );
    if (r) setInvitations({ number, items: Array.isArray(r) ? r : r.invitations });
  };

  if (!token)
    return (
      <div class="operator">
        <h1>{t("op.title")}</h1>
        <p class="lead">{t("op.lead")}</p>
        <form onSubmit={signIn}>
          <TextField
            path="op.token"
            type="password"
            label={t("op.token")}
            hint={t("op.tokenHint")}
            value={tokenInput}
            onInput={setTokenInput}
            autoComplete="current-password"
          />
          <button type="submit" class="primary">
            {t("op.signIn")}
          </button>
        </form>
      </div>
    );

  return (
    <div class="operator">
      <h1>{t("op.title")}</h1>
      <div class="toolbar">
        <button type="button" onClick={signOut}>
          {t("op.signOut")}
        </button>
      </div>
      <Status loading={loading} error={error} />

      <section aria-labelledby="pool-title">
        <h2 id="pool-title">{t("op.pool")}</h2>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void loadStats();
          }}
        >
          <TextField path="op.asOf" type="date" label={t("calc.asOf")} value={asOf} onInput={setAsOf} />
          <div class="field actions">
            <button type="submit">{t("op.loadStats")}</button>
          </div>
        </form>
        {stats && (
          <>
            <p data-testid="pool-size">
              {t("op.poolSummary", {
                size: num(stats.size),
                notEligible: num(stats.notEligible),
                date: date(stats.date),
              })}
            </p>
            <DistributionTable bands={stats.distribution.bands} caption={t("op.distribution")} />
          </>
        )}
      </section>

      <section aria-labelledby="round-title">
        <h2 id="round-title">{t("op.round")}</h2>
        <form onSubmit={(e) => e.preventDefault()}>
          <div class="row">
            <TextField
              path="op.number"
              label={t("op.number")}
              hint={t("op.optional")}
              inputMode="numeric"
              value={round.number}
              onInput={(v) => setRound({ ...round, number: v })}
            />
            <TextField
              path="op.name"
              label={t("op.name")}
              value={round.name}
              onInput={(v) => setRound({ ...round, name: v })}
            />
          </div>
          <div class="row">
            <SelectField
              path="op.kind"
              label={t("op.kind")}
              value={round.kind}
              options={[
                ["general", t("family.general")],
                ["program", t("op.kind.program")],
                ["category", t("op.kind.category")],
              ]}
              onChange={(v) => setRound({ ...round, kind: v })}
            />
            {round.kind === "program" && (
              <SelectField
                path="op.program"
                label={t("op.program")}
                value={round.program}
                placeholder={t("common.choose")}
                options={["CEC", "FSW", "FST", "PNP"].map((p) => [p, i18n.tx(`program.${p}`, p)] as const)}
                onChange={(v) => setRound({ ...round, program: v })}
              />
            )}
            {round.kind === "category" && (
              <TextField
                path="op.categoryVersion"
                label={t("op.categoryVersion")}
                hint={t("op.optional")}
                value={round.categoryVersion}
                onInput={(v) => setRound({ ...round, categoryVersion: v })}
              />
            )}
          </div>
          <div class="row">
            <TextField
              path="op.invitations"
              label={t("op.invitations")}
              inputMode="numeric"
              value={round.invitations}
              onInput={(v) => setRound({ ...round, invitations: v })}
            />
            <TextField
              path="op.at"
              type="datetime-local"
              label={t("op.at")}
              hint={t("op.atHint")}
              value={round.at}
              onInput={(v) => setRound({ ...round, at: v })}
            />
          </div>
          <div class="toolbar">
            <button type="button" onClick={() => void runRound(true)}>
              {t("op.dryRun")}
            </button>
            <button type="button" class="primary" onClick={() => void runRound(false)}>
              {t("op.run")}
            </button>
          </div>
        </form>
      </section>

      {published && (
        <section aria-labelledby="published-title" class="published" data-testid="published-round">
          <h2 id="published-title">
            {published.dryRun ? t("op.dryRunResult") : t("op.published")} — #{num(published.number)}{" "}
            {published.name}
          </h2>
          <dl class="ircc">
            <dt>{t("op.ircc.invitations")}</dt>
            <dd data-testid="published-invitations">{num(published.invitations)}</dd>
            <dt>{t("op.ircc.rank")}</dt>
            <dd>{published.rankRequired}</dd>
            <dt>{t("op.ircc.date")}</dt>
            <dd>{dateTime(published.at)}</dd>
            <dt>{t("op.ircc.cutoff")}</dt>
            <dd>{num(published.cutoffCrs)}</dd>
            <dt>{t("op.ircc.tieBreak")}</dt>
            <dd>{published.tieBreak ? dateTime(published.tieBreak) : "—"}</dd>
            <dt>{t("op.ircc.eligible")}</dt>
            <dd>
              {num(published.eligible)}
              {published.shortfall > 0 && <> ({t("op.shortfall", { n: num(published.shortfall) })})</>}
            </dd>
          </dl>
          <DistributionTable
            bands={published.distribution.bands}
            caption={t("op.distributionOn", { date: date(published.asOfDate) })}
          />
        </section>
      )}

      <section aria-labelledby="rounds-title">
        <h2 id="rounds-title">{t("op.rounds")}</h2>
        <button type="button" onClick={() => void loadList()}>
          {t("op.loadRounds")}
        </button>
        {list && list.length === 0 && <p>{t("op.noRounds")}</p>}
        {list && list.length > 0 && (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">{t("op.rounds")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("op.number")}</th>
                  <th scope="col">{t("op.name")}</th>
                  <th scope="col">{t("op.at")}</th>
                  <th scope="col">{t("op.invitations")}</th>
                  <th scope="col">{t("op.ircc.cutoff")}</th>
                  <th scope="col">{t("calc.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((r) => (
                  <tr key={r.number}>
                    <th scope="row">{r.number}</th>
                    <td>{r.name}</td>
                    <td>{dateTime(r.at)}</td>
                    <td class="num">{num(r.invited)}</td>
                    <td class="num">{num(r.cutoffCrs)}</td>
                    <td>
                      <button type="button" onClick={() => void loadInvitations(r.number)}>
                        {t("op.showInvitations", { n: r.number })}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {invitations && (
          <div class="table-wrap">
            <table>
              <caption>{t("op.invitationsOf", { n: invitations.number })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("op.rank")}</th>
                  <th scope="col">{t("op.profile")}</th>
                  <th scope="col">{t("hist.crs")}</th>
                  <th scope="col">{t("op.expires")}</th>
                  <th scope="col">{t("op.status")}</th>
                </tr>
              </thead>
              <tbody>
                {invitations.items.map((x) => (
                  <tr key={x.id}>
                    <th scope="row">{num(x.rank)}</th>
                    <td>{x.profileId}</td>
                    <td class="num">{num(x.crs)}</td>
                    <td>{dateTime(x.expiresAt)}</td>
                    <td>{i18n.tx(`op.status.${x.status}`, x.status)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
