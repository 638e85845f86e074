// Screenshots of the pages a session touched, for a person to look at (not a test: it asserts
// nothing and is not part of `make test`). Each page in English and Chinese, at 1440×900 and
// 390×844, full length, into end2end/screenshots/tour/.
//
//   node tour.mjs http://127.0.0.1:3000 user@demo.local /accounts /contacts …
//
// A path may contain {account}: the first account the user's list shows.
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';

const [base, email, ...paths] = process.argv.slice(2);
if (!base || !email || paths.length === 0) {
  console.error('usage: node tour.mjs BASE_URL EMAIL PATH...');
  process.exit(2);
}
const out = 'screenshots/tour';
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
const context = await browser.newContext({ locale: 'en-US' });
const page = await context.newPage();
const hydrated = () => page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
await page.goto(`${base}/login`);
await hydrated();
await page.fill('#email', email);
await page.fill('#password', 'dealgate');
await page.click('button[type="submit"]');
await page.getByTestId('user-chip').waitFor();
const accounts = await (await page.request.get(`${base}/api/v1/accounts?per_page=1`)).json();
const account = accounts.accounts?.[0]?.id ?? '';
const who = email.split('@')[0];
for (const lang of ['en', 'zh']) {
  await page.goto(`${base}/`);
  await hydrated();
  await page.getByRole('button', { name: lang === 'en' ? 'EN' : '中文', exact: true }).click();
  await page.waitForTimeout(500);
  for (const raw of paths) {
    const path = raw.replace('{account}', account);
    const slug = raw.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home';
    for (const [w, h] of [[1440, 900], [390, 844]]) {
      await page.setViewportSize({ width: w, height: h });
      await page.goto(`${base}${path}`);
      await hydrated();
      await page.waitForLoadState('networkidle').catch(() => {});
      const file = `${out}/${who}-${slug}-${lang}-${w}.png`;
      await page.screenshot({ path: file, fullPage: true });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (w < 800) {
        // A phone page is long and narrow: also in screen-sized parts, readable when opened.
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        for (let y = 0, n = 1; y < height; y += 1200, n++) {
          const clip = { x: 0, y, width: w, height: Math.min(1200, height - y) };
          await page.screenshot({ path: file.replace('.png', `-part${n}.png`), fullPage: true, clip });
        }
      }
      console.log(`${file}${width > w ? `  (scrolls sideways: ${width}px)` : ''}`);
    }
  }
}
await browser.close();
