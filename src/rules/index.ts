import { loadRuleData } from "./load.js";
import { RuleBook } from "./rule-book.js";

export { loadRuleData, rulesDirectory } from "./load.js";
export { type CrsRuleSet, RuleBook, RuleBookError } from "./rule-book.js";
export * from "./schema.js";

let defaultBook: RuleBook | undefined;

/** The rule book built from the package's own `rules/` data, loaded once. */
export function defaultRuleBook(): RuleBook {
  defaultBook ??= new RuleBook(loadRuleData());
  return defaultBook;
}
