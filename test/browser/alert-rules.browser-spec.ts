/// <reference lib="dom" />
// Functions passed to page.evaluate run in the browser: DOM types for those.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../utils/test-app';
import { launchChromium, type Browser } from './chromium';

const DIST = join(process.cwd(), 'dist', 'web');

interface ApiRule {
  id: string;
  instrument?: string;
  condition: { type: string; level?: number };
  frequency: string;
  active: boolean;
}
interface ApiEvent {
  id: string;
  rule_id: string;
  instrument: string;
  message: string;
  test: boolean;
}

// The dashboard's alert rule editor and alerts history (DESIGN.md section 13), in Chromium
// against the real app: what the form does must be what the API then holds.
describe('dashboard alert rule editor in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${app.url}${path}`);
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return (await res.json()) as T;
  };
  const rules = async (): Promise<ApiRule[]> =>
    (await api<{ rules: ApiRule[] }>('/api/v1/alerts')).rules;
  const form = () => page.locator('form[aria-label="New alert rule"]');
  const fill = async (values: {
    instrument: string;
    condition: string;
    level: string;
    frequency: string;
  }): Promise<void> => {
    await form().getByLabel('Instrument').selectOption(values.instrument);
    await form().getByLabel('Condition').selectOption(values.condition);
    await form().getByLabel('Level').fill(values.level);
    await form().getByLabel('Frequency').selectOption(values.frequency);
    await form().getByRole('button', { name: 'Add rule' }).click();
  };

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html')))
      throw new Error(
        'no dashboard bundle in dist/web: run `npm run build:web` (npm run test:browser does)',
      );
    app = await startTestApp(
      // Access control off (one implicit owner): the page and these API reads are the same owner's.
      { INSTRUMENTS: 'GBP_USD,USD_JPY,EUR_USD', AUTH_MODE: 'off', PRICE_STREAM_ENABLED: 'false' },
      'browser_alerts',
    );
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(`${app.url}/#alerts`, { waitUntil: 'load' });
    await form().waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  }, 60_000);

  it('creates a price rule from the form and lists it as the API holds it', async () => {
    await fill({
      instrument: 'EUR_USD',
      condition: 'price_cross_above',
      level: '1.095',
      frequency: 'once',
    });
    const item = page.locator('#alerts li[data-rule]');
    await item.first().waitFor();
    const stored = await rules();
    expect(stored).toEqual([
      expect.objectContaining({
        instrument: 'EUR_USD',
        condition: { type: 'price_cross_above', level: 1.095 },
        frequency: 'once',
        active: true,
      }),
    ]);
    expect(await item.getAttribute('data-rule')).toBe(stored[0].id);
    expect(await item.innerText()).toMatch(/price_cross_above 1\.095/);
    // The form is ready for the next rule.
    expect(await form().getByLabel('Level').inputValue()).toBe('');
  });

  it('shows a validation error naming the bad field, and creates nothing', async () => {
    await fill({
      instrument: 'USD_JPY',
      condition: 'rsi_above',
      level: '150',
      frequency: 'once_per_bar',
    });
    const alert = page.locator('#alerts [role="alert"]');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('condition.level must be from 0 to 100');
    // Not a number: Number('abc') would go out as JSON null (and the API once stored level null).
    await fill({
      instrument: 'USD_JPY',
      condition: 'rsi_above',
      level: 'abc',
      frequency: 'once_per_bar',
    });
    await page.waitForFunction(
      () =>
        document
          .querySelector('#alerts [role="alert"]')
          ?.textContent?.includes('level must be a number') ?? false,
    );
    expect(await rules()).toHaveLength(1);
  });

  it('delivers a test event from the list, and the history shows what the API has', async () => {
    const [rule] = await rules();
    await page
      .locator(`#alerts li[data-rule="${rule.id}"]`)
      .getByRole('button', { name: 'Test' })
      .click();
    const history = page.locator('#alerts ol.feed').last().locator('li');
    await history.first().waitFor();
    const events = (await api<{ events: ApiEvent[] }>('/api/v1/alerts/events')).events;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ rule_id: rule.id, instrument: 'EUR_USD', test: true });
    expect(await history.count()).toBe(events.length);
    expect(await history.first().innerText()).toContain(events[0].message);
  });

  it('deletes the rule from the list; its history stays', async () => {
    const [rule] = await rules();
    await page
      .locator(`#alerts li[data-rule="${rule.id}"]`)
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.locator(`#alerts li[data-rule="${rule.id}"]`).waitFor({ state: 'detached' });
    expect(await rules()).toEqual([]);
    await page.locator('#alerts').getByText('No rules yet.').waitFor();
    expect((await api<{ events: ApiEvent[] }>('/api/v1/alerts/events')).events).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
