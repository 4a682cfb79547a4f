import { render } from "preact";
import type { ComponentChildren } from "preact";
import { useContext, useEffect, useErrorBoundary, useMemo, useState } from "preact/hooks";
import "uplot/dist/uPlot.min.css";
import "./styles.css";
import { I18nContext, initialLang, LANG_STORAGE_KEY, makeI18n, type Lang, type MessageKey } from "./i18n";
import { PROFILE_TEXT_KEY, readStorage, SCORE_KEY, SharedContext, writeStorage } from "./app-state";
import { Calculator } from "./pages/Calculator";
import { Eligibility } from "./pages/Eligibility";
import { History } from "./pages/History";
import { Operator } from "./pages/Operator";

const ROUTES = ["calculator", "eligibility", "history", "operator"] as const;
type Route = (typeof ROUTES)[number];
const NAV_KEYS: Record<Route, MessageKey> = {
  calculator: "nav.calculator",
  eligibility: "nav.eligibility",
  history: "nav.history",
  operator: "nav.operator",
};

function routeFromHash(): Route {
  const h = location.hash.replace(/^#\/?/, "");
  return (ROUTES as readonly string[]).includes(h) ? (h as Route) : "calculator";
}

/** A page that throws while rendering says so (announced) instead of leaving the page blank. */
function PageBoundary({ children }: { children: ComponentChildren }) {
  const [error] = useErrorBoundary((e: unknown) => console.error(e));
  const { t } = useContext(I18nContext);
  if (!error) return <>{children}</>;
  return (
    <div role="alert" class="error-banner">
      <p>{t("app.crashed")}</p>
      <button type="button" onClick={() => location.reload()}>
        {t("app.reload")}
      </button>
    </div>
  );
}

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [route, setRoute] = useState<Route>(routeFromHash);
  const [score, setScoreState] = useState<number | null>(() => {
    const saved = readStorage(SCORE_KEY);
    return saved && /^\d+$/.test(saved) ? Number(saved) : null;
  });
  const setScore = (n: number | null) => {
    setScoreState(n);
    writeStorage(SCORE_KEY, n === null ? null : String(n));
  };
  const [profileText, setProfileTextState] = useState<string>(() => readStorage(PROFILE_TEXT_KEY) ?? "");
  const i18n = useMemo(() => makeI18n(lang), [lang]);
  const { t } = i18n;

  useEffect(() => {
    const onHash = () => setRoute(routeFromHash());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    writeStorage(LANG_STORAGE_KEY, lang);
  }, [lang]);
  useEffect(() => {
    document.title = `${t(NAV_KEYS[route])} — ${t("app.title")}`;
    const main = document.getElementById("main");
    main?.focus({ preventScroll: true });
  }, [route, lang]);

  const shared = useMemo(
    () => ({
      score,
      setScore,
      profileText,
      setProfileText: (s: string) => {
        setProfileTextState(s);
        writeStorage(PROFILE_TEXT_KEY, s);
      },
    }),
    [score, profileText],
  );

  return (
    <I18nContext.Provider value={i18n}>
      <SharedContext.Provider value={shared}>
        <a
          class="skip"
          href="#main"
          onClick={(e) => (e.preventDefault(), document.getElementById("main")?.focus())}
        >
          {t("app.skip")}
        </a>
        <header class="site-header">
          <div class="brand">
            <span class="brand-title">{t("app.title")}</span>
            <span class="brand-sub">{t("app.subtitle")}</span>
          </div>
          <nav aria-label={t("nav.label")}>
            <ul>
              {ROUTES.map((r) => (
                <li key={r}>
                  <a href={`#/${r}`} aria-current={route === r ? "page" : undefined}>
                    {t(NAV_KEYS[r])}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <button
            type="button"
            class="lang-toggle"
            lang={lang === "en" ? "fr" : "en"}
            onClick={() => setLang(lang === "en" ? "fr" : "en")}
          >
            {lang === "en" ? "FR" : "EN"}
            <span class="visually-hidden"> — {t("lang.switch")}</span>
          </button>
        </header>
        <main id="main" tabIndex={-1}>
          <PageBoundary key={route}>
            {route === "calculator" && <Calculator />}
            {route === "eligibility" && <Eligibility />}
            {route === "history" && <History />}
            {route === "operator" && <Operator />}
          </PageBoundary>
        </main>
        <footer class="site-footer">
          <p>{t("app.footer")}</p>
        </footer>
      </SharedContext.Provider>
    </I18nContext.Provider>
  );
}

render(<App />, document.getElementById("app")!);
