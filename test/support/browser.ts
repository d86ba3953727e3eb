import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import axe from 'axe-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from './smtp.js';
import { startTestServer, type TestServer } from './test-server.js';

/** The system Chromium, with the flags this closed network needs (no background fetches). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

const artifactsDir = path.resolve('test-results');

/** Saves a full-page screenshot under test-results/ (kept on failure; used for docs/screenshots too). */
export async function screenshot(page: Page, name: string, target = artifactsDir): Promise<string> {
  fs.mkdirSync(target, { recursive: true });
  const file = path.join(target, `${name}.png`);
  // From the top: a page scrolled down renders its fixed header in the middle of a full-page shot.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * A Chromium story against the real server (SQLite): starts the server (and an SMTP server when
 * asked), the browser, and fresh browser contexts per page; after a failed test it saves a
 * screenshot of `current`, the page the story was looking at, then closes the test's contexts.
 * Call it inside a describe block; read `server`, `smtp` and `newPage` from what it returns.
 */
export function browserStory(options: { smtp?: boolean; env?: Record<string, string> } = {}) {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const story = {
    server: undefined as unknown as TestServer,
    smtp: undefined as unknown as TestSmtpServer,
    /** The page a failure screenshot shows: the last one opened, unless the test points it elsewhere. */
    current: undefined as Page | undefined,
    async newPage({ width = 1280, height = 800 }: { width?: number; height?: number } = {}): Promise<Page> {
      const context = await browser!.newContext({ baseURL: story.server.baseUrl, viewport: { width, height } });
      contexts.push(context);
      story.current = await context.newPage();
      return story.current;
    },
  };

  beforeAll(async () => {
    if (options.smtp) story.smtp = await startSmtpServer();
    story.server = await startTestServer({ dialect: 'sqlite', ...(options.smtp ? { smtp: story.smtp } : {}), ...(options.env ? { env: options.env } : {}) });
    browser = await launchBrowser();
  });
  afterEach(async (test) => {
    if (test.task.result?.state === 'fail' && story.current) await screenshot(story.current, `failed-${test.task.name.replace(/\W+/g, '-')}`);
    for (const context of contexts.splice(0)) await context.close().catch(() => {});
  });
  afterAll(async () => {
    await browser?.close();
    await story.server?.destroy();
    await story.smtp?.stop();
  });
  return story;
}

/**
 * Runs axe-core (the engine behind Lighthouse's accessibility audit) on the page as it is and
 * fails with every serious or critical violation, each with the elements it found. (The page
 * scripts are strings: this package is type-checked without the DOM library.)
 */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  // The page at rest: the last click's hover highlight is not what a reader sees.
  await page.mouse.move(0, 0);
  // Nor is a dialog half faded in: wait for transitions to end.
  // (Polled with evaluate: waitForFunction compiles its string in the page, which the CSP forbids.)
  await expect.poll(() => page.evaluate<boolean>(`document.getAnimations().every((animation) => animation.playState !== 'running')`)).toBe(true);
  // Evaluated over the DevTools protocol, so the page's Content-Security-Policy does not stop it.
  if (!(await page.evaluate<boolean>(`'axe' in window`))) await page.evaluate(axe.source);
  const violations = await page.evaluate<string[]>(`
    axe.run(document, { resultTypes: ['violations'] }).then((results) =>
      results.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => violation.id + ' (' + violation.impact + '): ' + violation.help + ' - ' +
          violation.nodes.map((node) => node.target.join(' ') + ' ' + (node.failureSummary || '').replace(/\\s+/g, ' ')).join(' | ')))
  `);
  expect(violations, `accessibility of ${where}`).toEqual([]);
}

/** Fails when the page, or any scroll area in it (the tables), scrolls sideways: content cut off at this width. */
export async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const overflowing = await page.evaluate<string[]>(`(() => {
    const found = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) found.push('page ' + root.scrollWidth + ' > ' + root.clientWidth);
    for (const element of document.querySelectorAll('.mantine-ScrollArea-viewport')) {
      if (element.scrollWidth > element.clientWidth + 1) {
        const table = element.querySelector('table');
        found.push((table?.getAttribute('aria-label') || table?.getAttribute('aria-labelledby') || 'scroll area') + ' ' + element.scrollWidth + ' > ' + element.clientWidth);
      }
    }
    return found;
  })()`);
  expect(overflowing, `sideways scrolling on ${where}`).toEqual([]);
}
