import { APIRequestContext, expect, test } from '@playwright/test';
import { hydrated, shots, signIn } from './helpers';

const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function bearer(request: APIRequestContext, email: string) {
  const tok = await request.post('/api/v1/auth/token', { data: { email, password: 'dealgate' } });
  expect(tok.status()).toBe(200);
  return { Authorization: `Bearer ${(await tok.json()).token}` };
}

// rep4@ is used by no other spec: its own new account, graded A and last visited 45 days ago
// over REST, is overdue (A is contacted monthly) wherever the rep looks.
test('an overdue account reaches the rep home; a revisit recorded on its page puts it back on schedule', async ({ browser, request }) => {
  test.setTimeout(90_000);
  const auth = await bearer(request, 'rep4@demo.local');
  const name = `回访逾期测试 ${Date.now()}`;
  const created = await request.post('/api/v1/accounts', { headers: auth, data: { name, industry: '机械' } });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id;
  const detail = await (await request.get(`/api/v1/accounts/${id}`, { headers: auth })).json();
  const answers = { variant: { kind: 'not_computerised' }, objective_need: true, subjective_need: true, resolve: 'high',
    feasibility_started: true, selection_started: true };
  const graded = await request.post(`/api/v1/accounts/${id}/grade`, { headers: auth, data: { answers, version: detail.version } });
  expect(graded.status()).toBe(200);
  const old = await request.post(`/api/v1/accounts/${id}/revisits`, {
    headers: auth, data: { visited_on: day(-45), channel: 'phone', feedback: '上线后基本稳定', satisfaction: 3 } });
  expect(old.status()).toBe(201);
  const after = await old.json();
  expect(after.relationship.status).toBe('overdue');
  expect(after.relationship.overdue_days).toBeGreaterThan(0);

  for (const [lang, locale] of [['en', 'en-US'], ['zh', 'zh-CN']] as const) {
    const ctx = await browser.newContext({ locale, viewport: desktop });
    const page = await ctx.newPage();
    await signIn(page, 'rep4@demo.local');
    await page.goto('/');
    await hydrated(page);
    // The language is the user's saved choice: switch to the pass's one where it differs.
    const isZh = (await page.locator('html').getAttribute('lang')) === 'zh-CN';
    if ((lang === 'zh') !== isZh) {
      const saved = page.waitForResponse((r) => r.url().includes('set_locale') && r.ok());
      await page.getByRole('button', { name: lang === 'zh' ? '中文' : 'EN' }).click();
      await saved;
      await page.reload();
      await hydrated(page);
    }
    await expect(page.locator('html')).toHaveAttribute('lang', lang === 'zh' ? 'zh-CN' : 'en');
    const due = page.getByTestId('due-accounts');
    await expect(due).toBeVisible();
    const row = due.getByTestId('due-account').filter({ hasText: name });
    await expect(row).toHaveAttribute('data-status', 'overdue');
    expect(Number(await due.getByTestId('due-overdue').textContent())).toBeGreaterThan(0);
    await page.screenshot({ path: shots(`due-home-${lang}-1440`), fullPage: true });
    await page.setViewportSize(phone);
    await page.screenshot({ path: shots(`due-home-${lang}-390`), fullPage: true });
    await page.setViewportSize(desktop);
    await ctx.close();
  }

  const ctx = await browser.newContext({ locale: 'en-US', viewport: desktop });
  const page = await ctx.newPage();
  await signIn(page, 'rep4@demo.local');
  // The list's overdue filter finds it too.
  await page.goto('/accounts?due=overdue');
  await hydrated(page);
  const listed = page.getByTestId('account-link').filter({ hasText: name });
  await expect(listed).toBeVisible();
  await expect(page.locator('tr', { has: listed }).getByTestId('account-row-next')).toHaveAttribute('data-status', 'overdue');
  await listed.click();
  await expect(page).toHaveURL(new RegExp(`/accounts/${id}$`));
  await hydrated(page);

  const rel = page.getByTestId('relationship');
  await expect(rel.getByTestId('rv-status')).toHaveAttribute('data-status', 'overdue');
  await expect(rel.getByTestId('revisit')).toHaveCount(1);
  // The cadence proposes the next visit a month after the revisit's date.
  await expect(rel.getByTestId('rv-next-proposed')).toBeVisible();
  const proposed = (await rel.getByTestId('rv-next_visit_on').getAttribute('data-value')) ?? '';
  expect(proposed > day(27)).toBe(true);

  // Nothing said: refused next to the field, nothing saved.
  await rel.getByTestId('rv-save').click();
  await expect(rel.getByTestId('rv-error-feedback')).toBeVisible();
  await expect(rel.getByTestId('revisit')).toHaveCount(1);
  // A follow-up without a due date: named next to its field.
  await rel.getByTestId('rv-feedback').fill('季度回访：报表需求已确认，客户满意');
  await rel.getByTestId('rv-follow_up').fill('发送合并报表方案');
  await rel.getByTestId('rv-save').click();
  await expect(rel.getByTestId('rv-error-follow_up_due')).toBeVisible();
  await rel.getByTestId('rv-follow_up_due').fill(day(5));
  await rel.getByTestId('rv-satisfaction').selectOption('5');
  await rel.getByTestId('rv-needs').fill('合并报表模块');
  await rel.getByTestId('rv-save').click();
  await expect(rel.getByTestId('rv-saved')).toBeVisible();
  await expect(rel.getByTestId('revisit')).toHaveCount(2);
  await expect(rel.getByTestId('revisit').first()).toHaveAttribute('data-satisfaction', '5');
  await expect(rel.getByTestId('rv-status')).not.toHaveAttribute('data-status', 'overdue');
  await expect(rel.getByTestId('rv-last')).toContainText(day(0).slice(0, 4));
  await page.screenshot({ path: shots('account-relationship-en-1440'), fullPage: true });
  await page.setViewportSize(phone);
  await page.screenshot({ path: shots('account-relationship-en-390'), fullPage: true });
  await page.setViewportSize(desktop);

  // The new need becomes a deal in one click, on this account.
  await rel.getByTestId('rv-make-deal').first().click();
  await expect(page).toHaveURL(/\/deals\/[0-9a-f-]{36}/);
  await hydrated(page);
  await expect(page.getByText('合并报表模块').first()).toBeVisible();

  // Back home: no longer overdue.
  await page.goto('/');
  await hydrated(page);
  await expect(page.getByTestId('due-account').filter({ hasText: name })).toHaveCount(0);
  await ctx.close();
});

// rep@'s demo deal won last week owes its delivery call: it is on My tasks, and recording it
// needs the acceptance answer.
test('a delivery follow-up is recorded with the acceptance confirmation', async ({ browser }) => {
  test.setTimeout(60_000);
  const ctx = await browser.newContext({ locale: 'en-US', viewport: desktop });
  const page = await ctx.newPage();
  await signIn(page, 'rep@demo.local');
  await page.goto('/my/tasks');
  await hydrated(page);
  const owed = page.getByTestId('due-follow-up').first();
  await expect(owed).toBeVisible();
  await page.screenshot({ path: shots('due-tasks-1440'), fullPage: true });
  await owed.locator('a').click();
  await hydrated(page);
  // The link is a client-side navigation: the account's data arrives after "hydrated", so wait
  // for the owed follow-up itself before counting.
  await expect(page).toHaveURL(/\/accounts\/[0-9a-f-]{36}/);
  const rel = page.getByTestId('relationship');
  await expect(rel.getByTestId('rv-follow-up').first()).toBeVisible();
  const before = await rel.getByTestId('rv-follow-up').count();
  expect(before).toBeGreaterThan(0);
  await rel.getByTestId('rv-follow-up-record').first().click();
  await expect(rel.getByTestId('rv-for-delivery')).toBeVisible();
  await rel.getByTestId('rv-channel').selectOption('phone');
  await rel.getByTestId('rv-feedback').fill('设备已到货安装，客户确认验收');
  await rel.getByTestId('rv-save').click();
  await expect(rel.getByTestId('rv-error-accepted')).toBeVisible();
  await rel.getByTestId('rv-accepted').selectOption('yes');
  await rel.getByTestId('rv-save').click();
  await expect(rel.getByTestId('rv-saved')).toBeVisible();
  await expect(rel.getByTestId('rv-follow-up')).toHaveCount(before - 1);
  await expect(rel.getByTestId('revisit').first().getByTestId('rv-acceptance')).toBeVisible();
  await ctx.close();
});
