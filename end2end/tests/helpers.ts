import { expect, Locator, Page } from '@playwright/test';

/** The app sets body[data-hydrated] from an Effect once the WASM has taken over. */
export async function hydrated(page: Page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20_000 });
}

export async function signIn(page: Page, email: string, password = 'dealgate') {
  await page.goto('/login');
  await hydrated(page);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button[type="submit"]');
  await expect(page.getByTestId('user-chip')).toBeVisible();
  await hydrated(page);
}

export const shots = (name: string) => `screenshots/${name}.png`;

/** A fresh deal of the signed-in user through the REST API (the session cookie works there too). */
export async function newDeal(page: Page, name: string): Promise<string> {
  const accounts = await page.request.get('/api/v1/accounts?per_page=5');
  expect(accounts.status()).toBe(200);
  const account = (await accounts.json()).accounts[0].id;
  const res = await page.request.post('/api/v1/deals', {
    data: { name, account_id: account, amount_minor: 250_000_000, expected_close_date: '2027-06-30' },
  });
  expect(res.status()).toBe(201);
  return (await res.json()).id;
}

/** Moves a board card through its ⋯ menu; `n` counts the other stages from 1. */
export async function moveVia(card: Locator, n: number) {
  // A board reloading under a live change (other specs move deals all the time) replaces its
  // cards: a menu opened on the old card closes, and a click there reaches nothing. Open the
  // menu and choose again while the choice could not be clicked, as a person would. Before each
  // new try the deal's history says whether the last click landed anyway (a click can land and
  // still report a failure when the card is redrawn under it): every answered move — moved,
  // blocked, refused or sent for approval — writes a row, and a landed click is never repeated.
  const page = card.page();
  const id = await card.first().getAttribute('data-deal');
  const entries = async () => {
    const r = await page.request.get(`/api/v1/deals/${id}/history?limit=500`);
    expect(r.status()).toBe(200);
    return (await r.json()).history.length as number;
  };
  const before = await entries();
  let tried = false;
  await expect(async () => {
    if (tried && (await entries()) > before) return;
    tried = true;
    if (!(await card.getByTestId('move-menu').isVisible())) await card.getByTestId('card-menu').click({ timeout: 2_000 });
    await card.getByTestId('move-to').nth(n - 1).click({ timeout: 2_000 });
  }).toPass({ timeout: 40_000 });
}

/** A demo deal, visible to the signed-in user, whose committee map has at least five people,
 * some reporting to someone (the demo seeds such maps). */
export async function dealWithFullMap(page: Page): Promise<string> {
  const list = await page.request.get('/api/v1/deals?limit=200');
  expect(list.status()).toBe(200);
  for (const d of (await list.json()).deals) {
    const map = await page.request.get(`/api/v1/deals/${d.id}/contacts`);
    const people = map.status() === 200 ? (await map.json()).people : [];
    if (people.length >= 5 && people.some((p: { reports_to: string | null }) => p.reports_to)) return d.id;
  }
  throw new Error('the demo seeds deals with full maps');
}
