/** Exit codes of `ee`, and the error that carries one to the top without a stack trace. */
export const EXIT = { ok: 0, internal: 1, invalid: 2, notScored: 3, conflict: 4, notFound: 5 } as const;

export class CommandError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}
