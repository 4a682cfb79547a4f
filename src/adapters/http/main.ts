#!/usr/bin/env node
/**
 * `npm start`: the API and the web app on the embedded SQLite default. Configuration (environment, or
 * the flags): --db / EE_DB (default ./ee.sqlite, created and seeded on first start), PORT (default
 * 8080; 0 picks a free one), HOST (default 127.0.0.1), EE_OPERATOR_TOKEN or EE_OPERATOR_TOKEN_FILE
 * (none: no operator routes), EE_RATE_LIMIT (requests per minute per client on public routes, default
 * 300; 0: off), EE_DEMO_POOL_SIZE (synthetic profiles seeded into an empty pool, default 1000; 0: none).
 * Logs are JSON lines on stdout; the line that says where it listens carries the address.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { nowInstant, todayInOttawa } from "../../calendar/instants.js";
import { defaultRuleBook } from "../../rules/index.js";
import { StoreUnavailableError } from "../../app/ports.js";
import { DatabaseFileError, DEFAULT_DB_PATH, displayLocation, openStore } from "../store/open.js";
import { seedStore } from "./seed.js";
import { buildServer } from "./server.js";

function fail(message: string): never {
  process.stderr.write(`ee-server: ${message}\n`);
  process.exit(2);
}

function operatorToken(): string | null {
  const direct = process.env.EE_OPERATOR_TOKEN;
  if (direct !== undefined && direct.trim() !== "") return direct.trim();
  const file = process.env.EE_OPERATOR_TOKEN_FILE;
  if (file === undefined || file === "") return null;
  let text: string;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch (error) {
    fail(`EE_OPERATOR_TOKEN_FILE: cannot read ${file}: ${(error as Error).message}`);
  }
  if (text.length < 16)
    fail(`EE_OPERATOR_TOKEN_FILE: ${file} holds fewer than 16 characters; use a long random token`);
  return text;
}

function wholeNumber(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value) || Number(value) > max)
    fail(`${name}: must be a whole number 0–${max} (got '${value}')`);
  return Number(value);
}

/**
 * EE_TRUST_PROXY: which proxies' X-Forwarded-For to believe for the client's address (what the rate
 * limit counts by): a number of hops, or addresses/CIDRs separated by commas. Unset: none (behind a
 * load balancer every client would then share the balancer's budget).
 */
function trustProxy(value: string | undefined): number | string | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const parts = value.split(",").map((p) => p.trim());
  if (parts.some((p) => !/^[0-9a-fA-F:.]+(\/\d+)?$/.test(p)))
    fail(`EE_TRUST_PROXY: must be a number of hops or addresses/CIDRs separated by commas (got '${value}')`);
  return parts.join(",");
}

async function main(): Promise<void> {
  let values: { db?: string };
  try {
    ({ values } = parseArgs({ options: { db: { type: "string" } }, strict: true }));
  } catch (error) {
    fail(`${(error as Error).message}; usage: node dist/src/adapters/http/main.js [--db FILE]`);
  }
  const db = values.db ?? process.env.EE_DB ?? DEFAULT_DB_PATH;
  const port = wholeNumber("PORT", process.env.PORT, 8080, 65535);
  const host = process.env.HOST || "127.0.0.1";
  const rateLimit = wholeNumber("EE_RATE_LIMIT", process.env.EE_RATE_LIMIT, 300, 1_000_000_000);
  const demoSize = wholeNumber("EE_DEMO_POOL_SIZE", process.env.EE_DEMO_POOL_SIZE, 1000, 1_000_000);
  const token = operatorToken();
  const book = defaultRuleBook();

  let store;
  try {
    store = await openStore(db, { create: true });
  } catch (error) {
    if (error instanceof DatabaseFileError || error instanceof StoreUnavailableError) fail(error.message);
    throw error;
  }
  const app = await buildServer({
    store,
    book,
    operatorToken: token,
    rateLimitPerMinute: rateLimit,
    log: "stdout",
    webRoot: fileURLToPath(new URL("../../../web/", import.meta.url)),
    now: nowInstant,
    today: todayInOttawa,
    databaseLabel: displayLocation(db),
    trustProxy: trustProxy(process.env.EE_TRUST_PROXY),
    // Testing aid (test/api-concurrency.test.ts), as for `ee round run`: hold a round's transaction open.
    testRoundPauseMs:
      wholeNumber("EE_TEST_ROUND_PAUSE_MS", process.env.EE_TEST_ROUND_PAUSE_MS, 0, 60_000) || undefined,
  });
  const seeded = await seedStore(store, book, { demoPoolSize: demoSize, now: nowInstant() });
  if (seeded.history)
    app.log.info({ rounds: seeded.history }, "seeded the round history from the shipped table");
  if (seeded.profiles)
    app.log.info({ profiles: seeded.profiles, like: seeded.like }, "seeded a demo synthetic pool");
  if (token === null)
    app.log.warn(
      "operator routes are off: no EE_OPERATOR_TOKEN or EE_OPERATOR_TOKEN_FILE is configured (they answer 404)",
    );
  const address = await app.listen({ port, host });
  app.log.info(
    { address, database: displayLocation(db), docs: `${address}/docs`, operatorRoutes: token !== null },
    `Express Entry engine listening on ${address} (API docs ${address}/docs, database ${displayLocation(db)})`,
  );
  const stop = async () => {
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`ee-server: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
