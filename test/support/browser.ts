import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
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
