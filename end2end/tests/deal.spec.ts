import { expect, Page, test } from '@playwright/test';
import { hydrated, newDeal, shots, signIn } from './helpers';

const column = (page: Page, n: number) => page.getByTestId('column').nth(n);

test('a rep creates a deal from the board, sets its forecast category, and drags it by touch', async ({ page }) => {
  await signIn(page, 'rep@demo.local');
  await page.goto('/board');
  await hydrated(page);
  await page.getByTestId('new-deal-button').click();
  const form = page.getByTestId('new-deal');
  await expect(form).toBeVisible();
  // Bad input gets a clear message and nothing is created.
  await form.getByRole('button', { name: /Create|创建/ }).click();
  await expect(form.locator('.field-invalid').first()).toBeVisible();
  // Each refusal says what and why next to its field; the server's limits are the form's.
  await expect(form.getByTestId('nd-error-name')).toHaveText(/name|名称/);
  await expect(form.getByTestId('nd-error-account')).toBeVisible();
  await page.fill('#nd-name', 'N'.repeat(201));
  await expect(form.getByTestId('nd-error-name')).toHaveText(/200/);
  for (const [typed, why] of [['-5', /negative|负数/], ['abc', /amount in yuan|金额/], ['1e20', /amount in yuan|金额/], ['99,000,000,000,000', /10,000,000,000,000/]] as const) {
    await page.fill('#nd-amount', typed);
    await expect(form.getByTestId('nd-error-amount')).toHaveText(why);
  }
  await page.screenshot({ path: shots('new-deal-refused-1440') });
  await expect(page).toHaveURL(/\/board/);
  await page.fill('#nd-name', '华东区 MES 二期');
  await page.getByTestId('nd-account').selectOption({ index: 1 });
  await page.fill('#nd-amount', '1,850,000');
  await page.fill('#nd-close', '2027-05-31');
  await page.screenshot({ path: shots('new-deal-1440') });
  await form.getByRole('button', { name: /Create|创建/ }).click();
  await expect(page).toHaveURL(/\/deals\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('deal-name')).toHaveText('华东区 MES 二期');
  await hydrated(page);
  // The history is on the activities tab, the facts on the overview (the page opens there).
  await page.getByTestId('tab-activities').click();
  await expect(page.getByTestId('timeline')).toBeVisible();
  await expect(page.getByTestId('timeline').locator('[data-kind="created"]')).toBeVisible();
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('facts-form')).toBeVisible();

  // The owner's forecast category, beside the default the stage and date give.
  await expect(page.getByTestId('facts-category').locator('option').first()).toContainText(/Default|默认/);
  await page.getByTestId('facts-category').selectOption('best_case');
  await page.getByTestId('facts-form').getByRole('button').click();
  await expect(page.getByTestId('facts-saved')).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('facts-category')).toHaveValue('best_case');
  await page.getByTestId('tab-activities').click();
  await expect(page.getByTestId('timeline')).toBeVisible();
  await expect(page.getByTestId('timeline').locator('[data-kind="category_changed"]')).toBeVisible();

  // Touch: HTML5 drag events never fire on a touch screen, so the grip follows pointer events.
  // (The URL now ends in ?tab=activities: the id is the path's last segment.)
  const dealId = new URL(page.url()).pathname.split('/').pop()!;
  const got = await page.request.get(`/api/v1/deals/${dealId}`);
  const version = (await got.json()).version;
  const patched = await page.request.patch(`/api/v1/deals/${dealId}`, {
    data: { version, key_info: { motivation: '产能扩张，旧 MES 不支持多工厂', competitors: '西门子' } },
  });
  expect(patched.status()).toBe(200);
  const me = await (await page.request.post('/api/me')).json();
  await page.goto(`/board?owner=${me.id}`);
  await hydrated(page);
  const card = column(page, 0).locator(`[data-deal="${dealId}"]`);
  await expect(card).toBeVisible();
  const grip = card.getByTestId('card-grip');
  const from = (await grip.boundingBox())!;
  const to = (await column(page, 1).boundingBox())!;
  const at = (x: number, y: number) => ({ pointerType: 'touch', pointerId: 7, isPrimary: true, clientX: x, clientY: y, bubbles: true });
  await grip.dispatchEvent('pointerdown', at(from.x + 5, from.y + 5));
  await grip.dispatchEvent('pointermove', at(to.x + 40, to.y + 60));
  await expect(column(page, 1)).toHaveClass(/drop-target/);
  await grip.dispatchEvent('pointerup', at(to.x + 40, to.y + 60));
  await expect(column(page, 1).locator(`[data-deal="${dealId}"]`)).toBeVisible();
  await expect(page.getByTestId('moved-notice')).toBeVisible();
  await page.reload();
  await expect(column(page, 1).locator(`[data-deal="${dealId}"]`)).toBeVisible();
});

test('two people on one deal see each other, and each sees the other\'s change live', async ({ page, browser }) => {
  await signIn(page, 'rep@demo.local');
  const dealId = await newDeal(page, '青岛港智慧仓储');
  await page.goto(`/deals/${dealId}`);
  await hydrated(page);
  await expect(page.locator('body[data-live="open"]')).toBeVisible();

  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await signIn(manager, 'manager@demo.local');
  await manager.goto(`/deals/${dealId}`);
  await hydrated(manager);
  // The manager arrives after the rep: the first heartbeat already names the rep.
  await expect(manager.getByTestId('presence')).toContainText('张磊');
  // The rep learns of the manager at the next heartbeat (every 10 s).
  await expect(page.getByTestId('presence')).toContainText('李伟', { timeout: 15_000 });
  await expect(manager.locator('body[data-live="open"]')).toBeVisible();

  // The manager changes the amount; the rep's page says so and shows the new amount.
  await manager.fill('#facts-amount', '2,680,000');
  await manager.getByTestId('facts-form').getByRole('button').click();
  await expect(manager.getByTestId('facts-saved')).toBeVisible();
  await expect(page.getByTestId('live-banner')).toBeVisible({ timeout: 5_000 });
  await expect(page.locator('#facts-amount')).toHaveValue('2680000.00');
  await page.screenshot({ path: shots('deal-live-1440'), fullPage: false });
  // The history is on the activities tab (a client-side switch; the live connection stays).
  await page.getByTestId('tab-activities').click();
  await expect(page.getByTestId('timeline')).toBeVisible();
  await expect(page.getByTestId('timeline').locator('[data-kind="amount_changed"]')).toBeVisible();
  // The manager's own change does not alarm the manager.
  await expect(manager.getByTestId('live-banner')).toHaveCount(0);
  await managerContext.close();
});

test("a manager adjusts a rep's forecast category; the rep sees both values", async ({ browser }) => {
  const repCtx = await browser.newContext();
  const rep = await repCtx.newPage();
  await signIn(rep, 'rep@demo.local');
  const dealId = await newDeal(rep, 'Category adjustment e2e');
  await rep.goto(`/deals/${dealId}`);
  await hydrated(rep);
  // A rep has no manager's field.
  await expect(rep.getByTestId('facts-category')).toBeVisible();
  await expect(rep.getByTestId('facts-adjusted')).toHaveCount(0);
  await rep.getByTestId('facts-category').selectOption('commit');
  await rep.getByTestId('facts-form').getByRole('button').click();
  await expect(rep.getByTestId('facts-saved')).toBeVisible();

  const mgrCtx = await browser.newContext();
  const mgr = await mgrCtx.newPage();
  await signIn(mgr, 'manager@demo.local');
  await mgr.goto(`/deals/${dealId}`);
  await hydrated(mgr);
  await expect(mgr.getByTestId('facts-category')).toHaveValue('commit');
  await mgr.getByTestId('facts-adjusted').selectOption('best_case');
  await mgr.getByTestId('facts-form').getByRole('button').click();
  await expect(mgr.getByTestId('facts-saved')).toBeVisible();
  await mgr.getByTestId('tab-activities').click();
  await expect(mgr.getByTestId('timeline')).toBeVisible();
  await expect(mgr.getByTestId('timeline').locator('[data-kind="category_adjusted"]')).toBeVisible();

  await rep.reload();
  await hydrated(rep);
  await expect(rep.getByTestId('facts-category')).toHaveValue('commit');
  await expect(rep.getByTestId('facts-adjusted-note')).toContainText(/Best case|有希望|best/i);
  await rep.getByTestId('facts-form').screenshot({ path: shots('deal-category-adjusted') });
  await repCtx.close();
  await mgrCtx.close();
});

test("a rep reads a teammate's deal but cannot change it; the REST PATCH is refused too", async ({ browser }) => {
  const ownerCtx = await browser.newContext();
  const owner = await ownerCtx.newPage();
  await signIn(owner, 'rep3@demo.local');
  const dealId = await newDeal(owner, '宁波工厂 WMS 升级');
  await ownerCtx.close();

  for (const [locale, tag] of [['en-US', 'en'], ['zh-CN', 'zh']] as const) {
    const ctx = await browser.newContext({ locale, viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, 'rep@demo.local');
    await page.goto(`/deals/${dealId}`);
    await hydrated(page);
    await expect(page.getByTestId('deal-name')).toHaveText('宁波工厂 WMS 升级');
    // The facts are shown, read-only, with the reason; there is nothing to save.
    await expect(page.getByTestId('facts-read-only')).toBeVisible();
    await expect(page.locator('#facts-amount')).toBeDisabled();
    await expect(page.locator('#facts-close')).toBeDisabled();
    await expect(page.getByTestId('facts-form').getByRole('button')).toBeHidden();
    await page.getByTestId('facts-form').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shots(`deal-read-only-${tag}-1440`) });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('facts-form').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shots(`deal-read-only-${tag}-390`) });
    if (tag === 'en') {
      const got = await page.request.get(`/api/v1/deals/${dealId}`);
      const version = (await got.json()).version;
      const patched = await page.request.patch(`/api/v1/deals/${dealId}`, { data: { version, amount_minor: 100 } });
      expect(patched.status()).toBe(403);
    }
    await ctx.close();
  }
});

test('the deal page is in tabs: the URL remembers the open one across a reload, and Back returns to the overview', async ({ browser }) => {
  // rep4's language is never switched by another test, so the context's locale decides it.
  for (const [locale, tag] of [['en-US', 'en'], ['zh-CN', 'zh']] as const) {
    const ctx = await browser.newContext({ locale, viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, 'rep4@demo.local');
    const dealId = await newDeal(page, `Deal tabs e2e (${tag})`);
    await page.goto(`/deals/${dealId}`);
    await hydrated(page);
    await expect(page.getByTestId('deal-tabs')).toBeVisible();
    await expect(page.getByTestId('tab-overview')).toHaveClass(/\bactive\b/);
    await expect(page.getByTestId('tab-overview')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('key-info-form')).toBeVisible();

    // Another tab: only its panel is on the page, the header stays.
    await page.getByTestId('tab-quotes').click();
    await expect(page).toHaveURL(new RegExp(`/deals/${dealId}\\?tab=quotes$`));
    await expect(page.getByTestId('quotes-panel')).toBeVisible();
    await expect(page.getByTestId('key-info-form')).toHaveCount(0);
    await expect(page.getByTestId('tab-quotes')).toHaveClass(/\bactive\b/);
    await expect(page.getByTestId('deal-name')).toHaveText(`Deal tabs e2e (${tag})`);

    // A reload lands on the same tab.
    await page.reload();
    await hydrated(page);
    await expect(page.getByTestId('tab-quotes')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('tab-overview')).toHaveAttribute('aria-selected', 'false');
    await expect(page.getByTestId('quotes-panel')).toBeVisible();
    await expect(page.getByTestId('key-info-form')).toHaveCount(0);

    // Back returns to the overview.
    await page.goBack();
    await expect(page).toHaveURL(new RegExp(`/deals/${dealId}$`));
    await hydrated(page);
    await expect(page.getByTestId('key-info-form')).toBeVisible();
    await expect(page.getByTestId('tab-overview')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('quotes-panel')).toHaveCount(0);
    await page.screenshot({ path: shots(`deal-tabs-${tag}-1440`) });
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.getByTestId('deal-tabs')).toBeVisible();
    await page.screenshot({ path: shots(`deal-tabs-${tag}-390`) });
    await ctx.close();
  }
});
