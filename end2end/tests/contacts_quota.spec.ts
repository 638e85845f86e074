import { APIRequestContext, expect, Page, test } from '@playwright/test';
import { hydrated, shots, signIn } from './helpers';

const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };

async function bearer(request: APIRequestContext, email: string) {
  const tok = await request.post('/api/v1/auth/token', { data: { email, password: 'dealgate' } });
  expect(tok.status()).toBe(200);
  return { Authorization: `Bearer ${(await tok.json()).token}` };
}

/** The language is the user's saved choice: switch to `lang` where it differs. */
async function ensureLang(page: Page, lang: 'en' | 'zh') {
  const isZh = (await page.locator('html').getAttribute('lang')) === 'zh-CN';
  if ((lang === 'zh') !== isZh) {
    const saved = page.waitForResponse((r) => r.url().includes('set_locale') && r.ok());
    await page.getByRole('button', { name: lang === 'zh' ? '中文' : 'EN' }).click();
    await saved;
    await page.reload();
    await hydrated(page);
  }
  await expect(page.locator('html')).toHaveAttribute('lang', lang === 'zh' ? 'zh-CN' : 'en');
}

// rep5@ (East) mutates nothing another spec reads on accounts: the contact is its own, made
// over REST on its own new account; the demo's contacts are only searched, never changed.
test('a contact found in /contacts by search is edited there and on its account page', async ({ browser, request }) => {
  test.setTimeout(90_000);
  const auth = await bearer(request, 'rep5@demo.local');
  const stamp = Date.now();
  const accountName = `联系人编辑测试 ${stamp}`;
  const created = await request.post('/api/v1/accounts', { headers: auth, data: { name: accountName, industry: '电子' } });
  expect(created.status()).toBe(201);
  const accountId = (await created.json()).id;
  const person = `测试联系人${stamp}`;
  const c = await request.post(`/api/v1/accounts/${accountId}/contacts`, { headers: auth, data: { name: person, title: '采购经理', department: '采购部' } });
  expect(c.status()).toBe(201);
  // A demo contact the rep sees, for the search by name.
  const demo = await (await request.get('/api/v1/contacts?per_page=5', { headers: auth })).json();
  expect(demo.total).toBeGreaterThan(0);
  const demoName: string = demo.contacts[0].name;

  const ctx = await browser.newContext({ locale: 'en-US', viewport: desktop });
  const page = await ctx.newPage();
  await signIn(page, 'rep5@demo.local');
  await ensureLang(page, 'en');
  // From the main navigation.
  await page.getByRole('link', { name: 'Contacts', exact: true }).first().click();
  await expect(page).toHaveURL(/\/contacts/);
  await hydrated(page);
  await expect(page.getByTestId('contacts-table')).toBeVisible();

  await page.getByTestId('contacts-search').fill(demoName);
  await page.getByTestId('contacts-search-submit').click();
  await expect(page).toHaveURL(/[?&]q=/);
  await expect(page.getByTestId('contact-row-name').filter({ hasText: demoName }).first()).toBeVisible();

  await page.getByTestId('contacts-search').fill(person);
  await page.getByTestId('contacts-search-submit').click();
  const row = page.getByTestId('contact-row').filter({ hasText: person });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('contact-row-account')).toHaveText(accountName);
  await expect(row.getByTestId('contact-row-deals')).toHaveText('0');

  // A bad e-mail is refused next to its field; nothing is saved.
  await row.getByTestId('contact-row-edit').click();
  const form = page.getByTestId('contact-form');
  await expect(form).toBeVisible();
  await form.getByTestId('contact-email').fill('not an address');
  await form.getByTestId('contact-save').click();
  await expect(form.getByTestId('contact-err-email')).toBeVisible();
  await form.getByTestId('contact-email').fill('');
  await form.getByTestId('contact-title').fill('采购总监');
  await form.getByTestId('contact-save').click();
  await expect(page.getByTestId('contact-form')).toHaveCount(0);
  await expect(page.getByTestId('contact-row').filter({ hasText: person }).getByTestId('contact-row-title')).toHaveText('采购总监');
  await page.screenshot({ path: shots('contacts-en-1440'), fullPage: true });
  await page.setViewportSize(phone);
  await page.screenshot({ path: shots('contacts-en-390'), fullPage: true });
  await page.setViewportSize(desktop);

  // The account page shows the new title, and edits it in place too.
  await page.getByTestId('contact-row').filter({ hasText: person }).getByTestId('contact-row-account').click();
  await expect(page).toHaveURL(new RegExp(`/accounts/${accountId}$`));
  await hydrated(page);
  const onAccount = page.getByTestId('account-contact').filter({ hasText: person });
  await expect(onAccount.getByTestId('account-contact-title')).toHaveText('采购总监');
  await onAccount.getByTestId('account-contact-edit').click();
  await page.getByTestId('contact-form').getByTestId('contact-title').fill('副总经理');
  await page.getByTestId('contact-form').getByTestId('contact-save').click();
  await expect(page.getByTestId('account-contact').filter({ hasText: person }).getByTestId('account-contact-title')).toHaveText('副总经理');
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('account-contact').filter({ hasText: person }).getByTestId('account-contact-title')).toHaveText('副总经理');
  await page.screenshot({ path: shots('account-contacts-en-1440'), fullPage: true });
  await ctx.close();
});

// manager2@ (West) sets rep4@'s quota in 2035, a year no other spec or forecast view reads.
test('a manager edits a quota cell and sees the totals change; a refused cell says why', async ({ browser }) => {
  test.setTimeout(90_000);
  const ctx = await browser.newContext({ locale: 'en-US', viewport: desktop });
  const page = await ctx.newPage();
  await signIn(page, 'manager2@demo.local');
  await ensureLang(page, 'en');
  await page.goto('/forecast');
  await hydrated(page);
  await page.getByTestId('quotas-link').click();
  await expect(page).toHaveURL(/\/quotas$/);
  await hydrated(page);
  await expect(page.getByTestId('quota-grid')).toBeVisible();

  await page.goto('/quotas?year=2035');
  await hydrated(page);
  await expect(page.getByTestId('quota-year')).toContainText('2035');
  const row = page.locator('[data-testid="quota-row"][data-email="rep4@demo.local"]');
  await expect(row).toBeVisible();
  // Only the manager's own team is on the grid.
  await expect(page.locator('[data-testid="quota-row"][data-email="rep@demo.local"]')).toHaveCount(0);

  const yuan = 1_000_000 + (Date.now() % 1000) * 1000;
  const shown = `¥${yuan.toLocaleString('en-US')}`;
  const q1 = row.locator('[data-testid="quota-cell"][data-quarter="0"]');
  const q2 = row.locator('[data-testid="quota-cell"][data-quarter="1"]');
  await q2.fill('');
  await q1.fill(String(yuan));
  // The totals follow what is typed, before saving.
  await expect(page.getByTestId('quota-unsaved')).toBeVisible();
  await expect(row.getByTestId('quota-row-total')).toContainText(shown);
  await expect(page.locator('[data-testid="quota-col-total"][data-quarter="0"]')).not.toHaveText('¥0');
  // An empty cell sets no quota for its quarter (the save below of Q1 alone succeeds);
  // a negative amount reaches the server and is refused there; nothing of the row is saved.
  await q2.fill('-5');
  await row.getByTestId('quota-save-row').click();
  await expect(row.getByTestId('quota-cell-error')).toContainText('negative');
  await page.screenshot({ path: shots('quotas-refused-en-1440'), fullPage: true });

  // Only Q1: saved, and still there after a reload.
  await page.reload();
  await hydrated(page);
  const again = page.locator('[data-testid="quota-row"][data-email="rep4@demo.local"]');
  await again.locator('[data-testid="quota-cell"][data-quarter="0"]').fill(String(yuan));
  await again.getByTestId('quota-save-row').click();
  await expect(page.getByTestId('quota-saved')).toBeVisible();
  await page.reload();
  await hydrated(page);
  const saved = page.locator('[data-testid="quota-row"][data-email="rep4@demo.local"]');
  await expect(saved.locator('[data-testid="quota-cell"][data-quarter="0"]')).toHaveValue(String(yuan));
  await expect(saved.getByTestId('quota-row-total')).toContainText(shown);
  await expect(saved.getByTestId('quota-cell-error')).toHaveCount(0);
  await page.screenshot({ path: shots('quotas-en-1440'), fullPage: true });
  await page.setViewportSize(phone);
  await page.screenshot({ path: shots('quotas-en-390'), fullPage: true });
  await ctx.close();
});

// The CSP refuses inline handlers: a filter select that applies itself must do it from the
// app's own code. Read-only for rep5@ and manager2@.
test('choosing a contacts sort or a forecast pipeline applies at once, with nothing refused', async ({ page }) => {
  const refused: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|inline event handler/i.test(m.text())) refused.push(m.text());
  });
  await signIn(page, 'rep5@demo.local');
  await page.goto('/contacts');
  await hydrated(page);
  await page.getByTestId('contacts-sort').selectOption('title');
  await expect(page).toHaveURL(/[?&]sort=title/);
  await expect(page.getByTestId('contacts-sort')).toHaveValue('title');

  await page.context().clearCookies();
  await signIn(page, 'manager2@demo.local');
  await page.goto('/forecast');
  await hydrated(page);
  const pipeline = page.locator('select[name="pipeline"]');
  const current = await pipeline.inputValue();
  const other = await pipeline.locator('option').evaluateAll((os, cur) => os.map((o) => (o as HTMLOptionElement).value).find((v) => v !== cur), current);
  expect(other).toBeTruthy();
  await pipeline.selectOption(other!);
  await expect(page).toHaveURL(new RegExp(`[?&]pipeline=${other}`));
  await hydrated(page);
  await expect(page.locator('select[name="pipeline"]')).toHaveValue(other!);
  expect(refused).toEqual([]);
});
