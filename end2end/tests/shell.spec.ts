import { expect, test } from '@playwright/test';
import { hydrated, shots, signIn } from './helpers';

test('the demo rep signs in, navigates without reloading, switches to Chinese and signs out', async ({ page }) => {
  await page.goto('/deals');
  await expect(page).toHaveURL(/\/login\?next=\/deals$/);
  await hydrated(page);
  await page.fill('#email', 'rep@demo.local');
  await page.fill('#password', 'dealgate');
  await page.click('button[type="submit"]');
  // The login returns the rep to the page they asked for.
  await expect(page).toHaveURL((u) => u.pathname === '/deals');
  await expect(page.getByTestId('user-chip')).toContainText('张磊');
  await expect(page.getByTestId('user-chip')).toContainText('East');
  await hydrated(page);

  // A marker on window survives only if navigation happens in the page, not by reload.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  await page.getByRole('link', { name: 'Accounts', exact: true }).click();
  await expect(page).toHaveURL((u) => u.pathname === '/accounts');
  await expect(page.getByTestId('accounts-table')).toBeVisible();
  await page.getByRole('link', { name: 'Deals', exact: true }).click();
  await expect(page.getByTestId('deals-table')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);

  // Switch language: the page re-renders in Chinese at once, still without a reload.
  // (The choice is saved in the background; the reload below must not overtake the save.)
  const saved = page.waitForResponse((r) => r.url().includes('set_locale') && r.ok());
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('商机');
  await expect(page.getByRole('link', { name: '销售漏斗' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);
  // Amounts in 万 in Chinese.
  await expect(page.getByTestId('deals-table').locator('.money').first()).toContainText('万');

  // The choice is the user's setting: a fresh load renders Chinese on the server.
  await saved;
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('商机');
  await hydrated(page);
  await page.screenshot({ path: shots('deals-zh-1440'), fullPage: true });

  await page.getByTestId('logout').click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/deals');
  await expect(page).toHaveURL(/\/login/);
});

test('a wrong password gets a clear message and keeps the user on the login page', async ({ page }) => {
  await page.goto('/login');
  await hydrated(page);
  await page.fill('#email', 'rep4@demo.local');
  await page.fill('#password', 'not-the-password');
  await page.click('button[type="submit"]');
  await expect(page.getByTestId('login-error')).toContainText('Wrong email or password');
  await expect(page).toHaveURL(/\/login/);
  // The typed email is not lost.
  await expect(page.locator('#email')).toHaveValue('rep4@demo.local');
});

test('nothing is served to someone not signed in', async ({ request }) => {
  const api = await request.post('/api/deals/list', { form: { page: '1' } });
  expect(api.status()).toBe(401);
  const page = await request.get('/accounts', { maxRedirects: 0 });
  expect(page.status()).toBe(303);
  expect(page.headers()['location']).toBe('/login?next=/accounts');
  const health = await request.get('/healthz');
  expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });
});

test('a rep reads only their team through the server functions', async ({ page }) => {
  await signIn(page, 'rep3@demo.local');
  const res = await page.request.post('/api/deals/list', { form: { page: '1' } });
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.total).toBeGreaterThan(0);
  expect(body.total).toBeLessThan(120);
  for (const row of body.rows) expect(row.team).toBe('East');
  const admin = await page.request.post('/api/admin/overview');
  expect(admin.status()).toBe(403);
});

test('screenshots of the shell at desktop and phone width', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/login');
  await hydrated(page);
  await page.screenshot({ path: shots('login-1440') });
  await signIn(page, 'manager@demo.local');
  await expect(page.getByTestId('kpis')).toBeVisible();
  await page.screenshot({ path: shots('dashboard-1440'), fullPage: true });
  await page.goto('/board');
  await expect(page.getByTestId('board')).toBeVisible();
  await page.screenshot({ path: shots('board-1440') });
  await page.goto('/deals');
  await expect(page.getByTestId('deals-table')).toBeVisible();
  await page.screenshot({ path: shots('deals-1440') });
  await page.goto('/approvals');
  await page.screenshot({ path: shots('approvals-1440') });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await expect(page.getByTestId('kpis')).toBeVisible();
  await page.screenshot({ path: shots('dashboard-390'), fullPage: true });
  await page.goto('/deals');
  await expect(page.getByTestId('deals-table')).toBeVisible();
  await page.screenshot({ path: shots('deals-390') });
  // Nothing spills sideways on a phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('an admin sees users and teams; an unknown page is a 404', async ({ page }) => {
  await signIn(page, 'admin@demo.local');
  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await expect(page.locator('td.cell-title', { hasText: 'East' })).toBeVisible();
  await page.screenshot({ path: shots('admin-1440'), fullPage: true });
  const res = await page.goto('/no-such-page');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
});

test('the WASM bundle travels precompressed (brotli, else gzip), cached for good; pages gzip-compressed', async ({ request }) => {
  // The bundle's names carry their content hash; the page says which.
  const html = await (await request.get('/login')).text();
  const path = html.match(/"(\/pkg\/[^"]+\.wasm)"/)?.[1] ?? '';
  expect(path).toMatch(/^\/pkg\/dealgate\.[A-Za-z0-9_-]{22}\.wasm$/);
  const sent: Record<string, number> = {};
  for (const encoding of ['br', 'gzip']) {
    const wasm = await request.get(path, { headers: { 'Accept-Encoding': encoding } });
    expect(wasm.status()).toBe(200);
    expect(wasm.headers()['content-encoding']).toBe(encoding);
    expect(wasm.headers()['cache-control']).toContain('immutable');
    sent[encoding] = Number(wasm.headers()['content-length']);
    // Decompressed on arrival: the WebAssembly magic number.
    expect([...(await wasm.body()).subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]);
  }
  // Per-page budgets live in bundle.spec.ts; here only that brotli is the smaller.
  expect(sent.br).toBeLessThan(sent.gzip);
  const login = await request.get('/login', { headers: { 'Accept-Encoding': 'gzip' } });
  expect(login.headers()['content-encoding']).toBe('gzip');
  expect(await login.text()).toContain('<html');
});
