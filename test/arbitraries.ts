/**
 * Random profiles for property tests: ages around birthdays, tests close to expiry, jobs in and out of
 * the category lists, in Canada and abroad, ongoing or ended, partners, offers and certificates, so that
 * every kind of date-driven change happens within a few years of the as-of date.
 */
import fc from "fast-check";
import { dayOf, isoOf } from "../src/calendar/days.js";
import type { ProfileInput } from "../src/domain/profile/profile.js";
import { EDUCATION_LEVELS } from "../src/rules/schema.js";

/** A mix of occupations: physicians, nurses, software, trades, transport, managers, researchers, teachers, cooks, unlisted. */
export const NOCS = [
  "31102",
  "31301",
  "21231",
  "72106",
  "72410",
  "00012",
  "41200",
  "42202",
  "63200",
  "13110",
  "11100",
  "64100",
  "72014",
  "22300",
] as const;

export const isoBetween = (from: string, to: string) =>
  fc.integer({ min: dayOf(from), max: dayOf(to) }).map((d) => isoOf(d));

const half = (lo: number, hi: number) => fc.integer({ min: lo * 2, max: hi * 2 }).map((n) => n / 2);

const english = fc.oneof(
  fc.record({
    test: fc.constant("IELTS" as const),
    date: isoBetween("2023-01-01", "2026-12-31"),
    speaking: half(5.5, 9),
    listening: half(5.5, 9),
    reading: half(5.5, 9),
    writing: half(5.5, 9),
  }),
  fc.record({
    test: fc.constant("CELPIP" as const),
    date: isoBetween("2023-01-01", "2026-12-31"),
    speaking: fc.integer({ min: 6, max: 12 }),
    listening: fc.integer({ min: 6, max: 12 }),
    reading: fc.integer({ min: 6, max: 12 }),
    writing: fc.integer({ min: 6, max: 12 }),
  }),
);

const french = fc.record({
  test: fc.constant("TCF" as const),
  date: isoBetween("2023-01-01", "2026-12-31"),
  speaking: fc.integer({ min: 4, max: 20 }),
  listening: fc.integer({ min: 331, max: 699 }),
  reading: fc.integer({ min: 342, max: 699 }),
  writing: fc.integer({ min: 4, max: 20 }),
});

const tests = fc
  .tuple(fc.option(english, { freq: 5 }), fc.option(french, { freq: 2 }))
  .filter(([e, f]) => e !== null || f !== null)
  .map(([e, f]) => [...(e ? [e] : []), ...(f ? [f] : [])]);

const job = fc
  .record({
    noc: fc.constantFrom(...NOCS),
    country: fc.constantFrom("CA", "CA", "IN", "PH"),
    start: isoBetween("2012-01-01", "2026-06-30"),
    months: fc.integer({ min: 1, max: 96 }),
    ongoing: fc.boolean(),
    hoursPerWeek: fc.constantFrom(15, 20, 25, 30, 37.5, 40),
    authorized: fc.constantFrom(true, true, true, false),
  })
  .map((j) => ({
    noc: j.noc,
    country: j.country,
    start: j.start,
    end: j.ongoing ? null : isoOf(Math.min(dayOf(j.start) + j.months * 30, dayOf("2027-12-31"))),
    hoursPerWeek: j.hoursPerWeek,
    authorized: j.authorized,
  }));

/** Every education level but "none". */
const education = fc.constantFrom(...EDUCATION_LEVELS.filter((level) => level !== "none"));

export const profileArb: fc.Arbitrary<ProfileInput> = fc
  .record({
    dateOfBirth: isoBetween("1970-01-01", "2004-12-31"),
    partnered: fc.boolean(),
    spouseCounts: fc.boolean(),
    spouseEducation: education,
    spouseTests: fc.option(english.map((t) => [t])),
    spouseJobs: fc.array(job, { maxLength: 1 }),
    level: education,
    abroad: fc.boolean(),
    ecaDate: isoBetween("2019-01-01", "2026-12-31"),
    canadianCredential: fc.constantFrom(null, null, "one-or-two-year", "three-year-or-more"),
    languageTests: tests,
    workHistory: fc.array(job, { minLength: 1, maxLength: 3 }),
    offerNoc: fc.option(fc.constantFrom(...NOCS), { freq: 4 }),
    certificate: fc.option(fc.constantFrom("72106", "72410", "72014", "63200"), { freq: 5 }),
    pnp: fc.boolean(),
    sibling: fc.boolean(),
    funds: fc.integer({ min: 0, max: 40_000 }),
    familySize: fc.integer({ min: 1, max: 4 }),
    authorizedToWork: fc.boolean(),
    submittedAt: fc.option(
      isoBetween("2024-01-01", "2026-12-31").map(
        (d) => `${d}T${String(Math.abs(d.charCodeAt(9) * 7) % 24).padStart(2, "0")}:15:00Z`,
      ),
    ),
  })
  .map((r) => {
    const partnered = r.partnered;
    const credential =
      r.canadianCredential === "three-year-or-more" &&
      !["bachelors", "two-or-more", "masters", "doctoral"].includes(r.level)
        ? null
        : r.canadianCredential;
    const p: ProfileInput = {
      ...(r.submittedAt ? { submittedAt: r.submittedAt } : {}),
      dateOfBirth: r.dateOfBirth,
      maritalStatus: partnered ? "married" : "single",
      spouse: partnered
        ? {
            canadianCitizenOrPR: !r.spouseCounts && r.sibling,
            accompanying: r.spouseCounts || !r.sibling,
            education: r.spouseEducation,
            languageTests: r.spouseTests ?? [],
            workHistory: r.spouseJobs,
          }
        : null,
      education: {
        level: r.level,
        obtainedIn: r.abroad ? "abroad" : "canada",
        ecaDate: r.abroad ? r.ecaDate : null,
        canadianCredential: r.abroad ? null : credential,
      },
      languageTests: r.languageTests,
      workHistory: r.workHistory,
      certificateOfQualification: r.certificate ? { noc: r.certificate, issuedBy: "Ontario" } : null,
      jobOffer: r.offerNoc ? { noc: r.offerNoc, basis: "lmia", fullTime: true, atLeastOneYear: true } : null,
      provincialNomination: r.pnp && r.funds % 5 === 0,
      relativesInCanada: { sibling: r.sibling, otherRelative: false },
      settlementFunds: r.funds,
      familySize: r.familySize,
      authorizedToWorkInCanada: r.authorizedToWork,
    };
    return p;
  });
