import { APIRequestContext, expect, Page, test } from '@playwright/test';
import { hydrated, moveVia, shots, signIn } from './helpers';

type KeyInfo = Record<string, unknown>;

async function myId(page: Page): Promise<string> {
  const res = await page.request.post('/api/me');
  expect(res.status()).toBe(200);
  return (await res.json()).id;
}

/** Replaces a deal's key information through the same server function the form uses. */
async function setKeyInfo(request: APIRequestContext, id: string, info: KeyInfo) {
  const got = await request.post('/api/deals/get', { data: { id } });
  expect(got.status()).toBe(200);
  const [, , version] = await got.json();
  const saved = await request.post('/api/deals/key_info', { data: { id, info, version } });
  expect(saved.status()).toBe(200);
}

const column = (page: Page, n: number) => page.getByTestId('column').nth(n);
const count = async (page: Page, n: number) => parseInt((await column(page, n).getByTestId('column-count').innerText()).trim(), 10);

async function openMyBoard(page: Page) {
  const id = await myId(page);
  await page.goto(`/board?owner=${id}`);
  await hydrated(page);
  await expect(page.getByTestId('board')).toBeVisible();
}

test('the keyboard move path: arrows only choose, Escape cancels, Enter moves one stage and the totals follow', async ({ page }) => {
  await signIn(page, 'rep3@demo.local');
  await openMyBoard(page);
  const card = column(page, 0).getByTestId('card').first();
  const dealId = (await card.getAttribute('data-deal'))!;
  await setKeyInfo(page.request, dealId, { motivation: '旧系统无法支撑多工厂', competitors: '金蝶' });
  await page.reload();
  await hydrated(page);
  const before = [await count(page, 0), await count(page, 1)];
  const target = page.locator(`[data-deal="${dealId}"]`);
  const moves: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/deals/move')) moves.push(r.url());
  });

  // Open the menu from the keyboard; three arrows move the focus, nothing else.
  await target.getByTestId('card-menu').focus();
  await page.keyboard.press('Enter');
  const options = target.getByTestId('move-to');
  await expect(options.first()).toBeFocused();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await expect(options.nth(3)).toBeFocused();
  // Escape closes the menu and moves nothing.
  await page.keyboard.press('Escape');
  await expect(target.getByTestId('move-menu')).toHaveCount(0);
  await expect(target.getByTestId('card-menu')).toBeFocused();
  await expect(column(page, 0).locator(`[data-deal="${dealId}"]`)).toBeVisible();
  expect(moves).toEqual([]);

  // Enter opens it again on the first other stage; Enter confirms that one move.
  await page.keyboard.press('Enter');
  await expect(options.first()).toBeFocused();
  // The card moves on screen before the server answers; the reload below waits for the answer.
  const answered = page.waitForResponse((r) => r.url().includes('/api/deals/move') && r.request().method() === 'POST');
  await page.keyboard.press('Enter');
  await expect(column(page, 1).locator(`[data-deal="${dealId}"]`)).toBeVisible();
  await expect(column(page, 0).locator(`[data-deal="${dealId}"]`)).toHaveCount(0);
  expect(moves.length).toBe(1);
  expect(await count(page, 0)).toBe(before[0] - 1);
  expect(await count(page, 1)).toBe(before[1] + 1);
  // The card that took the freed slot has its menu closed.
  await expect(column(page, 0).getByTestId('move-menu')).toHaveCount(0);
  // The server agrees after a reload.
  expect((await answered).status()).toBe(200);
  await page.reload();
  await expect(column(page, 1).locator(`[data-deal="${dealId}"]`)).toBeVisible();
});

test('a blocked drag springs back and explains; filling the facts lets the move through; a skip goes to the manager', async ({ page, browser }) => {
  await signIn(page, 'rep5@demo.local');
  await openMyBoard(page);
  const card = column(page, 0).getByTestId('card').first();
  const dealId = (await card.getAttribute('data-deal'))!;
  await setKeyInfo(page.request, dealId, {});
  await page.reload();
  await hydrated(page);

  // Two stages at once with nothing filled in: blocked, with the list of what is missing.
  await page.locator(`[data-deal="${dealId}"]`).dragTo(column(page, 2), { targetPosition: { x: 60, y: 40 } });
  const panel = page.getByTestId('blocked-panel');
  await expect(panel).toBeVisible();
  await expect(panel.locator('[data-missing="key_info.motivation"]')).toBeVisible();
  await expect(panel.locator('[data-missing="key_info.budget"]')).toBeVisible();
  await expect(column(page, 0).locator(`[data-deal="${dealId}"]`)).toBeVisible();
  await page.screenshot({ path: shots('board-blocked-1440') });

  // Follow the link to the first missing field and fill the key information.
  await panel.locator('[data-missing="key_info.motivation"] a').click();
  await expect(page.getByTestId('key-info-form')).toBeVisible();
  await hydrated(page);
  await page.fill('#field-motivation', '集团要求统一财务口径');
  await page.fill('#field-competitors', '用友、金蝶');
  await page.selectOption('#field-budget', 'yes');
  await page.fill('#field-budget_fen', 'abc');
  await expect(page.locator('.field-error')).toBeVisible();
  await expect(page.getByTestId('save-key-info')).toBeDisabled();
  await page.fill('#field-budget_fen', '1,200,000');
  await page.fill('#field-decision_makers', '总经理、财务总监');
  await page.fill('#field-vendor_pick', '2027-03-15');
  await page.getByTestId('save-key-info').click();
  await expect(page.getByTestId('saved')).toBeVisible();
  // The blocked attempt is in the deal's history (the activities tab).
  await page.getByTestId('tab-activities').click();
  await expect(page.getByTestId('timeline')).toBeVisible();
  await expect(page.getByTestId('timeline').locator('[data-kind="blocked"]').first()).toBeVisible();
  // Amount changes (on the overview) are versioned and recorded too.
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('facts-form')).toBeVisible();
  await page.fill('#facts-amount', '3,300,000');
  await page.getByTestId('facts-form').getByRole('button').click();
  await expect(page.getByTestId('facts-saved')).toBeVisible();
  await page.getByTestId('tab-activities').click();
  await expect(page.getByTestId('timeline')).toBeVisible();
  await expect(page.getByTestId('timeline').locator('[data-kind="amount_changed"]').first()).toBeVisible();
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('key-info-form')).toBeVisible();
  await page.screenshot({ path: shots('deal-key-info-1440'), fullPage: true });

  // Back on the board: one step forward now moves.
  await openMyBoard(page);
  await page.locator(`[data-deal="${dealId}"]`).dragTo(column(page, 1), { targetPosition: { x: 60, y: 40 } });
  await expect(column(page, 1).locator(`[data-deal="${dealId}"]`)).toBeVisible();
  await expect(page.getByTestId('moved-notice')).toBeVisible();

  // Into "Project initiated" needs the manager's approval, and a decision maker on the
  // buying-committee map (the gate checks it when asked and again when approved).
  const map = await page.request.get(`/api/v1/deals/${dealId}/contacts`);
  expect(map.status()).toBe(200);
  const { people, candidates } = await map.json();
  const someone = people.length ? people[0].contact_id : candidates[0].id;
  const dm = { contact_id: someone, role: 'decision_maker', influence_pct: 100, attitude: 'supporter', relationship: 3 };
  const put = await page.request.put(`/api/v1/deals/${dealId}/contacts`, { data: { people: [dm] } });
  expect(put.status()).toBe(200);
  await moveVia(page.locator(`[data-deal="${dealId}"]`), 2);
  await expect(page.getByTestId('pending-notice')).toContainText('李伟');
  await expect(column(page, 1).locator(`[data-deal="${dealId}"]`).getByTestId('pending-badge')).toBeVisible();

  // The manager approves in a second browser; this board follows live, without a reload.
  await expect(page.locator('body[data-live="open"]')).toBeVisible();
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await signIn(manager, 'manager@demo.local');
  await expect(manager.getByTestId('approvals-badge')).toBeVisible();
  await manager.goto('/approvals');
  await hydrated(manager);
  const item = manager.getByTestId('inbox').getByTestId('approval').filter({ hasText: '集团' }).first();
  const anyItem = manager.getByTestId('inbox').getByTestId('approval').first();
  await expect(anyItem).toBeVisible();
  await manager.screenshot({ path: shots('approvals-inbox-1440') });
  await ((await item.count()) ? item : anyItem).getByTestId('approve').click();
  await expect(manager.locator('[data-testid="approval"][data-status="approved"]').first()).toBeVisible();
  await expect(manager.getByTestId('approvals-badge')).toHaveCount(0);
  await managerContext.close();

  await expect(column(page, 2).locator(`[data-deal="${dealId}"]`)).toBeVisible({ timeout: 5_000 });
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(7);
});

test('moving backward asks for a reason in the panel', async ({ page }) => {
  await signIn(page, 'rep2@demo.local');
  await openMyBoard(page);
  const card = column(page, 1).getByTestId('card').first();
  const dealId = (await card.getAttribute('data-deal'))!;
  await moveVia(card, 1);
  const panel = page.getByTestId('blocked-panel');
  // The menu's first entry is the first other stage: "Opportunity found", a backward move.
  await expect(panel.locator('[data-missing="reason"]')).toBeVisible();
  await panel.locator('#move-reason').fill('客户预算冻结');
  await panel.getByRole('button').filter({ hasText: /reason|原因/ }).click();
  await expect(column(page, 0).locator(`[data-deal="${dealId}"]`)).toBeVisible();
});

test('screenshots of the board at desktop and phone width', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'manager2@demo.local');
  await page.goto('/board');
  await hydrated(page);
  await expect(page.getByTestId('card').first()).toBeVisible();
  await page.screenshot({ path: shots('board-cards-1440') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId('card').first()).toBeVisible();
  await page.screenshot({ path: shots('board-cards-390') });
});
