import { expect, test } from '@playwright/test';
import { hydrated, newDeal, shots, signIn } from './helpers';

/** Seed 000's concession ladder: a second price concession larger than the first, given for
 * nothing, is flagged on its row and drawn red; a price below the bottom line waits for the
 * general manager. A session names who sat at the table (from the committee map and the deal
 * team), and text not yet sent survives the general manager's decision reloading the tab. */
for (const [lang, size] of [['en', { width: 1440, height: 900 }], ['zh', { width: 390, height: 844 }]] as const) {
  test(`the ladder warns when a concession grows (${lang})`, async ({ browser }) => {
    const ctx = await browser.newContext({ viewport: size, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
    const page = await ctx.newPage();
    await signIn(page, 'rep4@demo.local');
    const name = `Ladder ${lang} ${Date.now()}`;
    const dealId = await newDeal(page, name);
    // The account's first contact on the committee map, to sit at a session.
    const map = await (await page.request.get(`/api/v1/deals/${dealId}/contacts`)).json();
    const someone = map.people.length ? map.people[0].contact_id : map.candidates[0].id;
    const dm = { contact_id: someone, role: 'decision_maker', influence_pct: 100, attitude: 'supporter', relationship: 3 };
    const put = await page.request.put(`/api/v1/deals/${dealId}/contacts`, { data: { people: [dm] } });
    expect(put.status()).toBe(200);
    const person: string = (await put.json()).people[0].name;
    await page.goto(`/deals/${dealId}?tab=negotiation`);
    await hydrated(page);
    await page.getByTestId('negotiation-start').click();
    await expect(page.getByTestId('negotiation-plan')).toBeVisible();
    await page.getByTestId('n-lowest').fill('2200000');
    await page.getByTestId('n-days').fill('90');
    await page.getByTestId('n-strategy').fill(lang === 'zh' ? '以三年维保换价格' : 'Trade price for a 3-year maintenance term');
    await page.getByTestId('n-save').click();
    await expect(page.getByTestId('n-saved')).toBeVisible();

    // A session: one person from the map, one from the deal team; both named on it.
    await page.getByTestId('session-open').click();
    await page.getByTestId('s-channel').fill(lang === 'zh' ? '客户总部' : 'Customer HQ');
    await page.getByTestId('s-person').filter({ hasText: person }).locator('input').check();
    const member = page.getByTestId('s-member').first();
    const me = (await member.locator('.pick-name').innerText()).trim();
    await member.locator('input').check();
    await page.getByTestId('s-submit').click();
    await expect(page.getByTestId('session')).toHaveCount(1);
    await expect(page.getByTestId('session').first().getByTestId('session-customer')).toHaveText(person);
    await expect(page.getByTestId('session').first().getByTestId('session-ours')).toHaveText(me);

    const concede = async (amount: string, got: string, after: string) => {
      await page.getByTestId('c-clause').selectOption('price');
      await page.getByTestId('c-kind').selectOption('amount');
      await page.getByTestId('c-value').fill(amount);
      await page.getByTestId('c-got').fill(got);
      await page.getByTestId('c-after').fill(after);
      await page.getByTestId('c-submit').click();
    };
    await concede('50000', lang === 'zh' ? '三年维保' : 'three-year maintenance', '2450000');
    await expect(page.getByTestId('concession')).toHaveCount(1);
    await expect(page.getByTestId('concession').first()).toHaveAttribute('data-warnings', '');
    await concede('80000', '', '2370000');
    await expect(page.getByTestId('concession')).toHaveCount(2);
    const second = page.getByTestId('concession').nth(1);
    await expect(second).toHaveAttribute('data-warnings', 'larger_than_previous,nothing_in_return');
    await expect(second.getByTestId('concession-warning').first())
      .toHaveText(lang === 'zh' ? '大于上一次让步' : 'Larger than the previous concession');
    await expect(page.getByTestId('ladder-bar')).toHaveCount(2);
    await expect(page.getByTestId('ladder-bar').nth(1)).toHaveAttribute('data-larger', 'true');
    await expect(page.getByTestId('ladder-bar').nth(0)).toHaveAttribute('data-larger', 'false');

    // Below the bottom line: the concession waits for the general manager, and the result
    // cannot go for confirmation until he decides.
    await concede('60000', lang === 'zh' ? '提前签约' : 'signing this month', '2150000');
    const third = page.getByTestId('concession').nth(2);
    await expect(third).toHaveAttribute('data-warnings', 'crosses_bottom_line');
    await expect(page.getByTestId('ladder-value')).toHaveCount(3);
    const result = lang === 'zh' ? '价格 215 万，付款 60 天' : 'Price ¥2.15m, payment in 60 days';
    await page.getByTestId('n-result').fill(result);
    await page.getByTestId('n-confirm').click();
    await expect(page.getByTestId('confirm-error')).toBeVisible();
    await page.screenshot({ path: shots(`negotiation-${lang}-${size.width}`), fullPage: true });
    // Half a concession typed, not added: it survives the reload too.
    await page.getByTestId('c-value').fill('10000');

    const gm = await browser.newContext({ viewport: size, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
    const gmPage = await gm.newPage();
    await signIn(gmPage, 'gm@demo.local');
    await gmPage.goto('/approvals');
    const row = gmPage.getByTestId('approval').filter({ has: gmPage.getByTestId('approval-negotiation') }).filter({ hasText: name }).filter({ hasText: 'price #3' });
    await expect(row).toHaveCount(1);
    await row.getByTestId('approve').click();
    await expect(third.locator('.gm-approved')).toBeVisible({ timeout: 15_000 });
    // The GM's decision reloaded the tab; the unsent text is still there, and goes as typed.
    await expect(page.getByTestId('n-result')).toHaveValue(result);
    await expect(page.getByTestId('c-value')).toHaveValue('10000');
    await page.getByTestId('n-confirm').click();
    await expect(page.getByTestId('negotiation-status')).toHaveText(lang === 'zh' ? '确认中' : 'Being confirmed');
    await expect(page.getByTestId('confirm-step').first()).toHaveAttribute('data-state', 'pending');
    await expect(page.getByTestId('n-result')).toHaveValue(result);
    await gm.close();
    await ctx.close();
  });
}
