import { APIRequestContext, expect, test } from '@playwright/test';
import { hydrated, shots, signIn } from './helpers';

type Stage = { id: string; name: string };

/** A rep4 deal in the ERP pipeline's "Objection handling": the facts and a sent quote got it there. */
async function erpDealInObjectionHandling(request: APIRequestContext, name: string) {
  const token = async (email: string) =>
    (await (await request.post('/api/v1/auth/token', { data: { email, password: 'dealgate' } })).json()).token as string;
  const [tok, mgrTok] = [await token('rep4@demo.local'), await token('manager2@demo.local')];
  const h = (t: string) => ({ Authorization: `Bearer ${t}` });
  const pipelines = await (await request.get('/api/v1/pipelines', { headers: h(tok) })).json();
  const erp = pipelines.find((p: { name: string }) => p.name === 'ERP process');
  const stages: Stage[] = erp.stages;
  const accounts = await (await request.get('/api/v1/accounts?per_page=5', { headers: h(tok) })).json();
  const created = await request.post('/api/v1/deals', { headers: h(tok),
    data: { name, account_id: accounts.accounts[0].id, pipeline_id: erp.id, amount_minor: 320_000_000, expected_close_date: '2027-05-31' } });
  expect(created.status()).toBe(201);
  const deal = await created.json();
  const get = async () => (await request.get(`/api/v1/deals/${deal.id}`, { headers: h(tok) })).json();
  const patched = await request.patch(`/api/v1/deals/${deal.id}`, { headers: h(tok), data: { version: (await get()).version,
    key_info: { motivation: '多工厂协同', evaluation_items: '多组织财务合并', budgeted: true, budget_fen: 300_000_000, decision_makers: '总经理 王总' } } });
  expect(patched.status()).toBe(200);
  const move = async (to: number) => {
    const r = await request.post(`/api/v1/deals/${deal.id}/moves`, { headers: h(tok), data: { to_stage_id: stages[to].id, version: (await get()).version } });
    return { status: r.status(), body: await r.json() };
  };
  for (const to of [1, 2, 3]) expect((await move(to)).status, `to ${stages[to].name}`).toBe(200);
  // The formal quote: approved by the West manager, then sent.
  const q = await (await request.post(`/api/v1/deals/${deal.id}/quotes`, { headers: h(tok),
    data: { lines: [{ description: 'ERP licences', unit: 'lot', quantity: '1', unit_price_minor: 280_000_000 }] } })).json();
  const submitted = await (await request.post(`/api/v1/quotes/${q.id}/submit`, { headers: h(tok), data: { version: q.version } })).json();
  expect((await request.post(`/api/v1/approvals/${submitted.approval_id}/decision`, { headers: h(mgrTok), data: { decision: 'approve' } })).status()).toBe(200);
  expect((await move(4)).status).toBe(200);
  const approved = await (await request.get(`/api/v1/quotes/${q.id}`, { headers: h(tok) })).json();
  expect((await request.post(`/api/v1/quotes/${q.id}/send`, { headers: h(tok), data: { version: approved.version } })).status()).toBe(200);
  expect((await move(5)).status).toBe(200);
  return { id: deal.id as string, toNegotiation: () => move(6) };
}

test('an objection logged in the deal room holds the ERP negotiation until the customer agrees', async ({ browser, request }) => {
  for (const [locale, tag] of [['zh-CN', 'zh'], ['en-US', 'en']] as const) {
    const deal = await erpDealInObjectionHandling(request, `ERP objections (${tag}) ${Date.now()}`);
    const ctx = await browser.newContext({ locale, viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, 'rep4@demo.local');
    await page.goto(`/deals/${deal.id}?tab=objections`);
    await hydrated(page);
    const panel = page.getByTestId('objections-panel');
    await expect(panel.getByTestId('objections-empty')).toBeVisible();

    // Logged through the form; a blank "what the customer said" is refused by name first.
    await panel.getByTestId('objection-new').click();
    const form = panel.getByTestId('objection-form');
    await form.getByTestId('o-category').selectOption('price_too_high');
    await form.getByTestId('objection-save').click();
    await expect(form.getByTestId('objection-error')).toContainText('said');
    await form.getByTestId('o-said').fill('你们比 A 公司贵 20%，预算批不下来。');
    await form.getByTestId('o-demand').fill('总价降到 280 万以内');
    await form.getByTestId('o-due').fill('2027-01-15');
    await form.getByTestId('objection-save').click();
    const item = panel.getByTestId('objection');
    await expect(item).toHaveCount(1);
    await expect(item).toHaveAttribute('data-status', 'open');
    await expect(page.getByTestId('objections-open-count')).toHaveText('1');
    // The deal's timeline says it in words: what happened and the category's name, no code.
    await page.getByTestId('tab-activities').click();
    for (const list of [page.getByTestId('timeline'), page.getByTestId('deal-feed')]) {
      await expect(list.locator('[data-kind="objection_raised"]').first()).toContainText(tag === 'zh' ? '价格太高' : 'Price too high');
      await expect(list).not.toContainText('price_too_high');
    }
    await page.getByTestId('tab-objections').click();
    await expect(panel.getByTestId('objection')).toHaveCount(1);

    // The move to Negotiation is blocked by name while it is open…
    const blocked = await deal.toNegotiation();
    expect(blocked.status).toBe(422);
    expect(blocked.body.missing.map((m: { code: string }) => m.code)).toContain('objection.none_open');

    // …answering needs our response on record, and answered is not yet settled.
    await item.getByTestId('objection-answer').click();
    await expect(panel.getByTestId('objection-step-error')).toContainText('strategy');
    await item.getByTestId('objection-edit').click();
    await form.getByTestId('o-strategy').fill('分期付款：签约 30%，上线 60%，验收 10%');
    await form.getByTestId('objection-save').click();
    await expect(item).toContainText('分期付款');
    await item.getByTestId('objection-answer').click();
    await expect(item).toHaveAttribute('data-status', 'answered');
    expect((await deal.toNegotiation()).status).toBe(422);
    await page.screenshot({ path: shots(`objections-${tag}-1440`), fullPage: true });

    // Resolved with the customer's feedback: the move goes through.
    await item.getByTestId('objection-resolve').click();
    await item.getByTestId('objection-words').fill('客户接受分期方案');
    await item.getByTestId('objection-confirm').click();
    await expect(item).toHaveAttribute('data-status', 'resolved');
    await expect(page.getByTestId('objections-open-count')).toHaveCount(0);
    expect((await deal.toNegotiation()).status).toBe(200);

    // The history says it in words.
    await page.getByTestId('tab-activities').click();
    await expect(page.getByTestId('timeline').locator('[data-kind="objection_resolved"]')).toBeVisible();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('tab-objections').click();
    await expect(item).toBeVisible();
    await page.screenshot({ path: shots(`objections-${tag}-390`), fullPage: true });
    await ctx.close();
  }
});

test('a manager sees which objections cost the team most', async ({ browser }) => {
  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await signIn(page, 'gm@demo.local');
  await page.goto('/forecast');
  await hydrated(page);
  await page.getByTestId('objection-report-link').click();
  const table = page.getByTestId('objection-report');
  await expect(table).toBeVisible();
  // The demo's lost deals dropped a price objection: it leads, with a lost amount.
  const first = table.getByTestId('objection-report-row').first();
  await expect(first).toHaveAttribute('data-category', 'price_too_high');
  const api = await (await page.request.get('/api/v1/objections/report')).json();
  expect(api[0].category).toBe('price_too_high');
  expect(api[0].lost_minor).toBeGreaterThan(0);
  await expect(table.getByTestId('objection-report-row')).toHaveCount(api.length);
  await page.screenshot({ path: shots('objection-report-en-1440'), fullPage: true });
  await ctx.close();
});
