import { Browser, expect, test } from '@playwright/test';
import { hydrated, newDeal, shots, signIn } from './helpers';

// Dates are typed and shown the way the page writes them: "15 Jul 2027" in English,
// "2027-07-15" in Chinese — not the browser's mm/dd/yyyy. The spec makes its own rep (a fresh
// e-mail), so switching that user's language touches no demo user another spec relies on.

async function freshRep(browser: Browser): Promise<string> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, 'admin@demo.local');
  const teams = await (await page.request.get('/api/v1/admin/teams')).json();
  const east = teams.find((t: { name: string }) => t.name === 'East');
  expect(east).toBeTruthy();
  const email = `dates-${Date.now()}@example.com`;
  const res = await page.request.post('/api/v1/admin/users', {
    data: { name: 'Date Tester', email, role: 'rep', team_id: east.id, locale: 'en', password: 'first-pass-1' },
  });
  expect(res.status()).toBe(201);
  await ctx.close();
  return email;
}

test('a date is typed as the page shows it, in English and in Chinese, and a doubtful one is refused in words', async ({ browser }) => {
  test.setTimeout(120_000);
  const email = await freshRep(browser);
  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  try {
    await page.goto('/login');
    await hydrated(page);
    await page.fill('#email', email);
    await page.fill('#password', 'first-pass-1');
    await page.click('button[type="submit"]');
    await expect(page).toHaveURL(/\/change-password$/);
    await hydrated(page);
    await page.fill('#current_password', 'first-pass-1');
    await page.fill('#new_password', 'dates-pass-2');
    await page.fill('#repeat_password', 'dates-pass-2');
    await page.getByTestId('change-password-save').click();
    await expect(page.getByTestId('user-chip')).toBeVisible();

    const id = await newDeal(page, 'Date entry check');
    await page.goto(`/deals/${id}`);
    await hydrated(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    const close = page.locator('#facts-close');
    const field = page.getByTestId('facts-form').locator('.date-field').first();
    // The deal was made with 2027-06-30: shown as the English page writes dates.
    await expect(close).toHaveValue('30 Jun 2027');

    // Day and month that read both ways: refused next to the field, in words, and not saved.
    await close.fill('03/04/2027');
    await close.press('Tab');
    await expect(field.locator('.date-error')).toHaveText(/Day or month/);
    await expect(close).toHaveAttribute('aria-invalid', 'true');
    // Not a date at all.
    await close.fill('next Friday');
    await close.press('Tab');
    await expect(field.locator('.date-error')).toHaveText(/Not a date/);
    await page.screenshot({ path: shots('date-refused-en-1440') });

    // A Chinese-style entry reads back in the English form and saves.
    await close.fill('2027年7月15日');
    await close.press('Tab');
    await expect(close).toHaveValue('15 Jul 2027');
    await expect(field.locator('.date-error')).toHaveCount(0);
    await page.getByTestId('facts-form').locator('button[type="submit"]').click();
    await expect(page.getByTestId('facts-saved')).toBeVisible();
    const deal = await (await page.request.get(`/api/v1/deals/${id}`)).json();
    expect(deal.expected_close_date).toBe('2027-07-15');

    // In Chinese the same date reads 2027-07-15, and "20 Aug 2027" typed there is read too.
    const switched = page.waitForResponse((r) => r.url().includes('set_locale') && r.ok());
    await page.getByRole('button', { name: '中文' }).click();
    await switched;
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(close).toHaveValue('2027-07-15');
    await expect(close).toHaveAttribute('placeholder', /2027-01-20/);
    await close.fill('20 Aug 2027');
    await close.press('Tab');
    await expect(close).toHaveValue('2027-08-20');
    await close.fill('1899-12-31');
    await close.press('Tab');
    await expect(field.locator('.date-error')).toHaveText(/1900/);
    await page.screenshot({ path: shots('date-refused-zh-1440') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: shots('date-refused-zh-390') });
  } finally {
    await ctx.close();
  }
});
