/**
 * What `npm start` puts into a new database so the app has something to show: the shipped round
 * history (as `ee history sync` would store it) and a demo synthetic pool like IRCC's latest published
 * distribution (as `ee pool generate` + `ee pool import` would). Each is done once: a store that holds
 * a history or any profile is left as it is.
 */
import { syncHistory } from "../../app/history-service.js";
import { type ImportRecord, importProfiles } from "../../app/pool-service.js";
import type { PoolStore } from "../../app/ports.js";
import { generatePool } from "../../domain/synthetic/generate.js";
import { nearestDistribution, sharesFor } from "../../domain/synthetic/pool.js";
import type { RuleBook } from "../../rules/index.js";
import { shippedHistoryFile } from "../history/shipped-history.js";

export const DEMO_POOL_SEED = 2026;

export async function seedStore(
  store: PoolStore,
  book: RuleBook,
  { demoPoolSize, now }: { demoPoolSize: number; now: string },
): Promise<{ history: number; profiles: number; like?: string }> {
  const file = shippedHistoryFile();
  // Each seed checks and writes in one transaction, so two servers starting on one new database seed
  // it once: the second finds the first's data.
  const history = await store.transaction(async (tx) => {
    if (await tx.storedHistory()) return 0;
    await syncHistory(tx, {
      syncedAt: now,
      source: `shipped table rules/ircc-rounds.json (${file.source.feed})`,
      rounds: file.rounds,
      anomalies: file.anomalies,
    });
    return file.rounds.length;
  });
  if (demoPoolSize === 0 || (await store.countProfiles()) > 0) return { history, profiles: 0 };
  const latest = [...file.rounds].reverse().find((r) => r.distribution !== null);
  const distribution = latest && nearestDistribution(file.rounds, latest.date);
  if (!distribution) return { history, profiles: 0 };
  const shares = sharesFor(file.rounds, distribution.asOf, book.poolBands);
  const records: ImportRecord[] = [];
  for (const g of generatePool({
    distribution,
    size: demoPoolSize,
    seed: DEMO_POOL_SEED,
    shares,
    book,
    idPrefix: "demo-",
  }))
    records.push({ line: records.length + 1, value: g.profile });
  const imported = await store.transaction(async (tx) =>
    (await tx.countProfiles()) > 0 ? 0 : (await importProfiles(tx, records, { book, now })).imported,
  );
  return { history, profiles: imported, like: distribution.asOf };
}
