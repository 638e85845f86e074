import { expect, Page, test } from '@playwright/test';
import { hydrated, newDeal, shots, signIn } from './helpers';

// Daily use on the board and on phones (issue 17). rep@ (East); every deal made here is new.

async function myBoard(page: Page) {
  const me = (await (await page.request.post('/api/me')).json()).id;
  await page.goto(`/board?owner=${me}`);
  await hydrated(page);
  await expect(page.getByTestId('board')).toBeVisible();
}

test('on a 390 px phone the menu button reaches every page of the navigation', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'rep@demo.local');
  const nav = page.getByTestId('mainnav');
  const toggle = page.getByTestId('nav-toggle');
  await expect(nav).toBeHidden();
  await toggle.click();
  await expect(nav).toBeVisible();
  await page.screenshot({ path: shots('nav-menu-open-390') });
  const hrefs = await nav.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
  expect(hrefs).toContain('/approvals');
  expect(hrefs.length).toBeGreaterThanOrEqual(9);
  for (const href of hrefs) {
    if (!(await nav.isVisible())) await toggle.click();
    const link = nav.locator(`a[href="${href}"]`);
    await expect(link).toBeInViewport();
    await link.click();
    await expect(page).toHaveURL(new RegExp(`${href === '/' ? '/$' : href}(\\?.*)?$`));
    // A navigation closes the menu again.
    await expect(nav).toBeHidden();
  }
  // Nothing on the page scrolls sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

// presales@ has the longest English menu (My checklists). Wide windows show every link in one
// row; narrower ones put them behind the menu button; the bar itself stays one row throughout.
test('at every common window width the navigation is whole in one row or behind the menu button', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'presales@demo.local');
  const nav = page.getByTestId('mainnav');
  const toggle = page.getByTestId('nav-toggle');
  const bar = page.locator('header.topbar');
  for (const width of [1440, 1366, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await expect(toggle).toBeHidden();
    const [scroll, client] = await nav.evaluate((n) => [n.scrollWidth, n.clientWidth]);
    expect(scroll, `${width} px: no link cut off`).toBeLessThanOrEqual(client);
    expect((await bar.boundingBox())!.height, `${width} px: one row`).toBeLessThanOrEqual(57);
  }
  for (const width of [1024, 800, 390]) {
    await page.setViewportSize({ width, height: 800 });
    await expect(nav).toBeHidden();
    expect((await bar.boundingBox())!.height, `${width} px: one row`).toBeLessThanOrEqual(57);
    await toggle.click();
    for (const link of await nav.locator('a').all()) await expect(link).toBeInViewport();
    await page.screenshot({ path: shots(`nav-menu-open-${width}`) });
    await toggle.click();
    await expect(nav).toBeHidden();
  }
});

test('a 200-character name wraps on its card and keeps the column width', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'rep@demo.local');
  const name = `长名${'W'.repeat(198)}`;
  const id = await newDeal(page, name);
  await myBoard(page);
  const card = page.locator(`[data-deal="${id}"]`);
  await expect(card).toBeVisible();
  const column = page.getByTestId('column').filter({ has: card });
  const other = column.getByTestId('card').filter({ hasNot: page.locator(`[data-deal="${id}"]`) }).first();
  const [mine, theirs, col] = [await card.boundingBox(), await other.boundingBox(), await column.boundingBox()];
  expect(Math.abs(mine!.width - theirs!.width)).toBeLessThanOrEqual(1);
  expect(col!.width).toBeLessThan(360);
  // The full name is on hover.
  await expect(card.locator('.card-title')).toHaveAttribute('title', name);
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shots('board-long-name-1440') });
  // The deals table keeps its columns on screen.
  await page.goto('/deals');
  await hydrated(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1440);
});

test('while a card is dragged the Lost drop zone is in view; dropping there asks for the lost reason', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'rep@demo.local');
  const id = await newDeal(page, `输单拖放 ${Date.now()}`);
  await myBoard(page);
  const card = page.locator(`[data-deal="${id}"]`);
  const zone = page.getByTestId('lost-drop');
  await expect(zone).toBeHidden();
  await card.scrollIntoViewIfNeeded();
  const box = (await card.boundingBox())!;
  await page.mouse.move(box.x + 40, box.y + 30);
  await page.mouse.down();
  await page.mouse.move(box.x + 60, box.y + 60, { steps: 5 });
  await expect(zone).toBeVisible();
  await expect(zone).toBeInViewport();
  await page.screenshot({ path: shots('board-lost-drop-1440') });
  const z = (await zone.boundingBox())!;
  await page.mouse.move(z.x + z.width / 2, z.y + z.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(zone).toBeHidden();
  const panel = page.getByTestId('blocked-panel');
  await expect(panel.locator('[data-missing="lost_reason"]')).toBeVisible();
  await panel.locator('#move-reason').fill('客户选择了竞争对手');
  // The board shows the card in Lost before the server has answered; read it back after.
  const moved = page.waitForResponse((r) => r.url().includes('/api/deals/move') && r.request().method() === 'POST');
  await panel.getByRole('button').filter({ hasText: /reason|原因/ }).click();
  expect((await moved).status()).toBe(200);
  const lostColumn = page.locator('.column-lost');
  await expect(lostColumn.locator(`[data-deal="${id}"]`)).toBeVisible();
  const deal = await page.request.get(`/api/v1/deals/${id}`);
  expect(deal.status()).toBe(200);
  expect((await deal.json()).stage_id).toBe(await lostColumn.getAttribute('data-stage'));
});

test('a Chinese mention needs no space after the name, and lands on the colleague\'s day', async ({ page, browser }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'rep@demo.local');
  const name = `提及测试 ${Date.now()}`;
  const id = await newDeal(page, name);
  await page.goto(`/deals/${id}?tab=activities`);
  await hydrated(page);
  const comments = page.getByTestId('comments');
  await comments.getByTestId('comment-body').fill('@李伟请帮忙看一下报价');
  await comments.getByTestId('comment-post').click();
  const posted = comments.getByTestId('comment').filter({ hasText: '请帮忙看一下报价' });
  await expect(posted).toContainText('李伟');

  // 李伟 (manager@) finds it under "My day" on the home page.
  const ctx = await browser.newContext();
  const manager = await ctx.newPage();
  await manager.setViewportSize({ width: 1440, height: 900 });
  await signIn(manager, 'manager@demo.local');
  await manager.goto('/');
  await hydrated(manager);
  const day = manager.getByTestId('my-day');
  await expect(day.getByTestId('day-mention').filter({ hasText: name })).toBeVisible();
  await ctx.close();
});

test('typing "@" offers the people who can see the deal; arrows and Enter choose; a name no one has is flagged before posting', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'rep@demo.local');
  const id = await newDeal(page, `提及补全 ${Date.now()}`);
  await page.goto(`/deals/${id}?tab=activities`);
  await hydrated(page);
  const comments = page.getByTestId('comments');
  const box = comments.getByTestId('comment-body');
  const menu = comments.getByTestId('mention-menu');
  await box.click();
  await page.keyboard.type('请@李');
  await expect(menu).toBeVisible();
  await expect(menu.getByTestId('mention-option').first()).toContainText('李伟');
  // Someone's name starts with what is typed: no warning while typing.
  await expect(comments.getByTestId('mention-unmatched')).toHaveCount(0);
  await page.screenshot({ path: shots('mention-menu-1440') });
  await page.keyboard.press('Enter');
  await expect(menu).toBeHidden();
  await expect(box).toHaveValue('请@李伟 ');
  // A name no one's starts with is flagged while it is still being typed.
  await page.keyboard.type('看一下报价 @王五');
  await expect(comments.getByTestId('mention-unmatched')).toContainText('@王五');
  await page.keyboard.type(' ');
  // Arrows move the choice; Escape closes the list and chooses nothing.
  await page.keyboard.type('@rep');
  await expect(menu.getByTestId('mention-option')).not.toHaveCount(0);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(box).toHaveValue('请@李伟 看一下报价 @王五 @rep');
  await page.screenshot({ path: shots('mention-unmatched-1440') });
  await comments.getByTestId('comment-post').click();
  const posted = comments.getByTestId('comment').filter({ hasText: '看一下报价' });
  await expect(posted.locator('.cell-sub')).toHaveText(/李伟$/);
});

test('a rep\'s home starts with their day: follow-ups due, their deals needing attention, approvals', async ({ page }) => {
  await signIn(page, 'rep@demo.local');
  for (const [w, h] of [[1440, 900], [390, 844]]) {
    await page.setViewportSize({ width: w, height: h });
    await page.goto('/');
    await hydrated(page);
    const day = page.getByTestId('my-day');
    await expect(day).toBeVisible();
    // The demo gives rep@ open deals whose close date has passed or that close this month.
    const deals = day.getByTestId('day-deal');
    expect(await deals.count()).toBeGreaterThan(0);
    for (const d of await deals.all()) expect(await d.getByTestId('day-attention').count()).toBeGreaterThan(0);
    await expect(day.getByTestId('day-approvals-waiting')).toHaveAttribute('href', '/approvals');
    await page.screenshot({ path: shots(`home-my-day-${w}`), fullPage: w > 1000 });
  }
});

test('the owner adds a presales colleague from the deal page; someone not on the team gets a clear page and nothing polls', async ({ page, browser }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'rep@demo.local');
  const id = await newDeal(page, `团队测试 ${Date.now()}`);
  await page.goto(`/deals/${id}`);
  await hydrated(page);
  const members = page.getByTestId('members');
  const sunLi = await members.getByTestId('member-user').locator('option', { hasText: '孙丽' }).getAttribute('value');
  await members.getByTestId('member-user').selectOption(sunLi!);
  await members.getByTestId('member-role').selectOption('presales');
  await members.getByTestId('member-add').click();
  await expect(members.locator('[data-testid="member"][data-role="presales"]')).toContainText('孙丽');
  await page.screenshot({ path: shots('deal-team-added-1440') });

  // 黄涛 (presales, West) is not on the team: a page that says so, and no presence polling.
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await signIn(p2, 'presales2@demo.local');
  const polls: string[] = [];
  p2.on('request', (r) => {
    if (r.url().includes('/api/deals/presence')) polls.push(r.url());
  });
  await p2.goto(`/deals/${id}`);
  await hydrated(p2);
  await expect(p2.getByTestId('deal-no-access')).toBeVisible();
  await p2.waitForTimeout(1_500);
  expect(polls).toEqual([]);
  await p2.screenshot({ path: shots('deal-no-access-1440') });
  await other.close();

  // 孙丽 now sees the deal and its checklists tab.
  const mine = await browser.newContext();
  const p3 = await mine.newPage();
  await signIn(p3, 'presales@demo.local');
  await p3.goto(`/deals/${id}?tab=checklists`);
  await hydrated(p3);
  await expect(p3.getByTestId('deal-tabs')).toBeVisible();
  await expect(p3.getByTestId('deal-no-access')).toHaveCount(0);
  await mine.close();
});
