// The engine's sentences (eligibility checks, lapse reasons, history verdicts) as the API sends them:
// a message code and its parameters, rendered with the catalogue's template for the code (en.ts and
// fr.ts: engineEn, engineFr, typed by the domain's list of codes, so a code without a template fails
// the typecheck). The English templates and the rendering are the domain's own (one definition).
import { type Message, type MessageCode, renderWith } from "../../../src/domain/eligibility/messages";

export type { Message, MessageCode };

/** One template per engine message code. */
export type EngineMessages = { readonly [C in MessageCode]: string };

/**
 * A message rendered with the templates; null when a code (of the message or a nested one) has no
 * template or a parameter is missing (a newer server than this page). `format` writes a plain value.
 */
export function renderMessage(
  m: Message,
  templates: Readonly<Record<string, string>>,
  format: (value: string | number, as: string | undefined) => string,
): string | null {
  if (!m.params) return null;
  try {
    return renderWith(m, templates, format);
  } catch {
    return null;
  }
}
