/**
 * NOC 2021 import: Statistics Canada's classification-structure CSV (English, levels 1–5) plus a CSV of
 * French unit-group titles → the project's table `rules/noc-2021.json` (see `nocFileSchema`).
 *
 * Pure functions: bytes or text in, data or JSON text out. Reading and writing files is the job of
 * `import-noc-main.ts`. Any problem with the input is reported as a {@link NocImportError} that lists
 * every problem found, so a malformed file never yields a partial table.
 */
import { createHash } from "node:crypto";
import { CsvError } from "csv-parse";
import { parse } from "csv-parse/sync";
import { type NocFile, nocFileSchema, type NocUnitGroup, type Source } from "../../rules/schema.js";

/** The input is missing something, inconsistent or not the expected file. */
export class NocImportError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(NocImportError.describe(file, problems));
    this.name = "NocImportError";
  }

  private static describe(file: string, problems: readonly string[]): string {
    const MAX = 20;
    const shown = problems.slice(0, MAX).map((p) => `  - ${p}`);
    if (problems.length > MAX) shown.push(`  … and ${problems.length - MAX} more`);
    const noun = problems.length === 1 ? "problem" : "problems";
    return `${file}: ${problems.length} ${noun}:\n${shown.join("\n")}`;
  }
}

// ---------------------------------------------------------------------------------------------------
// CSV reading
// ---------------------------------------------------------------------------------------------------

export type CsvInput = string | Uint8Array;

/** UTF-8 text of the input, without a byte-order mark; invalid UTF-8 is an error. */
function decode(input: CsvInput, file: string): string {
  let text: string;
  if (typeof input === "string") {
    text = input;
  } else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(input); // drops a leading BOM
    } catch {
      throw new NocImportError(file, ["is not valid UTF-8"]);
    }
  }
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

/** Records keyed by column name; a missing column, a wrong field count or broken quoting is an error. */
function readCsv<C extends string>(
  input: CsvInput,
  file: string,
  required: readonly C[],
): Record<C, string>[] {
  const text = decode(input, file);
  let rows: string[][];
  try {
    // Fields are kept exactly as written: no trimming, no casting (codes keep their leading zeros).
    rows = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false });
  } catch (error) {
    if (error instanceof CsvError)
      throw new NocImportError(file, [`is not well-formed CSV: ${error.message}`]);
    throw error;
  }
  const [header, ...body] = rows;
  if (header === undefined) throw new NocImportError(file, ["is empty (no header line)"]);
  const missing = required.filter((name) => !header.includes(name));
  if (missing.length > 0) {
    throw new NocImportError(file, [
      `missing column${missing.length === 1 ? "" : "s"} ${missing.map((m) => JSON.stringify(m)).join(", ")} ` +
        `(header is ${header.map((h) => JSON.stringify(h)).join(",")})`,
    ]);
  }
  const duplicated = header.filter((name, i) => header.indexOf(name) !== i);
  if (duplicated.length > 0) {
    throw new NocImportError(file, [`column ${JSON.stringify(duplicated[0])} appears more than once`]);
  }
  return body.map((row) => {
    const record = {} as Record<C, string>;
    for (const name of required) record[name] = row[header.indexOf(name)] ?? "";
    return record;
  });
}

/** Where a record is, for messages: its number after the header (1 = first data row) and its code. */
const at = (index: number, code: string): string => `row ${index + 1} (code ${JSON.stringify(code)})`;

/** A title: not empty and without surrounding white space; a NO-BREAK SPACE inside becomes a plain space. */
function title(raw: string, where: string, problems: string[]): string {
  const value = raw.replace(/\u00A0/g, " ");
  if (value.trim() === "") problems.push(`${where}: empty title`);
  else if (value !== value.trim())
    problems.push(`${where}: title ${JSON.stringify(raw)} has surrounding spaces`);
  return value;
}

// ---------------------------------------------------------------------------------------------------
// The classification structure (Statistics Canada, English)
// ---------------------------------------------------------------------------------------------------

export const STRUCTURE_COLUMNS = {
  level: "Level",
  hierarchy: "Hierarchical structure",
  code: "Code - NOC 2021 V1.0",
  title: "Class title",
  definition: "Class definition",
} as const;

/** The name StatCan gives each level in the "Hierarchical structure" column; a level-n code has n digits. */
export const LEVEL_NAMES = [
  "Broad Category",
  "Major Group",
  "Sub-major Group",
  "Minor Group",
  "Unit Group",
] as const;

export type NocLevel = 1 | 2 | 3 | 4 | 5;

export interface NocStructureRow {
  level: NocLevel;
  code: string;
  /** English class title (a NO-BREAK SPACE in it would become a plain space). */
  title: string;
  /** English class definition, verbatim. */
  definition: string;
}

/**
 * Parses StatCan's `noc_2021_version_1.0_-_classification_structure.csv`. Checks: the five columns,
 * level 1–5 with its StatCan name, a code of `level` digits, no code twice, every code's parent (the
 * code without its last digit) present, and non-empty titles.
 */
export function parseNocStructureCsv(input: CsvInput, file = "structure CSV"): NocStructureRow[] {
  const C = STRUCTURE_COLUMNS;
  const records = readCsv(input, file, Object.values(C));
  const problems: string[] = [];
  const rows: NocStructureRow[] = [];
  const seen = new Map<string, string>();
  records.forEach((record, index) => {
    const code = record[C.code];
    const where = at(index, code);
    const levelText = record[C.level];
    if (!/^[1-5]$/.test(levelText)) {
      problems.push(`${where}: level ${JSON.stringify(levelText)} is not 1–5`);
      return;
    }
    const level = Number(levelText) as NocLevel;
    const levelName = LEVEL_NAMES[level - 1];
    if (record[C.hierarchy] !== levelName) {
      problems.push(
        `${where}: level ${level} should be "${levelName}", not ${JSON.stringify(record[C.hierarchy])}`,
      );
    }
    if (!new RegExp(`^\\d{${level}}$`).test(code)) {
      problems.push(`${where}: a level-${level} code must be ${level} digit${level === 1 ? "" : "s"}`);
      return;
    }
    const first = seen.get(code);
    if (first !== undefined) {
      problems.push(`${where}: duplicate code (first in ${first})`);
      return;
    }
    seen.set(code, where);
    rows.push({
      level,
      code,
      title: title(record[C.title], where, problems),
      definition: record[C.definition],
    });
  });
  for (const row of rows) {
    const parent = row.code.slice(0, -1);
    if (row.level > 1 && !seen.has(parent)) {
      problems.push(`${seen.get(row.code)}: parent code "${parent}" is missing`);
    }
  }
  if (problems.length === 0 && !rows.some((r) => r.level === 5)) problems.push("no unit groups (level 5)");
  if (problems.length > 0) throw new NocImportError(file, problems);
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// French unit-group titles (derived file)
// ---------------------------------------------------------------------------------------------------

export const FRENCH_COLUMNS = [
  "code",
  "title_en",
  "title_fr",
  "teer",
  "broad_category",
  "major_group",
] as const;

export interface NocFrenchRow {
  code: string;
  titleEn: string;
  titleFr: string;
  teer: string;
  /** English broad-category title. */
  broadCategory: string;
  majorGroup: string;
}

/** Parses the French unit-group titles CSV. Checks: the six columns, 5-digit codes, no code twice, a French title. */
export function parseNocFrenchCsv(input: CsvInput, file = "French titles CSV"): NocFrenchRow[] {
  const records = readCsv(input, file, FRENCH_COLUMNS);
  const problems: string[] = [];
  const rows: NocFrenchRow[] = [];
  const seen = new Map<string, string>();
  records.forEach((record, index) => {
    const code = record.code;
    const where = at(index, code);
    if (!/^\d{5}$/.test(code)) {
      problems.push(`${where}: a unit-group code must be 5 digits`);
      return;
    }
    const first = seen.get(code);
    if (first !== undefined) {
      problems.push(`${where}: duplicate code (first in ${first})`);
      return;
    }
    seen.set(code, where);
    if (record.title_fr.trim() === "") {
      problems.push(`${where}: no French title`);
      return;
    }
    rows.push({
      code,
      titleEn: record.title_en,
      titleFr: title(record.title_fr, where, problems),
      teer: record.teer,
      broadCategory: record.broad_category,
      majorGroup: record.major_group,
    });
  });
  if (problems.length > 0) throw new NocImportError(file, problems);
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// Joining both into the table
// ---------------------------------------------------------------------------------------------------

/**
 * One entry per unit group, sorted by code, with the titles of its four ancestors. The French file must
 * cover exactly the structure's unit groups and agree with it (English title, TEER, broad category, major group).
 */
export function buildNocUnitGroups(
  structure: readonly NocStructureRow[],
  french: readonly NocFrenchRow[],
  frenchFile = "French titles CSV",
): NocUnitGroup[] {
  const titles = new Map(structure.map((row) => [row.code, row.title]));
  const frenchByCode = new Map(french.map((row) => [row.code, row]));
  const problems: string[] = [];
  const groups: NocUnitGroup[] = [];
  const unitGroups = structure.filter((row) => row.level === 5).sort((a, b) => a.code.localeCompare(b.code));
  for (const unit of unitGroups) {
    const code = unit.code;
    const fr = frenchByCode.get(code);
    if (fr === undefined) {
      problems.push(`unit group ${code} (${unit.title}) has no French title`);
      continue;
    }
    const ancestor = (digits: number): string => titles.get(code.slice(0, digits)) ?? "";
    const teer = Number(code[1]);
    if (teer > 5) problems.push(`unit group ${code}: TEER (2nd digit) ${teer} is not 0–5`);
    if (fr.titleEn !== unit.title) {
      problems.push(
        `code ${code}: English title ${JSON.stringify(fr.titleEn)} ≠ structure's ${JSON.stringify(unit.title)}`,
      );
    }
    if (fr.teer !== code[1])
      problems.push(`code ${code}: teer ${JSON.stringify(fr.teer)} ≠ 2nd digit ${code[1]}`);
    if (fr.majorGroup !== code.slice(0, 2)) {
      problems.push(`code ${code}: major_group ${JSON.stringify(fr.majorGroup)} ≠ ${code.slice(0, 2)}`);
    }
    if (fr.broadCategory !== ancestor(1)) {
      problems.push(
        `code ${code}: broad_category ${JSON.stringify(fr.broadCategory)} ≠ ${JSON.stringify(ancestor(1))}`,
      );
    }
    groups.push({
      code,
      titleEn: unit.title,
      titleFr: fr.titleFr,
      teer,
      broadCategory: code.slice(0, 1),
      broadCategoryTitle: ancestor(1),
      majorGroup: code.slice(0, 2),
      majorGroupTitle: ancestor(2),
      subMajorGroup: code.slice(0, 3),
      subMajorGroupTitle: ancestor(3),
      minorGroup: code.slice(0, 4),
      minorGroupTitle: ancestor(4),
    });
  }
  const known = new Set(unitGroups.map((u) => u.code));
  for (const row of french) {
    if (!known.has(row.code))
      problems.push(`code ${row.code} is not a unit group of the classification structure`);
  }
  if (problems.length > 0) throw new NocImportError(frenchFile, problems);
  return groups;
}

export const NOC_SOURCE_URLS = {
  structure: "https://www.statcan.gc.ca/en/subjects/standard/noc/2021/indexV1",
  french: "https://www.statcan.gc.ca/fr/sujets/normes/cnp/2021/indexV1",
  ircc: "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/eligibility/find-national-occupation-code.html",
} as const;

/** The date IRCC's programs, Express Entry included, moved from NOC 2016 to NOC 2021. */
export const NOC_2021_IN_USE_BY_IRCC_FROM = "2022-11-16";

const sha256 = (input: CsvInput): string =>
  createHash("sha256")
    .update(typeof input === "string" ? Buffer.from(input, "utf8") : input)
    .digest("hex");

/** The whole table, validated against `nocFileSchema`. The notes record the SHA-256 of both inputs. */
export function buildNocFile(
  structureCsv: CsvInput,
  frenchCsv: CsvInput,
  names: { structure?: string; french?: string } = {},
): NocFile {
  const structure = parseNocStructureCsv(structureCsv, names.structure);
  const french = parseNocFrenchCsv(frenchCsv, names.french);
  const unitGroups = buildNocUnitGroups(structure, french, names.french);
  const sources: Source[] = [
    {
      url: NOC_SOURCE_URLS.structure,
      status: "official",
      note:
        "NOC 2021 Version 1.0 classification structure, Statistics Canada/ESDC file " +
        "noc_2021_version_1.0_-_classification_structure.csv (levels 1-5: codes and English titles). " +
        `SHA-256 of the file imported: ${sha256(structureCsv)}.`,
    },
    {
      url: NOC_SOURCE_URLS.french,
      status: "secondary",
      note:
        "French unit-group titles (CNP 2021 version 1.0) transcribed from a third-party copy of Statistics " +
        "Canada's CNP file (GitHub Nshipyard/toronto-civic-codebooks, data/noc_2021.csv, commit 2ef5f29e), " +
        "not from StatCan's own CNP structure file, which was not available; levels 1-4 have no French titles here. " +
        `SHA-256 of the file imported: ${sha256(frenchCsv)}.`,
    },
    {
      url: NOC_SOURCE_URLS.ircc,
      status: "secondary-confirmed",
      note: `IRCC programs, Express Entry included, use NOC 2021 from ${NOC_2021_IN_USE_BY_IRCC_FROM} (inUseByIrccFrom).`,
    },
  ];
  return nocFileSchema.parse({
    classification: "NOC 2021 Version 1.0",
    inUseByIrccFrom: NOC_2021_IN_USE_BY_IRCC_FROM,
    sources,
    generatedBy: "npm run import:noc",
    unitGroups,
  });
}

/** JSON text: the header indented, then one unit group per line; ends with a newline. */
export function formatNocFile(file: NocFile): string {
  const { unitGroups, ...head } = file;
  const headText = JSON.stringify(head, null, 2).replace(/\n}$/, "");
  const lines = unitGroups.map((group) => `    ${JSON.stringify(group)}`);
  return `${headText},\n  "unitGroups": [\n${lines.join(",\n")}\n  ]\n}\n`;
}

/** Number of unit groups per TEER level (0–5). */
export function countByTeer(groups: readonly Pick<NocUnitGroup, "teer">[]): Record<number, number> {
  const counts: Record<number, number> = { 0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  for (const group of groups) counts[group.teer] = (counts[group.teer] ?? 0) + 1;
  return counts;
}
