/**
 * A candidate's own profile: create (answers the token once), read with its evaluation, update,
 * withdraw. The token grants access to that profile only; any other profile answers 404 to it, the
 * same as a profile that does not exist, so a token cannot probe which ids exist.
 */
import type { FastifyRequest } from "fastify";
import { createProfile, editProfile, tokenGrants } from "../../app/candidate-service.js";
import { withdrawProfile } from "../../app/pool-service.js";
import type { StoredProfile } from "../../app/ports.js";
import { evaluateProfile } from "../../domain/eligibility/report.js";
import { z } from "zod";
import {
  asOfQuery,
  createdProfile,
  eligibilityReport,
  errorBody,
  idParams,
  profileBody,
  storedProfileView,
} from "./schemas.js";
import { HttpError, type RouteContext } from "./server.js";

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The stored profile; its id and submission instant are the server's and shown beside its data. */
function view(p: StoredProfile) {
  const { id: _id, submittedAt: _submittedAt, ...data } = p.profile;
  return {
    id: p.id,
    status: p.status,
    submittedAt: p.submittedAt,
    expiresAt: p.expiresAt,
    revision: p.revision,
    profile: data as Record<string, unknown>,
  };
}

const security = [{ candidateToken: [] }];
const denied = { 401: errorBody, 404: errorBody };

export function registerCandidateRoutes({ api, options: o, limited }: RouteContext): void {
  const { store, book } = o;

  /** The profile the request's token grants, or the answer that it does not. */
  async function authorized(request: FastifyRequest, id: string): Promise<StoredProfile> {
    const token = bearerToken(request);
    if (!token)
      throw new HttpError(401, "unauthorized", "send the profile's token: Authorization: Bearer <token>");
    if (!(await tokenGrants(store, id, token)))
      throw new HttpError(404, "not-found", `no profile ${id} for this token`);
    const profile = await store.getProfile(id);
    if (!profile) throw new HttpError(404, "not-found", `no profile ${id} for this token`);
    return profile;
  }

  api.post(
    "/api/profiles",
    {
      config: limited,
      schema: {
        tags: ["candidate"],
        summary: "Create a profile in the pool, submitted now; answers its token once",
        body: profileBody,
        response: { 201: createdProfile, 400: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      const created = await createProfile(store, request.body, { book, now: o.now() });
      reply.code(201).header("location", `/api/profiles/${created.profile.id}`);
      return { ...view(created.profile), token: created.token };
    },
  );

  api.get(
    "/api/profiles/:id",
    {
      config: limited,
      schema: {
        tags: ["candidate"],
        summary: "The profile, its status and its evaluation on a date",
        security,
        params: idParams,
        querystring: asOfQuery,
        response: { 200: storedProfileView.extend({ evaluation: eligibilityReport }), ...denied },
      },
    },
    async (request) => {
      const p = await authorized(request, request.params.id);
      return { ...view(p), evaluation: evaluateProfile(p.profile, request.query.asOf ?? o.today(), book) };
    },
  );

  api.put(
    "/api/profiles/:id",
    {
      config: limited,
      schema: {
        tags: ["candidate"],
        summary: "Replace the profile's data (its submission instant, the tie-break, stays)",
        security,
        params: idParams,
        body: profileBody,
        response: { 200: storedProfileView, 400: errorBody, 409: errorBody, ...denied },
      },
    },
    async (request) => {
      await authorized(request, request.params.id);
      return view(await editProfile(store, request.params.id, request.body, book));
    },
  );

  api.delete(
    "/api/profiles/:id",
    {
      config: limited,
      schema: {
        tags: ["candidate"],
        summary: "Withdraw the profile from the pool",
        security,
        params: idParams,
        response: { 200: z.object({ withdrawn: z.string() }), 409: errorBody, ...denied },
      },
    },
    async (request) => {
      await authorized(request, request.params.id);
      await withdrawProfile(store, request.params.id);
      return { withdrawn: request.params.id };
    },
  );
}
