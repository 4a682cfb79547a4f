/**
 * The HTTP API (Fastify) and the web app's files. Routes validate their input with the schemas of
 * schemas.ts and call src/app and src/domain only: every answer is the one the CLI gives for the same
 * input. Errors are JSON `{ error: { statusCode, code, message, errors? } }`; logs are JSON lines with
 * no personal data (no bodies, no tokens, no client addresses).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from "fastify";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { DestinationStream } from "pino";
import { ConflictError, NotFoundError } from "../../app/errors.js";
import { PoolInputError } from "../../app/pool-service.js";
import { type PoolStore, StoreBusyError, StoreUnavailableError } from "../../app/ports.js";
import { RoundInputError } from "../../app/round-service.js";
import { UnknownRoundNameError } from "../../app/forecast-service.js";
import { type HistoryInUse, historyReader } from "../../app/history-service.js";
import { shippedHistoryInUse } from "../history/shipped-history.js";
import type { FieldError } from "../../domain/crs/questionnaire.js";
import { NotScoredError } from "../../domain/crs/what-if.js";
import type { RuleBook } from "../../rules/index.js";
import { registerCandidateRoutes } from "./candidate-routes.js";
import { registerHistoryRoutes } from "./history-routes.js";
import { registerOperatorRoutes } from "./operator-routes.js";
import { registerPublicRoutes } from "./public-routes.js";

export interface ServerOptions {
  store: PoolStore;
  book: RuleBook;
  /** The operator's bearer token; null: the operator routes answer 404. */
  operatorToken: string | null;
  /** Requests per minute per client on public routes; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Where JSON log lines go (default stdout); false: no logs. */
  log: DestinationStream | false | "stdout";
  /** The built web app (index.html and assets), or null to serve the API only. */
  webRoot: string | null;
  /** Proxies whose X-Forwarded-For gives the client's address (hops, or addresses/CIDRs); none by default. */
  trustProxy?: number | string;
  /** Body size limits in bytes: public routes, and the operator's pool import. */
  bodyLimit?: number;
  importBodyLimit?: number;
  /** Clocks (tests pin them): a UTC instant, and today's date in Ottawa. */
  now: () => string;
  today: () => string;
  /** Where the database is, for /api/health (never a secret: a path or "memory"). */
  databaseLabel: string;
  /** Testing aid: hold each round's transaction open this long between ranking and writing. */
  testRoundPauseMs?: number;
}

/** An error with the HTTP status and body code it answers with. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
    readonly line?: number,
  ) {
    super(message);
  }
}

export const DEFAULT_BODY_LIMIT = 64 * 1024;
export const DEFAULT_IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

const CODE_OF_STATUS: Record<number, string> = {
  400: "invalid",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  405: "method-not-allowed",
  409: "conflict",
  413: "too-large",
  415: "unsupported-media-type",
  422: "not-scored",
  429: "rate-limited",
  503: "busy",
};

/** The one mapping from the app's errors to HTTP answers (the CLI's is in pool-actions.ts). */
function httpErrorOf(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof PoolInputError)
    return new HttpError(400, "invalid", error.message, error.errors, error.line);
  if (error instanceof RoundInputError)
    return new HttpError(400, "invalid", `invalid round: ${error.message}`, error.errors);
  if (error instanceof UnknownRoundNameError)
    return new HttpError(400, "invalid", `roundName: ${error.message}`, [
      { field: "roundName", message: `unknown round name '${error.roundName}'` },
    ]);
  if (error instanceof NotScoredError)
    return new HttpError(
      422,
      "not-scored",
      `cannot be scored on the date: ${error.reasons.map((r) => `${r.field}: ${r.message}`).join("; ")}`,
      error.reasons,
    );
  if (error instanceof ConflictError) return new HttpError(409, "conflict", error.message);
  if (error instanceof StoreBusyError) return new HttpError(503, "busy", error.message);
  if (error instanceof StoreUnavailableError) return new HttpError(503, "unavailable", error.message);
  if (error instanceof NotFoundError) return new HttpError(404, "not-found", error.message);
  const e = error as { statusCode?: number; code?: string; message?: string };
  if (typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) {
    const message =
      e.code === "FST_ERR_CTP_BODY_TOO_LARGE"
        ? "the request body is larger than this route accepts"
        : e.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE"
          ? "send the body as application/json"
          : (e.message ?? "bad request");
    return new HttpError(e.statusCode, CODE_OF_STATUS[e.statusCode] ?? "invalid", message);
  }
  return new HttpError(500, "internal", "internal error (the server's log has the details)");
}

export function sendError(reply: FastifyReply, error: HttpError): FastifyReply {
  const body: Record<string, unknown> = {
    statusCode: error.statusCode,
    code: error.code,
    message: error.message,
  };
  if (error.errors) body.errors = error.errors;
  if (error.line !== undefined) body.line = error.line;
  if (error.statusCode === 401) reply.header("www-authenticate", "Bearer");
  return reply.code(error.statusCode).type("application/json").send({ error: body });
}

/** A validation failure of a request part → our field errors ("asOf", "body.kind"…). */
function validationErrors(
  error: { validation: { instancePath?: string; message?: string; params?: unknown }[] },
  context: string | undefined,
): FieldError[] {
  return error.validation.map((v) => {
    const path = (v.instancePath ?? "").split("/").filter(Boolean).join(".");
    const issue = (v.params as { issue?: { path?: PropertyKey[]; message?: string } } | undefined)?.issue;
    const field = issue?.path?.length ? issue.path.map(String).join(".") : path;
    const where = context === "body" ? field : field || (context ?? "");
    return { field: where || "(request)", message: issue?.message ?? v.message ?? "is invalid" };
  });
}

export async function buildServer(o: ServerOptions): Promise<FastifyInstance> {
  // Never personal data in logs: no bodies (Fastify does not log them), no headers, no client address;
  // the route pattern rather than the URL, so a profile id in a path is not logged either.
  const logger: FastifyServerOptions["logger"] =
    o.log === false
      ? false
      : ({
          level: process.env.EE_LOG_LEVEL ?? "info",
          serializers: {
            req: (req: FastifyRequest) => ({
              method: req.method,
              route: req.routeOptions?.url ?? "(unknown)",
              id: req.id,
            }),
            res: (res: FastifyReply) => ({ statusCode: res.statusCode }),
          },
          redact: { paths: ["req.headers", "token", "profile", "body"], remove: true },
          ...(o.log === "stdout" ? {} : { stream: o.log }),
          // Fastify hands its own request and reply objects to these serializers.
        } as unknown as FastifyServerOptions["logger"]);
  const app: FastifyInstance = Fastify({
    logger,
    bodyLimit: o.bodyLimit ?? DEFAULT_BODY_LIMIT,
    return503OnClosing: true,
    // A number or a list: Fastify's overloads take either, but not their union.
    trustProxy: (o.trustProxy ?? false) as string,
  });
  // JSON only: Fastify also parses text/plain by default, which would reach a route as a string.
  app.removeContentTypeParser("text/plain");
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((error, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = validationErrors(error, error.validationContext);
      return sendError(
        reply,
        new HttpError(400, "invalid", errors.map((e) => `${e.field}: ${e.message}`).join("; "), errors),
      );
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ issues: error.cause.issues, route: request.routeOptions.url }, "response schema");
      return sendError(reply, new HttpError(500, "internal", "internal error (response schema)"));
    }
    const http = httpErrorOf(error);
    if (http.statusCode >= 500 && http.code === "internal") request.log.error({ err: error }, "unhandled");
    return sendError(reply, http);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new HttpError(404, "not-found", `no route ${request.method} ${request.url.split("?")[0]}`),
    ),
  );

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  // One budget per client across all the public routes (a route's own rateLimit config would give each
  // route its own counter): the limit hooks every route and lets through those not marked public.
  await app.register(rateLimit, {
    global: o.rateLimitPerMinute > 0,
    max: o.rateLimitPerMinute,
    timeWindow: "1 minute",
    allowList: (request) =>
      (request.routeOptions.config as { publicRateLimit?: boolean } | undefined)?.publicRateLimit !== true,
    // @fastify/rate-limit throws what this returns; the error handler answers an HttpError as it is.
    errorResponseBuilder: (_request, context) =>
      new HttpError(
        429,
        "rate-limited",
        `too many requests: at most ${context.max} per ${context.after} per client; try again in ${context.after}`,
      ),
  });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Express Entry engine API",
        description:
          "Explained, cited CRS scores, eligibility, IRCC's round history and forecasts; candidates' profiles; the operator's pool and rounds. Every answer is the library's and the CLI's for the same input.",
        version: "0.1.0",
      },
      components: {
        securitySchemes: {
          candidateToken: {
            type: "http",
            scheme: "bearer",
            description: "The token returned when the profile was created",
          },
          operatorToken: {
            type: "http",
            scheme: "bearer",
            description: "The operator token of the server's configuration",
          },
        },
      },
      tags: [
        { name: "scoring", description: "Scores, eligibility, ways to raise a score, rules" },
        { name: "history", description: "IRCC's published rounds, trends, checks and forecasts" },
        { name: "candidate", description: "A candidate's own profile (token from creation)" },
        { name: "operator", description: "The pool and its rounds (operator token)" },
      ],
    },
    transform: jsonSchemaTransform,
    // Puts the schemas with a meta id (CrsOutcome, Error…) into components.schemas, where the $refs point.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: true });

  const api = app.withTypeProvider<ZodTypeProvider>();
  const limited = o.rateLimitPerMinute > 0 ? { publicRateLimit: true } : {};
  const context = { api, options: o, limited, history: historyReader(o.store, shippedHistoryInUse) };
  registerPublicRoutes(context);
  registerHistoryRoutes(context);
  registerCandidateRoutes(context);
  registerOperatorRoutes(context);
  app.get("/openapi.json", { schema: { hide: true } }, () => app.swagger());

  if (o.webRoot && existsSync(join(o.webRoot, "index.html"))) {
    await app.register(fastifyStatic, {
      root: o.webRoot,
      prefix: "/",
      index: ["index.html"],
      wildcard: false,
    });
  } else {
    app.get("/", { schema: { hide: true } }, (_request, reply) =>
      reply
        .type("text/plain; charset=utf-8")
        .send("Express Entry engine API: the web app is not built (npm run build:web). API docs: /docs\n"),
    );
  }
  return app;
}

export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface RouteContext {
  api: Api;
  options: ServerOptions;
  /** The history the routes answer from (the store's synced one, else the shipped table), kept current. */
  history: () => Promise<HistoryInUse>;
  /** Route config that applies the public rate limit (empty when it is off). */
  limited: Record<string, unknown>;
}
