import { expect, test } from '@playwright/test';
import { execFileSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { hydrated, shots, signIn } from './helpers';

// rep5@ imports accounts: no other spec reads rep5's accounts (board.spec uses its deals only).
// The names start with a rare CJK character so they sort after every demo account.
test('a 1,000-row XLSX with 3 bad rows: columns matched, refusals named, the good rows imported with a progress bar', async ({ page }) => {
  test.setTimeout(240_000);
  const prefix = `龘导入${Date.now()}`;
  const file = path.join(os.tmpdir(), `${prefix}.xlsx`);
  execFileSync(process.env.E2E_SERVER_BIN!, ['sample-import', file, '--rows', '1000', '--bad', '3', '--prefix', prefix]);

  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'rep5@demo.local');
  await page.goto('/import?kind=accounts');
  await hydrated(page);
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-upload').click();
  await expect(page).toHaveURL(/\/import\/[0-9a-f-]{36}$/);
  await hydrated(page);
  // Seed 003's Chinese headers are matched without help.
  await expect(page.getByTestId('import-map-0')).toHaveValue('account_name');
  await expect(page.getByTestId('import-map-2')).toHaveValue('size');
  // Seed 003's 初步需求描述 and 信息来源 too.
  await expect(page.getByTestId('import-map-11')).toHaveValue('initial_need');
  await expect(page.getByTestId('import-map-12')).toHaveValue('lead_source');
  await expect(page.getByTestId('import-missing')).toHaveCount(0);
  await page.screenshot({ path: shots('import-mapping-1440'), fullPage: true });

  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-total')).toHaveText('1000');
  await expect(page.getByTestId('import-refused')).toHaveText('3');
  await expect(page.getByTestId('import-good')).toHaveText('997');
  const rejects = page.getByTestId('import-reject');
  await expect(rejects).toHaveCount(3);
  await expect(rejects.first()).toContainText(/Required|必填/);
  // All or nothing cannot start while rows are refused; the good rows can.
  await expect(page.getByTestId('import-start-run')).toBeDisabled();
  await page.screenshot({ path: shots('import-checked-1440'), fullPage: true });
  await page.getByTestId('import-mode-good').check();
  await page.getByTestId('import-start-run').click();
  const bar = page.getByTestId('import-progress');
  await expect(bar).toBeVisible();
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-status', 'done', { timeout: 180_000 });
  await expect(bar).toHaveAttribute('aria-valuenow', '1000');
  await expect(page.getByTestId('import-good')).toHaveText('997');
  await expect(page.getByTestId('import-refused')).toHaveText('3');
  // The progress lives on the server: a reload shows the same.
  await page.reload();
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('import-good')).toHaveText('997');
  await page.screenshot({ path: shots('import-done-1440'), fullPage: true });
  // The refused rows come back as a file, with the reason in the last column.
  const refused = await page.request.get((await page.getByTestId('import-refused-file').getAttribute('href'))!);
  expect(refused.status()).toBe(200);
  const text = await refused.text();
  expect(text.trim().split(/\r?\n/)).toHaveLength(4);

  // The imported accounts are in the list, and the list exports what it shows.
  await page.goto(`/accounts?q=${encodeURIComponent(`${prefix} 000001`)}`);
  await expect(page.getByTestId('accounts-table')).toContainText(`${prefix} 000001`);
  // Its profile shows the need and the lead source the row carried.
  await page.getByTestId('account-link').first().click();
  await hydrated(page);
  await expect(page.getByTestId('pf-initial_need')).toHaveText('ERP 选型');
  await expect(page.getByTestId('pf-lead_source')).toHaveText(/Customer referral|旧客户介绍/);
  const xlsx = await page.request.get(`/api/v1/exports/accounts?format=xlsx&q=${encodeURIComponent(prefix)}`);
  expect(xlsx.status()).toBe(200);
  expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');
  const csv = await page.request.get(`/api/v1/exports/accounts?format=csv&q=${encodeURIComponent(prefix)}`);
  expect((await csv.text()).trim().split(/\r?\n/)).toHaveLength(998);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/import?kind=accounts');
  await hydrated(page);
  await page.screenshot({ path: shots('import-start-390'), fullPage: true });
});
