import { expect, Page, test } from '@playwright/test';
import { hydrated, shots, signIn } from './helpers';

// Both tests edit the "Product sale" pipeline, which no other spec looks at (the board and
// API specs use the default pipeline); they run one after the other so neither sees the
// other's half-done edit.
test.describe.configure({ mode: 'serial' });

async function openProductPipeline(page: Page): Promise<string> {
  await signIn(page, 'admin@demo.local');
  await page.goto('/admin/pipelines');
  await hydrated(page);
  await expect(page.getByTestId('stage-list')).toBeVisible();
  await page.getByTestId('pipeline-picker').selectOption({ label: 'Product sale' });
  await expect(page).toHaveURL(/\/admin\/pipelines\?id=/);
  const id = new URL(page.url()).searchParams.get('id')!;
  await expect(page.getByTestId('stage-row').first().getByTestId('stage-name_en')).toHaveValue('Initial contact');
  return id;
}

test('an admin changes a win rate; the board column header shows the new rate', async ({ page }) => {
  const id = await openProductPipeline(page);
  const row = page.getByTestId('stage-row').nth(2);
  await expect(row.getByTestId('stage-name_en')).toHaveValue('Solution');
  const rate = row.getByTestId('stage-win_rate_pct');
  await expect(rate).toHaveValue('50');

  // An open stage is never certain: 100 % is flagged inline and cannot be saved.
  await rate.fill('100');
  await expect(row.getByTestId('field-error')).toBeVisible();
  await expect(row.getByTestId('stage-save')).toBeDisabled();

  await rate.fill('45');
  await expect(row.getByTestId('field-error')).toHaveCount(0);
  await row.getByTestId('stage-save').click();
  await expect(page.getByTestId('saved-toast')).toBeVisible();
  await expect(page.getByTestId('stage-row').nth(2).getByTestId('row-saved')).toBeVisible();
  await expect(page.getByTestId('stage-row').nth(2).getByTestId('stage-win_rate_pct')).toHaveValue('45');
  await page.screenshot({ path: shots('admin-pipelines-1440'), fullPage: true });

  await page.goto(`/board?pipeline=${id}`);
  await hydrated(page);
  await expect(page.getByTestId('board')).toBeVisible();
  await expect(page.getByTestId('column').nth(2).getByTestId('column-rate')).toHaveText('45%');
});

test('▼ moves a stage down, the order is saved, and ▲ moves it back', async ({ page }) => {
  await openProductPipeline(page);
  const rows = page.getByTestId('stage-row');
  const first = (await rows.nth(0).getAttribute('data-stage'))!;
  const second = (await rows.nth(1).getAttribute('data-stage'))!;
  await expect(rows.nth(0).getByTestId('stage-up')).toBeDisabled();
  // Won and Lost stay last and cannot be moved.
  await expect(rows.last()).toHaveAttribute('data-kind', 'lost');
  await expect(rows.last().getByTestId('stage-down')).toHaveCount(0);

  await rows.nth(0).getByTestId('stage-down').click();
  await expect(rows.nth(0)).toHaveAttribute('data-stage', second);
  await expect(rows.nth(1)).toHaveAttribute('data-stage', first);
  await expect(rows.nth(1).getByTestId('stage-position')).toHaveText('2');
  await expect(page.getByTestId('saved-toast')).toBeVisible();
  // The keyboard stays where it was: on the ▼ of the stage just moved.
  await expect(rows.nth(1).getByTestId('stage-down')).toBeFocused();

  // The server kept the order.
  await page.reload();
  await hydrated(page);
  await expect(rows.nth(0)).toHaveAttribute('data-stage', second);
  await expect(rows.nth(1)).toHaveAttribute('data-stage', first);

  // Put it back, from the keyboard.
  await rows.nth(1).getByTestId('stage-up').focus();
  await page.keyboard.press('Enter');
  await expect(rows.nth(0)).toHaveAttribute('data-stage', first);
  await expect(rows.nth(1)).toHaveAttribute('data-stage', second);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: shots('admin-pipelines-390'), fullPage: true });
});

test('an admin edits a checklist template: a blank line is refused, a new line is added, moved and saved', async ({ page }) => {
  await signIn(page, 'admin@demo.local');
  await page.goto('/admin');
  await hydrated(page);
  await page.getByTestId('admin-checklists-link').click();
  await expect(page).toHaveURL(/\/admin\/checklists$/);
  await hydrated(page);
  const editor = page.locator('[data-testid="template-editor"][data-template="proposal"]');
  const lines = editor.getByTestId('template-line');
  await expect(lines.first()).toBeVisible();
  const n = await lines.count();
  expect(n).toBeGreaterThanOrEqual(6);

  // A line without its Chinese text cannot be saved.
  const firstZh = lines.first().getByTestId('template-line-zh');
  const original = await firstZh.inputValue();
  await firstZh.fill('');
  await expect(editor.getByTestId('template-problem')).toBeVisible();
  await expect(editor.getByTestId('template-save')).toBeDisabled();
  await firstZh.fill(original);
  await expect(editor.getByTestId('template-problem')).toHaveCount(0);

  await editor.getByTestId('template-add-line').click();
  await expect(lines).toHaveCount(n + 1);
  await lines.last().getByTestId('template-line-en').fill('Reference visit arranged');
  await lines.last().getByTestId('template-line-zh').fill('安排样板客户参观');
  await lines.last().getByTestId('template-line-up').click();
  await expect(lines.nth(n - 1).getByTestId('template-line-en')).toHaveValue('Reference visit arranged');
  await editor.getByTestId('template-save').click();
  await expect(editor.getByTestId('template-saved')).toBeVisible();
  await page.screenshot({ path: shots('admin-checklists-1440'), fullPage: true });

  await page.reload();
  await hydrated(page);
  await expect(lines).toHaveCount(n + 1);
  await expect(lines.nth(n - 1).getByTestId('template-line-zh')).toHaveValue('安排样板客户参观');
});
