import { loadRuleData, readPrevalidatedRuleData } from "./load.js";
import { RuleBook } from "./rule-book.js";

export { loadRuleData, rulesDirectory } from "./load.js";
export { type CrsRuleSet, RuleBook, RuleBookError } from "./rule-book.js";
export * from "./schema.js";

let defaultBook: RuleBook | undefined;

/**
 * The rule book built from the package's own `rules/` data, loaded once: from the data the build
 * validated when it is there and current, otherwise validated here.
 */
export function defaultRuleBook(): RuleBook {
  if (!defaultBook) {
    const prevalidated = readPrevalidatedRuleData();
    defaultBook = prevalidated
      ? new RuleBook(prevalidated, { prevalidated: true })
      : new RuleBook(loadRuleData());
  }
  return defaultBook;
}
