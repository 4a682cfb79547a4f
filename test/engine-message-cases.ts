/**
 * Profiles and dates whose engine sentences test/engine-messages.test.ts checks: the physician example
 * (examples/physician-profile.json) and variants of it that fail on purpose (an expired test, too little
 * experience, an FSW grid below 67, a trade, a French test, a profile never submitted).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./ee.js";

type Json = Record<string, unknown>;
const physician = JSON.parse(readFileSync(join(ROOT, "examples/physician-profile.json"), "utf8")) as Json;
const variant = (overrides: Json): Json => ({ ...structuredClone(physician), ...overrides });

export interface EngineCase {
  name: string;
  profile: Json;
  asOf: string;
  /** Also checked against the shipped round history ("would I have been invited?"). */
  history?: boolean;
}

export const ENGINE_CASES: EngineCase[] = [
  { name: "physician", profile: physician, asOf: "2026-02-19", history: true },
  { name: "physician, test expired", profile: physician, asOf: "2027-06-14" },
  {
    name: "too little experience",
    profile: variant({
      workHistory: [
        { noc: "31102", country: "CA", start: "2025-09-01", end: null, hoursPerWeek: 40, authorized: true },
      ],
    }),
    asOf: "2026-02-19",
    history: true,
  },
  {
    name: "FSW grid below 67",
    profile: variant({
      dateOfBirth: "1976-01-10",
      maritalStatus: "single",
      spouse: null,
      familySize: 1,
      settlementFunds: 9000,
      authorizedToWorkInCanada: false,
      education: {
        level: "secondary",
        obtainedIn: "abroad",
        ecaDate: "2026-03-01",
        canadianCredential: null,
      },
      languageTests: [
        { test: "IELTS", date: "2025-06-14", speaking: 6, listening: 6, reading: 6, writing: 6 },
      ],
      workHistory: [
        { noc: "21231", country: "IN", start: "2018-01-01", end: "2023-12-31", hoursPerWeek: 40 },
      ],
    }),
    asOf: "2026-02-19",
    history: true,
  },
  {
    name: "trade with a certificate, French test",
    profile: variant({
      submittedAt: "2025-03-01T12:00:00Z",
      languageTests: [
        { test: "TEF", date: "2025-01-10", speaking: 400, listening: 350, reading: 300, writing: 380 },
      ],
      workHistory: [
        { noc: "72010", country: "CA", start: "2021-01-01", end: null, hoursPerWeek: 40, authorized: true },
      ],
      certificateOfQualification: { noc: "72010", issuedBy: "ON" },
      jobOffer: { noc: "72020", basis: "lmia-exempt", fullTime: true, atLeastOneYear: true },
    }),
    asOf: "2026-02-19",
    history: true,
  },
  {
    name: "never submitted, ECA after the date",
    profile: (() => {
      const p = variant({});
      delete p.submittedAt;
      delete p.id;
      (p.education as Json).ecaDate = "2026-05-01";
      return p;
    })(),
    asOf: "2026-02-19",
  },
];
