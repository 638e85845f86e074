import { test, expect, Browser, Page } from '@playwright/test';
import { hydrated, signIn, shots } from './helpers';

// Issue 19: every page behind sign-in is a WASM chunk of its own (lazy routes, `--split`).
// The first page fetches the main chunk and its own; another page's chunk arrives when that
// page is first opened; a chunk that cannot be fetched says so, and a reload recovers.

// A signed-in browser with an empty cache: the session cookie of a sign-in made elsewhere.
async function coldPage(browser: Browser, email: string): Promise<Page> {
  const warm = await browser.newContext({ locale: 'en-US' });
  await signIn(await warm.newPage(), email);
  const cookies = await warm.cookies();
  await warm.close();
  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
  await ctx.addCookies(cookies);
  return ctx.newPage();
}

type Fetched = { url: string; bytes: number };
function recordWasm(page: Page): Fetched[] {
  const seen: Fetched[] = [];
  page.on('requestfinished', async (req) => {
    if (!new URL(req.url()).pathname.endsWith('.wasm')) return;
    const sizes = await req.sizes().catch(() => null);
    seen.push({ url: req.url(), bytes: sizes?.responseBodySize ?? 0 });
  });
  return seen;
}

test('a page fetches only its own WASM; another page brings its chunk when first opened', async ({ browser }) => {
  const page = await coldPage(browser, 'manager2@demo.local');
  const wasm = recordWasm(page);
  await page.goto('/board');
  await hydrated(page);
  await expect(page.getByTestId('board')).toBeVisible();
  const first = wasm.map((w) => w.url);
  // The main chunk and the board's own.
  expect(first.some((u) => /\/pkg\/dealgate\.[A-Za-z0-9_-]{22}\.wasm$/.test(u))).toBe(true);
  expect(first.length).toBeGreaterThanOrEqual(2);
  const firstBytes = wasm.reduce((n, w) => n + w.bytes, 0);
  test.info().annotations.push({ type: 'board first load, WASM over the wire', description: `${Math.round(firstBytes / 1024)} KB in ${first.length} files` });
  // Brotli-compressed main chunk and the board's chunks: a size budget, not a timing.
  expect(firstBytes).toBeGreaterThan(0);
  expect(firstBytes).toBeLessThan(1_000_000);

  await page.getByTestId('mainnav').getByRole('link', { name: 'Forecast', exact: true }).click();
  await expect(page.getByTestId('forecast-kpis')).toBeVisible();
  const later = wasm.map((w) => w.url).filter((u) => !first.includes(u));
  expect(later.length).toBeGreaterThanOrEqual(1);
  await page.context().close();
});

test('a page chunk that fails to load says so, and a reload recovers', async ({ browser }) => {
  const page = await coldPage(browser, 'manager2@demo.local');
  await page.goto('/board');
  await hydrated(page);
  await expect(page.getByTestId('board')).toBeVisible();
  // Every chunk the board needs is here; the next WASM request is the forecast page's.
  let failed = 0;
  await page.route('**/*.wasm', (route) => {
    if (failed === 0) {
      failed += 1;
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  await page.getByTestId('mainnav').getByRole('link', { name: 'Forecast', exact: true }).click();
  const notice = page.getByTestId('fatal-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('stopped responding');
  expect(failed).toBe(1);
  await page.screenshot({ path: shots('chunk-failure-1440') });
  await notice.getByTestId('fatal-reload').click();
  await hydrated(page);
  await expect(page.getByTestId('fatal-notice')).toHaveCount(0);
  await page.getByTestId('mainnav').getByRole('link', { name: 'Forecast', exact: true }).click();
  await expect(page.getByTestId('forecast-kpis')).toBeVisible();
  await expect(page.getByTestId('fatal-notice')).toHaveCount(0);
  await page.context().close();
});
