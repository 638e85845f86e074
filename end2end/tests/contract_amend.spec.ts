import { expect, test } from '@playwright/test';
import { hydrated, shots, signIn } from './helpers';

// The demo's signed contract (a won deal, paid late) is amended: the amendment is a draft of
// its own, numbered after it, and each page points to the other. Only a draft is made, so
// legal's queue and the receivables the other specs count stay as they are.
test('a signed contract is amended by a new version that links both ways', async ({ browser }) => {
  test.setTimeout(60_000);
  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
  // rep@ owns the won deal the demo's signed contract is on.
  const page = await ctx.newPage();
  await signIn(page, 'rep@demo.local');
  const signed: { id: string; number: string }[] = await (await page.request.get('/api/v1/contracts?status=signed')).json();
  expect(signed.length).toBeGreaterThanOrEqual(1);
  const original = signed.find((c) => !c.number.includes('-A'))!;
  expect(original).toBeTruthy();
  const before = await (await page.request.get(`/api/v1/contracts/${original.id}`)).json();
  expect(before.may_work).toBe(true);
  expect(before.amended_by).toBeNull();

  await page.goto(`/contracts/${original.id}`);
  await hydrated(page);
  // rep@'s saved language may be Chinese (shell.spec switches it): statuses by their class.
  await expect(page.getByTestId('contract-status')).toHaveClass(/k-signed/);
  await page.getByTestId('contract-amend').click();

  // The amendment: a draft numbered after the original, its terms open for editing.
  await expect(page).not.toHaveURL(new RegExp(original.id));
  await expect(page).toHaveURL(/\/contracts\/[0-9a-f-]+$/);
  await expect(page.getByTestId('contract-number')).toHaveText(`${original.number}-A1`);
  await expect(page.getByTestId('contract-status')).toHaveClass(/k-draft/);
  const back = page.getByTestId('contract-supersedes');
  await expect(back.locator('a')).toHaveText(original.number);
  await expect(back.locator('a')).toHaveAttribute('href', `/contracts/${original.id}`);
  await expect(back.locator('.cell-sub')).toBeVisible();
  await expect(page.getByTestId('contract-editor').getByTestId('milestone-row')).toHaveCount(before.milestones.length);
  await page.screenshot({ path: shots('contract-amendment-en-1440'), fullPage: true });

  // Over REST the amendment says what it replaces.
  const amendmentId = page.url().split('/').pop()!;
  const amendment = await (await page.request.get(`/api/v1/contracts/${amendmentId}`)).json();
  expect([amendment.revision, amendment.supersedes, amendment.status]).toEqual([1, original.number, 'draft']);

  // The original, in Chinese on a phone: still signed and in force, pointing to its amendment;
  // a second amendment is not offered while this one is open.
  const zhCtx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  const zh = await zhCtx.newPage();
  await signIn(zh, 'rep@demo.local');
  await zh.goto(`/contracts/${original.id}`);
  await hydrated(zh);
  await expect(zh.getByTestId('contract-status')).toHaveText('已签署');
  const ahead = zh.getByTestId('contract-amended-by');
  await expect(ahead).toContainText('变更进行中');
  await expect(ahead).toContainText(`${original.number}-A1`);
  await expect(zh.getByTestId('contract-amend')).toHaveCount(0);
  await zh.screenshot({ path: shots('contract-amended-zh-390'), fullPage: true });
  // Amending claimed the original under its version: a stale version conflicts, a fresh one is
  // told an amendment is open.
  const stale = await zh.request.post(`/api/v1/contracts/${original.id}/amend`, { data: { version: before.version } });
  expect(stale.status()).toBe(409);
  const now = await (await zh.request.get(`/api/v1/contracts/${original.id}`)).json();
  const again = await zh.request.post(`/api/v1/contracts/${original.id}/amend`, { data: { version: now.version } });
  expect(again.status()).toBe(422);
  expect((await again.json()).detail).toContain('still open');
  await zhCtx.close();
  await ctx.close();
});
