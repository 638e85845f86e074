import { expect, Page, test } from '@playwright/test';
import { hydrated, moveVia, newDeal, shots, signIn } from '../tests/helpers';

// Two app servers on one PostgreSQL (.ci/two_servers.py): A is the config's baseURL, B the
// other process. Live changes cross between them over LISTEN/NOTIFY, never through memory.
const A = process.env.E2E_URL_A!;
const B = process.env.E2E_URL_B!;

const column = (page: Page, n: number) => page.getByTestId('column').nth(n);

async function board(page: Page, server: string, owner: string) {
  await page.goto(`${server}/board?owner=${owner}`);
  await hydrated(page);
  await expect(page.getByTestId('board')).toBeVisible();
  await expect(page.locator('body[data-live="open"]')).toBeVisible();
}

test('a move on A arrives live on B, an approval decided on B unblocks A, one session serves both', async ({ browser }) => {
  expect(new URL(A).port).not.toBe(new URL(B).port);
  const rep = await browser.newContext({ baseURL: A });
  const onA = await rep.newPage();
  await signIn(onA, 'rep@demo.local');
  const me = await onA.request.post('/api/me');
  expect(me.status()).toBe(200);
  const owner = (await me.json()).id;

  // The session made on A is valid on B: same cookie, no second sign-in, the same user.
  const onB = await rep.newPage();
  await board(onB, B, owner);
  await expect(onB.getByTestId('user-chip')).toBeVisible();
  expect((await (await onB.request.post(`${B}/api/me`)).json()).id).toBe(owner);

  // A fresh deal made through A, with what the first gates ask for.
  const dealId = await newDeal(onA, '双机联调 two-server deal');
  const got = await onA.request.post('/api/deals/get', { data: { id: dealId } });
  expect(got.status()).toBe(200);
  const [, , version] = await got.json();
  const info = {
    motivation: '集团要求统一财务口径',
    competitors: '用友、金蝶',
    budgeted: true,
    budget_fen: 120_000_000,
    decision_makers: '总经理、财务总监',
    vendor_pick: '2027-03-15',
  };
  expect((await onA.request.post('/api/deals/key_info', { data: { id: dealId, info, version } })).status()).toBe(200);
  const map = await onA.request.get(`/api/v1/deals/${dealId}/contacts`);
  expect(map.status()).toBe(200);
  const { people, candidates } = await map.json();
  const someone = people.length ? people[0].contact_id : candidates[0].id;
  const dm = { contact_id: someone, role: 'decision_maker', influence_pct: 100, attitude: 'supporter', relationship: 3 };
  expect((await onA.request.put(`/api/v1/deals/${dealId}/contacts`, { data: { people: [dm] } })).status()).toBe(200);

  await board(onA, A, owner);
  await board(onB, B, owner);
  await expect(column(onB, 0).locator(`[data-deal="${dealId}"]`)).toBeVisible();
  await onB.evaluate(() => ((window as unknown as { marker: number }).marker = 7));

  // One stage forward on A: B's board follows without a reload.
  await moveVia(onA.locator(`[data-deal="${dealId}"]`), 1);
  await expect(onA.getByTestId('moved-notice')).toBeVisible();
  await expect(column(onB, 1).locator(`[data-deal="${dealId}"]`)).toBeVisible({ timeout: 5_000 });
  await expect(column(onB, 0).locator(`[data-deal="${dealId}"]`)).toHaveCount(0);

  // Into "Project initiated" needs the manager's approval: asked on A …
  await moveVia(onA.locator(`[data-deal="${dealId}"]`), 2);
  await expect(onA.getByTestId('pending-notice')).toBeVisible();
  await expect(column(onA, 1).locator(`[data-deal="${dealId}"]`).getByTestId('pending-badge')).toBeVisible();
  await expect(column(onB, 1).locator(`[data-deal="${dealId}"]`).getByTestId('pending-badge')).toBeVisible({ timeout: 5_000 });
  await onA.evaluate(() => ((window as unknown as { marker: number }).marker = 9));

  // … decided on B by the manager, in a browser of their own that only ever talks to B.
  const managerContext = await browser.newContext({ baseURL: B });
  const manager = await managerContext.newPage();
  await signIn(manager, 'manager@demo.local');
  await manager.goto('/approvals');
  await hydrated(manager);
  const item = manager.getByTestId('inbox').getByTestId('approval').filter({ hasText: '双机联调' });
  await expect(item).toHaveCount(1);
  await item.getByTestId('approve').click();
  await expect(manager.locator('[data-testid="approval"][data-status="approved"]').first()).toBeVisible();
  await manager.screenshot({ path: shots('two-servers-approved-on-b-1440') });
  await managerContext.close();

  // A's board, never reloaded, shows the deal in "Project initiated"; so does B's.
  await expect(column(onA, 2).locator(`[data-deal="${dealId}"]`)).toBeVisible({ timeout: 5_000 });
  await expect(column(onA, 2).locator(`[data-deal="${dealId}"]`).getByTestId('pending-badge')).toHaveCount(0);
  await expect(column(onB, 2).locator(`[data-deal="${dealId}"]`)).toBeVisible({ timeout: 5_000 });
  expect(await onA.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(9);
  expect(await onB.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(7);
  await onA.screenshot({ path: shots('two-servers-board-a-1440') });

  // Signing out on B ends the session on A too (one session table, not two memories).
  await onB.request.post(`${B}/api/logout`);
  const after = await onA.request.post('/api/me');
  expect(after.status()).toBe(401);
  await rep.close();
});
