import { expect, test } from '@playwright/test';
import { hydrated, shots, signIn } from './helpers';

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

  await page.goto(`/deals/${dealId}`);
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

  await page.goto(`/deals/${dealId}`);
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
  const list = await page.request.get('/api/v1/deals?limit=200');
  expect(list.status()).toBe(200);
  let found: string | undefined;
  for (const d of (await list.json()).deals) {
    const map = await page.request.get(`/api/v1/deals/${d.id}/contacts`);
    if (map.status() === 200 && (await map.json()).people.length >= 5) {
      found = d.id;
      break;
    }
  }
  expect(found, 'the demo seeds deals with full maps').toBeTruthy();
  await page.goto(`/deals/${found}`);
  await hydrated(page);
  const map = page.getByTestId('committee-map');
  expect(await map.getByTestId('map-node').count()).toBeGreaterThanOrEqual(5);
  await map.screenshot({ path: shots('deal-map-1440') });
  await page.screenshot({ path: shots('deal-room-1440'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: shots('deal-room-390'), fullPage: true });
});
