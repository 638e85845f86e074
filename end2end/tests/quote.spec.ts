import { expect, Page, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hydrated, newDeal, shots, signIn } from './helpers';

/** Picks the price-list product whose option text starts with `code`. */
async function pickProduct(page: Page, line: number, code: string) {
  const select = page.getByTestId(`line-${line}-product`);
  const value = await select.locator('option', { hasText: `${code} ·` }).getAttribute('value');
  await select.selectOption(value!);
}

/** Prints the page with Chromium's PDF printer, renders page 1 (and 2) to PNG, returns the page count. */
async function printToPdf(page: Page, name: string): Promise<number> {
  const pdf = `screenshots/${name}.pdf`;
  await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '2', pdf, `screenshots/${name}`]);
  const info = execFileSync('pdfinfo', [pdf]).toString();
  return Number(/Pages:\s+(\d+)/.exec(info)![1]);
}

test('a rep builds a 3-line quote with 12 % off, the GM approves it live, and it prints on A4 in both languages', async ({ browser }) => {
  const repCtx = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
  const rep = await repCtx.newPage();
  await signIn(rep, 'rep4@demo.local');
  const dealId = await newDeal(rep, 'Hangzhou plant ERP (quote test)');
  await rep.goto(`/deals/${dealId}?tab=quotes`);
  await hydrated(rep);
  await rep.getByTestId('new-quote').click();
  await expect(rep).toHaveURL(/\/quotes\/[0-9a-f-]+$/);
  await expect(rep.getByTestId('quote-status')).toHaveText('Draft');
  const quoteId = rep.url().split('/').pop()!;

  // Three lines, typed as in a spreadsheet; the totals follow every keystroke.
  for (let i = 0; i < 3; i++) await rep.getByTestId('add-line').click();
  await pickProduct(rep, 0, 'ERP-FIN');
  await rep.getByTestId('line-0-qty').fill('20');
  await pickProduct(rep, 1, 'SVC-IMPL');
  await rep.getByTestId('line-1-qty').fill('40');
  await rep.getByTestId('line-2-description').click();
  await rep.keyboard.type('Data migration from the legacy system');
  await rep.keyboard.press('Tab');
  await rep.keyboard.type('1');
  await rep.keyboard.press('Tab');
  await rep.keyboard.type('lot');
  await rep.keyboard.press('Tab');
  await rep.keyboard.type('30000');
  // 20 × 12,000 + 40 × 3,000 + 30,000 = 390,000 net; tax 13 % / 6 % / 13 % = 42,300.
  await expect(rep.getByTestId('t-net')).toHaveText('¥390,000.00');
  await expect(rep.getByTestId('t-gross')).toHaveText('¥432,300.00');
  await rep.getByTestId('q-hd-kind').selectOption('percent');
  await rep.getByTestId('q-hd-value').fill('12');
  // 12 % off 390,000 spread over the lines pro rata: tax 27,456 + 6,336 + 3,432.
  await expect(rep.getByTestId('t-net')).toHaveText('¥343,200.00');
  await expect(rep.getByTestId('t-gross')).toHaveText('¥380,424.00');
  await rep.getByTestId('q-payment').fill('30 % on signing, 60 % on go-live, 10 % after acceptance');
  await rep.getByTestId('quote-save').click();
  await expect(rep.getByTestId('quote-saved')).toBeVisible();
  await rep.screenshot({ path: shots('quote-editor-en-1440'), fullPage: true });

  // 12 % is above the manager's 10 %: the request goes to the general manager.
  await rep.getByTestId('quote-submit').click();
  await expect(rep.getByTestId('quote-status')).toHaveText('Awaiting approval');
  await expect(rep.getByTestId('quote-approval')).toContainText('general manager');
  await expect(rep.getByTestId('quote-approval')).toContainText('discount 12 % above the manager');
  const number = (await rep.getByTestId('quote-number').textContent())!;

  // The GM approves from the inbox in a second browser; the rep's page follows live.
  const gmCtx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  const gm = await gmCtx.newPage();
  await signIn(gm, 'gm@demo.local');
  await gm.goto('/approvals');
  await hydrated(gm);
  const item = gm.getByTestId('approval').filter({ hasText: number });
  await expect(item.getByTestId('approval-quote')).toContainText('12');
  await gm.screenshot({ path: shots('quote-inbox-zh-1440') });
  await item.getByTestId('approve').click();
  await expect(rep.getByTestId('quote-status')).toHaveText('Approved');
  await expect(rep.getByTestId('quote-editor')).toHaveCount(0);

  await rep.getByTestId('quote-send').click();
  await expect(rep.getByTestId('quote-status')).toHaveText('Sent');
  await gm.goto(`/quotes/${quoteId}`);
  await hydrated(gm);
  await expect(gm.getByTestId('quote-status')).toHaveText('已发送');
  await gm.screenshot({ path: shots('quote-sent-zh-1440'), fullPage: true });
  await gm.setViewportSize({ width: 390, height: 844 });
  await gm.screenshot({ path: shots('quote-sent-zh-390'), fullPage: true });
  await gm.goto(`/deals/${dealId}?tab=quotes`);
  await hydrated(gm);
  await expect(gm.getByTestId('quote-row').first()).toHaveAttribute('data-status', 'sent');
  await expect(gm.getByTestId('new-quote')).toHaveCount(0);
  await gm.screenshot({ path: shots('deal-quotes-zh-390') });
  await gm.setViewportSize({ width: 1440, height: 900 });
  await rep.screenshot({ path: shots('quote-sent-en-1440'), fullPage: true });
  await rep.setViewportSize({ width: 390, height: 844 });
  await rep.screenshot({ path: shots('quote-sent-en-390'), fullPage: true });

  // The printed quote: English for the rep, Chinese (with the 大写 total) for the GM.
  await rep.goto(`/quotes/${quoteId}/print`);
  await hydrated(rep);
  await expect(rep.getByTestId('sheet-gross')).toHaveText('¥380,424.00');
  await expect(rep.getByTestId('sheet-lines').locator('tbody tr')).toHaveCount(3);
  await expect(rep.getByTestId('sheet-draft')).toHaveCount(0);
  expect(await printToPdf(rep, 'quote-print-en')).toBe(1);
  await gm.goto(`/quotes/${quoteId}/print`);
  await hydrated(gm);
  await expect(gm.getByTestId('sheet-capital')).toHaveText('合计（大写）：人民币叁拾捌万零肆佰贰拾肆元整');
  expect(await printToPdf(gm, 'quote-print-zh')).toBe(1);

  // A 60-line quote runs over two pages and repeats the table header on the second.
  const lines = Array.from({ length: 60 }, (_, i) => ({ description: `Item ${i + 1}: site survey and configuration`, unit: 'lot', quantity: '1', unit_price_minor: 100_000 + i }));
  const long = await rep.request.post(`/api/v1/deals/${dealId}/quotes`, { data: { lines } });
  expect(long.status()).toBe(201);
  await rep.setViewportSize({ width: 1440, height: 900 });
  await rep.goto(`/quotes/${(await long.json()).id}/print`);
  await hydrated(rep);
  await expect(rep.getByTestId('sheet-lines').locator('tbody tr')).toHaveCount(60);
  const pages = await printToPdf(rep, 'quote-print-60-lines');
  expect(pages).toBeGreaterThanOrEqual(2);
  const page2 = execFileSync('pdftotext', ['-f', '2', '-l', '2', 'screenshots/quote-print-60-lines.pdf', '-']).toString();
  expect(page2).toContain('Description');
  expect(page2).toContain('Unit price');
  console.log(`60-line quote: ${pages} A4 pages`);
  await repCtx.close();
  await gmCtx.close();
});

test('the 80 % stage stays closed until a quote is approved', async ({ request }) => {
  const tok = (await (await request.post('/api/v1/auth/token', { data: { email: 'rep4@demo.local', password: 'dealgate' } })).json()).token;
  const gmTok = (await (await request.post('/api/v1/auth/token', { data: { email: 'gm@demo.local', password: 'dealgate' } })).json()).token;
  const mgrTok = (await (await request.post('/api/v1/auth/token', { data: { email: 'manager2@demo.local', password: 'dealgate' } })).json()).token;
  const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
  const pipelines = await (await request.get('/api/v1/pipelines', { headers: auth(tok) })).json();
  const solution = pipelines.find((p: { name: string }) => p.name === 'Solution sale');
  const [approval, negotiation] = [solution.stages[3], solution.stages[4]];
  const list = await (await request.get(`/api/v1/deals?stage_id=${approval.id}&limit=200`, { headers: auth(tok) })).json();
  const deal = list.deals.find((d: { owner: string }) => d.owner === '何斌');
  expect(deal, 'the demo gives rep4 a deal in "Customer approval"').toBeTruthy();
  const move = async () => {
    const d = await (await request.get(`/api/v1/deals/${deal.id}`, { headers: auth(tok) })).json();
    const r = await request.post(`/api/v1/deals/${deal.id}/moves`, { headers: auth(tok), data: { to_stage_id: negotiation.id, version: d.version } });
    return { status: r.status(), body: await r.json() };
  };
  const codes = (b: { missing?: { code: string }[] }) => (b.missing ?? []).map((m) => m.code);
  const before = await move();
  expect(before.status).toBe(422);
  expect(codes(before.body)).toContain('quote.approved');
  const q = await (await request.post(`/api/v1/deals/${deal.id}/quotes`, { headers: auth(tok),
    data: { lines: [{ description: 'Licences', unit: 'lot', quantity: '1', unit_price_minor: 50_000_000 }] } })).json();
  const submitted = await (await request.post(`/api/v1/quotes/${q.id}/submit`, { headers: auth(tok), data: { version: q.version } })).json();
  expect(codes((await move()).body)).toContain('quote.approved');
  // No discount: the West manager approves (the GM cannot decide what is not routed to them).
  const wrong = await request.post(`/api/v1/approvals/${submitted.approval_id}/decision`, { headers: auth(gmTok), data: { decision: 'approve' } });
  expect(wrong.status()).toBe(404);
  const ok = await request.post(`/api/v1/approvals/${submitted.approval_id}/decision`, { headers: auth(mgrTok), data: { decision: 'approve' } });
  expect(ok.status()).toBe(200);
  const after = await move();
  expect(codes(after.body)).not.toContain('quote.approved');
});

test('an admin keeps the price list: a new product is offered on quotes, a deactivated one no longer', async ({ browser }) => {
  for (const [locale, tag] of [['zh-CN', 'zh'], ['en-US', 'en']] as const) {
    const ctx = await browser.newContext({ locale, viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, 'admin@demo.local');
    await page.goto('/admin/products');
    await hydrated(page);
    await expect(page.getByTestId('product-row').first()).toBeVisible();
    await page.screenshot({ path: shots(`price-list-${tag}-1440`), fullPage: true });
    if (tag === 'zh') {
      const form = page.getByTestId('product-form');
      await form.getByTestId('p-code').fill('svc-pm-e2e');
      await form.getByTestId('p-name-en').fill('Project management (e2e)');
      await form.getByTestId('p-name-zh').fill('项目管理（测试）');
      await form.getByTestId('p-kind').selectOption('service_days');
      await form.getByTestId('p-unit-en').fill('day');
      await form.getByTestId('p-unit-zh').fill('天');
      await form.getByTestId('p-price').fill('3500');
      await form.getByTestId('product-save').click();
      await expect(form.getByTestId('product-saved')).toBeVisible();
      // The services rate applies by default; the code is upper-cased.
      await expect(page.getByTestId('product-row').filter({ hasText: 'SVC-PM-E2E' })).toContainText('6 %');
      const offered = async () => (await (await page.request.get('/api/v1/products')).json()).map((p: { code: string }) => p.code);
      expect(await offered()).toContain('SVC-PM-E2E');
      await form.getByTestId('p-active').uncheck();
      await form.getByTestId('product-save').click();
      await expect(page.getByTestId('product-row').filter({ hasText: 'SVC-PM-E2E' })).toHaveClass(/row-muted/);
      expect(await offered()).not.toContain('SVC-PM-E2E');
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: shots(`price-list-${tag}-390`), fullPage: true });
    await ctx.close();
  }
});

test('an admin exports the price list, and an import shows what changes and saves only a clean file', async ({ browser }) => {
  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await ctx.newPage();
  await signIn(page, 'admin@demo.local');
  await page.goto('/admin/products');
  await hydrated(page);
  const panel = page.getByTestId('csv-panel');
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('csv-export').click()]);
  const exported = readFileSync(await download.path(), 'utf8');
  expect(exported.startsWith('\ufeffcode,name_en,name_zh,kind,unit_en,unit_zh,list_price,tax_rate,cost,active\r\n')).toBe(true);
  expect(exported).toContain('ERP-FIN,Finance module licence,财务模块许可,licence,user,用户,12000.00,13,1500.00,yes');

  const header = 'code,name_en,name_zh,kind,unit_en,unit_zh,list_price,tax_rate,cost,active\r\n';
  const upload = (name: string, text: string) =>
    panel.getByTestId('csv-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from('\ufeff' + header + text) });
  const rows = page.getByTestId('product-row');
  const before = await rows.count();

  // A bad row: the preview names it and nothing can be applied.
  await upload('bad.csv', 'E2E-CSV-A,Data migration,数据迁移,service_days,day,人天,"2,800",,1200,yes\r\nE2E-CSV-B,Gateway,网关,hardware,unit,台,-5,,,yes\r\n');
  const report = panel.getByTestId('csv-report');
  await expect(report.getByTestId('csv-counts')).toContainText('Error 1');
  await expect(report.locator('[data-action="error"]')).toContainText('list_price');
  await expect(report.locator('[data-action="create"]')).toContainText('E2E-CSV-A');
  await expect(report.getByTestId('csv-apply')).toHaveCount(0);
  await page.screenshot({ path: shots('price-list-import-error-en-1440'), fullPage: true });

  // Fixed: two new products, previewed, then applied; the table shows them.
  const good = 'E2E-CSV-A,Data migration,数据迁移,service_days,day,人天,"2,800",,1200,yes\r\nE2E-CSV-B,Gateway,网关,hardware,unit,台,5600,,,yes\r\n';
  await upload('good.csv', good);
  await expect(report.getByTestId('csv-counts')).toContainText('New 2');
  await expect(rows).toHaveCount(before);
  await report.getByTestId('csv-apply').click();
  await expect(report.getByTestId('csv-applied')).toBeVisible();
  await expect(rows).toHaveCount(before + 2);
  await expect(rows.filter({ hasText: 'E2E-CSV-A' })).toContainText('6 %');

  // The same file with one price changed: the preview says which column changes.
  await upload('again.csv', good.replace('5600', '5800'));
  await expect(report.locator('[data-action="update"]')).toContainText('list_price');
  await expect(report.getByTestId('csv-counts')).toContainText('Unchanged 1');
  await report.getByTestId('csv-apply').click();
  await expect(rows.filter({ hasText: 'E2E-CSV-B' })).toContainText('5,800.00');
  await page.screenshot({ path: shots('price-list-import-en-1440'), fullPage: true });
  await ctx.close();
});

test('a revision compares with the one before: lines added, removed and changed, totals with the difference', async ({ browser }) => {
  for (const [locale, tag] of [['en-US', 'en'], ['zh-CN', 'zh']] as const) {
    const ctx = await browser.newContext({ locale, viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, 'rep4@demo.local');
    const dealId = await newDeal(page, `Revision diff ${tag} ${Date.now()}`);
    const line = (description: string, quantity: string, price: number) => ({ description, unit: 'lot', quantity, unit_price_minor: price });
    const q = await (await page.request.post(`/api/v1/deals/${dealId}/quotes`,
      { data: { lines: [line('Licences', '10', 1_000_000), line('Training', '2', 300_000)] } })).json();
    const submitted = await (await page.request.post(`/api/v1/quotes/${q.id}/submit`, { data: { version: q.version } })).json();
    const v2 = await page.request.post(`/api/v1/quotes/${q.id}/revise`, { data: { version: submitted.version } });
    expect(v2.status()).toBe(201);
    const draft = await v2.json();
    const saved = await page.request.put(`/api/v1/quotes/${draft.id}`,
      { data: { version: draft.version, lines: [line('Licences', '12', 1_000_000), line('Data migration', '1', 500_000)] } });
    expect(saved.status()).toBe(200);

    await page.goto(`/quotes/${draft.id}`);
    await hydrated(page);
    await page.getByTestId('compare-1').click();
    const diff = page.getByTestId('quote-diff');
    await expect(diff).toContainText(`${q.number} → ${draft.number}`);
    const rows = diff.getByTestId('diff-line');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).toHaveAttribute('data-change', 'changed');
    await expect(rows.nth(0).locator('del')).toContainText(['10 lot', '100,000.00']);
    await expect(rows.nth(0).locator('ins')).toContainText(['12 lot', '120,000.00']);
    await expect(rows.nth(1)).toHaveAttribute('data-change', 'added');
    await expect(rows.nth(2)).toHaveAttribute('data-change', 'removed');
    // Net 106,000.00 → 125,000.00: +19,000.00.
    await expect(diff.getByTestId('diff-total').first()).toContainText('+¥19,000.00');
    await page.screenshot({ path: shots(`quote-diff-${tag}-1440`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: shots(`quote-diff-${tag}-390`), fullPage: true });
    await ctx.close();
  }
});

test('an admin sets who approves quotes; a value out of range is refused with its field named', async ({ browser }) => {
  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await signIn(page, 'admin@demo.local');
  await page.goto('/admin/products');
  await hydrated(page);
  const form = page.getByTestId('policy-form');
  await expect(form.getByTestId('pol-discount')).toHaveValue('10');
  await expect(form.getByTestId('policy-rule')).toContainText('Up to 10 % off list with a margin of at least 20 %');
  await form.getByTestId('pol-discount').fill('150');
  await form.getByTestId('policy-save').click();
  await expect(form.getByTestId('policy-error')).toContainText('manager_max_discount');
  const before = await (await page.request.get('/api/v1/quote-policy')).json();
  expect(before.manager_max_discount_bp).toBe(1000);
  // Saved as it was (other tests rely on the 10 % threshold): the version moves on.
  await form.getByTestId('pol-discount').fill('10');
  await form.getByTestId('policy-save').click();
  await expect(form.getByTestId('policy-saved')).toBeVisible();
  const after = await (await page.request.get('/api/v1/quote-policy')).json();
  expect([after.manager_max_discount_bp, after.version]).toEqual([1000, before.version + 1]);
  await ctx.close();
});
