import { Browser, expect, Page, test } from '@playwright/test';
import { dealWithFullMap, hydrated, moveVia, newDeal, shots, signIn } from './helpers';

/** The presales engineer, signed in in a browser of their own, joins the rep's deal team; the
 * rep (`page`) attaches the demo checklist. */
async function presalesWithDemoChecklist(page: Page, browser: Browser, dealId: string) {
  const presalesContext = await browser.newContext();
  const presales = await presalesContext.newPage();
  await signIn(presales, 'presales@demo.local');
  const presalesId = (await (await presales.request.post('/api/me')).json()).id;
  expect((await page.request.post('/api/room/members/add', { data: { deal: dealId, user: presalesId, role: 'presales' } })).status()).toBe(200);
  expect((await page.request.post(`/api/v1/deals/${dealId}/checklists`, { data: { template: 'demo' } })).status()).toBe(201);
  return { presalesContext, presales };
}

test('a fresh deal\'s committee map warns, takes a new contact, and its role clears the warning', async ({ page }) => {
  await signIn(page, 'rep@demo.local');
  const accounts = await page.request.get('/api/v1/accounts?per_page=5');
  expect(accounts.status()).toBe(200);
  const account = (await accounts.json()).accounts[0].id;
  const res = await page.request.post('/api/v1/deals', {
    data: { name: '决策链测试', account_id: account, amount_minor: 100_000_000, expected_close_date: '2027-06-30' },
  });
  expect(res.status()).toBe(201);
  const dealId = (await res.json()).id;

  await page.goto(`/deals/${dealId}?tab=committee`);
  await hydrated(page);
  const map = page.getByTestId('committee-map');
  const noDm = map.locator('[data-testid="map-warning"][data-code="no_decision_maker"]');
  await expect(noDm).toBeVisible();

  await map.getByTestId('map-new-name').fill('王建国');
  await map.getByTestId('map-new-title').fill('CIO');
  await map.getByTestId('map-create').click();
  const node = map.getByTestId('map-node').filter({ hasText: '王建国' });
  await expect(node).toBeVisible();

  await node.locator('.mn-name').click();
  const edit = map.getByTestId('node-edit');
  await expect(edit).toBeVisible();
  await edit.getByTestId('node-role').selectOption('decision_maker');
  await edit.getByTestId('node-save').click();
  await expect(noDm).toHaveCount(0);
});

test('a comment posted on a deal is listed, newest first', async ({ page }) => {
  await signIn(page, 'rep@demo.local');
  const accounts = await page.request.get('/api/v1/accounts?per_page=5');
  const account = (await accounts.json()).accounts[0].id;
  const res = await page.request.post('/api/v1/deals', {
    data: { name: '评论测试', account_id: account, amount_minor: 100_000_000, expected_close_date: '2027-06-30' },
  });
  expect(res.status()).toBe(201);
  const dealId = (await res.json()).id;

  await page.goto(`/deals/${dealId}?tab=activities`);
  await hydrated(page);
  const comments = page.getByTestId('comments');
  for (const body of ['第一条', '第二条']) {
    await comments.getByTestId('comment-body').fill(body);
    await comments.getByTestId('comment-post').click();
    await expect(comments.getByTestId('comment').filter({ hasText: body })).toBeVisible();
  }
  await expect(comments.getByTestId('comment').first()).toContainText('第二条');
});

test('screenshots of a seeded deal room with a full committee map', async ({ page }) => {
  await signIn(page, 'manager@demo.local');
  const found = await dealWithFullMap(page);
  await page.goto(`/deals/${found}?tab=committee`);
  await hydrated(page);
  const map = page.getByTestId('committee-map');
  expect(await map.getByTestId('map-node').count()).toBeGreaterThanOrEqual(5);
  await map.screenshot({ path: shots('deal-map-1440') });
  await page.screenshot({ path: shots('deal-room-1440'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: shots('deal-room-390'), fullPage: true });
});

/** The map node whose name is exactly `name` (other nodes list every name in their menu). */
const mapNode = (page: Page, name: string) =>
  page.getByTestId('committee-map').getByTestId('map-node').filter({ has: page.locator('.mn-name', { hasText: new RegExp(`^${name}$`) }) });

test('a five-person committee map is built by drag, menu and inline edit; its warnings clear as it completes', async ({ page }) => {
  await signIn(page, 'rep@demo.local');
  const dealId = await newDeal(page, '五人决策链');
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(`/deals/${dealId}?tab=committee`);
  await hydrated(page);
  const map = page.getByTestId('committee-map');
  const warning = (code: string) => map.locator(`[data-testid="map-warning"][data-code="${code}"]`);
  await expect(warning('no_decision_maker')).toBeVisible();

  const people = [
    { name: '王建国', title: '总经理', role: 'decision_maker', pct: 40, att: 'supporter' },
    { name: '李明', title: 'CIO', role: 'technical_evaluator', pct: 25, att: 'neutral' },
    { name: '张伟', title: 'IT 经理', role: 'coach', pct: 15, att: 'supporter' },
    { name: '刘芳', title: '财务总监', role: 'economic_buyer', pct: 15, att: 'neutral' },
    { name: '陈静', title: '总账会计', role: 'user', pct: 5, att: 'opponent' },
  ];
  for (const p of people) {
    await map.getByTestId('map-new-name').fill(p.name);
    await map.getByTestId('map-new-title').fill(p.title);
    await map.getByTestId('map-create').click();
    await expect(mapNode(page, p.name)).toBeVisible();
  }
  await expect(map.getByTestId('map-node')).toHaveCount(5);

  // Who reports to whom, as the server has it.
  const tree = async () => {
    const res = await page.request.get(`/api/v1/deals/${dealId}/contacts`);
    expect(res.status()).toBe(200);
    const ps: { contact_id: string; name: string; reports_to: string | null }[] = (await res.json()).people;
    const name = new Map(ps.map((p) => [p.contact_id, p.name]));
    return Object.fromEntries(ps.map((p) => [p.name, p.reports_to ? name.get(p.reports_to) : null]));
  };
  // Mouse drags (HTML5 drag and drop) from the card's head onto another card's head.
  // Both cards in view first: Chromium scrolls the page when a drag nears the window's edge,
  // and a drop after such a scroll lands somewhere else.
  const drag = async (who: string, onto: string) => {
    await map.locator('.map-canvas').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await mapNode(page, who).dragTo(mapNode(page, onto), { sourcePosition: { x: 70, y: 14 }, targetPosition: { x: 70, y: 14 } });
  };
  // Each change is on the redrawn map (the card's menu shows the new manager) before the
  // next drag starts: a drag whose card is redrawn under the pointer is cancelled.
  const shown = (who: string) => mapNode(page, who).getByTestId('reports-to-select').locator('option:checked');
  for (const [who, onto] of [['李明', '王建国'], ['刘芳', '王建国'], ['张伟', '李明']]) {
    await drag(who, onto);
    await expect(shown(who)).toHaveText(onto);
    await expect.poll(async () => (await tree())[who]).toBe(onto);
  }
  // The menu alternative on the card.
  await mapNode(page, '陈静').getByTestId('reports-to-select').selectOption({ label: '刘芳' });
  await expect(shown('陈静')).toHaveText('刘芳');
  await expect.poll(async () => (await tree())['陈静']).toBe('刘芳');
  // A loop is refused with a message, and nothing changes.
  await mapNode(page, '王建国').getByTestId('reports-to-select').selectOption({ label: '张伟' });
  await expect(map.getByTestId('map-error')).toBeVisible();
  expect(await tree()).toEqual({ 王建国: null, 李明: '王建国', 刘芳: '王建国', 张伟: '李明', 陈静: '刘芳' });

  // Inline edits: role, influence, attitude, last contact.
  const today = new Date().toISOString().slice(0, 10);
  for (const p of people) {
    await mapNode(page, p.name).locator('.mn-name').click();
    const edit = map.getByTestId('node-edit');
    await expect(edit).toHaveAttribute('data-contact', (await mapNode(page, p.name).getAttribute('data-contact'))!);
    await edit.getByTestId('node-role').selectOption(p.role);
    await edit.getByTestId('node-weight').fill(String(p.pct));
    await edit.getByTestId(`node-attitude-${p.att}`).check();
    await edit.getByTestId('node-last-contact').fill(today);
    await edit.getByTestId('node-save').click();
    await expect(mapNode(page, p.name).locator('.mn-pct')).toHaveText(`${p.pct}%`);
    await expect(mapNode(page, p.name).locator('.role-chip')).toBeVisible();
    if (p.role === 'decision_maker') await expect(warning('no_decision_maker')).toHaveCount(0);
    if (p.role === 'coach') await expect(warning('no_coach')).toHaveCount(0);
  }
  // 100 % of the influence placed, a decision maker and a champion just contacted, the one
  // opponent below 20 %: nothing left to warn about.
  await expect(map.getByTestId('map-warning')).toHaveCount(0);
  await expect(map.locator('.node-opponent')).toHaveCount(1);
  await map.screenshot({ path: shots('deal-map-built-1440') });
});

test('a presales engineer ticks the demo checklist and the rep\'s blocked move then goes through', async ({ page, browser }) => {
  await signIn(page, 'rep@demo.local');
  const dealId = await newDeal(page, '演示清单测试');
  // Bring the deal to "Project initiated" with the next stage's key information in place:
  // only the demo checklist stands between it and "Customer approval".
  const got = await page.request.post('/api/deals/get', { data: { id: dealId } });
  expect(got.status()).toBe(200);
  const [, , kiVersion] = await got.json();
  const info = {
    motivation: '多工厂财务口径不一',
    competitors: '用友、金蝶',
    budgeted: true,
    budget_fen: 120_000_000,
    decision_makers: '总经理、财务总监',
    vendor_pick: '2027-03-15',
    functional_scope: '财务、供应链、生产',
    evaluation_items: '多组织合并报表、批次追溯',
  };
  expect((await page.request.post('/api/deals/key_info', { data: { id: dealId, info, version: kiVersion } })).status()).toBe(200);
  const map = await (await page.request.get(`/api/v1/deals/${dealId}/contacts`)).json();
  const someone = map.people.length ? map.people[0].contact_id : map.candidates[0].id;
  const dm = { contact_id: someone, role: 'decision_maker', influence_pct: 100, attitude: 'supporter', relationship: 4 };
  expect((await page.request.put(`/api/v1/deals/${dealId}/contacts`, { data: { people: [dm] } })).status()).toBe(200);
  const deal = await (await page.request.get(`/api/v1/deals/${dealId}`)).json();
  const pipelines = await (await page.request.get('/api/v1/pipelines')).json();
  const stages = pipelines.find((p: { stages: { id: string }[] }) => p.stages.some((s) => s.id === deal.stage_id)).stages;
  const toStage2 = await page.request.post(`/api/v1/deals/${dealId}/moves`, { data: { to_stage_id: stages[1].id, version: deal.version } });
  expect(toStage2.status()).toBe(200);
  const toStage3 = await page.request.post(`/api/v1/deals/${dealId}/moves`, {
    data: { to_stage_id: stages[2].id, version: (await toStage2.json()).deal.version },
  });
  expect(toStage3.status()).toBe(202);
  const approvalId = (await toStage3.json()).approval_id;
  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await signIn(manager, 'manager@demo.local');
  const decided = await manager.request.post(`/api/v1/approvals/${approvalId}/decision`, { data: { decision: 'approve', comment: '立项通过' } });
  expect(decided.status()).toBe(200);
  await managerContext.close();

  // The presales engineer joins the deal team; the rep attaches the demo checklist.
  const { presalesContext, presales } = await presalesWithDemoChecklist(page, browser, dealId);

  // The rep asks for "Customer approval": blocked on the demo checklist.
  const me = (await (await page.request.post('/api/me')).json()).id;
  await page.goto(`/board?owner=${me}`);
  await hydrated(page);
  const column = (n: number) => page.getByTestId('column').nth(n);
  await expect(column(2).locator(`[data-deal="${dealId}"]`)).toBeVisible();
  await moveVia(page.locator(`[data-deal="${dealId}"]`), 3);
  const panel = page.getByTestId('blocked-panel');
  await expect(panel.locator('[data-missing="checklist.demo"]')).toBeVisible();
  await expect(column(2).locator(`[data-deal="${dealId}"]`)).toBeVisible();

  // The presales engineer ticks every item on the deal page.
  await presales.goto(`/deals/${dealId}?tab=checklists`);
  await hydrated(presales);
  const checklist = presales.getByTestId('checklists').locator('[data-testid="checklist"][data-template="demo"]');
  await expect(checklist).toBeVisible();
  const ticks = checklist.getByTestId('checklist-tick');
  const total = await ticks.count();
  expect(total).toBeGreaterThan(3);
  // One click is one tick: the list is keyed and each tick shows at once, so the boxes are
  // clicked straight down the list while the earlier saves are still on their way.
  for (let i = 0; i < total; i++) {
    await expect(ticks.nth(i)).not.toBeChecked();
    await ticks.nth(i).click();
    await expect(ticks.nth(i)).toBeChecked();
  }
  await expect(checklist.getByTestId('checklist-progress')).toHaveText(`${total}/${total}`);
  // Every tick reached the server: a fresh load shows them all.
  await presales.reload();
  await hydrated(presales);
  await expect(checklist.getByTestId('checklist-progress')).toHaveText(`${total}/${total}`);
  for (let i = 0; i < total; i++) await expect(ticks.nth(i)).toBeChecked();
  await expect(checklist).toHaveClass(/checklist-complete/);
  await presales.screenshot({ path: shots('deal-checklist-done-1440'), fullPage: true });
  await presalesContext.close();

  // Now the same move goes through.
  await page.reload();
  await hydrated(page);
  await moveVia(page.locator(`[data-deal="${dealId}"]`), 3);
  await expect(column(3).locator(`[data-deal="${dealId}"]`)).toBeVisible();
  // The card moves at once (optimistic); the server's answer follows.
  await expect(page.getByTestId('moved-notice')).toBeVisible();
  await expect.poll(async () => (await (await page.request.get(`/api/v1/deals/${dealId}`)).json()).stage_id).toBe(stages[3].id);
});

test('two people on a deal see each other\'s comments live, and a mention rings the bell', async ({ page, browser }) => {
  await signIn(page, 'rep@demo.local');
  const dealId = await newDeal(page, '实时评论测试');
  await page.goto(`/deals/${dealId}?tab=activities`);
  await hydrated(page);
  await expect(page.locator('body[data-live="open"]')).toBeVisible();
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));

  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await signIn(manager, 'manager@demo.local');
  await manager.goto(`/deals/${dealId}?tab=activities`);
  await hydrated(manager);
  await expect(manager.locator('body[data-live="open"]')).toBeVisible();

  const repComments = page.getByTestId('comments');
  const managerComments = manager.getByTestId('comments');
  await repComments.getByTestId('comment-body').fill('客户下周三来总部交流');
  await repComments.getByTestId('comment-post').click();
  await expect(managerComments.getByTestId('comment').filter({ hasText: '客户下周三来总部交流' })).toBeVisible({ timeout: 3_000 });

  await managerComments.getByTestId('comment-body').fill('@rep 请准备演示环境');
  await managerComments.getByTestId('comment-post').click();
  await expect(repComments.getByTestId('comment').filter({ hasText: '请准备演示环境' })).toBeVisible({ timeout: 3_000 });
  await expect(page.getByTestId('notif-count')).toBeVisible({ timeout: 3_000 });
  await page.getByTestId('notif-bell').click();
  await expect(page.getByTestId('notif-item').filter({ hasText: '请准备演示环境' })).toBeVisible();
  // Both arrived without reloading the rep's page.
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(7);
  await managerContext.close();
});

test('on "My checklists" one click is one tick, and a colleague\'s change arrives in place', async ({ page, browser }) => {
  await signIn(page, 'rep@demo.local');
  const dealId = await newDeal(page, '我的清单测试');
  const { presalesContext, presales } = await presalesWithDemoChecklist(page, browser, dealId);

  await presales.goto('/my/checklists');
  await hydrated(presales);
  const card = presales.getByTestId('checklist').filter({ has: presales.locator(`a[href="/deals/${dealId}?tab=checklists"]`) });
  await expect(card).toHaveCount(1);
  const ticks = card.getByTestId('checklist-tick');
  const total = await ticks.count();
  expect(total).toBeGreaterThan(3);
  for (let i = 0; i < 3; i++) {
    await ticks.nth(i).click();
    await expect(ticks.nth(i)).toBeChecked();
  }
  await expect(card.getByTestId('checklist-progress')).toHaveText(`3/${total}`);

  // The rep unticks the second item over REST once the three saves are in: the card follows
  // live, in place (no reload), and the other ticks stay.
  await presales.evaluate(() => ((window as unknown as { marker: number }).marker = 5));
  let second = { id: 0, version: 0, done: false };
  await expect.poll(async () => {
    const lists = await (await page.request.get(`/api/v1/deals/${dealId}/checklists`)).json();
    second = lists[0].items[1];
    return lists[0].done;
  }).toBe(3);
  const untick = await page.request.post(`/api/v1/checklists/items/${second.id}`, { data: { version: second.version, done: false } });
  expect(untick.status()).toBe(200);
  await expect(card.locator(`[data-item="${second.id}"]`).getByTestId('checklist-tick')).not.toBeChecked();
  await expect(card.getByTestId('checklist-progress')).toHaveText(`2/${total}`);
  await expect(ticks.nth(0)).toBeChecked();
  await expect(ticks.nth(2)).toBeChecked();
  expect(await presales.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(5);
  await card.screenshot({ path: shots('my-checklists-card-1440') });
  await presalesContext.close();
});
