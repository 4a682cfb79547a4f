// The engine's sentences (eligibility checks, lapse reasons, history verdicts) as the API sends them:
// a message code and its parameters, rendered with the catalogue's template for the code (en.ts and
// fr.ts: engineEn, engineFr, typed by the domain's list of codes, so a code without a template fails
// the typecheck). Only types come from ../src; the rendering is the domain's rule, written again here.
import type { Message, MessageCode } from "../../../src/domain/eligibility/messages";

export type { Message, MessageCode };

/** One template per engine message code. */
export type EngineMessages = { readonly [C in MessageCode]: string };

/** `{name}` or `{name:format}`. */
const PLACEHOLDER = /\{(\w+)(?::(\w+))?\}/g;

/**
 * A message rendered with the templates; null when a code (of the message or a nested one) has no
 * template (a newer server than this page) or a parameter is missing. `format` writes a plain value.
 */
export function renderMessage(
  m: Message,
  templates: Readonly<Record<string, string>>,
  format: (value: string | number, as: string | undefined) => string,
): string | null {
  const template = templates[m.code];
  if (template === undefined || !m.params) return null;
  let failed = false;
  const text = template.replace(PLACEHOLDER, (_, name: string, as: string | undefined) => {
    const value = m.params[name];
    if (value === undefined) {
      failed = true;
      return "";
    }
    if (typeof value === "string" || typeof value === "number") return format(value, as);
    const list: readonly Message[] = Array.isArray(value) ? value : [value as Message];
    const parts = list.map((x) => renderMessage(x, templates, format));
    if (parts.some((p) => p === null)) failed = true;
    return parts.join("; ");
  });
  return failed ? null : text;
}
