/**
 * Category-based selection rule data (rules/categories/*.json, rules/category-experience.json), checked
 * against the reference text (/work/shared/reference/express-entry-rules.md §0, §4, §5.5) and the IRCC
 * rounds data (/work/shared/data). Expected counts, codes and windows are transcribed by hand from the
 * reference, not derived from the data files, so a slip in a file shows up as a failure here.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  categoryExperienceFileSchema,
  categoryVersionSchema,
  type CategoryVersion,
} from "../src/rules/schema.js";

const RULES = new URL("../rules/", import.meta.url);
const CATEGORIES_DIR = new URL("categories/", RULES);
const SHARED_DATA = "/work/shared/data";
const ROUNDS_FILE = `${SHARED_DATA}/ircc-rounds.json`;
const ROUNDS_NEWER_FILE = `${SHARED_DATA}/ircc-rounds-gotfrid.json`;
const NOC_FILE = `${SHARED_DATA}/noc-2021-unit-groups-fr.csv`;

function readJson(url: URL | string): unknown {
  return JSON.parse(readFileSync(url, "utf8"));
}

const files = readdirSync(CATEGORIES_DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();
const versions: CategoryVersion[] = files.map((f) => {
  const parsed = categoryVersionSchema.safeParse(readJson(new URL(f, CATEGORIES_DIR)));
  if (!parsed.success) throw new Error(`rules/categories/${f}: ${parsed.error.message}`);
  return parsed.data;
});
const byId = new Map(versions.map((v) => [v.id, v]));

function version(id: string): CategoryVersion {
  const v = byId.get(id);
  if (!v) throw new Error(`no category version ${id}`);
  return v;
}
function nocsOf(id: string): string[] {
  const r = version(id).requirement;
  if (r.kind !== "occupation") throw new Error(`${id} is not an occupational category`);
  return r.nocs;
}
const sorted = (xs: Iterable<string>) => [...xs].sort();
const inForce = (v: CategoryVersion, date: string) =>
  v.effectiveFrom <= date && (v.effectiveTo === null || date <= v.effectiveTo);

// ---------------------------------------------------------------------------------------------------
// Expected versions (reference §4.2–4.4, §0, data README "Distinct drawName values")
// ---------------------------------------------------------------------------------------------------

interface Expected {
  category: CategoryVersion["category"];
  roundName: string | null;
  from: string;
  to: string | null;
  /** Number of NOC codes; null for French. */
  count: number | null;
  /** A few codes from the reference list that must be present. */
  some?: string[];
  /** Codes that must be absent (moved or removed in that version). */
  not?: string[];
  inCanada?: boolean;
}

const EXPECTED: Record<string, Expected> = {
  "french-v1": {
    category: "french-language",
    roundName: "French language proficiency (Version 1)",
    from: "2023-05-31",
    to: "2026-02-05",
    count: null,
  },
  "french-2026-v2": {
    category: "french-language",
    roundName: "French-Language proficiency 2026-Version 2",
    from: "2026-02-06",
    to: null,
    count: null,
  },
  "healthcare-v1": {
    category: "healthcare",
    roundName: "Healthcare occupations (Version 1)",
    from: "2023-05-31",
    to: "2025-02-26",
    count: 35,
    some: ["31100", "31204", "32200", "33109", "41320", "42203"],
    not: ["31120", "41300", "42201"],
  },
  "healthcare-v2": {
    category: "healthcare",
    roundName: "Healthcare and social services occupations (Version 2)",
    from: "2025-02-27",
    to: "2026-02-17",
    count: 37,
    some: ["31102", "31120", "32104", "32129", "41300", "42201"],
    not: ["42203", "31204"],
  },
  "healthcare-2026-v3": {
    category: "healthcare",
    roundName: "Healthcare and Social Services Occupations, 2026-Version 3",
    from: "2026-02-18",
    to: null,
    count: 37,
    some: ["31301", "32111", "33103", "41301", "42201"],
    not: ["42203"],
  },
  "stem-v1": {
    category: "stem",
    roundName: "STEM occupations (Version 1)",
    from: "2023-05-31",
    to: "2025-02-26",
    count: 24,
    some: ["20010", "21211", "21234", "21322", "41400"],
    not: ["63100", "22300"],
  },
  "stem-2025": {
    category: "stem",
    roundName: null,
    from: "2025-02-27",
    to: null,
    count: 11,
    some: ["20011", "21220", "21331", "22310", "63100"],
    not: ["20010", "41400"],
  },
  "trades-v1": {
    category: "trades",
    roundName: "Trade occupations (Version 1)",
    from: "2023-05-31",
    to: "2025-02-26",
    count: 10,
    some: ["72014", "72106", "72405", "72406", "73200"],
    not: ["63200"],
  },
  "trades-v2": {
    category: "trades",
    roundName: "Trade occupations (Version 2)",
    from: "2025-02-27",
    to: "2026-02-17",
    count: 25,
    some: ["22303", "63200", "70010", "72999", "82021"],
    not: ["63201", "72014", "73200"],
  },
  "trades-2026-v3": {
    category: "trades",
    roundName: "Trades Occupations, 2026-Version 3",
    from: "2026-02-18",
    to: null,
    count: 25,
    some: ["22303", "63201", "72422", "73113", "82021"],
    not: ["63200"],
  },
  "transport-v1": {
    category: "transport",
    roundName: "Transport occupations (Version 1)",
    from: "2023-05-31",
    to: "2025-02-26",
    count: 10,
    some: ["70020", "72403", "72604", "73300", "93200"],
    not: ["72410", "22313"],
  },
  "transport-2026-v2": {
    category: "transport",
    roundName: "Transport Occupations, 2026-Version 2",
    from: "2026-02-18",
    to: null,
    count: 4,
    some: ["72600", "72410", "72404", "22313"],
    not: ["73300"],
  },
  "agriculture-v1": {
    category: "agriculture",
    roundName: "Agriculture and agri-food occupations (Version 1)",
    from: "2023-05-31",
    to: "2025-02-26",
    count: 3,
    some: ["82030", "82031", "63201"],
  },
  "agriculture-2025": {
    category: "agriculture",
    roundName: null,
    from: "2025-02-27",
    to: "2026-02-17",
    count: 1,
    some: ["63201"],
    not: ["82030", "82031"],
  },
  "education-v1": {
    category: "education",
    roundName: "Education occupations (Version 1)",
    from: "2025-02-27",
    to: null,
    count: 5,
    some: ["41220", "41221", "42202", "42203", "43100"],
  },
  "physicians-2026-v1": {
    category: "physicians",
    roundName: "Physicians with Canadian Work Experience, 2026-Version 1",
    from: "2025-12-08",
    to: null,
    count: 3,
    some: ["31100", "31101", "31102"],
    inCanada: true,
  },
  "senior-managers-2026-v1": {
    category: "senior-managers",
    roundName: "Senior managers with Canadian Work Experience, 2026-Version 1",
    from: "2026-02-18",
    to: null,
    count: 4,
    some: ["00012", "00013", "00014", "00015"],
    inCanada: true,
  },
  "researchers-2026-v1": {
    category: "researchers",
    roundName: null,
    from: "2026-02-18",
    to: null,
    count: 2,
    some: ["41200", "41201"],
    inCanada: true,
  },
  "military-2026-v1": {
    category: "military",
    roundName: "Skilled Military Recruits, 2026-Version 1",
    from: "2026-02-18",
    to: null,
    count: 3,
    some: ["40042", "42102", "43204"],
  },
};

describe("rules/categories: every version from the reference", () => {
  it("has exactly the expected versions, one file each, named by id", () => {
    expect(sorted(byId.keys())).toEqual(sorted(Object.keys(EXPECTED)));
    expect(files).toEqual(versions.map((v) => `${v.id}.json`));
  });

  for (const [id, e] of Object.entries(EXPECTED)) {
    describe(id, () => {
      it("category, round name and window", () => {
        const v = version(id);
        expect(v.category).toBe(e.category);
        expect(v.roundName).toBe(e.roundName);
        expect(v.effectiveFrom).toBe(e.from);
        expect(v.effectiveTo).toBe(e.to);
        // A version with no round seen must say so.
        if (e.roundName === null) expect(v.note ?? "").toMatch(/round/i);
      });

      it(e.count === null ? "French: NCLC 7 in all four abilities" : `${e.count} NOC codes`, () => {
        const r = version(id).requirement;
        if (e.count === null) {
          expect(r).toEqual({ kind: "french-language", minNclcAllAbilities: 7 });
          return;
        }
        if (r.kind !== "occupation") throw new Error(`${id}: expected an occupation requirement`);
        expect(r.nocs).toHaveLength(e.count);
        expect(new Set(r.nocs).size).toBe(r.nocs.length);
        for (const c of e.some ?? []) expect(r.nocs).toContain(c);
        for (const c of e.not ?? []) expect(r.nocs).not.toContain(c);
        expect(r.inCanada).toBe(e.inCanada ?? false);
      });

      it("cites the official category page with a secondary status and names its sources", () => {
        const s = version(id).source;
        expect(s.url).toBe(
          "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/submit-profile/rounds-invitations/category-based-selection.html",
        );
        expect(["secondary", "secondary-confirmed"]).toContain(s.status);
        expect(s.note ?? "").not.toBe("");
      });
    });
  }
});

describe("rules/categories: list changes between versions (reference §4.3)", () => {
  it("2025 healthcare = 2023 list − 6 removed + 8 added; 2026 list is the same", () => {
    const removed = ["31204", "32200", "32209", "33109", "41320", "42203"];
    const added = ["31120", "32104", "32111", "32123", "32124", "32129", "41300", "42201"];
    const expected = sorted([...nocsOf("healthcare-v1").filter((c) => !removed.includes(c)), ...added]);
    expect(sorted(nocsOf("healthcare-v2"))).toEqual(expected);
    expect(sorted(nocsOf("healthcare-2026-v3"))).toEqual(expected);
  });

  it("42203 moved from healthcare to education in 2025", () => {
    expect(nocsOf("healthcare-v1")).toContain("42203");
    expect(nocsOf("healthcare-v2")).not.toContain("42203");
    expect(nocsOf("education-v1")).toContain("42203");
  });

  it("2025 STEM keeps 5 of the 24 codes (19 removed) and adds 6", () => {
    const kept = nocsOf("stem-2025").filter((c) => nocsOf("stem-v1").includes(c));
    expect(sorted(kept)).toEqual(["20011", "21220", "21300", "21310", "21321"]);
    const added = nocsOf("stem-2025").filter((c) => !nocsOf("stem-v1").includes(c));
    expect(sorted(added)).toEqual(["21301", "21331", "22300", "22301", "22310", "63100"]);
  });

  it("2025 trades = 2023 list − {72014, 72405, 72406, 73200} + 19 added", () => {
    const removed = ["72014", "72405", "72406", "73200"];
    const v1 = nocsOf("trades-v1");
    const v2 = nocsOf("trades-v2");
    expect(v1.filter((c) => !v2.includes(c)).sort()).toEqual(removed);
    expect(v2.filter((c) => !v1.includes(c))).toHaveLength(19);
  });

  it("2026 trades = 2025 trades − 63200 (Cooks) + 63201 (Butchers)", () => {
    const expected = sorted([...nocsOf("trades-v2").filter((c) => c !== "63200"), "63201"]);
    expect(sorted(nocsOf("trades-2026-v3"))).toEqual(expected);
  });

  it("2025 agriculture = 2023 list − {82030, 82031}; 63201 goes to trades when agriculture retires", () => {
    expect(sorted(nocsOf("agriculture-v1").filter((c) => c !== "82030" && c !== "82031"))).toEqual(
      sorted(nocsOf("agriculture-2025")),
    );
    expect(version("agriculture-2025").effectiveTo).toBe("2026-02-17");
    expect(version("trades-2026-v3").effectiveFrom).toBe("2026-02-18");
  });
});

describe("rules/categories: special conditions", () => {
  it("physicians: 12 months continuous in Canada from 2025-12-08, not continuous from 2026-02-18", () => {
    const r = version("physicians-2026-v1").requirement;
    if (r.kind !== "occupation") throw new Error("expected an occupation requirement");
    expect(r.inCanada).toBe(true);
    expect(r.experience).toEqual([
      { effectiveFrom: "2025-12-08", months: 12, continuous: true, windowYears: 3 },
      { effectiveFrom: "2026-02-18", months: 12, continuous: false, windowYears: 3 },
    ]);
  });

  it("only physicians override the general experience rule", () => {
    for (const v of versions)
      if (v.requirement.kind === "occupation" && v.id !== "physicians-2026-v1")
        expect(v.requirement.experience, v.id).toBeUndefined();
  });

  it("military: the CAF recruitment and foreign service conditions are reported, not checked", () => {
    const r = version("military-2026-v1").requirement;
    if (r.kind !== "occupation") throw new Error("expected an occupation requirement");
    expect(r.unverifiedConditions).toHaveLength(2);
    expect(r.unverifiedConditions.join(" ")).toMatch(/Canadian Armed Forces/);
    expect(r.unverifiedConditions.join(" ")).toMatch(/foreign military service/i);
  });
});

describe("rules/categories: windows", () => {
  it("every window starts on or before it ends", () => {
    for (const v of versions)
      if (v.effectiveTo !== null) expect(v.effectiveFrom <= v.effectiveTo, v.id).toBe(true);
  });

  it("versions of one category are in order and never overlap; only the last may be open", () => {
    const categories = new Set(versions.map((v) => v.category));
    for (const category of categories) {
      const vs = versions
        .filter((v) => v.category === category)
        .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
      for (let i = 1; i < vs.length; i++) {
        const prev = vs[i - 1]!;
        const next = vs[i]!;
        expect(prev.effectiveTo, `${prev.id} must end before ${next.id}`).not.toBeNull();
        expect(prev.effectiveTo! < next.effectiveFrom, `${prev.id} overlaps ${next.id}`).toBe(true);
      }
    }
  });

  it("round names are unique across versions", () => {
    const names = versions.flatMap((v) => [
      ...(v.roundName === null ? [] : [v.roundName]),
      ...v.roundNameAliases,
    ]);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("rules/category-experience.json (reference §4.1)", () => {
  const file = categoryExperienceFileSchema.parse(readJson(new URL("category-experience.json", RULES)));

  it("6 months continuous within 3 years from 2023-05-31; 12 months, not continuous, from 2026-02-18", () => {
    expect(file.rows.map(({ source: _source, ...rest }) => rest)).toEqual([
      { effectiveFrom: "2023-05-31", months: 6, continuous: true, windowYears: 3 },
      { effectiveFrom: "2026-02-18", months: 12, continuous: false, windowYears: 3 },
    ]);
    expect(file.rows.map((r) => r.source.status)).toEqual(["secondary", "secondary-confirmed"]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Against the real data (skipped when /work/shared/data is absent)
// ---------------------------------------------------------------------------------------------------

/** Round types that are not category rounds (data README "Distinct drawName values"). */
const NOT_CATEGORY = new Set([
  "No Program Specified",
  "Canadian Experience Class",
  "Provincial Nominee Program",
  "Federal Skilled Trades",
  "Federal Skilled Worker",
  "General",
]);

interface Round {
  drawNumber: string | number;
  drawDate: string;
  drawName: string;
}

function loadRounds(): Round[] {
  const main = (readJson(ROUNDS_FILE) as { rounds: Round[] }).rounds;
  // The newer reshaped copy adds #435–#437 (same names and dates for #1–#434).
  const newer = existsSync(ROUNDS_NEWER_FILE) ? (readJson(ROUNDS_NEWER_FILE) as Round[]) : [];
  const seen = new Set(main.map((r) => String(r.drawNumber)));
  return [...main, ...newer.filter((r) => !seen.has(String(r.drawNumber)))];
}

describe.skipIf(!existsSync(ROUNDS_FILE))("IRCC rounds data: every category round has its version", () => {
  const rounds = existsSync(ROUNDS_FILE) ? loadRounds() : [];
  const categoryRounds = rounds.filter((r) => !NOT_CATEGORY.has(r.drawName));

  it("finds the category rounds (README table: 73 up to #434)", () => {
    expect(categoryRounds.length).toBeGreaterThanOrEqual(73);
  });

  it("each category round name matches exactly one version, in force on the round date", () => {
    const problems: string[] = [];
    for (const r of categoryRounds) {
      const matches = versions.filter(
        (v) => v.roundName === r.drawName || v.roundNameAliases.includes(r.drawName),
      );
      if (matches.length !== 1) {
        problems.push(`#${r.drawNumber} ${r.drawDate} "${r.drawName}": ${matches.length} versions match`);
        continue;
      }
      const v = matches[0]!;
      if (!inForce(v, r.drawDate)) problems.push(`#${r.drawNumber} ${r.drawDate}: ${v.id} not in force`);
    }
    expect(problems).toEqual([]);
  });

  it("first and last rounds per name as in the data README", () => {
    const span = (name: string) => {
      const dates = categoryRounds.filter((r) => r.drawName === name).map((r) => r.drawDate);
      return [dates.reduce((a, b) => (a < b ? a : b)), dates.reduce((a, b) => (a > b ? a : b))];
    };
    expect(span("Healthcare occupations (Version 1)")).toEqual(["2023-06-28", "2024-11-20"]);
    expect(span("French language proficiency (Version 1)")).toEqual(["2023-07-07", "2025-12-17"]);
    expect(span("Transport occupations (Version 1)")).toEqual(["2023-09-20", "2024-03-13"]);
    expect(span("Education occupations (Version 1)")).toEqual(["2025-05-01", "2025-09-17"]);
    expect(span("Physicians with Canadian Work Experience, 2026-Version 1")[0]).toBe("2026-02-19");
    expect(span("French-Language proficiency 2026-Version 2")[0]).toBe("2026-02-06");
  });

  it("versions without a round name have no round in the data", () => {
    for (const id of ["stem-2025", "agriculture-2025", "researchers-2026-v1"]) {
      const v = version(id);
      expect(v.roundName, id).toBeNull();
      expect(v.roundNameAliases, id).toEqual([]);
    }
  });
});

describe.skipIf(!existsSync(NOC_FILE))("NOC 2021: every code used is a unit group", () => {
  const unitGroups = new Set(
    existsSync(NOC_FILE) ? [...readFileSync(NOC_FILE, "utf8").matchAll(/^(\d{5}),/gm)].map((m) => m[1]!) : [],
  );

  it("reads the 516 unit groups", () => {
    expect(unitGroups.size).toBe(516);
  });

  it("every NOC code in rules/categories exists", () => {
    const missing = versions.flatMap((v) =>
      v.requirement.kind === "occupation"
        ? v.requirement.nocs.filter((c) => !unitGroups.has(c)).map((c) => `${v.id}: ${c}`)
        : [],
    );
    expect(missing).toEqual([]);
  });
});
