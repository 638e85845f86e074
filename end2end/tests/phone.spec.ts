import { expect, Page, test } from '@playwright/test';
import { dealWithFullMap, hydrated, shots, signIn } from './helpers';

// A phone (390 × 844): pages fit the width, long forms fold away, the committee map reads as
// an outline. Read-only on demo data, so it can run beside the other specs.
const phone = { width: 390, height: 844 };
const desktop = { width: 1440, height: 900 };

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test('on a phone the account page folds its long forms, and opens them on a tap', async ({ page }) => {
  await signIn(page, 'rep2@demo.local');
  const list = await (await page.request.get('/api/v1/accounts?per_page=5')).json();
  const id = list.accounts[0].id;
  await page.setViewportSize(phone);
  await page.goto(`/accounts/${id}`);
  await hydrated(page);
  const revisit = page.getByTestId('revisit-fold');
  const grading = page.getByTestId('grading-fold');
  // Folded: the summary shows, the form does not.
  await expect(revisit.locator('summary')).toBeVisible();
  await expect(revisit).not.toHaveAttribute('open', /.*/);
  await expect(page.getByTestId('revisit-form')).toBeHidden();
  await expect(grading).not.toHaveAttribute('open', /.*/);
  await expect(page.getByTestId('grading')).toBeHidden();
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: shots('account-folded-390'), fullPage: true });
  // A tap opens the form.
  await revisit.locator('summary').click();
  await expect(page.getByTestId('revisit-form')).toBeVisible();
  await grading.locator('summary').click();
  await expect(page.getByTestId('grading')).toBeVisible();
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  // On a wide screen both forms are simply open, with no summary to click.
  await page.setViewportSize(desktop);
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('revisit-form')).toBeVisible();
  await expect(page.getByTestId('grading')).toBeVisible();
  await expect(page.getByTestId('revisit-fold').locator('summary')).toBeHidden();
});

test('on a phone the committee map is an indented outline that fits the width', async ({ page }) => {
  await signIn(page, 'manager@demo.local');
  const found = await dealWithFullMap(page);
  await page.setViewportSize(phone);
  await page.goto(`/deals/${found}?tab=committee`);
  await hydrated(page);
  const nodes = page.getByTestId('committee-map').getByTestId('map-node');
  expect(await nodes.count()).toBeGreaterThanOrEqual(5);
  const boxes = await nodes.evaluateAll((ns) => ns.map((n) => n.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, right: r.right })));
  // Every card is inside the screen, one under the other, and at least one is indented
  // under its boss.
  for (const b of boxes) {
    expect(b.x).toBeGreaterThanOrEqual(0);
    expect(b.right).toBeLessThanOrEqual(phone.width);
  }
  for (let i = 1; i < boxes.length; i++) expect(boxes[i].y).toBeGreaterThan(boxes[i - 1].y);
  const left = Math.min(...boxes.map((b) => b.x));
  expect(boxes.some((b) => b.x > left + 10)).toBe(true);
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: shots('deal-map-390'), fullPage: true });
});
