/** The README is a contract: its JSON examples are valid JSON, and the questionnaire it shows scores. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { score } from "../src/index.js";

const README = readFileSync(new URL("../README.md", import.meta.url), "utf8");

/** The bodies of the README's fenced blocks of one language, in order. */
function fencedBlocks(markdown: string, language: string): string[] {
  const blocks: string[] = [];
  const fence = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, "gm");
  for (const match of markdown.matchAll(fence)) blocks.push(match[1] as string);
  return blocks;
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
