/**
 * How far a sweep may reach without being forced (`ee sweep --force`, the API's `force`). Its own
 * module, light to load: the CLI's option declarations read it at start-up.
 */
import { instantMs, normalizeInstant } from "../calendar/instants.js";

/** How far from now a sweep may reach without being forced: one typo must not expire the whole pool. */
export const SWEEP_REACH_DAYS = 400;

/** Why a sweep to `at` (written `given`) needs forcing (more than SWEEP_REACH_DAYS from `nowMs`), or null. */
export function sweepReachProblem(at: string, nowMs: number, given = at): string | null {
  const fromNow = instantMs(normalizeInstant(at)) - nowMs;
  if (Math.abs(fromNow) <= SWEEP_REACH_DAYS * 86_400_000) return null;
  const days = Math.floor(Math.abs(fromNow) / 86_400_000);
  return `${given} is ${days} days ${fromNow < 0 ? "before" : "after"} now; a sweep that far could lapse every invitation and expire the whole pool`;
}
