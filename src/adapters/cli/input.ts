/** Reading JSON input for CLI commands: a file path, or standard input for "-" (or no path when piped). */
import { readFileSync } from "node:fs";

import { CommandError, EXIT } from "./errors.js";

/** Unreadable or malformed input: exit code 2. */
export class InputError extends CommandError {
  constructor(message: string) {
    super(EXIT.invalid, message);
  }
}

export function readInputText(path: string | undefined): { text: string; name: string } {
  if (path === undefined || path === "-") {
    if (path === undefined && process.stdin.isTTY)
      throw new InputError("no input: give a FILE, or '-' to read standard input");
    return { text: readFileSync(0, "utf8"), name: "standard input" };
  }
  try {
    return { text: readFileSync(path, "utf8"), name: path };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : String(code ?? error);
    throw new InputError(`${path}: cannot read input (${why})`);
  }
}

export function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${name}: not valid JSON (${(error as Error).message})`);
  }
}
