/** The API's history reader: the store's synced history when there is one, re-read only after a sync. */
import { describe, expect, it } from "vitest";
import { historyReader, syncHistory } from "../src/app/history-service.js";
import { shippedHistoryInUse } from "../src/adapters/history/shipped-history.js";
import { openSqliteStore } from "../src/adapters/store/sqlite.js";

describe("historyReader", () => {
  it("answers the shipped table until a sync, then the synced rounds, and follows a later sync", async () => {
    const store = await openSqliteStore(":memory:");
    try {
      const read = historyReader(store, shippedHistoryInUse);
      const shipped = await read();
      expect(shipped.origin).toBe("shipped");
      expect(shipped.rounds.length).toBe(shippedHistoryInUse().rounds.length);
      const rounds = shipped.rounds.slice(0, 3);
      await syncHistory(store, { syncedAt: "2026-12-01T00:00:00.000Z", source: "a", rounds, anomalies: [] });
      const first = await read();
      expect([first.origin, first.syncedAt, first.rounds.map((r) => r.number)]).toEqual([
        "store",
        "2026-12-01T00:00:00.000Z",
        rounds.map((r) => r.number),
      ]);
      // The same sync: the same object, not read and parsed again.
      expect(await read()).toBe(first);
      const more = shipped.rounds.slice(0, 5);
      await syncHistory(store, {
        syncedAt: "2026-12-02T00:00:00.000Z",
        source: "b",
        rounds: more,
        anomalies: [],
      });
      const second = await read();
      expect([second.syncedAt, second.rounds.length]).toEqual(["2026-12-02T00:00:00.000Z", 5]);
    } finally {
      await store.close();
    }
  });
});
