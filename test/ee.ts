/** Running the built `ee` (dist/, from `npm run build`) as a child process, and temporary directories. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect } from "vitest";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const CLI = fileURLToPath(new URL("../dist/src/adapters/cli/main.js", import.meta.url));

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `ee args…` in the repository (or `cwd`), EE_DB unset unless `env` sets it. */
export function ee(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string; cwd?: string } = {},
): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: "utf8",
    input: options.stdin ?? "",
    timeout: 20_000,
    env: { ...process.env, EE_DB: undefined, ...options.env },
  });
  if (result.error) throw result.error;
  const run = { status: result.status, stdout: result.stdout, stderr: result.stderr };
  // Whatever the outcome, the user never sees a stack trace.
  expect(run.stderr, "stack trace on stderr").not.toMatch(/^\s+at /m);
  return run;
}

/** Fails the file early, with the fix, when the CLI has not been built. */
export function requireBuiltCli(): void {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  });
}

const dirs: string[] = [];
/** A fresh temporary directory, removed after the test file. */
export function tempDir(prefix = "ee-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
