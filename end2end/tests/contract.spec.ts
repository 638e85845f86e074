import { Browser, expect, test } from '@playwright/test';
import { hydrated, newDeal, shots, signIn } from './helpers';

// The receivables test counts what waits for legal while the paper-trail test puts a contract
// in front of legal: the two run one after the other, never side by side.
test.describe.configure({ mode: 'default' });

const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };
type Stage = { id: string; kind: string };

/** The figure a Money element carries in its title: ¥1,234.56. */
const exact = (fen: number) => `¥${Math.floor(fen / 100).toLocaleString('en-US')}.${String(fen % 100).padStart(2, '0')}`;

/** A signed-in browser of its own on `path`, hydrated and listening for live changes. */
async function open(browser: Browser, email: string, locale: string, path: string) {
  const ctx = await browser.newContext({ locale, viewport: desktop });
  const page = await ctx.newPage();
  await signIn(page, email);
  await page.goto(path);
  await hydrated(page);
  await expect(page.locator('body[data-live="open"]')).toBeVisible();
  return { ctx, page };
}

test('the contracts list shows receivables by age with a drill and a CSV; legal finds what waits for them', async ({ browser }) => {
  test.setTimeout(90_000);
  for (const [locale, tag, viewport] of [['en-US', 'en', desktop], ['zh-CN', 'zh', phone]] as const) {
    const gmCtx = await browser.newContext({ locale, viewport });
    const gm = await gmCtx.newPage();
    await signIn(gm, 'gm@demo.local');
    await gm.goto('/contracts');
    await hydrated(gm);
    const card = gm.getByTestId('receivables');
    await expect(card).toBeVisible();

    // The demo's contract signed four months ago: its delivery payment is 45 days late.
    const summary = await (await gm.request.get('/api/v1/receivables')).json();
    expect(summary.d31_90_minor).toBeGreaterThan(0);
    const late = card.getByTestId('recv-31_90');
    await expect(late).toHaveClass(/kpi-danger/);
    await expect(late.locator('.money')).toHaveAttribute('title', exact(summary.d31_90_minor));
    await late.click();
    const owed = await (await gm.request.get('/api/v1/receivables/milestones?bucket=31_90')).json();
    expect(owed.length).toBeGreaterThanOrEqual(1);
    const rows = card.getByTestId('recv-rows').getByTestId('recv-row');
    await expect(rows).toHaveCount(owed.length);
    await expect(rows.first()).toContainText(owed[0].number);

    // Per team: the GM sees every team (so the table shows); the late payment's team has a row
    // whose overdue figure is everything its milestones past due still owe.
    await expect(card.getByTestId('recv-teams')).toBeVisible();
    const teams = card.getByTestId('recv-teams').getByTestId('recv-team');
    expect(await teams.count()).toBeGreaterThanOrEqual(2);
    const overdue: { team: string; due_minor: number; received_minor: number }[] =
      await (await gm.request.get('/api/v1/receivables/milestones?bucket=overdue')).json();
    const lateTeam = owed[0].team;
    const teamOverdue = overdue.filter((m) => m.team === lateTeam).reduce((n, m) => n + m.due_minor - m.received_minor, 0);
    expect(teamOverdue).toBeGreaterThanOrEqual(owed[0].due_minor - owed[0].received_minor);
    const teamRow = teams.filter({ has: gm.locator(`td[title="${lateTeam}"]`) });
    await expect(teamRow).toHaveCount(1);
    await expect(teamRow.getByTestId('recv-team-overdue').locator('.money')).toHaveAttribute('title', exact(teamOverdue));
    await gm.screenshot({ path: shots(`contracts-${tag}-${viewport.width}`), fullPage: true });

    // The same milestones as a CSV: a header of ten columns, then one line each.
    const csv = card.getByTestId('recv-csv');
    await expect(csv).toHaveAttribute('href', /receivables\.csv\?bucket=31_90$/);
    const res = await gm.request.get((await csv.getAttribute('href'))!);
    expect(res.status()).toBe(200);
    const lines = (await res.text()).replace(/^\ufeff/, '').split('\r\n').filter((l) => l !== '');
    expect(lines[0].split(',')).toHaveLength(10);
    expect(lines).toHaveLength(owed.length + 1);
    expect(lines[1]).toContain(owed[0].number);

    // Signed only: every row says so, as many as the API lists.
    const signed = await (await gm.request.get('/api/v1/contracts?status=signed')).json();
    expect(signed.length).toBeGreaterThanOrEqual(1);
    await gm.getByTestId('f-status').selectOption('signed');
    await expect(gm).toHaveURL(/\/contracts\?status=signed$/);
    await expect(gm.getByTestId('contract-row')).toHaveCount(signed.length);
    await expect(gm.locator('[data-testid="contract-row"]:not([data-status="signed"])')).toHaveCount(0);
    await gmCtx.close();

    // Legal: "waiting for me" is the demo contract the manager passed on, and it is in the inbox.
    const legalCtx = await browser.newContext({ locale, viewport });
    const legal = await legalCtx.newPage();
    await signIn(legal, 'legal@demo.local');
    await legal.goto('/contracts');
    await hydrated(legal);
    const mine = await (await legal.request.get('/api/v1/contracts?mine=true')).json();
    expect(mine.map((c: { status: string; waiting_for: string }) => [c.status, c.waiting_for])).toEqual([['in_review', 'legal']]);
    await legal.getByTestId('f-mine').check();
    await expect(legal).toHaveURL(/\/contracts\?mine=1$/);
    const row = legal.getByTestId('contract-row');
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-status', 'in_review');
    await expect(row).toContainText(mine[0].number);
    await legal.goto('/approvals');
    await hydrated(legal);
    const item = legal.getByTestId('inbox').getByTestId('approval').filter({ hasText: mine[0].number });
    await expect(item.getByTestId('approval-contract')).toContainText('(2/3)');
    await legal.screenshot({ path: shots(`contracts-legal-inbox-${tag}-${viewport.width}`), fullPage: true });
    await legalCtx.close();
  }
});

test("a rep's home shows what their own signed contracts still owe, the overdue part first", async ({ browser }) => {
  // The demo's signed contract, paid late, is on a deal rep@ owns (East).
  const ctx = await browser.newContext({ locale: 'en-US', viewport: desktop });
  const rep = await ctx.newPage();
  await signIn(rep, 'rep@demo.local');
  await rep.goto('/');
  await hydrated(rep);
  const me = (await rep.getByTestId('user-chip').locator('.user-name').textContent())!.trim();
  const overdue: { owner: string; due_minor: number; received_minor: number }[] =
    await (await rep.request.get('/api/v1/receivables/milestones?bucket=overdue')).json();
  const mine = overdue.filter((m) => m.owner === me);
  expect(mine.length).toBeGreaterThanOrEqual(1);
  const tile = rep.getByTestId('my-receivables');
  await expect(tile).toBeVisible();
  // rep@'s saved language may be Chinese (shell.spec switches it): the title in either.
  const en = (await rep.locator('html').getAttribute('lang')) !== 'zh-CN';
  await expect(tile).toContainText(en ? 'My receivables' : '我的应收');
  const late = mine.reduce((n, m) => n + m.due_minor - m.received_minor, 0);
  await expect(tile.getByTestId('my-recv-overdue').locator('.money')).toHaveAttribute('title', exact(late));
  await expect(tile.getByTestId('my-recv-overdue')).toHaveClass(/text-danger/);
  await expect(tile.getByTestId('my-recv-count')).toHaveText(String(mine.length));
  await expect(tile.getByTestId('my-recv-link')).toHaveAttribute('href', '/contracts?overdue=1');
  await rep.screenshot({ path: shots('home-rep-receivables-en-1440'), fullPage: true });
  await tile.getByTestId('my-recv-link').click();
  await expect(rep).toHaveURL(/\/contracts\?overdue=1$/);
  await expect(rep.getByTestId('f-overdue')).toBeChecked();
  await ctx.close();
});

test('a contract from the accepted quote passes manager, legal and GM live, holds Won until signed, then takes a receipt', async ({ browser, request }) => {
  test.setTimeout(120_000);
  // rep4 is on the West team: manager2@ decides its manager steps (manager@'s inbox stays as it is).
  // The accepted quote is set up over REST.
  const repCtx = await browser.newContext({ locale: 'en-US', viewport: desktop });
  const rep = await repCtx.newPage();
  await signIn(rep, 'rep4@demo.local');
  const dealId = await newDeal(rep, `Chengdu plant ERP (contract test) ${Date.now()}`);
  const api = rep.request;
  const created = await api.post(`/api/v1/deals/${dealId}/quotes`,
    { data: { lines: [{ description: 'ERP licences and implementation', unit: 'lot', quantity: '1', unit_price_minor: 180_000_000 }] } });
  expect(created.status()).toBe(201);
  const q = await created.json();
  const submitted = await (await api.post(`/api/v1/quotes/${q.id}/submit`, { data: { version: q.version } })).json();
  expect(submitted.approver).toBe('manager'); // no discount: within the West manager's limit
  const mgrTok = (await (await request.post('/api/v1/auth/token', { data: { email: 'manager2@demo.local', password: 'dealgate' } })).json()).token;
  const decided = await request.post(`/api/v1/approvals/${submitted.approval_id}/decision`, { headers: { Authorization: `Bearer ${mgrTok}` }, data: { decision: 'approve' } });
  expect(decided.status()).toBe(200);
  const sent = await api.post(`/api/v1/quotes/${q.id}/send`, { data: { version: (await (await api.get(`/api/v1/quotes/${q.id}`)).json()).version } });
  expect(sent.status()).toBe(200);
  // Accepted without touching the deal's amount: signing the contract sets it.
  const accepted = await api.post(`/api/v1/quotes/${q.id}/accept`, { data: { version: (await sent.json()).version, set_deal_amount: false } });
  expect(accepted.status()).toBe(200);

  // The deal's contract tab drafts it from the quote, with the shipped 30/60/10 split.
  await rep.goto(`/deals/${dealId}?tab=contract`);
  await hydrated(rep);
  await rep.getByTestId('contracts-panel').getByTestId('new-contract').click();
  await expect(rep).toHaveURL(/\/contracts\/[0-9a-f-]+$/);
  await expect(rep.getByTestId('contract-status')).toHaveText('Draft');
  const contractId = rep.url().split('/').pop()!;
  const number = (await rep.getByTestId('contract-number').textContent())!.trim();
  expect(number).toMatch(/^HT-\d{9,}$/);
  const editor = rep.getByTestId('contract-editor');
  const shares = editor.getByTestId('m-share');
  await expect(editor.getByTestId('milestone-row')).toHaveCount(3);
  await expect(shares.nth(0)).toHaveValue('30 %');
  await expect(shares.nth(1)).toHaveValue('60 %');
  await expect(shares.nth(2)).toHaveValue('10 %');

  // 50 + 60 + 10 is more than the whole: refused, naming the milestones; 30 % again saves.
  await shares.nth(0).fill('50 %');
  await editor.getByTestId('contract-save').click();
  await expect(editor.getByTestId('contract-save-error')).toContainText('milestones');
  await shares.nth(0).fill('30 %');
  await editor.getByTestId('contract-save').click();
  await expect(editor.getByTestId('contract-saved')).toBeVisible();
  await expect(editor.getByTestId('contract-save-error')).toHaveCount(0);

  await rep.getByTestId('contract-submit').click();
  await expect(rep.getByTestId('contract-status')).toHaveText('In review');
  const steps = rep.getByTestId('chain-step');
  await expect(steps).toHaveCount(3);
  await expect(steps.nth(0)).toHaveAttribute('data-state', 'pending');
  await expect(rep.locator('body[data-live="open"]')).toBeVisible();

  // Legal (in Chinese) and the GM are waiting before the manager decides.
  const legal = await open(browser, 'legal@demo.local', 'zh-CN', `/contracts/${contractId}`);
  const [lp, legalSteps] = [legal.page, legal.page.getByTestId('chain-step')];
  await expect(lp.getByTestId('contract-status')).toHaveText('审批中');
  await expect(legalSteps.nth(1)).toHaveAttribute('data-state', 'waiting');
  await expect(lp.getByTestId('contract-decide')).toHaveCount(0);
  await lp.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  const gm = await open(browser, 'gm@demo.local', 'en-US', '/approvals');

  const mgr = await open(browser, 'manager2@demo.local', 'en-US', `/contracts/${contractId}`);
  await mgr.page.getByTestId('contract-comment').fill('Terms as quoted');
  await mgr.page.getByTestId('contract-approve').click();
  await expect(mgr.page.getByTestId('chain-step').nth(0)).toHaveAttribute('data-state', 'approved');
  await mgr.ctx.close();

  // Legal's page turns to its step by itself, without a reload.
  await expect(legalSteps.nth(1)).toHaveAttribute('data-state', 'pending', { timeout: 15_000 });
  await expect(lp.getByTestId('contract-decide')).toBeVisible();
  expect(await lp.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);
  const inbox = await legal.ctx.newPage();
  await inbox.goto('/approvals');
  await hydrated(inbox);
  const legalItem = inbox.getByTestId('inbox').getByTestId('approval').filter({ hasText: number });
  await expect(legalItem.getByTestId('approval-contract')).toContainText('(2/3)');
  await inbox.screenshot({ path: shots('contract-inbox-legal-zh-1440'), fullPage: true });
  await inbox.close();

  // A rejection needs its reason; legal approves with an opinion instead.
  await lp.getByTestId('contract-reject').click();
  await expect(lp.getByTestId('decide-error')).toContainText('comment');
  await expect(legalSteps.nth(1)).toHaveAttribute('data-state', 'pending');
  await lp.getByTestId('contract-comment').fill('违约责任与验收条款已核对，同意。');
  await lp.getByTestId('contract-approve').click();
  await expect(legalSteps.nth(1)).toHaveAttribute('data-state', 'approved');
  await expect(legalSteps.nth(1)).toContainText('违约责任与验收条款已核对');
  await expect(lp.getByTestId('contract-decide')).toHaveCount(0);

  // The GM decides the last step from the inbox; the rep's page follows live.
  const gmItem = gm.page.getByTestId('inbox').getByTestId('approval').filter({ hasText: number });
  await expect(gmItem.getByTestId('approval-contract')).toContainText('(3/3)');
  await gmItem.getByTestId('approve').click();
  await expect(rep.getByTestId('contract-status')).toHaveText('Approved');
  await expect(steps.nth(2)).toHaveAttribute('data-state', 'approved');
  await gm.ctx.close();
  // Each decision rang the requester's bell, with the approver's words.
  await rep.getByTestId('notif-bell').click();
  const heard = rep.getByTestId('notif-item').filter({ hasText: number });
  await expect(heard.filter({ hasText: 'Terms as quoted' })).toContainText('Approved:');
  await expect(heard.filter({ hasText: '违约责任与验收条款已核对' })).toBeVisible();
  await rep.getByTestId('notif-bell').click();

  // Approved is not enough for Won. From the first stage the gate checks every requirement on
  // the way (key information, map, checklist, quote) and Won's own in one go, and blocks
  // before it would ask for the skip's approval: the signed contract is among what is missing.
  const deal = await (await api.get(`/api/v1/deals/${dealId}`)).json();
  const pipelines: { stages: Stage[] }[] = await (await api.get('/api/v1/pipelines')).json();
  const won = pipelines.find((p) => p.stages.some((s) => s.id === deal.stage_id))!.stages.find((s) => s.kind === 'won')!;
  const toWon = async () => {
    const d = await (await api.get(`/api/v1/deals/${dealId}`)).json();
    const r = await api.post(`/api/v1/deals/${dealId}/moves`, { data: { to_stage_id: won.id, version: d.version } });
    const body = await r.json();
    return { status: r.status(), outcome: body.outcome, codes: (body.missing ?? []).map((m: { code: string }) => m.code) };
  };
  const before = await toWon();
  expect([before.status, before.outcome]).toEqual([422, 'blocked']);
  expect(before.codes).toContain('contract.signed');

  // Signed: locked, and the deal's amount becomes the contract's.
  const k = await (await api.get(`/api/v1/contracts/${contractId}`)).json();
  expect(deal.amount_minor).toBe(250_000_000);
  expect(k.amount_minor).not.toBe(deal.amount_minor);
  const sign = rep.getByTestId('contract-sign');
  await sign.getByTestId('k-signatory').fill('张总 (Zhang, CEO)');
  await sign.getByTestId('k-method').selectOption('e_seal');
  await sign.getByTestId('contract-sign-submit').click();
  await expect(rep.getByTestId('contract-status')).toHaveText('Signed');
  await expect(lp.getByTestId('contract-status')).toHaveText('已签署');
  expect((await (await api.get(`/api/v1/deals/${dealId}`)).json()).amount_minor).toBe(k.amount_minor);
  const after = await toWon();
  expect([after.status, after.outcome]).toEqual([422, 'blocked']);
  expect(after.codes).not.toContain('contract.signed');

  // Receipts: never more than is due on the milestone; ¥100,000 against the down payment.
  const m1: number = k.milestones[0].amount_minor;
  expect(m1).toBeGreaterThan(10_000_000);
  const form = rep.getByTestId('receipt-form');
  await expect(form.getByTestId('r-milestone')).toHaveValue('1');
  await form.getByTestId('r-amount').fill(((m1 + 100) / 100).toFixed(2));
  await form.getByTestId('r-submit').click();
  await expect(rep.getByTestId('receipt-error')).toContainText('amount');
  await expect(rep.getByTestId('receipts')).toHaveCount(0);
  await form.getByTestId('r-amount').fill('100000');
  await form.getByTestId('r-reference').fill('ICBC-20270115-0042');
  await form.getByTestId('r-submit').click();
  await expect(rep.getByTestId('receipts').locator('li')).toHaveCount(1);
  await expect(rep.getByTestId('receipt-error')).toHaveCount(0);
  await expect(rep.getByTestId('milestone').first().getByTestId('m-received')).toContainText('¥100,000');
  expect((await (await api.get(`/api/v1/contracts/${contractId}`)).json()).received_minor).toBe(10_000_000);
  await rep.screenshot({ path: shots('contract-en-1440'), fullPage: true });

  // Legal's page has followed all along: signed, with the receipt, in Chinese.
  await expect(lp.getByTestId('receipts').locator('li')).toHaveCount(1);
  await expect(lp.getByTestId('milestone').first().getByTestId('m-received')).toContainText('¥10.00万');
  await lp.setViewportSize(phone);
  await lp.screenshot({ path: shots('contract-zh-390'), fullPage: true });
  await legal.ctx.close();
  await repCtx.close();
});
