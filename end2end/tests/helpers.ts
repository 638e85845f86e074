import { expect, Page } from '@playwright/test';

/** The app sets body[data-hydrated] from an Effect once the WASM has taken over. */
export async function hydrated(page: Page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20_000 });
}

export async function signIn(page: Page, email: string, password = 'dealgate') {
  await page.goto('/login');
  await hydrated(page);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button[type="submit"]');
  await expect(page.getByTestId('user-chip')).toBeVisible();
  await hydrated(page);
}

export const shots = (name: string) => `screenshots/${name}.png`;
