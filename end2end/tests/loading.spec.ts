import { expect, test } from '@playwright/test';
import { hydrated, shots, signIn } from './helpers';

// Before the WASM has taken over, the page says it is loading and nothing can be dragged (a
// drop would be lost); links still work as plain HTML. The bundle is held back to see it.
test('until the page is interactive it shows a loading bar, cards cannot be dragged, links work', async ({ page }) => {
  await signIn(page, 'rep3@demo.local');
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/*.wasm', async (route) => {
    await held;
    // The navigation below cancels this request; continuing a cancelled one throws.
    await route.continue().catch(() => {});
  });
  await page.goto('/board', { waitUntil: 'domcontentloaded' });
  const card = page.getByTestId('card').first();
  await expect(card).toBeVisible();
  expect(await page.evaluate(() => document.body.dataset.hydrated)).toBeUndefined();
  const bar = () => page.evaluate(() => getComputedStyle(document.body, '::before').content);
  expect(await bar()).not.toBe('none');
  // Not draggable at all until the page can take the drop (every browser honours the attribute).
  await expect(card).toHaveAttribute('draggable', 'false');
  await page.screenshot({ path: shots('board-loading-1440') });
  // A plain link works before hydration.
  await page.getByTestId('mainnav').locator('a[href="/deals"]').click();
  await expect(page).toHaveURL(/\/deals$/);
  release();
  await hydrated(page);
  expect(await bar()).toBe('none');
  await page.goto('/board');
  await hydrated(page);
  await expect(page.getByTestId('card').first()).toHaveAttribute('draggable', 'true');
});
