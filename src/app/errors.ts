/** Errors of the pool and round use cases about the stored state (adapters map them to their own codes). */

/** A request that conflicts with the stored state (a round already run, an invitation already answered). */
export class ConflictError extends Error {}

/** A request about something the store does not hold (no such invitation, round or profile). */
export class NotFoundError extends Error {}
