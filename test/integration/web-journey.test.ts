/// <reference lib="dom" />
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "../../local/free-port.js";

/**
 * The web page's whole journey in headless Chromium against `npm start`'s stack on generated sample data:
 * search and pick three movies, recommendations with reasons, sign up, favourite one (it leaves the
 * recommendations and shows in favourites), remove it, "Seen it" on another, a movie and its similar
 * movies, the taste groups, the
 * model page with its chart. Screenshots at 360 and 1280 px go to test-artifacts/ (git-ignored).
 */

const root = path.resolve(import.meta.dirname, "../..");
const artifacts = path.join(root, "test-artifacts");
const dataDir = mkdtempSync(path.join(tmpdir(), "cinecluster-web-"));
const chromiumPath =
  process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

let server: ChildProcess | undefined;
let browser: Browser | undefined;
let base = "";

async function startStack(): Promise<string> {
  const port = await findFreePort();
  const child = spawn(
    process.execPath,
    [
      path.join(root, "node_modules", "tsx", "dist", "cli.mjs"),
      "scripts/start.ts",
      ...["--port", String(port), "--data-dir", dataDir, "--reset", "--users", "120", "--k", "4"],
    ],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
  );
  server = child;
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Press Ctrl-C to stop.")) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
  });
  expect(output).toMatch(new RegExp(`Web page: http://localhost:${port}/`));
  return `http://localhost:${port}`;
}

async function shot(page: Page, name: string): Promise<void> {
  for (const width of [360, 1280]) {
    await page.setViewport({ width, height: 900 });
    await page.screenshot({ path: path.join(artifacts, `${name}-${width}.png`), fullPage: true });
  }
}

async function pick(page: Page, title: string): Promise<void> {
  const name = title.replace(/\s*\(\d{4}\)\s*$/, "");
  await page.click("#search", { count: 3 });
  await page.type("#search", name);
  await page.waitForSelector("#suggestions li[aria-selected='true']");
  await page.keyboard.press("Enter");
  await page.waitForFunction((n) => document.querySelector(".chips")?.textContent?.includes(n), {}, name);
}

beforeAll(async () => {
  if (!chromiumPath) {
    throw new Error(
      "Chromium is needed for the browser journey: apt-get install -y chromium (or set CHROMIUM_PATH)",
    );
  }
  mkdirSync(artifacts, { recursive: true });
  base = await startStack();
  browser = await puppeteer.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGINT");
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the web page", () => {
  it("takes a person from three picks to kept favourites, a movie, a taste group and the model", async () => {
    const page = await browser!.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(String(error)));
    await page.setViewport({ width: 1280, height: 900 });
    const popular = (await (await fetch(`${base}/movies/popular?limit=3`)).json()) as {
      movies?: { title: string }[];
      items?: { title: string }[];
    };
    const titles = (popular.movies ?? popular.items ?? []).map((m) => m.title);
    expect(titles).toHaveLength(3);

    await page.goto(`${base}/`, { waitUntil: "networkidle0" });
    expect(await page.$eval("label[for=search]", (l) => l.textContent)).toContain("Find movies");
    for (const title of titles) await pick(page, title);
    await page.waitForSelector("#pick-results .card .reason");
    const reasons = await page.$$eval("#pick-results .card .reason", (els) =>
      els.map((e) => e.textContent ?? ""),
    );
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.every((r) => /\d/.test(r))).toBe(true);
    await shot(page, "discover");
    await page.setViewport({ width: 360, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.setViewport({ width: 1280, height: 900 });

    // Sign up: the local stack confirms the account at once.
    await page.click("#sign-in-button");
    await page.type("#username", `web-${Date.now()}@example.com`);
    await page.type("#password", "Journey-Passw0rd!");
    await page.click("#sign-up");
    await page.waitForFunction(() => document.getElementById("account")?.textContent?.includes("Signed in"));
    await page.waitForSelector("#my-results .card");

    // Favourite the first personal recommendation: it leaves the list and shows in favourites.
    const first = await page.$eval("#my-results .card", (card) => ({
      id: card.getAttribute("data-movie-id"),
      title: card.querySelector("h3")?.textContent ?? "",
    }));
    await page.click(`#my-results .card[data-movie-id="${first.id}"] .actions button`);
    await page.waitForFunction(
      (id) => !document.querySelector(`#my-results .card[data-movie-id="${id}"]`),
      {},
      first.id,
    );
    await page.goto(`${base}/#/favourites`, { waitUntil: "networkidle0" });
    await page.waitForSelector(`#favourites .card[data-movie-id="${first.id}"]`);
    await shot(page, "favourites");
    await page.click(`#favourites .card[data-movie-id="${first.id}"] .actions button`);
    await page.waitForFunction(
      (id) => !document.querySelector(`#favourites .card[data-movie-id="${id}"]`),
      {},
      first.id,
    );

    // "Seen it" on a recommendation: it leaves the list from the next request on.
    await page.goto(`${base}/#/`, { waitUntil: "networkidle0" });
    await page.waitForSelector("#my-results .card");
    const seen = await page.$eval("#my-results .card", (card) => card.getAttribute("data-movie-id"));
    await page.click(`#my-results .card[data-movie-id="${seen}"] .actions button.secondary`);
    await page.waitForFunction(
      (id) =>
        document.querySelector("#my-results .card") &&
        !document.querySelector(`#my-results .card[data-movie-id="${id}"]`),
      {},
      seen,
    );

    // A movie and its similar movies.
    await page.goto(`${base}/#/`, { waitUntil: "networkidle0" });
    await page.waitForSelector("#pick-results .card h3 a");
    const opened = await page.$eval("#pick-results .card h3 a", (a) => a.textContent ?? "");
    await page.click("#pick-results .card h3 a");
    await page.waitForFunction((t) => document.querySelector("h1")?.textContent === t, {}, opened);
    await page.waitForSelector("#similar .card .reason");
    await shot(page, "movie");

    // Taste groups, then one group.
    await page.goto(`${base}/#/groups`, { waitUntil: "networkidle0" });
    await page.waitForSelector("#groups .card a");
    await page.click("#groups .card a");
    await page.waitForSelector("#group h1");
    expect(await page.$eval("#group", (g) => g.textContent ?? "")).toMatch(/\d+ people share this taste/);
    await shot(page, "group");

    // How the model was made, with the k-selection chart.
    await page.goto(`${base}/#/model`, { waitUntil: "networkidle0" });
    await page.waitForSelector("#model-facts");
    expect(await page.$eval("#model-facts", (d) => d.textContent ?? "")).toContain("Taste groups (k)");
    await shot(page, "model");

    // An API failure shows a sentence and a way on, never raw JSON.
    await page.goto(`${base}/#/movie/999999999`, { waitUntil: "networkidle0" });
    await page.waitForSelector(".error[role=alert]");
    expect(await page.$eval(".error", (e) => e.textContent ?? "")).toContain("We could not find that");
    expect(pageErrors).toEqual([]);
  }, 240_000);
});
