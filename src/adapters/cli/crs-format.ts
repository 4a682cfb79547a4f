/** Human-readable rendering of CRS outcomes for the terminal. */
import Table from "cli-table3";
import type { CrsLine, CrsSection } from "../../domain/crs/explain.js";
import type { CrsOutcome, CrsScore } from "../../domain/crs/score.js";

function sourceIndex(): { refer: (url: string) => number; list: () => string[] } {
  const urls: string[] = [];
  return {
    refer(url) {
      let i = urls.indexOf(url);
      if (i < 0) i = urls.push(url) - 1;
      return i + 1;
    },
    list: () => urls.map((url, i) => `  [${i + 1}] ${url}`),
  };
}

function sectionTable(section: CrsSection, sources: ReturnType<typeof sourceIndex>): string {
  const table = new Table({
    head: ["Factor", "Input", "Points", "Max", "Rule"],
    colAligns: ["left", "left", "right", "right", "left"],
    style: { head: [], border: [], compact: true },
  });
  const add = (line: CrsLine, depth: number) => {
    const rule = line.rule
      ? `${line.rule.table}@${line.rule.setBy} [${sources.refer(line.rule.source.url)}]`
      : "";
    const input = [line.input, line.note].filter(Boolean).join("; ");
    table.push([`${"  ".repeat(depth)}${line.label}`, input, line.points, line.maximum, rule]);
    for (const child of line.lines ?? []) add(child, depth + 1);
  };
  for (const line of section.lines) add(line, 0);
  table.push(["Subtotal", "", section.subtotal, section.maximum, ""]);
  return `${section.title}\n${table.toString()}`;
}

export function formatCrsScore(result: CrsScore): string {
  const sources = sourceIndex();
  const set = result.ruleSet;
  const inForce = set.effectiveTo
    ? `${set.effectiveFrom} to ${set.effectiveTo}`
    : `since ${set.effectiveFrom}`;
  const parts = [
    `CRS score: ${result.total} / ${result.maximum}`,
    `As of ${result.asOf} under rule set ${set.id} — ${set.title} (in force ${inForce})`,
    `Scored as: ${result.scoredAs === "with-spouse" ? "with accompanying spouse or partner" : "single (no spouse factors)"}`,
    "",
    ...[result.core, result.spouse, result.skillTransferability, result.additional].map(
      (section) => `${sectionTable(section, sources)}\n`,
    ),
  ];
  const tests = [result.languageResults.first, result.languageResults.second, result.languageResults.spouse];
  const validity = tests
    .filter((t) => t !== null)
    .map((t) => `  ${t.testName} of ${t.date}: valid until ${t.validUntil} (chart ${t.chart.id})`);
  parts.push("Language results:", ...validity, "");
  for (const notice of result.notices) parts.push(`Notice: ${notice.text}`, "");
  parts.push("Sources:", ...sources.list());
  return parts.join("\n");
}

export function formatCrsOutcome(outcome: CrsOutcome, label?: string): { text: string; toStderr: boolean } {
  const prefix = label ? `${label}: ` : "";
  switch (outcome.status) {
    case "scored":
      return { text: (label ? `${label}\n` : "") + formatCrsScore(outcome), toStderr: false };
    case "invalid":
      return {
        text: outcome.errors
          .map((e) => `${prefix}invalid input: ${e.field || "(input)"}: ${e.message}`)
          .join("\n"),
        toStderr: true,
      };
    case "not-scored":
      return {
        text: [
          `${prefix}no score as of ${outcome.asOf}${outcome.ruleSet ? ` (rule set ${outcome.ruleSet.id})` : ""}:`,
          ...outcome.reasons.map((r) => `  ${r.field}: ${r.message}`),
        ].join("\n"),
        toStderr: true,
      };
  }
}
