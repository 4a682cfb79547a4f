/**
 * Browser tests of the web app against the real server (node dist/src/adapters/http/main.js) and a real
 * Chromium (/usr/bin/chromium, driven by playwright-core). Needs `npm run build` first (npm test does it).
 * Without /usr/bin/chromium the suite is skipped, unless EE_REQUIRE_BROWSER=1 (then it fails).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CHROMIUM = "/usr/bin/chromium";
const SERVER = join(ROOT, "dist/src/adapters/http/main.js");
const WEB_INDEX = join(ROOT, "dist/web/index.html");
const AXE = join(ROOT, "node_modules/axe-core/axe.min.js");
const SHOTS = join(ROOT, "test-artifacts/screenshots");
const TOKEN = "test-operator-token";

const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser) {
  const message = `web e2e: ${CHROMIUM} not found (apt-get install -y chromium)`;
  if (process.env.EE_REQUIRE_BROWSER === "1") throw new Error(`${message}; EE_REQUIRE_BROWSER=1`);
  console.warn(`${message}: skipping the browser tests`);
}

let server: ChildProcess | undefined;
let base = "";
let tmp = "";
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

function startServer(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: "0",
        HOST: "127.0.0.1",
        EE_DB: join(tmp, "ee.sqlite"),
        EE_OPERATOR_TOKEN: TOKEN,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    server = child;
    let out = "";
    let err = "";
    const timer = setTimeout(
      () => reject(new Error(`server did not start in 20 s:\n${out}\n${err}`)),
      20_000,
    );
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}\n${err}`));
    });
  });
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** axe-core on the current page: no serious or critical violations. */
async function axeCheck(label: string): Promise<void> {
  // Hash navigation keeps the document: inject axe once per page load.
  if (!(await page.evaluate<boolean>("typeof window.axe === 'object'")))
    await page.addScriptTag({ path: AXE });
  // Browser-side code as strings: this file is typechecked without the DOM library.
  const violations = await page.evaluate<string[]>(`(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => v.impact + " " + v.id + ": " + v.help + " — " + v.nodes.map((n) => JSON.stringify(n.target)).join(", "));
  })()`);
  expect(violations, `axe on ${label}`).toEqual([]);
}

async function setLang(lang: "en" | "fr"): Promise<void> {
  if ((await page.getAttribute("html", "lang")) !== lang) await page.click(".lang-toggle");
  await expect.poll(() => page.getAttribute("html", "lang")).toBe(lang);
}

async function go(route: string): Promise<void> {
  await page.goto(`${base}/#/${route}`);
  await page.waitForSelector("main h1");
}

async function noHorizontalOverflow(label: string): Promise<void> {
  const { scroll, client } = await page.evaluate<{ scroll: number; client: number }>(
    "({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })",
  );
  expect(scroll, `horizontal overflow on ${label}`).toBeLessThanOrEqual(client);
}

describe.skipIf(!haveBrowser)("web app in Chromium", () => {
  beforeAll(async () => {
    for (const f of [SERVER, WEB_INDEX])
      if (!existsSync(f)) throw new Error(`${f} is missing: run npm run build first`);
    mkdirSync(SHOTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), "ee-web-e2e-"));
    const [url, b] = await Promise.all([
      startServer(),
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      }),
    ]);
    base = url;
    browser = b;
    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: "en-CA",
      bypassCSP: true, // axe is injected as an inline script; the server's CSP allows only its own scripts
    });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (e) => pageErrors.push(e.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once("exit", r));
      server.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (server.exitCode === null) server.kill("SIGKILL");
    }
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("scores examples/single-ielts.json's answers typed into the calculator, line by line", async () => {
    await go("calculator");
    await page.selectOption("#q-maritalStatus", "single");
    await page.fill("#q-age", "29");
    await page.selectOption("#q-education", "bachelors");
    await page.selectOption("#q-firstLanguage-test", "IELTS");
    await page.fill("#q-firstLanguage-date", "2026-01-10");
    for (const [ability, v] of [
      ["speaking", "7"],
      ["listening", "8"],
      ["reading", "7"],
      ["writing", "7"],
    ] as const)
      await page.fill(`#q-firstLanguage-${ability}`, v);
    await page.check("#q-hasSecond-yes");
    await page.selectOption("#q-secondLanguage-test", "TEF");
    await page.fill("#q-secondLanguage-date", "2025-09-01");
    for (const [ability, v] of [
      ["speaking", "456"],
      ["listening", "434"],
      ["reading", "434"],
      ["writing", "428"],
    ] as const)
      await page.fill(`#q-secondLanguage-${ability}`, v);
    await page.fill("#q-canadianWorkYears", "1");
    await page.fill("#q-foreignWorkYears", "3");
    await page.check("#q-certificateOfQualification-no");
    await page.check("#q-provincialNomination-no");
    await page.check("#q-siblingInCanada-no");
    await page.fill("#q-asOf", "2026-11-21");

    // 544: `npx ee crs examples/single-ielts.json` ("CRS score: 544 / 1200", rule set crs-2025-03-25).
    await expect.poll(() => page.textContent("[data-testid=score-total]"), { timeout: 10_000 }).toBe("544");
    const line = (factor: string) => page.locator(`tr[data-factor="${factor}"] td.num`).first();
    expect(await line("core.age").textContent()).toBe("110");
    expect(await line("core.education").textContent()).toBe("120");
    expect(await line("core.firstLanguage").textContent()).toBe("124");
    expect(await line("core.secondLanguage").textContent()).toBe("12");
    expect(await line("core.canadianWork").textContent()).toBe("40");
    expect(await line("skillTransferability.foreignWork").textContent()).toBe("50");
    expect(await line("additional.frenchProficiency").textContent()).toBe("50");
    const ruleLink = page.locator('tr[data-factor="core.age"] a');
    expect(await ruleLink.textContent()).toContain("core.age@crs-2015-01-01");
    expect(await ruleLink.getAttribute("href")).toMatch(/^https:\/\/www\.canada\.ca\//);
    // The CLB per ability, as the API's languageResults give it.
    expect(await page.textContent('[data-testid="clb-firstLanguage.listening"]')).toBe("CLB 9");
    expect(await page.textContent('[data-testid="clb-secondLanguage.speaking"]')).toBe("NCLC 7");
    expect(await page.textContent("[data-testid=breakdown-total]")).toBe("544 of 1,200 points");
    // Ways to raise the score, ranked by gain (the nomination first).
    await page.waitForSelector(".improvements li");
    expect(await page.textContent(".improvements li")).toContain("provincial");
    await shot("calculator-en");
    await axeCheck("calculator (en)");
  });

  it("shows field errors from the API next to the fields, announced", async () => {
    await page.fill("#q-age", "-3");
    await page.locator("#q-age").blur();
    await page.waitForSelector("#q-age-error");
    expect(await page.getAttribute("#q-age", "aria-invalid")).toBe("true");
    expect(await page.getAttribute("#q-age", "aria-describedby")).toContain("q-age-error");
    expect(await page.textContent(".error-summary")).toMatch(/1 answer/);
    await page.fill("#q-age", "29");
    await expect.poll(() => page.textContent("[data-testid=score-total]"), { timeout: 10_000 }).toBe("544");
  });

  it("switches to French: French labels, fr-CA numbers, <html lang>", async () => {
    await setLang("fr");
    expect(await page.textContent("main h1")).toBe("Calculateur du Système de classement global (SCG)");
    expect(await page.textContent('label[for="q-maritalStatus"]')).toBe("Quel est votre état matrimonial?");
    expect(await page.textContent('nav a[href="#/history"]')).toBe("Historique des rondes");
    // fr-CA groups thousands with a (narrow) no-break space: "1 200".
    expect(await page.textContent("[data-testid=breakdown-total]")).toMatch(
      /^544 points sur 1[\u00a0\u202f]200$/,
    );
    expect(await page.textContent('tr[data-factor="core.age"] th')).toBe("Âge");
    expect(await page.textContent('tr[data-factor="core.canadianWork"] td')).toBe("1 an");
    await shot("calculator-fr");
    await axeCheck("calculator (fr)");
    await page.reload();
    await page.waitForSelector("main h1");
    expect(await page.getAttribute("html", "lang")).toBe("fr"); // persisted
    await setLang("en");
  });

  it("checks a profile on the eligibility page and against the history (#397 first)", async () => {
    await go("eligibility");
    await page.click("text=Load the example profile");
    await page.click("button[type=submit]");
    await page.waitForSelector("#programs-title");
    expect(await page.textContent("#prog-FSW")).toContain("Eligible");
    expect(await page.textContent(".eligibility table caption")).toMatch(/FSW selection grid: \d+ points/);
    expect(await page.textContent("[data-testid=valid-until]")).toMatch(/holds until/);
    await shot("eligibility-en");
    await axeCheck("eligibility (en)");
    await setLang("fr");
    // The engine's sentences through the catalogue (message code + parameters), not its English text.
    const fswLanguage = page.locator('li[data-check="FSW.language"]');
    expect(await fswLanguage.textContent()).toMatch(
      /Première langue officielle : NCLC 7 dans les quatre compétences — IELTS General Training du .*2025 : NCLC 10\/10\/9\/9 \(EO\/CO\/CE\/EE\); exige NCLC 7 dans les quatre/,
    );
    await axeCheck("eligibility (fr)");
    await shot("eligibility-fr");
    await setLang("en");

    await go("history");
    await page.click("text=Check against the history");
    await page.waitForSelector("[data-testid=check-result] .verdict");
    // `npx ee history check examples/physician-profile.json`: "first invited by #397".
    expect(await page.textContent("[data-testid=check-result] .verdict")).toMatch(
      /First invited by round #397/,
    );
    expect(await page.textContent('[data-testid=check-result] li[data-round="397"]')).toContain(
      "CRS 463 above the cut-off 169",
    );
    await setLang("fr");
    expect(await page.textContent('[data-testid=check-result] li[data-round="397"]')).toContain(
      "SCG 463, au-dessus de la note limite 169",
    );
    await setLang("en");
  });

  it("draws the history charts (uPlot canvases with pixels) beside the calculator score", async () => {
    await go("history");
    await page.waitForSelector("#chart-cutoffs canvas");
    await page.waitForSelector("#chart-distribution canvas");
    const painted = await page.evaluate<{ w: number; h: number; n: number }>(`(() => {
      const canvas = document.querySelector("#chart-cutoffs canvas");
      const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return { w: canvas.width, h: canvas.height, n };
    })()`);
    expect(painted.w).toBeGreaterThan(0);
    expect(painted.h).toBeGreaterThan(0);
    expect(painted.n).toBeGreaterThan(1000);
    expect(await page.textContent("#latest-title + p")).toContain("544");
    await page.click("#forecast-title ~ form button[type=submit]");
    await page.waitForSelector("[data-testid=forecast-result]");
    expect(await page.textContent("[data-testid=forecast-result]")).toMatch(/Measured error/);
    await shot("history-en");
    await axeCheck("history (en)");
    await setLang("fr");
    expect(await page.textContent("main h1")).toBe("Rondes d’invitations");
    // French round names (the API's: the French feed's, else the rules' name of the round's kind).
    expect(await page.textContent("#latest-title ~ .table-wrap")).toContain(
      "Catégorie de l’expérience canadienne",
    );
    expect(await page.textContent("#latest-title ~ .table-wrap")).toMatch(/\d[\u00a0\u202f]\d{3}/); // "5 000"
    await axeCheck("history (fr)");
    await shot("history-fr");
    await setLang("en");
  });

  it("operator: token, dry run, the published result", async () => {
    await go("operator");
    await axeCheck("operator sign-in (en)");
    await page.fill("#q-op-token", TOKEN);
    await page.click("text=Use this token");
    await page.click("text=Show pool statistics");
    await page.waitForSelector("[data-testid=pool-size]");
    await page.fill("#q-op-invitations", "50");
    await page.fill("#q-op-at", "2026-12-01T15:00");
    await page.click("text=Dry run");
    await page.waitForSelector("[data-testid=published-round]");
    expect(await page.textContent("#published-title")).toContain("Dry run");
    expect(Number(await page.textContent("[data-testid=published-invitations]"))).toBeGreaterThan(0);
    expect(await page.textContent("[data-testid=published-round]")).toContain("Rank required to be invited");
    await shot("operator-en");
    await axeCheck("operator (en)");
    await setLang("fr");
    expect(await page.textContent("[data-testid=published-round]")).toContain("Rang requis pour être invité");
    await axeCheck("operator (fr)");
    await shot("operator-fr");
    await setLang("en");
  });

  it("has no horizontal overflow at 375 px", async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const route of ["calculator", "eligibility", "history", "operator"]) {
      await go(route);
      if (route === "history") await page.waitForSelector("#chart-cutoffs canvas");
      await noHorizontalOverflow(route);
      await shot(`${route}-375`);
    }
    await setLang("fr");
    await go("calculator");
    await noHorizontalOverflow("calculator (fr)");
    await setLang("en");
    expect(pageErrors).toEqual([]);
  });
});
