import { test, expect } from '@playwright/test';
import { hydrated, shots, signIn } from './helpers';

// rep2@ (West): no other spec depends on rep2's account list (api.spec creates a deal on
// rep2's first account by name; the account made here sorts after the demo names).
test('the accounts list filters and sorts in the URL, and a new account is created from it', async ({ page }) => {
  await signIn(page, 'rep2@demo.local');
  await page.goto('/accounts');
  await hydrated(page);
  const table = page.getByTestId('accounts-table');
  await expect(table.locator('tbody tr').first()).toBeVisible();

  // A grade filter from its menu: only ungraded accounts, the filter in the URL.
  await page.getByTestId('accounts-grade-filter').selectOption('none');
  await expect(page).toHaveURL(/grade=none/);
  await expect(table).toHaveAttribute('data-shown', /grade=none/);
  await expect(page.getByTestId('accounts-clear-filters')).toBeVisible();
  const grades = await table.getByTestId('account-row-grade').allTextContents();
  expect(grades.length).toBeGreaterThan(0);
  for (const g of grades) expect(g).toMatch(/Not graded|未分级/);

  // Sorting by revenue keeps the filter: biggest first, then turned round.
  await page.getByTestId('accounts-sort-revenue').click();
  await expect(page).toHaveURL(/grade=none/);
  await expect(page).toHaveURL(/sort=revenue&dir=desc/);
  // The URL changes before the rows arrive: wait for the table that was fetched in this order.
  await expect(table).toHaveAttribute('data-shown', /grade=none.*sort=revenue&dir=desc/);
  const fen = async () =>
    (await table.getByTestId('account-row-revenue').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-fen'))))
      .filter((v): v is string => v !== null)
      .map(Number);
  const desc = await fen();
  expect(desc.length).toBeGreaterThan(1);
  expect(desc).toEqual([...desc].sort((a, b) => b - a));
  await page.getByTestId('accounts-sort-revenue').click();
  await expect(page).toHaveURL(/sort=revenue&dir=asc/);
  await expect(table).toHaveAttribute('data-shown', /grade=none.*sort=revenue&dir=asc/);
  const asc = await fen();
  expect(asc).toEqual([...asc].sort((a, b) => a - b));
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: shots('accounts-filtered-1440'), fullPage: true });

  // A new account: a bad headcount is refused next to its field, nothing created; then it is.
  await page.getByTestId('accounts-clear-filters').click();
  await expect(page).toHaveURL(/\/accounts$/);
  await page.getByTestId('account-new').click();
  const name = `鑫列表测试机械 ${Date.now()}`;
  await page.getByTestId('account-new-name').fill(name);
  await page.getByTestId('account-new-industry').fill('机械');
  await page.getByTestId('account-new-headcount').fill('三百');
  await page.getByTestId('account-new-submit').click();
  await expect(page.getByTestId('account-new-error-headcount')).toBeVisible();
  await expect(page).toHaveURL(/\/accounts$/);
  await page.getByTestId('account-new-headcount').fill('300');
  await page.getByTestId('account-new-revenue').fill('80000000');
  await page.getByTestId('account-new-submit').click();
  await expect(page).toHaveURL(/\/accounts\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('account-name')).toHaveText(name);
  await page.screenshot({ path: shots('account-new-created-1440'), fullPage: true });

  // The industry menu now offers it, and finds the new account among rep2's.
  await page.goto('/accounts');
  await hydrated(page);
  await page.getByTestId('accounts-industry-filter').selectOption('机械');
  await expect(page).toHaveURL(/industry=/);
  await expect(table).toHaveAttribute('data-shown', /industry=机械/);
  await expect(table.getByTestId('account-link').filter({ hasText: name })).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: shots('accounts-filtered-390'), fullPage: true });
});
