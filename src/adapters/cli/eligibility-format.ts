/** Human-readable rendering of eligibility reports. */
import type { CategoryResult, Check, ProgramResult } from "../../domain/eligibility/types.js";
import type { EligibilityOutcome, EligibilityReport } from "../../domain/eligibility/report.js";
import { formatCrsOutcome } from "./crs-format.js";

const mark = (met: boolean) => (met ? "✓" : "✗");
const checkLines = (checks: Check[], indent = "    ") =>
  checks.map((c) => `${indent}${mark(c.met)} ${c.label}: ${c.detail}`);
const until = (d: string | null | undefined) =>
  d === undefined
    ? ""
    : d === null
      ? " (no end foreseen if nothing changes)"
      : ` (until ${d} if nothing changes)`;

function program(p: ProgramResult): string[] {
  const lines = [
    `  ${mark(p.eligible)} ${p.title} (${p.program}): ${p.eligible ? "eligible" : "not eligible"}${until(p.eligibleUntil)}`,
  ];
  lines.push(...checkLines(p.checks));
  if (p.grid) {
    lines.push(`    FSW selection grid: ${p.grid.total} / 100 (pass mark ${p.grid.passMark})`);
    for (const l of p.grid.lines)
      lines.push(
        `      ${l.label.padEnd(20)} ${String(l.points).padStart(3)} / ${String(l.maximum).padEnd(3)} ${l.input}`,
      );
  }
  lines.push(`    rules: ${p.rules.id} — ${p.rules.source.url}`);
  return lines;
}

function category(c: CategoryResult): string[] {
  const name = c.roundName ?? `${c.title} (no round held yet)`;
  const lines = [
    `  ${mark(c.eligible)} ${name}: ${c.eligible ? "eligible" : "not eligible"}${until(c.eligibleUntil)}`,
  ];
  if (c.qualifyingOccupation)
    lines.push(
      `    qualifying occupation: NOC ${c.qualifyingOccupation.noc} ${c.qualifyingOccupation.title}`,
    );
  if (c.lapseReason) lines.push(`    lapses because ${c.lapseReason}`);
  lines.push(...checkLines(c.checks));
  for (const u of c.unverifiedConditions) lines.push(`    ? not checked (confirm yourself): ${u}`);
  lines.push(`    in force ${c.inForce.from} → ${c.inForce.to ?? "now"}; rules: ${c.rules.source.url}`);
  return lines;
}

export function formatEligibility(report: EligibilityReport): string {
  const out = [
    `Eligibility as of ${report.asOf}${report.profileId ? ` — profile ${report.profileId}` : ""}`,
    "",
    "Derived from the profile:",
    ...report.derivation.map((n) => `  ${n.field} = ${n.value}: ${n.how}`),
    "",
    `In the pool: ${report.inPool ? `yes, through ${report.pool.programs.join(", ")}${until(report.pool.eligibleUntil)}` : "no"}${
      report.pool.profileValidity
        ? `; the profile's 12 months run ${report.pool.profileValidity.from} → ${report.pool.profileValidity.until}`
        : ""
    }`,
    ...(report.pool.lapseReason ? [`  leaves it ${report.pool.lapseReason}`] : []),
    `This whole evaluation (CRS total, every verdict) holds ${
      report.validUntil === null ? "with no end foreseen" : `until ${report.validUntil}`
    } if the profile does not change.`,
    "",
    "Programs:",
    ...report.programs.flatMap(program),
    "",
    "Categories in force:",
    ...report.categories.flatMap(category),
    "",
    formatCrsOutcome(report.crs).text,
  ];
  return out.join("\n");
}

export function formatEligibilityOutcome(outcome: EligibilityOutcome, label?: string) {
  if (outcome.status === "evaluated")
    return { text: (label ? `${label}\n` : "") + formatEligibility(outcome), toStderr: false };
  const prefix = label ? `${label}: ` : "";
  return {
    text: outcome.errors
      .map((e) => `${prefix}invalid input: ${e.field || "(input)"}: ${e.message}`)
      .join("\n"),
    toStderr: true,
  };
}
