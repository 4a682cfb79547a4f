// The JSON API client: relative URLs only (same origin as the page).
import type { Message } from "./i18n/engine";

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { statusCode?: number; code?: string; message?: string; errors?: FieldError[] };
}

export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; token?: string; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (init.token) headers["authorization"] = `Bearer ${init.token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers,
      body: init.body === undefined ? null : JSON.stringify(init.body),
      signal: init.signal ?? null,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "network", e instanceof Error ? e.message : String(e));
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    const err = (json as ErrorBody | null)?.error;
    throw new ApiError(res.status, err?.code ?? "http", err?.message ?? res.statusText, err?.errors ?? []);
  }
  return json as T;
}

export const qs = (params: Record<string, string | number | undefined | null>): string => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
};

// ---- shapes (as the CLI's --json prints them) ----

export interface Source {
  url: string;
  status: string;
  note?: string;
}
export interface Rule {
  ruleSet: string;
  table: string;
  setBy: string;
  source: Source;
}
export interface ScoreLine {
  factor: string;
  label: string;
  input?: string;
  points: number;
  maximum: number;
  rule?: Rule;
  lines?: ScoreLine[];
}
export interface Section {
  id: string;
  title: string;
  subtotal: number;
  maximum: number;
  lines: ScoreLine[];
}
export type Ability = "speaking" | "listening" | "reading" | "writing";
export interface LanguageResultOut {
  test: string;
  testName: string;
  language: string;
  date: string;
  clb: Record<Ability, number>;
  validUntil: string;
}
export interface RuleSetSummary {
  id: string;
  title: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  source: Source;
}
export interface Notice {
  id: string;
  from: string;
  text: string;
  /** The notice in French (rules/notices.json). */
  text_fr?: string;
  source?: Source;
}
export interface ScoredResult {
  status: "scored";
  asOf: string;
  ruleSet: RuleSetSummary;
  total: number;
  maximum: number;
  scoredAs: "single" | "with-spouse";
  core: Section;
  spouse: Section;
  skillTransferability: Section;
  additional: Section;
  languageResults: {
    first: LanguageResultOut | null;
    second: LanguageResultOut | null;
    spouse: LanguageResultOut | null;
  };
  notices?: Notice[];
}
export interface NotScoredResult {
  status: "not-scored";
  asOf: string;
  ruleSet?: RuleSetSummary;
  reasons: FieldError[];
}
export type ScoreResult = ScoredResult | NotScoredResult;

export interface Improvement {
  action: string;
  detail?: Record<string, unknown>;
  gain: number;
  total: number;
}
export interface Loss {
  cause: string;
  on: string;
  loss: number;
  total: number;
  detail?: unknown;
}
export interface Advice {
  asOf: string;
  total: number;
  improvements: Improvement[];
  losses: Loss[];
}

export interface Check {
  id: string;
  label: string;
  met: boolean;
  detail?: string;
  /** The label and the detail as engine messages (codes and parameters; label/detail are their English). */
  labelMessage?: Message;
  message?: Message;
}
export interface GridLine {
  factor: string;
  label: string;
  input: string;
  points: number;
  maximum: number;
}
export interface ProgramResult {
  program: string;
  title: string;
  rules?: { id: string; source: Source };
  checks: Check[];
  eligible: boolean;
  grid?: { total: number; passMark: number; lines: GridLine[] };
  eligibleUntil?: string;
  lapseReason?: string;
  lapseMessage?: Message;
}
export interface CategoryResult {
  id: string;
  category: string;
  title: string;
  roundName?: string;
  inForce?: { from: string; to: string | null };
  rules?: { id: string; source: Source };
  checks: Check[];
  qualifyingOccupation: { noc: string; title: string; titleFr?: string; hours: number } | null;
  unverifiedConditions?: string[];
  eligible: boolean;
  eligibleUntil?: string;
  lapseReason?: string;
  lapseMessage?: Message;
}
export interface EligibilityResult {
  status: string;
  asOf: string;
  profileId?: string;
  crs?: ScoreResult;
  programs: ProgramResult[];
  inPool: boolean;
  pool?: {
    inPool: boolean;
    programs: string[];
    eligibleUntil?: string;
    lapseReason?: string;
    lapseMessage?: Message;
  };
  categories: CategoryResult[];
  validUntil?: string;
  reasons?: FieldError[];
}

export interface Bands {
  [key: string]: number;
}
export interface HistoryRound {
  number: string;
  order?: number;
  date: string;
  at: string;
  name: string;
  nameFr?: string;
  /** The French name: the French feed's where read, else the rules' for the round's kind. */
  french?: { name: string; from: "feed" | "rules"; status: "official" | "secondary" };
  kind: "general" | "program" | "category";
  program?: string;
  category?: string;
  categoryVersion?: string;
  invitations: number;
  cutoff: number | null;
  tieBreak: string | null;
  distribution: { asOf: string; bands: Bands } | null;
}
export interface Family {
  family: string;
  kind: string;
  rounds: number;
  first: string;
  last: string;
  invitations: number;
  cutoff: { min: number; max: number; median: number; latest: number } | null;
  series: { round: string; date: string; cutoff: number | null; invitations: number }[];
}
export interface HistoryStats {
  rounds: number;
  from: string;
  to: string;
  invitationsPerYear: Record<string, number>;
  families: Family[];
  distributions: { asOf: string; total: number; bands: Bands }[];
  bands: { key: string; label: string }[];
}
export interface BandDef {
  key: string;
  label: string;
  from: number;
  to: number;
  subtotalOf?: string[];
}
export interface Verdict {
  outcome: "invited" | "missed" | "not-in-group" | string;
  crs: number | null;
  missing?: number;
  near?: boolean;
  why: string;
  /** `why` as an engine message. */
  message?: Message;
}
export interface CheckedRound {
  round: string;
  date: string;
  name: string;
  cutoff: number | null;
  tieBreak: string | null;
  verdict: Verdict;
  french?: { name: string; from: "feed" | "rules"; status: "official" | "secondary" };
}
export interface HistoryCheck {
  submittedAt: string;
  considered: number;
  firstInvitation: CheckedRound | null;
  invitations: CheckedRound[];
  nearMisses: CheckedRound[];
  rounds: CheckedRound[];
}
export interface Forecast {
  roundName: string;
  kind: string;
  at: string;
  invitations: number;
  cutoff: number;
  low: number;
  high: number;
  basedOn: { lastRound: string; lastRoundDate: string; lastCutoff: number; distributionAsOf?: string };
  method: string;
  candidate: string;
  naive: number;
  backtest: { rounds: number; mae: number; naiveMae: number; coverage: number };
  note?: string;
}

export interface DistributionBand {
  key: string;
  label: string;
  count: number;
  subtotal: boolean;
  level: number;
}
export interface PoolStats {
  at: string;
  date: string;
  size: number;
  notEligible: number;
  distribution: { source: string; bands: DistributionBand[] };
  byStatus: Record<string, number>;
}
export interface PublishedRound {
  number: number;
  name: string;
  kind: string;
  program: string | null;
  categoryVersion: string | null;
  invitationsRequested: number;
  invitations: number;
  rankRequired: string;
  at: string;
  asOfDate: string;
  cutoffCrs: number | null;
  tieBreak: string | null;
  eligible: number;
  shortfall: number;
  dryRun?: boolean;
  distribution: { source: string; bands: DistributionBand[] };
}
export interface StoredRound {
  number: number;
  name: string;
  kind: string;
  invitationsRequested: number;
  at: string;
  invited: number;
  eligible: number;
  cutoffCrs: number | null;
  tieBreak: string | null;
}
export interface Invitation {
  id: number;
  roundNumber: number;
  profileId: string;
  rank: number;
  crs: number;
  issuedAt: string;
  expiresAt: string;
  status: string;
}
