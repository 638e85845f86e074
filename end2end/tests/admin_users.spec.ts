import { expect, test } from '@playwright/test';
import { hydrated, shots, signIn } from './helpers';

// Creates its own user (a fresh e-mail each run) and changes no demo user: other specs rely on
// every demo user as seeded.
const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };

test('an admin creates a user who signs in, must choose a new password, then sees the home page', async ({ browser }) => {
  test.setTimeout(120_000);
  const email = `e2e-${Date.now()}@example.com`;
  const ctx = await browser.newContext({ locale: 'en-US', viewport: desktop });
  const page = await ctx.newPage();
  try {
    await signIn(page, 'admin@demo.local');
    await page.goto('/admin');
    await hydrated(page);
    await expect(page.getByTestId('users-table')).toBeVisible();

    const form = page.getByTestId('user-form');
    await form.getByTestId('u-name').fill('E2E Rep');
    await form.getByTestId('u-email').fill(email);
    await form.getByTestId('u-role').selectOption('rep');
    await form.getByTestId('u-team').selectOption({ label: 'East' });
    await form.getByTestId('u-password').fill('first-pass-1');
    await form.getByTestId('user-save').click();
    await expect(form.getByTestId('user-saved')).toBeVisible();
    const row = page.locator(`[data-testid="user-row"][data-email="${email}"]`);
    await expect(row).toContainText('Must change password');
    await expect(page.getByTestId('audit-row').first()).toHaveAttribute('data-action', 'user.created');
    await expect(page.getByTestId('audit-row').first()).toContainText(email);
    // The change in words, not JSON.
    const change = page.getByTestId('audit-row').first().getByTestId('audit-change');
    await expect(change).toContainText('Role: Sales rep');
    await expect(change).toContainText('Team: East');
    await expect(change).not.toContainText('{');

    // The same e-mail again: refused, the message under the e-mail field, nothing created.
    await form.getByTestId('user-new').click();
    await form.getByTestId('u-name').fill('E2E Twin');
    await form.getByTestId('u-email').fill(email.toUpperCase());
    await form.getByTestId('u-password').fill('first-pass-1');
    await form.getByTestId('user-save').click();
    await expect(form.getByTestId('err-email')).toBeVisible();
    await expect(page.locator(`[data-testid="user-row"][data-email="${email}"]`)).toHaveCount(1);
    await page.screenshot({ path: shots('admin-users-1440'), fullPage: true });
    await page.setViewportSize(phone);
    await page.screenshot({ path: shots('admin-users-390'), fullPage: true });
    await page.setViewportSize(desktop);

    await page.getByTestId('logout').click();
    await expect(page).toHaveURL(/\/login/);

    // The new user signs in and is held on the change-password page until done.
    await page.fill('#email', email);
    await page.fill('#password', 'first-pass-1');
    await page.click('button[type="submit"]');
    await expect(page).toHaveURL(/\/change-password$/);
    await expect(page.getByTestId('change-password')).toBeVisible();
    await page.goto('/deals');
    await expect(page).toHaveURL(/\/change-password$/);
    await hydrated(page);
    await page.fill('#current_password', 'first-pass-1');
    await page.fill('#new_password', 'my-own-pass-2');
    await page.fill('#repeat_password', 'my-own-pass-3');
    await page.getByTestId('change-password-save').click();
    await expect(page.getByTestId('err-repeat_password')).toBeVisible();
    await page.screenshot({ path: shots('change-password-1440'), fullPage: true });
    await page.fill('#repeat_password', 'my-own-pass-2');
    await page.getByTestId('change-password-save').click();
    await expect(page.getByTestId('user-chip')).toBeVisible();
    await expect(page).toHaveURL(/\/$/);
    await hydrated(page);
    await page.goto('/deals');
    await expect(page).toHaveURL(/\/deals$/);
  } finally {
    await ctx.close();
  }
});
