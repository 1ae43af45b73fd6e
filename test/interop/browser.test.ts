/**
 * End to end: the sample site built in memory, served on 127.0.0.1, opened in Debian's Chromium.
 * A missing browser fails the test; nothing here is skipped.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, describe, test as nodeTest, type TestContext } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium, OUTPUT_DIR, parseXmlStrict, serveSampleSite, type LocalSite } from "../helpers/browser.ts";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * Runs JavaScript in the page. Page code is kept as plain strings: the project's type check has
 * no DOM library, and tsx would wrap named functions in a helper the page does not have.
 */
function inPage<T = unknown>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

describe("the front door in Chromium", { timeout: 180_000 }, () => {
  let site: LocalSite;
  let browser: Browser;
  let setupError: unknown;

  before(async () => {
    try {
      mkdirSync(OUTPUT_DIR, { recursive: true });
      site = await serveSampleSite();
      browser = await launchChromium();
    } catch (error) {
      setupError = error;
    }
  });

  after(async () => {
    await browser?.close();
    await site?.close();
  });

  /**
   * A test that fails, with the reason, when the site or the browser could not be started: node's
   * runner would otherwise count a failed `before` as no test at all.
   */
  function test(name: string, fn: (t: TestContext) => Promise<void> | void): void {
    nodeTest(name, async (t) => {
      if (setupError !== undefined) throw setupError;
      await fn(t);
    });
  }

  /** A page that records every console error, uncaught exception, failed request and HTTP error. */
  async function open(context: BrowserContext, url: string): Promise<{ page: Page; problems: string[] }> {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
    page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ""}`));
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    const response = await page.goto(url, { waitUntil: "load" });
    assert.equal(response?.status(), 200, `GET ${url}`);
    return { page, problems };
  }

  async function newContext(options: { viewport?: { width: number; height: number }; colorScheme?: "light" | "dark" } = {}): Promise<BrowserContext> {
    return browser.newContext({
      viewport: options.viewport ?? DESKTOP,
      colorScheme: options.colorScheme ?? "light",
      reducedMotion: "reduce",
    });
  }

  test("states what the test added because the build does not make it yet", (t) => {
    for (const note of site.notes) t.diagnostic(note);
    assert.ok(site.files.has("index.html"));
  });

  test("loads with no console error; the Content-Security-Policy lets its own style and script run", async () => {
    const context = await newContext();
    try {
      const { page, problems } = await open(context, site.url);
      assert.equal(await page.title(), `${site.input.site.title}: feeds`);
      assert.equal(await page.locator("h1").textContent(), site.input.site.title);
      // The inline <style> applied (its hash is in the CSP): the background is the page's, not white.
      const background = await inPage<string>(page, "getComputedStyle(document.documentElement).backgroundColor");
      assert.equal(background, "rgb(246, 244, 239)");
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
      assert.match(csp ?? "", /script-src 'sha256-[A-Za-z0-9+/]+=*'/);
      // Give the page a moment to report anything late (a blocked script, a failed favicon).
      await page.waitForTimeout(300);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("every autodiscovery link and every feed URL on the page resolves to a document that parses", async () => {
    const context = await newContext();
    try {
      const { page, problems } = await open(context, site.url);
      const alternates = await inPage<{ href: string; type: string; title: string }[]>(page, `
        Array.from(document.querySelectorAll('head link[rel="alternate"]'), (l) => ({ href: l.href, type: l.type, title: l.title }))`);
      const shown = await inPage<string[]>(page, `Array.from(document.querySelectorAll("a.url"), (a) => a.href)`);
      const copied = await inPage<string[]>(page, `Array.from(document.querySelectorAll("button[data-copy]"), (b) => b.dataset.copy)`);
      const opml = await inPage<string[]>(page, `Array.from(document.querySelectorAll('a[href$=".opml"]'), (a) => a.href)`);

      const expected = site.input.feeds.flatMap((feed) => feed.formats.map((format) => format.url)).sort();
      assert.ok(expected.length >= 3 * 3, "the sample site has a site feed, sections and tags, in three formats");
      assert.deepEqual(alternates.map((a) => a.href).sort(), expected, "one autodiscovery link per format per feed");
      assert.deepEqual([...shown].sort(), expected, "every feed URL is shown");
      assert.deepEqual([...copied].sort(), expected, "every feed URL has a copy button");
      assert.deepEqual(opml, [site.input.opmlUrl]);
      for (const link of alternates) assert.ok(link.title.length > 0, `autodiscovery link ${link.href} has a title`);

      const types = new Map(alternates.map((a) => [a.href, a.type]));
      for (const url of new Set([...expected, ...opml])) {
        const response = await context.request.get(url);
        assert.equal(response.status(), 200, `GET ${url}`);
        const body = await response.text();
        const type = types.get(url);
        if (url.endsWith(".json")) {
          const json = JSON.parse(body) as { version?: unknown; items?: unknown };
          assert.equal(json.version, "https://jsonfeed.org/version/1.1", url);
          assert.ok(Array.isArray(json.items), url);
          assert.equal(type, "application/feed+json", url);
        } else {
          const { root, namespace } = parseXmlStrict(body);
          if (url.endsWith(".opml")) assert.equal(root, "opml", url);
          else if (type === "application/rss+xml") assert.equal(root, "rss", url);
          else if (type === "application/atom+xml") assert.deepEqual({ root, namespace }, { root: "feed", namespace: "http://www.w3.org/2005/Atom" }, url);
          else assert.fail(`${url}: unexpected type ${String(type)}`);
        }
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a copy button copies its feed URL with the Clipboard API and announces it", async () => {
    const context = await newContext();
    try {
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(site.url).origin });
      const { page, problems } = await open(context, site.url);
      const rss = site.input.feeds[0]!.formats[0]!;
      const button = page.locator(`button[data-copy="${rss.url}"]`);
      assert.equal(await button.getAttribute("aria-label"), `Copy ${rss.label} address of ${site.input.feeds[0]!.title}`);
      await button.click();
      await page.locator("#copy-status").filter({ hasText: "Copied" }).waitFor({ timeout: 5_000 });
      assert.equal(await inPage<string>(page, "navigator.clipboard.readText()"), rss.url);
      assert.equal(await button.textContent(), "Copied");

      // By keyboard, on a tag feed inside the closed <details>: open it, tab to a button, press Enter.
      await page.locator("details.tags > summary").click();
      const tag = site.input.feeds.find((f) => f.kind === "tag")!.formats[2]!;
      await page.locator(`button[data-copy="${tag.url}"]`).focus();
      await page.keyboard.press("Enter");
      await page.waitForFunction(`navigator.clipboard.readText().then((text) => text === ${JSON.stringify(tag.url)})`, undefined, { timeout: 5_000 });
      assert.equal(await page.locator("#copy-status").getAttribute("aria-live"), "polite");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("without the Clipboard API the copy falls back to execCommand, then to selecting the address", async () => {
    const context = await newContext();
    try {
      await context.addInitScript(`
        window.copies = [];
        Object.defineProperty(navigator, "clipboard", {
          configurable: true,
          value: { writeText: () => Promise.reject(new DOMException("denied", "NotAllowedError")) },
        });
        document.addEventListener("copy", (event) => {
          const area = event.target;
          window.copies.push(area.value.slice(area.selectionStart, area.selectionEnd));
        }, true);
      `);
      const { page, problems } = await open(context, site.url);
      const atom = site.input.feeds[0]!.formats[1]!;
      const button = page.locator(`button[data-copy="${atom.url}"]`);
      await button.click();
      await page.locator("#copy-status").filter({ hasText: "Copied" }).waitFor({ timeout: 5_000 });
      assert.deepEqual(await inPage<string[]>(page, "window.copies"), [atom.url]);
      assert.equal(await page.locator("textarea").count(), 0, "the helper textarea is removed");

      await inPage(page, "document.execCommand = () => false");
      await button.click();
      await page.locator("#copy-status").filter({ hasText: "Could not copy" }).waitFor({ timeout: 5_000 });
      assert.equal(await inPage<string>(page, "getSelection().toString()"), atom.url);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  for (const colorScheme of ["light", "dark"] as const) {
    test(`no accessibility violations found by axe-core (${colorScheme})`, async () => {
      const context = await newContext({ colorScheme });
      try {
        const { page } = await open(context, site.url);
        await page.locator("details.tags > summary").click();
        await page.evaluate(AXE_SOURCE);
        const violations = await inPage<string[]>(page, `
          axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } })
            .then((result) => result.violations.map((v) => v.id + ": " + v.help + " (" + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ") + ")"))`);
        assert.deepEqual(violations, []);
      } finally {
        await context.close();
      }
    });
  }

  for (const viewport of [PHONE, DESKTOP]) {
    test(`screenshots at ${viewport.width}×${viewport.height}, light and dark, with nothing wider than the screen`, async () => {
      for (const colorScheme of ["light", "dark"] as const) {
        const context = await newContext({ viewport, colorScheme });
        try {
          const { page, problems } = await open(context, site.url);
          const overflow = await inPage<number>(page, "document.documentElement.scrollWidth - document.documentElement.clientWidth");
          assert.equal(overflow, 0, "no horizontal scrolling");
          const path = join(OUTPUT_DIR, `front-door-${viewport.width}x${viewport.height}-${colorScheme}.png`);
          await page.screenshot({ path, fullPage: true });
          await page.screenshot({ path: path.replace(".png", "-first-screen.png") });
          assert.ok(readFileSync(path).length > 10_000, `${path} holds a picture`);
          assert.deepEqual(problems, []);
        } finally {
          await context.close();
        }
      }
    });
  }

  for (const file of ["rss.xml", "atom.xml"]) {
    test(`${file} opened in the browser reads as a page styled by feed.css, without XSLT`, async () => {
      const context = await newContext({ viewport: PHONE });
      try {
        const { page, problems } = await open(context, new URL(file, site.url).href);
        const seen = await inPage<{ root: string; stylesheets: string[]; titleFont: string; contentShown: boolean }>(page, `(() => {
          const root = document.documentElement;
          const title = root.querySelector("title");
          const content = [...root.getElementsByTagNameNS("*", "encoded"), ...root.getElementsByTagNameNS("*", "content")];
          return {
            root: root.localName,
            stylesheets: [...document.childNodes].filter((n) => n.nodeType === Node.PROCESSING_INSTRUCTION_NODE).map((pi) => pi.data),
            titleFont: title === null ? "" : getComputedStyle(title).fontSize,
            contentShown: content.some((el) => getComputedStyle(el).display !== "none"),
          };
        })()`);
        assert.equal(seen.root, file === "rss.xml" ? "rss" : "feed");
        assert.equal(seen.stylesheets.length, 1);
        assert.match(seen.stylesheets[0]!, /^type="text\/css" href="[^"]+\/feed\.css"$/);
        assert.equal(seen.titleFont, "36px", "the feed's title is styled by feed.css");
        assert.equal(seen.contentShown, false, "full HTML content is hidden");
        // Playwright's fullPage capture hangs on XML documents: grow the viewport instead.
        const height = await inPage<number>(page, "document.documentElement.scrollHeight");
        await page.setViewportSize({ width: PHONE.width, height: Math.min(height, 6000) });
        await page.screenshot({ path: join(OUTPUT_DIR, `${file.replace(".", "-")}-${PHONE.width}.png`) });
        assert.deepEqual(problems, [], site.requests.join("\n"));
      } finally {
        await context.close();
      }
    });
  }
});
