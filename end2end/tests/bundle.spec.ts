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
  // Brotli-compressed main chunk and the board's chunks: a size budget, not a timing. Measured
  // 592 KB (main chunk 302 KB, the pipeline group 97 KB, 15 shared chunks); issue 19 asks for
  // 300 KB, so this only keeps it from growing while the main chunk is cut.
  expect(firstBytes).toBeGreaterThan(0);
  expect(firstBytes).toBeLessThan(700_000);

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
  // The page's own address again: a real load, not the router's (the stopped WASM's) click.
  await Promise.all([page.waitForEvent('load'), notice.getByTestId('fatal-reload').click()]);
  await hydrated(page);
  await expect(page.getByTestId('fatal-notice')).toHaveCount(0);
  await page.getByTestId('mainnav').getByRole('link', { name: 'Forecast', exact: true }).click();
  await expect(page.getByTestId('forecast-kpis')).toBeVisible();
  await expect(page.getByTestId('fatal-notice')).toHaveCount(0);
  await page.context().close();
});

// Every lazy route must wait for its chunk before hydrating (the LazyRoute's preload()); when it
// did not, each of these pages panicked on a direct load ("expected a marker node").
test('a direct load of each page group hydrates without a panic', async ({ browser }) => {
  const page = await coldPage(browser, 'rep@demo.local');
  const deals = (await (await page.request.get('/api/v1/deals?per_page=50')).json()).deals as { id: string }[];
  let quote = '';
  for (const d of deals) {
    const quotes = await (await page.request.get(`/api/v1/deals/${d.id}/quotes`)).json();
    if (quotes.length) {
      quote = quotes[0].id;
      break;
    }
  }
  expect(quote).not.toBe('');
  const account = (await (await page.request.get('/api/v1/accounts?per_page=1')).json()).accounts[0].id;
  const panics: string[] = [];
  page.on('pageerror', (e) => panics.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (m.text().includes('panicked')) panics.push(`${page.url()}: ${m.text().slice(0, 300)}`);
  });
  for (const path of ['/', '/board', '/deals', `/deals/${deals[0].id}`, `/quotes/${quote}`, `/quotes/${quote}/print`, '/accounts', `/accounts/${account}`, '/contacts', '/forecast']) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    await hydrated(page);
    await expect(page.getByTestId('fatal-notice'), path).toHaveCount(0);
  }
  expect(panics).toEqual([]);
  await page.context().close();
});

test('a page opened directly whose chunk fails to load says so', async ({ browser }) => {
  const page = await coldPage(browser, 'manager2@demo.local');
  let failed = 0;
  await page.route('**/split_*.wasm', (route) => {
    if (failed === 0) {
      failed += 1;
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  await page.goto('/forecast');
  await expect(page.getByTestId('fatal-notice')).toBeVisible();
  expect(failed).toBe(1);
  await Promise.all([page.waitForEvent('load'), page.getByTestId('fatal-reload').click()]);
  await hydrated(page);
  await expect(page.getByTestId('forecast-kpis')).toBeVisible();
  await expect(page.getByTestId('fatal-notice')).toHaveCount(0);
  await page.context().close();
});
