// Prints what the browser logs on one page (console messages, uncaught errors) and whether it
// hydrated: the quickest way to see a hydration panic. Not a test.
//
//   node console.mjs http://127.0.0.1:3000 user@demo.local /accounts
import { chromium } from '@playwright/test';
const [base, email, path] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
page.on('console', (m) => console.log('console:', m.type(), m.text().slice(0, 600)));
page.on('pageerror', (e) => console.log('pageerror:', e.message.slice(0, 600)));
await page.goto(`${base}/login`);
await page.waitForSelector('body[data-hydrated="true"]');
await page.fill('#email', email);
await page.fill('#password', 'dealgate');
await page.click('button[type="submit"]');
await page.getByTestId('user-chip').waitFor();
await page.goto(`${base}${path}`);
await page.waitForTimeout(4000);
console.log('hydrated:', await page.evaluate(() => document.body.dataset.hydrated));
await browser.close();
