/**
 * The operator's routes: import a pool, its stats, run a round (dry run or real), published rounds,
 * invitations and their answers, the sweep. They need the operator token of the server's configuration;
 * with none configured they do not exist (404), and the server says so when it starts.
 */
import { timingSafeEqual, createHash } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { NotFoundError } from "../../app/errors.js";
import {
  importProfiles,
  poolStats,
  sweep,
  sweepReachProblem,
  type ImportRecord,
} from "../../app/pool-service.js";
import { respond, runRound, showRound } from "../../app/round-service.js";
import { evaluatorFor } from "../workers/parallel-evaluate.js";
import { bearerToken } from "./candidate-routes.js";
import {
  errorBody,
  importBody,
  instantBody,
  instantOrDate,
  invitation,
  invitationParams,
  poolStatsSchema,
  publishedRound,
  roundBody,
  roundNumberParams,
  storedRound,
  sweepBody,
  sweepResult,
} from "./schemas.js";
import { DEFAULT_IMPORT_BODY_LIMIT, HttpError, type RouteContext } from "./server.js";

const digest = (s: string) => createHash("sha256").update(s).digest();
const security = [{ operatorToken: [] }];
const denied = { 401: errorBody, 404: errorBody };

export function registerOperatorRoutes({ api, options: o }: RouteContext): void {
  const { store, book } = o;
  const expected = o.operatorToken === null ? null : digest(o.operatorToken);

  // Every operator route checks the token before its body is read or validated.
  function checkOperator(request: FastifyRequest): void {
    if (expected === null)
      throw new HttpError(404, "not-found", `no route ${request.method} ${request.url.split("?")[0]}`);
    const token = bearerToken(request);
    if (!token)
      throw new HttpError(401, "unauthorized", "operator route: send Authorization: Bearer <operator token>");
    if (!timingSafeEqual(digest(token), expected))
      throw new HttpError(401, "unauthorized", "wrong operator token");
  }
  const guard = { onRequest: async (request: FastifyRequest) => checkOperator(request) };

  api.get(
    "/api/operator/pool/stats",
    {
      ...guard,
      schema: {
        tags: ["operator"],
        summary: "The pool's size and CRS distribution in IRCC's bands at an instant",
        security,
        querystring: z.strictObject({
          asOf: instantOrDate.optional().meta({ description: "Default: now" }),
        }),
        response: { 200: poolStatsSchema, ...denied },
      },
    },
    async (request) => poolStats(store, request.query.asOf ?? o.now(), book, { evaluatorFor }),
  );

  api.post(
    "/api/operator/pool/import",
    {
      ...guard,
      bodyLimit: o.importBodyLimit ?? DEFAULT_IMPORT_BODY_LIMIT,
      schema: {
        tags: ["operator"],
        summary: "Import profiles: all or nothing; an error names the record's position and field",
        security,
        body: importBody,
        response: { 200: z.object({ imported: z.number().int() }), 400: errorBody, ...denied },
      },
    },
    async (request) => {
      const list = Array.isArray(request.body) ? request.body : request.body.profiles;
      if (list.length === 0) throw new HttpError(400, "invalid", "no profiles to import", []);
      const records: ImportRecord[] = list.map((value, i) => ({ line: i + 1, value }));
      return importProfiles(store, records, { book, now: o.now() });
    },
  );

  api.post(
    "/api/operator/rounds",
    {
      ...guard,
      schema: {
        tags: ["operator"],
        summary: "Run a round of invitations (dryRun: what it would do, storing nothing)",
        description:
          "Ranks the group eligible on the round's date among profiles in the pool at its instant and invites the first N, in one transaction: a round run at the same time elsewhere runs before or after, and a repeated number is refused (409).",
        security,
        body: roundBody,
        response: { 200: publishedRound, 400: errorBody, 409: errorBody, ...denied },
      },
    },
    async (request) => {
      const { dryRun, ...round } = request.body;
      if (dryRun !== undefined && typeof dryRun !== "boolean")
        throw new HttpError(400, "invalid", "dryRun: must be true or false", [
          { field: "dryRun", message: "must be true or false" },
        ]);
      return runRound(store, round, {
        book,
        dryRun: dryRun === true,
        evaluatorFor,
        pauseBeforeWriteMs: o.testRoundPauseMs,
      });
    },
  );

  api.get(
    "/api/operator/rounds",
    {
      ...guard,
      schema: {
        tags: ["operator"],
        summary: "The rounds run on this pool",
        security,
        response: { 200: z.object({ rounds: z.array(storedRound) }), ...denied },
      },
    },
    async () => ({ rounds: (await store.listRounds()).map(({ distribution: _d, ...r }) => r) }),
  );

  api.get(
    "/api/operator/rounds/:number",
    {
      ...guard,
      schema: {
        tags: ["operator"],
        summary: "A round's published result",
        security,
        params: roundNumberParams,
        response: { 200: publishedRound, ...denied },
      },
    },
    async (request) => showRound(store, request.params.number),
  );

  api.get(
    "/api/operator/rounds/:number/invitations",
    {
      ...guard,
      schema: {
        tags: ["operator"],
        summary: "The invitations a round issued, by rank",
        security,
        params: roundNumberParams,
        response: { 200: z.object({ invitations: z.array(invitation) }), ...denied },
      },
    },
    async (request) => {
      const n = request.params.number;
      if (!(await store.getRound(n))) throw new NotFoundError(`no round ${n}`);
      return { invitations: await store.invitationsOfRound(n) };
    },
  );

  api.post(
    "/api/operator/invitations/:id/:answer",
    {
      ...guard,
      schema: {
        tags: ["operator"],
        summary: "Accept (apply) or decline an invitation",
        security,
        params: invitationParams,
        // Fastify validates a request without a body as null: no body means "now".
        body: instantBody.nullish(),
        response: {
          200: z.object({ invitation, profileStatus: z.string() }),
          409: errorBody,
          ...denied,
        },
      },
    },
    async (request) => respond(store, request.params.id, request.params.answer, request.body?.at ?? o.now()),
  );

  api.post(
    "/api/operator/sweep",
    {
      ...guard,
      schema: {
        tags: ["operator"],
        summary: "Lapse unanswered invitations, expire year-old profiles, re-check eligibility",
        security,
        // No body: a sweep to now, not forced, for real.
        body: sweepBody
          .extend({
            force: z.boolean().default(false).meta({ description: "Sweep to an asOf far from now" }),
          })
          .nullish(),
        response: { 200: sweepResult, 400: errorBody, ...denied },
      },
    },
    async (request) => {
      const body = request.body ?? { asOf: undefined, dryRun: false, force: false };
      const at = body.asOf ?? o.now();
      const problem = body.force ? null : sweepReachProblem(at, Date.parse(o.now()));
      if (problem)
        throw new HttpError(400, "invalid", `asOf: ${problem}; send force: true to sweep to it anyway`, [
          { field: "asOf", message: problem },
        ]);
      return sweep(store, at, book, { dryRun: body.dryRun, evaluatorFor });
    },
  );
}
