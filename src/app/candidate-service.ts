/**
 * A candidate's own profile through the API: created with a secret token that grants access to that
 * profile only. The store keeps only the token's SHA-256; the token is shown once, at creation.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { FieldError } from "../domain/crs/questionnaire.js";
import type { RuleBook } from "../rules/index.js";
import { ConflictError, NotFoundError } from "./errors.js";
import { importPrepared, PoolInputError, prepareImportRecord, updateProfiles } from "./pool-service.js";
import type { PoolStore, StoredProfile } from "./ports.js";

/** Fields the server sets: a candidate cannot choose their id or their tie-break instant. */
const SERVER_FIELDS = ["id", "submittedAt"] as const;

function refuseServerFields(input: unknown): void {
  if (!input || typeof input !== "object" || Array.isArray(input)) return;
  const errors: FieldError[] = SERVER_FIELDS.filter((f) => f in input).map((field) => ({
    field,
    message:
      field === "id"
        ? "is assigned by the server"
        : "is set by the server when the profile is created (it is the tie-break key)",
  }));
  if (errors.length > 0) throw new PoolInputError(1, errors);
}

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Whether `token` is the one the profile was created with (constant time in the hash). */
export async function tokenGrants(store: PoolStore, id: string, token: string | undefined): Promise<boolean> {
  if (!token) return false;
  const stored = await store.profileTokenHash(id);
  if (!stored) return false;
  const a = Buffer.from(stored, "hex");
  const b = Buffer.from(hashToken(token), "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface CreatedProfile {
  profile: StoredProfile;
  /** The secret that grants access to this profile; not stored, not shown again. */
  token: string;
}

/** Validates and stores a new profile submitted now, with its token, in one transaction. */
export async function createProfile(
  store: PoolStore,
  input: unknown,
  { book, now }: { book: RuleBook; now: string },
): Promise<CreatedProfile> {
  refuseServerFields(input);
  const prepared = prepareImportRecord({ line: 1, value: input }, book, now);
  if (!prepared.ok) throw new PoolInputError(1, prepared.errors);
  const token = randomBytes(24).toString("base64url");
  await store.transaction(async (tx) => {
    await importPrepared(tx, [[prepared]]);
    await tx.setProfileTokenHash(prepared.row.id, hashToken(token));
  });
  const profile = await store.getProfile(prepared.row.id);
  if (!profile) throw new NotFoundError(`profile ${prepared.row.id} vanished after creation`);
  return { profile, token };
}

/** Replaces the profile's data (its id and submission instant stay). */
export async function editProfile(
  store: PoolStore,
  id: string,
  input: unknown,
  book: RuleBook,
): Promise<StoredProfile> {
  refuseServerFields(input);
  const value = input && typeof input === "object" && !Array.isArray(input) ? { ...input, id } : input;
  // Read and write in one transaction: a withdrawal cannot come between the check and the edit.
  return store.transaction(async (tx) => {
    // A withdrawn profile left the pool for good (a new profile gets a new submission time).
    if ((await tx.getProfile(id))?.status === "withdrawn")
      throw new ConflictError(`profile ${id} is withdrawn; create a new profile instead`);
    await updateProfiles(tx, [{ line: 1, value }], book);
    const profile = await tx.getProfile(id);
    if (!profile) throw new NotFoundError(`no profile ${id}`);
    return profile;
  });
}
