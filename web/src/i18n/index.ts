// The message catalogue: en.ts defines the keys; fr.ts must have exactly the same keys (typecheck fails otherwise).
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { en, engineEn } from "./en";
import { type EngineMessages, type Message, renderMessage } from "./engine";
import { engineFr, fr } from "./fr";

export type Lang = "en" | "fr";
export type MessageKey = keyof typeof en;
export type Messages = { readonly [K in MessageKey]: string };

export const catalogues: Record<Lang, Messages> = { en, fr };
/** The engine's sentences, one template per message code (src/domain/eligibility/messages.ts). */
export const engineCatalogues: Record<Lang, EngineMessages> = { en: engineEn, fr: engineFr };
export const LANG_STORAGE_KEY = "ee.lang";

export function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(LANG_STORAGE_KEY);
    if (saved === "en" || saved === "fr") return saved;
  } catch {
    /* storage unavailable */
  }
  return navigator.language.toLowerCase().startsWith("fr") ? "fr" : "en";
}

export function localeOf(lang: Lang): string {
  return lang === "fr" ? "fr-CA" : "en-CA";
}

export interface I18n {
  lang: Lang;
  locale: string;
  /** A message with {name} placeholders filled in. */
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  /** A message by a key built at run time (engine ids), or the fallback when the catalogue has none. */
  tx: (key: string, fallback: string, params?: Record<string, string | number>) => string;
  /**
   * An engine sentence (a check's label or detail, a lapse reason, a history verdict) in this language;
   * the engine's English text when there is no message or its code is unknown here.
   */
  msg: (message: Message | null | undefined, english: string) => string;
  num: (n: number | null | undefined, digits?: number) => string;
  date: (iso: string | null | undefined) => string;
  dateTime: (iso: string | null | undefined) => string;
  pct: (n: number) => string;
}

function fill(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function makeI18n(lang: Lang): I18n {
  const messages = catalogues[lang];
  const locale = localeOf(lang);
  const nf = new Intl.NumberFormat(locale);
  const df = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const dtf = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "medium",
    timeZone: "UTC",
  });
  const pf = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const tx = (key: string, fallback: string, params?: Record<string, string | number>) =>
    fill(key in messages ? (messages as Record<string, string>)[key]! : fallback, params);
  const date = (iso: string | null | undefined) => {
    if (!iso) return "—";
    const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
    return Number.isNaN(d.getTime()) ? iso : df.format(d);
  };
  const dateTime = (iso: string | null | undefined) => {
    if (!iso) return "—";
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : `${dtf.format(d)} UTC`;
  };
  /** A message parameter as its placeholder's format asks (see src/domain/eligibility/messages.ts). */
  const param = (value: string | number, as: string | undefined): string => {
    const text = String(value);
    switch (as) {
      case "hours":
        return typeof value === "number" ? `${nf.format(Math.round(value))} h` : text;
      case "thousands":
        return typeof value === "number" ? nf.format(value) : text;
      case "date":
        return date(text);
      case "instant":
        return dateTime(text);
      case "program":
        return tx(`program.${text}`, text);
      case "programs":
        return text
          .split(", ")
          .map((p) => tx(`program.short.${p}`, p))
          .join(", ");
      case "category":
        return tx(`category.${text}`, text);
      default:
        return text;
    }
  };
  const engine = engineCatalogues[lang];
  return {
    lang,
    locale,
    t: (key, params) => fill(messages[key], params),
    tx,
    msg: (message, english) => (message ? renderMessage(message, engine, param) : null) ?? english,
    num: (n, digits) =>
      n === null || n === undefined
        ? "—"
        : digits === undefined
          ? nf.format(n)
          : new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n),
    date,
    dateTime,
    pct: (n) => pf.format(n),
  };
}

export const I18nContext = createContext<I18n>(makeI18n("en"));
export const useI18n = (): I18n => useContext(I18nContext);
