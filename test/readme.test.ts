/**
 * The README is a contract: its JSON examples are valid JSON (and the questionnaire scores), and every
 * command of its ```sh blocks runs as written, in order, and exits 0 unless its comment says "exit N".
 *
 * How the commands run: each block in one bash (so `export EE_DB=…` carries to the next line), in a
 * temporary directory holding a copy of examples/, a package.json and node_modules/.bin/ee linked to
 * the built CLI (dist/), which is what `npx ee` finds in a project that depends on this package. npx
 * resolves it there without the network: the runs set npm's registry to an address nothing listens on
 * and npm's offline mode, so a lookup would fail the command (the first test checks exactly that).
 * Only the development commands (SKIPPED) are not run: they install, build and test this repository.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { shippedHistory } from "../src/adapters/history/shipped-history.js";
import { score } from "../src/index.js";
import { CLI, requireBuiltCli, ROOT, tempDir } from "./ee.js";

requireBuiltCli();

const README = readFileSync(new URL("../README.md", import.meta.url), "utf8");

/**
 * The development commands, not run here (CI runs them: .ci/run); and `npm start`, a server that runs
 * until stopped, which its own test below starts, probes and stops.
 */
const SKIPPED = [/^npm ci\b/, /^npm test\b/, /^npm run \S+/, /^npm start$/];

/** The bodies of the README's fenced blocks of one language, in order. */
function fencedBlocks(markdown: string, language: string): string[] {
  const blocks: string[] = [];
  const fence = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, "gm");
  for (const match of markdown.matchAll(fence)) blocks.push(match[1] as string);
  return blocks;
}

interface Command {
  /** The command as written, continuation lines and trailing comment included. */
  text: string;
  /** The exit code its trailing comment documents ("… exit 3"), else 0. */
  exit: number;
}

/** A block's commands: lines joined where they end with a backslash. */
function commands(block: string): Command[] {
  const out: Command[] = [];
  let pending = "";
  for (const line of block.split("\n")) {
    if (line.trim() === "" && pending === "") continue;
    pending += pending ? `\n${line}` : line;
    if (line.endsWith("\\")) continue;
    const comment = / #(.*)$/.exec(pending.split("\n").at(-1) as string)?.[1] ?? "";
    out.push({ text: pending, exit: Number(/\bexit (\d+)\b/.exec(comment)?.[1] ?? 0) });
    pending = "";
  }
  return out;
}

const command = (c: Command) => c.text.replace(/\s+#.*$/gm, "").replace(/\\\n\s*/g, "");
const skipped = (c: Command) => SKIPPED.some((s) => s.test(command(c)));
const shBlocks = fencedBlocks(README, "sh").map(commands);

/** A directory where `npx ee` is this build of ee, offline; and the environment to run in it. */
function project(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = tempDir("ee-readme-");
  cpSync(join(ROOT, "examples"), join(dir, "examples"), { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "ee-readme-session", private: true })}\n`,
  );
  mkdirSync(join(dir, "node_modules", ".bin"), { recursive: true });
  symlinkSync(CLI, join(dir, "node_modules", ".bin", "ee"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EE_DB: undefined,
    npm_config_registry: "http://127.0.0.1:9/",
    npm_config_offline: "true",
    npm_config_update_notifier: "false",
  };
  return { dir, env };
}

/** Runs a block's commands in one bash, checking each one's exit code; the first mismatch stops it. */
function runBlock(block: Command[], cwd: string, env: NodeJS.ProcessEnv) {
  const script = [
    "set -o pipefail",
    ...block.flatMap((c, i) =>
      skipped(c)
        ? []
        : [
            `echo "\\$ ${i}" >&2`,
            c.text,
            `rc=$?; [ "$rc" -eq ${c.exit} ] || { echo "README command ${i} exited $rc, expected ${c.exit}" >&2; exit 99; }`,
          ],
    ),
  ].join("\n");
  return spawnSync("bash", ["-c", script], { cwd, env, encoding: "utf8", timeout: 120_000 });
}

describe("README ```json blocks", () => {
  const blocks = fencedBlocks(README, "json");

  it("there is one at least, and no JSON-with-comments block to paste by mistake", () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(fencedBlocks(README, "jsonc")).toEqual([]);
  });

  it.each(blocks.map((b, i) => [i, b]))("block %i parses with JSON.parse", (_i, block) => {
    expect(() => JSON.parse(block as string)).not.toThrow();
  });

  it("the questionnaire shown scores", () => {
    const questionnaire = blocks
      .map((b) => JSON.parse(b) as Record<string, unknown>)
      .find((b) => "maritalStatus" in b);
    expect(score(questionnaire).status).toBe("scored");
  });
});

describe("README ```sh blocks run as written", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => ({ dir, env } = project()));

  it("npx ee resolves to this build, locally and offline (an npm lookup would fail here)", () => {
    const local = spawnSync("npx", ["ee", "--version"], { cwd: dir, env, encoding: "utf8" });
    expect([local.status, local.stdout]).toEqual([0, "0.1.0\n"]);
    // The same environment does fail for a package that is not installed: npx cannot reach a registry.
    const missing = spawnSync("npx", ["--yes", "ee-no-such-package-here", "--version"], {
      cwd: dir,
      env,
      encoding: "utf8",
    });
    expect(missing.status).not.toBe(0);
  });

  it("only the development commands are skipped", () => {
    const all = shBlocks.flat();
    expect(all.filter(skipped).map(command)).toEqual([
      "npm ci",
      "npm start",
      "npm test",
      "npm run lint",
      "npm run typecheck",
      "npm test",
      "npm run bench",
      "npm run bench:api",
      "npm run bench:scale",
      "npm run import:noc",
      "npm run examples:pool",
      "npm run import:rounds",
      "npm run examples:feed",
      "npm run backtest",
      "npm run replay",
    ]);
    // Every other command is a command of ee (or feeds one), and some document a non-zero exit.
    expect(all.filter((c) => !skipped(c)).every((c) => /\bnpx ee\b|^export /.test(c.text))).toBe(true);
    expect(all.filter((c) => c.exit !== 0).map((c) => c.exit)).toEqual([3, 4, 5]);
  });

  it.each(
    shBlocks.map((block, i) => [i, block] as const).filter(([, block]) => block.some((c) => !skipped(c))),
  )(
    "block %i",
    (_i, block) => {
      const run = runBlock(block, dir, env);
      expect(run.stderr).not.toMatch(/^README command \d+ exited/m);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.status).toBe(0);
      // What the comments promise, where they name numbers.
      const promised: [RegExp, string][] = [
        [/examples\/job-offer\.json --as-of 2025-03-24/, "CRS score: 527 / 1200"],
        [/examples\/job-offer\.json --as-of 2025-03-25/, "CRS score: 477 / 1200"],
        [/pool import examples\/pool\.jsonl/, "imported 300 profiles into pool.sqlite"],
        [/invites the 10 eligible physicians/, "Number of invitations issued:           10"],
        [/ita decline 2 --at 2026-02-25/, "invitation 2 declined;"],
      ];
      for (const [command, output] of promised)
        if (block.some((c) => command.test(c.text))) expect(run.stdout).toContain(output);
    },
    120_000,
  );
});

describe("README: npm start", () => {
  it("serves the web app and the API on the address it prints, seeded, and stops on SIGTERM", async () => {
    const dir = tempDir("ee-start-");
    // As written, from the repository (npm start is this package's own script), on a new database.
    const child = spawn("npm", ["start"], {
      cwd: ROOT,
      env: { ...process.env, PORT: "0", EE_DB: join(dir, "ee.sqlite"), EE_DEMO_POOL_SIZE: "100" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    try {
      let out = "";
      const address = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no address in 60 s:\n${out}`)), 60_000);
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (match) {
            clearTimeout(timer);
            resolve(match[1] as string);
          }
        });
        child.once("exit", (code) => reject(new Error(`npm start exited ${code}:\n${out}`)));
      });
      const page = await fetch(`${address}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app"');
      const health = (await (await fetch(`${address}/api/health`)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({
        status: "ok",
        profiles: 100,
        historyRounds: shippedHistory().length,
        operatorRoutes: false,
      });
      expect(out).toMatch(/operator routes are off/);
    } finally {
      // npm does not pass SIGTERM on to its script: stop the whole process group.
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    }
  }, 90_000);
});
