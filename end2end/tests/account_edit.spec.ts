import { APIRequestContext, expect, Page, test } from '@playwright/test';
import { hydrated, shots, signIn } from './helpers';

const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };

async function bearer(request: APIRequestContext, email: string) {
  const tok = await request.post('/api/v1/auth/token', { data: { email, password: 'dealgate' } });
  expect(tok.status()).toBe(200);
  return { Authorization: `Bearer ${(await tok.json()).token}` };
}

/** The page in English: the language is the user's saved choice, switched where it differs. */
async function english(page: Page) {
  await page.goto('/');
  await hydrated(page);
  if ((await page.locator('html').getAttribute('lang')) !== 'en') {
    const saved = page.waitForResponse((r) => r.url().includes('set_locale') && r.ok());
    await page.getByRole('button', { name: 'EN' }).click();
    await saved;
  }
}

// manager2@ (West) only decides approvals in other specs; here it edits and merges accounts it
// creates itself over REST, so no other spec's data changes.
test('a manager edits an account, sees the history line, and merges a duplicate whose deal moves', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const auth = await bearer(request, 'manager2@demo.local');
  const stamp = Date.now();
  const keep = `编辑合并测试 ${stamp}`;
  const dupName = `编辑合并测试（重复） ${stamp}`;
  const made = await request.post('/api/v1/accounts', { headers: auth, data: { name: keep, industry: '机械', headcount: 120 } });
  expect(made.status()).toBe(201);
  const keepId = (await made.json()).id;
  const dup = await request.post('/api/v1/accounts', { headers: auth, data: { name: dupName, industry: '机械' } });
  expect(dup.status()).toBe(201);
  const dupId = (await dup.json()).id;
  const dealName = `重复客户的商机 ${stamp}`;
  const deal = await request.post('/api/v1/deals', {
    headers: auth, data: { name: dealName, account_id: dupId, amount_minor: 1_000_000, expected_close_date: '2027-09-30' } });
  expect(deal.status()).toBe(201);

  const ctx = await browser.newContext({ locale: 'en-US', viewport: desktop });
  const page = await ctx.newPage();
  await signIn(page, 'manager2@demo.local');
  await english(page);
  await page.goto(`/accounts/${keepId}`);
  await hydrated(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const profile = page.getByTestId('account-profile-panel');
  await expect(profile.getByTestId('pf-iso9000')).toHaveText('Not known');
  await expect(page.getByTestId('account-history-empty')).toBeVisible();

  // A bad number is refused next to its field, nothing saved.
  await profile.getByTestId('account-edit').click();
  const form = page.getByTestId('edit-form');
  await form.getByTestId('ed-headcount').fill('-5');
  await form.getByTestId('ed-save').click();
  await expect(form.getByTestId('ed-error-headcount')).toBeVisible();
  await expect(page.getByTestId('account-history-empty')).toBeVisible();

  await form.getByTestId('ed-headcount').fill('480');
  await form.getByTestId('ed-iso9000').selectOption('in_progress');
  await form.getByTestId('ed-lead_source').selectOption('customer_referral');
  await form.getByTestId('ed-computerised').selectOption('yes');
  await form.getByTestId('ed-current_systems').fill('金蝶 K/3');
  await form.getByTestId('ed-territory').fill('苏南');
  await form.getByTestId('ed-save').click();
  await expect(form).toHaveCount(0);
  await expect(profile.getByTestId('pf-iso9000')).toHaveText('Certification under way');
  await expect(profile.getByTestId('pf-lead_source')).toHaveText('Customer referral');
  await expect(profile.getByTestId('pf-territory')).toHaveText('苏南');
  const entry = page.getByTestId('history-entry').first();
  await expect(entry).toHaveAttribute('data-event', 'edited');
  await expect(entry.locator('[data-testid="history-change"][data-field="headcount"]')).toHaveText('Headcount: 120 → 480');
  await expect(entry.locator('[data-testid="history-change"][data-field="iso9000"]')).toHaveText('ISO9000: — → Certification under way');
  await page.screenshot({ path: shots('account-edit-en-1440'), fullPage: true });
  await page.setViewportSize(phone);
  await page.screenshot({ path: shots('account-edit-en-390'), fullPage: true });
  await page.setViewportSize(desktop);

  // Merge: from the duplicate's page, into the account kept.
  await page.goto(`/accounts/${dupId}`);
  await hydrated(page);
  await expect(page.getByTestId('account-deal').filter({ hasText: dealName })).toBeVisible();
  const merge = page.getByTestId('merge-panel');
  await merge.getByTestId('merge-open').click();
  await merge.getByTestId('merge-search').fill(keep);
  const choice = merge.getByTestId('merge-choice').filter({ hasText: keep });
  await expect(choice).toHaveCount(1);
  await choice.click();
  const confirm = merge.getByTestId('merge-confirm');
  await expect(confirm.getByTestId('merge-survivor')).toHaveText(keep);
  await expect(confirm.locator('[data-testid="merge-count"][data-kind="deals"]')).toHaveAttribute('data-n', '1');
  await page.screenshot({ path: shots('account-merge-confirm-1440'), fullPage: true });
  await confirm.getByTestId('merge-go').click();
  await expect(page).toHaveURL(new RegExp(`/accounts/${keepId}$`));
  await hydrated(page);
  await expect(page.getByTestId('account-name')).toHaveText(keep);
  await expect(page.getByTestId('account-deal').filter({ hasText: dealName })).toBeVisible();
  const merged = page.getByTestId('history-entry').first();
  await expect(merged).toHaveAttribute('data-event', 'merged');
  await expect(merged.getByTestId('history-merged')).toContainText(dupName);
  await expect(merged.getByTestId('history-merged')).toContainText('1 deal(s)');
  await page.screenshot({ path: shots('account-merged-en-1440'), fullPage: true });
  await page.setViewportSize(phone);
  await page.screenshot({ path: shots('account-merged-en-390'), fullPage: true });
  await ctx.close();

  // The duplicate is gone; the deal's history says it moved.
  expect((await request.get(`/api/v1/accounts/${dupId}`, { headers: auth })).status()).toBe(404);
  const dealId = (await deal.json()).id;
  const hist = await (await request.get(`/api/v1/deals/${dealId}/history`, { headers: auth })).json();
  expect(JSON.stringify(hist)).toContain('account_merged');
});
