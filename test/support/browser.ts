import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The system Chromium, with the flags this closed network needs (no background fetches). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
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
