/** Exit codes of `ee`, and the error that carries one to the top without a stack trace. */
import type { FieldError } from "../../domain/crs/questionnaire.js";

export const EXIT = { ok: 0, internal: 1, invalid: 2, notScored: 3, conflict: 4, notFound: 5 } as const;

/** What each non-zero exit code means, as `--json` errors name it ("kind"). */
export const EXIT_KIND: Readonly<Record<number, string>> = {
  [EXIT.internal]: "internal",
  [EXIT.invalid]: "invalid",
  [EXIT.notScored]: "not-scored",
  [EXIT.conflict]: "conflict",
  [EXIT.notFound]: "not-found",
};

/** What is known beyond the message: the fields at fault and, for a file of records, the line. */
export interface ErrorDetails {
  errors?: FieldError[];
  line?: number;
}

export class CommandError extends Error {
  readonly errors?: FieldError[];
  readonly line?: number;

  constructor(
    readonly exitCode: number,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(message);
    if (details.errors) this.errors = details.errors;
    if (details.line !== undefined) this.line = details.line;
  }

  /** The error as `--json` writes it on stderr: the same fields as the text, structured. */
  toJSON() {
    return {
      error: {
        exitCode: this.exitCode,
        kind: EXIT_KIND[this.exitCode] ?? "error",
        message: this.message,
        ...(this.errors ? { errors: this.errors } : {}),
        ...(this.line !== undefined ? { line: this.line } : {}),
      },
    };
  }
}
