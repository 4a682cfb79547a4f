/**
 * NOC 2021 import (src/adapters/import/noc-csv.ts) and the committed table rules/noc-2021.json.
 * The CLI tests run the built script (run `npm run build` first); the regeneration tests need Statistics
 * Canada's files in ../shared/data and are skipped where they are absent.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildNocFile,
  countByTeer,
  formatNocFile,
  NocImportError,
  parseNocFrenchCsv,
  parseNocStructureCsv,
} from "../src/adapters/import/noc-csv.js";
import { nocFileSchema, type NocUnitGroup } from "../src/rules/schema.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MAIN = fileURLToPath(new URL("../dist/src/adapters/import/import-noc-main.js", import.meta.url));
const TABLE = join(ROOT, "rules/noc-2021.json");
const SHARED = join(ROOT, "../shared/data");
const STRUCTURE = join(SHARED, "noc-2021-structure.csv");
const FRENCH = join(SHARED, "noc-2021-unit-groups-fr.csv");

const BOM = "\uFEFF";
const NBSP = "\u00A0";
const crlf = (lines: string[]) => lines.map((line) => `${line}\r\n`).join("");

const STRUCTURE_HEADER = "Level,Hierarchical structure,Code - NOC 2021 V1.0,Class title,Class definition";
const STRUCTURE_ROWS = [
  "1,Broad Category,0,Legislative and senior management occupations,This category comprises legislators.",
  "2,Major Group,00,Legislative and senior managers,This major group comprises legislators.",
  "3,Sub-major Group,000,Legislative and senior managers,This sub-major group comprises legislators.",
  "4,Minor Group,0001,Legislative and senior managers,This minor group comprises legislators.",
  "5,Unit Group,00010,Legislators,Legislators participate in legislation.",
  '5,Unit Group,00012,"Senior managers - financial, communications and other business services","Senior managers plan, organize, direct."',
  '1,Broad Category,4,"Occupations in education, law and social, community and government services",Education and law.',
  '2,Major Group,40,"Specialized middle management occupations",Managers.',
  "3,Sub-major Group,400,Managers in public administration,Managers.",
  "4,Minor Group,4004,Managers in public protection services,Managers.",
  `5,Unit Group,40042,Commissioned officers of the Canadian${NBSP}Armed Forces,"They plan, under the Canadian Armed Forces${NBSP}plan."`,
];
const structureCsv = (rows: string[] = STRUCTURE_ROWS, header = STRUCTURE_HEADER) =>
  BOM + crlf([header, ...rows]);

const FRENCH_HEADER = "code,title_en,title_fr,teer,broad_category,major_group";
const FRENCH_ROWS = [
  "00010,Legislators,Membres des corps législatifs,0,Legislative and senior management occupations,00",
  '00012,"Senior managers - financial, communications and other business services","Cadres supérieurs/cadres supérieures - services financiers, communications et autres services aux entreprises",0,Legislative and senior management occupations,00',
  '40042,Commissioned officers of the Canadian Armed Forces,Officiers/officières de direction des Forces armées canadiennes,0,"Occupations in education, law and social, community and government services",40',
];
const frenchCsv = (rows: string[] = FRENCH_ROWS, header = FRENCH_HEADER) => crlf([header, ...rows]);

/** The problems listed by the NocImportError that `run` throws. */
function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(NocImportError);
    return [...(error as NocImportError).problems];
  }
  throw new Error("expected a NocImportError");
}

describe("parsing StatCan's classification-structure CSV", () => {
  it("reads a BOM, CRLF lines and quoted fields with commas; codes keep their leading zeros", () => {
    const rows = parseNocStructureCsv(structureCsv());
    expect(rows.map((r) => r.code)).toEqual([
      "0",
      "00",
      "000",
      "0001",
      "00010",
      "00012",
      "4",
      "40",
      "400",
      "4004",
      "40042",
    ]);
    expect(rows[0]).toEqual({
      level: 1,
      code: "0",
      title: "Legislative and senior management occupations",
      definition: "This category comprises legislators.",
    });
    expect(rows.find((r) => r.code === "00012")?.title).toBe(
      "Senior managers - financial, communications and other business services",
    );
    expect(rows.every((r) => !r.definition.endsWith("\r"))).toBe(true);
  });

  it("reads the same from bytes (BOM included) as from text", () => {
    expect(parseNocStructureCsv(Buffer.from(structureCsv(), "utf8"))).toEqual(
      parseNocStructureCsv(structureCsv()),
    );
  });

  it("keeps a NO-BREAK SPACE (U+00A0) in a definition, as StatCan wrote it, and makes it a plain space in a title", () => {
    const officer = parseNocStructureCsv(structureCsv()).find((r) => r.code === "40042");
    expect(officer?.definition).toBe(`They plan, under the Canadian Armed Forces${NBSP}plan.`);
    expect(officer?.title).toBe("Commissioned officers of the Canadian Armed Forces");
  });

  it("reads the columns by name, in any order", () => {
    const reordered = STRUCTURE_ROWS.map((line) => {
      const [fields] = parse(line) as string[][];
      const [level, hierarchy, code, title, definition] = fields ?? [];
      return [code, title, level, definition, hierarchy].map((f) => `"${f}"`).join(",");
    });
    const header = "Code - NOC 2021 V1.0,Class title,Level,Class definition,Hierarchical structure";
    expect(parseNocStructureCsv(structureCsv(reordered, header))).toEqual(
      parseNocStructureCsv(structureCsv()),
    );
  });
});

describe("malformed structure CSV", () => {
  it("a missing column", () => {
    const header = STRUCTURE_HEADER.replace("Code - NOC 2021 V1.0", "Code");
    expect(problems(() => parseNocStructureCsv(structureCsv(STRUCTURE_ROWS, header)))[0]).toMatch(
      /missing column "Code - NOC 2021 V1.0"/,
    );
  });

  it("a duplicate code", () => {
    const rows = [...STRUCTURE_ROWS, "5,Unit Group,00010,Legislators again,Twice."];
    expect(problems(() => parseNocStructureCsv(structureCsv(rows)))).toEqual([
      'row 12 (code "00010"): duplicate code (first in row 5 (code "00010"))',
    ]);
  });

  it("a code whose parent is missing", () => {
    const rows = STRUCTURE_ROWS.filter((line) => !line.includes(",0001,"));
    expect(problems(() => parseNocStructureCsv(structureCsv(rows)))).toEqual([
      'row 4 (code "00010"): parent code "0001" is missing',
      'row 5 (code "00012"): parent code "0001" is missing',
    ]);
  });

  it("a code of the wrong length, an unknown level, a wrong level name, an empty title", () => {
    const rows = [
      ...STRUCTURE_ROWS,
      "5,Unit Group,4004,Short code,Four digits at level 5.",
      "6,Sub-unit,400421,Too deep,No level 6.",
      "5,Unit group,00013,Lower-case level name,StatCan writes Unit Group.",
      "5,Unit Group,00014,,No title.",
      "5,Unit Group,00015, Spaced title ,Spaces.",
    ];
    expect(problems(() => parseNocStructureCsv(structureCsv(rows)))).toEqual([
      'row 12 (code "4004"): a level-5 code must be 5 digits',
      'row 13 (code "400421"): level "6" is not 1–5',
      'row 14 (code "00013"): level 5 should be "Unit Group", not "Unit group"',
      'row 15 (code "00014"): empty title',
      'row 16 (code "00015"): title " Spaced title " has surrounding spaces',
    ]);
  });

  it("broken CSV: a row with too many fields, an unclosed quote, invalid UTF-8, no unit groups, an empty file", () => {
    expect(
      problems(() => parseNocStructureCsv(structureCsv([...STRUCTURE_ROWS, "5,Unit Group,00013,A,B,C"])))[0],
    ).toMatch(/not well-formed CSV: Invalid Record Length/);
    expect(
      problems(() => parseNocStructureCsv(structureCsv([...STRUCTURE_ROWS, '5,Unit Group,00013,"Open'])))[0],
    ).toMatch(/not well-formed CSV: Quote Not Closed/);
    const bytes = Buffer.concat([Buffer.from(structureCsv(), "utf8"), Buffer.from([0xff, 0xfe, 0x0d, 0x0a])]);
    expect(problems(() => parseNocStructureCsv(bytes))).toEqual(["is not valid UTF-8"]);
    expect(problems(() => parseNocStructureCsv(structureCsv(STRUCTURE_ROWS.slice(0, 4))))).toEqual([
      "no unit groups (level 5)",
    ]);
    expect(problems(() => parseNocStructureCsv(""))).toEqual(["is empty (no header line)"]);
  });

  it("names the file and lists the problems in the message", () => {
    const rows = [...STRUCTURE_ROWS, "5,Unit Group,00010,Legislators again,Twice."];
    expect(() => parseNocStructureCsv(structureCsv(rows), "noc.csv")).toThrow(
      /^noc\.csv: 1 problem:\n {2}- row 12 \(code "00010"\): duplicate code/,
    );
  });
});

describe("the French unit-group titles CSV", () => {
  it("reads CRLF lines and quoted fields with commas", () => {
    const rows = parseNocFrenchCsv(frenchCsv());
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual({
      code: "00012",
      titleEn: "Senior managers - financial, communications and other business services",
      titleFr:
        "Cadres supérieurs/cadres supérieures - services financiers, communications et autres services aux entreprises",
      teer: "0",
      broadCategory: "Legislative and senior management occupations",
      majorGroup: "00",
    });
  });

  it("errors: a missing column, a unit group without a French title, a duplicate code, a bad code", () => {
    expect(
      problems(() => parseNocFrenchCsv(frenchCsv(FRENCH_ROWS, FRENCH_HEADER.replace("title_fr", "titre")))),
    ).toEqual([expect.stringMatching(/^missing column "title_fr"/)]);
    const rows = [
      "00010,Legislators,,0,Legislative and senior management occupations,00",
      "00012,Senior managers,Cadres,0,Legislative and senior management occupations,00",
      "00012,Senior managers,Cadres,0,Legislative and senior management occupations,00",
      "0012,Senior managers,Cadres,0,Legislative and senior management occupations,00",
    ];
    expect(problems(() => parseNocFrenchCsv(frenchCsv(rows)))).toEqual([
      'row 1 (code "00010"): no French title',
      'row 3 (code "00012"): duplicate code (first in row 2 (code "00012"))',
      'row 4 (code "0012"): a unit-group code must be 5 digits',
    ]);
  });

  it("must cover exactly the structure's unit groups and agree with it", () => {
    const missing = FRENCH_ROWS.slice(0, 2);
    expect(problems(() => buildNocFile(structureCsv(), frenchCsv(missing)))).toEqual([
      "unit group 40042 (Commissioned officers of the Canadian Armed Forces) has no French title",
    ]);
    const extra = [...FRENCH_ROWS, "00099,Ghost,Fantôme,0,Legislative and senior management occupations,00"];
    expect(problems(() => buildNocFile(structureCsv(), frenchCsv(extra)))).toEqual([
      "code 00099 is not a unit group of the classification structure",
    ]);
    const disagreeing = [
      FRENCH_ROWS[0]?.replace("Legislators,", "Lawmakers,").replace(",0,", ",1,").replace(/,00$/, ",01") ??
        "",
      ...FRENCH_ROWS.slice(1, 2),
      FRENCH_ROWS[2]?.replace('"Occupations in education', '"Jobs in education') ?? "",
    ];
    expect(problems(() => buildNocFile(structureCsv(), frenchCsv(disagreeing)))).toEqual([
      'code 00010: English title "Lawmakers" ≠ structure\'s "Legislators"',
      'code 00010: teer "1" ≠ 2nd digit 0',
      'code 00010: major_group "01" ≠ 00',
      'code 40042: broad_category "Jobs in education, law and social, community and government services" ≠ "Occupations in education, law and social, community and government services"',
    ]);
  });
});

describe("building the table", () => {
  const file = buildNocFile(structureCsv(), frenchCsv());

  it("one entry per unit group, sorted by code, with its ancestors' codes and titles", () => {
    expect(nocFileSchema.parse(file)).toEqual(file);
    expect(file.unitGroups.map((g) => g.code)).toEqual(["00010", "00012", "40042"]);
    expect(file.unitGroups[2]).toEqual({
      code: "40042",
      titleEn: "Commissioned officers of the Canadian Armed Forces",
      titleFr: "Officiers/officières de direction des Forces armées canadiennes",
      teer: 0,
      broadCategory: "4",
      broadCategoryTitle: "Occupations in education, law and social, community and government services",
      majorGroup: "40",
      majorGroupTitle: "Specialized middle management occupations",
      subMajorGroup: "400",
      subMajorGroupTitle: "Managers in public administration",
      minorGroup: "4004",
      minorGroupTitle: "Managers in public protection services",
    });
    expect(file.sources.map((s) => s.status)).toEqual(["official", "secondary", "secondary-confirmed"]);
    expect(file.sources[1]?.note).toMatch(/transcribed from a third-party copy/);
  });

  it("is sorted by code whatever the input order", () => {
    const shuffled = [...STRUCTURE_ROWS].reverse();
    expect(buildNocFile(structureCsv(shuffled), frenchCsv([...FRENCH_ROWS].reverse())).unitGroups).toEqual(
      file.unitGroups,
    );
  });

  it("formats as JSON with one unit group per line", () => {
    const text = formatNocFile(file);
    expect(JSON.parse(text)).toEqual(file);
    expect(text.endsWith("\n  ]\n}\n")).toBe(true);
    const lines = text.split("\n").filter((line) => line.startsWith('    {"code":'));
    expect(lines).toHaveLength(3);
  });
});

describe("the import:noc script (built)", () => {
  const dir = mkdtempSync(join(tmpdir(), "noc-import-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const structurePath = join(dir, "structure.csv");
  const frenchPath = join(dir, "french.csv");
  const outPath = join(dir, "out", "noc.json");
  writeFileSync(structurePath, structureCsv());

  function run(args: string[]) {
    const result = spawnSync(process.execPath, [MAIN, ...args], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 20_000,
    });
    if (result.error) throw result.error;
    expect(result.stderr, "stack trace on stderr").not.toContain("    at ");
    return result;
  }

  it("writes the table from the given files", () => {
    writeFileSync(frenchPath, frenchCsv());
    const result = run(["--structure", structurePath, "--french", frenchPath, "--out", outPath]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/: 3 unit groups \(TEER 0: 3, TEER 1: 0/);
    expect(readFileSync(outPath, "utf8")).toBe(formatNocFile(buildNocFile(structureCsv(), frenchCsv())));
  });

  it("exit 2 with a clear message for a missing file, a malformed file or a bad option; nothing written", () => {
    const out = join(dir, "never.json");
    const missing = run(["--structure", join(dir, "nope.csv"), "--french", frenchPath, "--out", out]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(
      /^import:noc: cannot read the structure file .*nope\.csv: no such file\n$/,
    );

    writeFileSync(frenchPath, frenchCsv(FRENCH_ROWS.slice(0, 2)));
    const malformed = run(["--structure", structurePath, "--french", frenchPath, "--out", out]);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toMatch(
      /french\.csv: 1 problem:\n {2}- unit group 40042 .* has no French title\n$/,
    );

    const badOption = run(["--bogus"]);
    expect(badOption.status).toBe(2);
    expect(badOption.stderr).toMatch(/^import:noc: Unknown option '--bogus'/);
    expect(existsSync(out)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------
// The committed table
// ---------------------------------------------------------------------------------------------------

const committedText = readFileSync(TABLE, "utf8");
const committed = nocFileSchema.parse(JSON.parse(committedText));
const byCode = new Map<string, NocUnitGroup>(committed.unitGroups.map((g) => [g.code, g]));

describe("rules/noc-2021.json", () => {
  it("516 unit groups, unique codes, sorted", () => {
    const codes = committed.unitGroups.map((g) => g.code);
    expect(codes).toHaveLength(516);
    expect(new Set(codes).size).toBe(516);
    expect(codes).toEqual([...codes].sort());
  });

  it("each unit group's TEER is its 2nd digit, and its groups are its code's prefixes", () => {
    for (const g of committed.unitGroups) {
      expect(g.teer, g.code).toBe(Number(g.code[1]));
      expect([g.broadCategory, g.majorGroup, g.subMajorGroup, g.minorGroup], g.code).toEqual([
        g.code.slice(0, 1),
        g.code.slice(0, 2),
        g.code.slice(0, 3),
        g.code.slice(0, 4),
      ]);
    }
  });

  it("TEER counts", () => {
    expect(countByTeer(committed.unitGroups)).toEqual({ 0: 48, 1: 97, 2: 162, 3: 69, 4: 95, 5: 45 });
  });

  it("10 broad categories, 45 major groups, 89 sub-major groups, 162 minor groups, each with one title", () => {
    const titles = (key: "broadCategory" | "majorGroup" | "subMajorGroup" | "minorGroup") => {
      const seen = new Map<string, Set<string>>();
      for (const g of committed.unitGroups) {
        const set = seen.get(g[key]) ?? new Set<string>();
        set.add(g[`${key}Title`]);
        seen.set(g[key], set);
      }
      expect(
        [...seen.values()].every((set) => set.size === 1),
        key,
      ).toBe(true);
      return seen.size;
    };
    expect([
      titles("broadCategory"),
      titles("majorGroup"),
      titles("subMajorGroup"),
      titles("minorGroup"),
    ]).toEqual([10, 45, 89, 162]);
  });

  it("known rows", () => {
    expect(byCode.get("00012")).toMatchObject({
      teer: 0,
      titleEn: "Senior managers - financial, communications and other business services",
      titleFr:
        "Cadres supérieurs/cadres supérieures - services financiers, communications et autres services aux entreprises",
      broadCategoryTitle: "Legislative and senior management occupations",
    });
    expect(byCode.get("31102")).toMatchObject({
      teer: 1,
      titleEn: "General practitioners and family physicians",
      broadCategory: "3",
      broadCategoryTitle: "Health occupations",
    });
    expect(byCode.get("72410")).toMatchObject({
      teer: 2,
      titleEn: "Automotive service technicians, truck and bus mechanics and mechanical repairers",
    });
    expect(byCode.get("63201")).toMatchObject({ teer: 3, titleEn: "Butchers - retail and wholesale" });
    expect(byCode.get("22313")).toMatchObject({
      teer: 2,
      titleEn: "Aircraft instrument, electrical and avionics mechanics, technicians and inspectors",
    });
    expect(byCode.get("33102")).toMatchObject({
      teer: 3,
      titleEn: "Nurse aides, orderlies and patient service associates",
    });
    expect(byCode.get("64300")?.titleEn).toBe("Maîtres d'hôtel and hosts/hostesses");
  });

  it("no title has surrounding or non-breaking spaces", () => {
    for (const g of committed.unitGroups) {
      for (const t of [g.titleEn, g.titleFr, g.broadCategoryTitle, g.majorGroupTitle, g.minorGroupTitle]) {
        expect(t, g.code).toBe(t.trim());
        expect(t, g.code).not.toContain(NBSP);
      }
    }
  });

  it("dates and sources", () => {
    expect(committed.inUseByIrccFrom).toBe("2022-11-16");
    expect(committed.generatedBy).toBe("npm run import:noc");
    expect(committed.sources.map((s) => [s.url, s.status])).toEqual([
      ["https://www.statcan.gc.ca/en/subjects/standard/noc/2021/indexV1", "official"],
      ["https://www.statcan.gc.ca/fr/sujets/normes/cnp/2021/indexV1", "secondary"],
      [
        "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/eligibility/find-national-occupation-code.html",
        "secondary-confirmed",
      ],
    ]);
  });
});

describe.skipIf(!existsSync(STRUCTURE) || !existsSync(FRENCH))(
  "rules/noc-2021.json from the shared StatCan files",
  () => {
    it("regenerating yields exactly the committed file", () => {
      const text = formatNocFile(buildNocFile(readFileSync(STRUCTURE), readFileSync(FRENCH)));
      expect(text === committedText, "rules/noc-2021.json is stale: run `npm run import:noc`").toBe(true);
    });

    it("the committed file has the CSV's unit groups, titles and TEER counts (read here without the importer)", () => {
      const rows = parse(readFileSync(STRUCTURE), { bom: true, columns: true }) as Record<string, string>[];
      const units = rows.filter((r) => r["Level"] === "5");
      expect(rows).toHaveLength(822);
      expect(units).toHaveLength(516);
      const teerCounts: Record<number, number> = {};
      for (const u of units) {
        const teer = Number(u["Code - NOC 2021 V1.0"]?.[1]);
        teerCounts[teer] = (teerCounts[teer] ?? 0) + 1;
      }
      expect(countByTeer(committed.unitGroups)).toEqual(teerCounts);
      expect(Object.fromEntries(units.map((u) => [u["Code - NOC 2021 V1.0"], u["Class title"]]))).toEqual(
        Object.fromEntries(committed.unitGroups.map((g) => [g.code, g.titleEn])),
      );
      const french = parse(readFileSync(FRENCH), { columns: true }) as Record<string, string>[];
      expect(Object.fromEntries(french.map((f) => [f["code"], f["title_fr"]]))).toEqual(
        Object.fromEntries(committed.unitGroups.map((g) => [g.code, g.titleFr])),
      );
    });
  },
);
