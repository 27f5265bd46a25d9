// Sharing: the URL restores the view (persona presets, filters and grouping), back and forward
// walk the views, hostile parameters are refused visibly and never executed, local files are
// not offered as links, and embedding works across origins (height messages, set-view from
// allowed origins only, "open in Loupe", the embed code).
//
//   LOUPE_DIST=dist node --test --test-concurrency=1 tests/e2e/share.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { startServer } from './server.mjs';
import {
  useLoupe, openReady, viewSnapshot, waitTextChange, testIdText, DIST, FIXTURES, PERSONAS, SCREENSHOTS,
} from './harness.mjs';

const t = useLoupe();
const LFI = 'lfi-2026-credits';
const DECP = 'decp-travaux-2024';
const byId = (id) => t.page.locator(`[data-testid="${id}"]`);

/** Reloads the current URL and checks the same view comes back and the URL is kept. */
async function roundTrip(label) {
  const url = t.page.url();
  const before = await viewSnapshot(t.page);
  await t.page.reload({ waitUntil: 'domcontentloaded' });
  await t.loupe.waitReady();
  await t.loupe.waitForChartInk();
  // The view is restored once the data is in: wait for the summary to be there.
  await t.page.waitForFunction((s) => document.querySelector('[data-testid="chart-summary"]')?.textContent.trim() === s, before.summary)
    .catch(() => {});
  const after = await viewSnapshot(t.page);
  assert.deepEqual(after, before, `${label}: view after reload`);
  assert.equal(t.page.url(), url, `${label}: URL after reload`);
  return url;
}

describe('URL round trip', () => {
  for (const persona of PERSONAS) {
    test(`persona ${persona} on ${LFI}`, async () => {
      await openReady(t.loupe, t.url({ src: LFI, persona }));
      await t.loupe.waitForChartInk();
      if (persona === 'citizen') {
        // Not the default question, so that q= matters.
        const second = byId('question').nth(1);
        const before = await testIdText(t.page, 'chart-summary');
        await second.click();
        await waitTextChange(t.page, 'chart-summary', before);
      }
      // The URL follows the view once the app is ready.
      await t.page.waitForFunction(() => new URL(location.href).searchParams.has('view'));
      const url = new URL(t.page.url());
      assert.equal(url.searchParams.get('persona'), persona);
      assert.equal(url.searchParams.get('src'), LFI);
      if (persona === 'citizen') assert.equal(url.searchParams.get('q'), 'plus-grosses-missions');
      await roundTrip(persona);
    });
  }

  test('a power view with a filter and a grouping (set through the UI)', async () => {
    await openReady(t.loupe, t.url({ src: DECP, persona: 'power' }));
    await t.loupe.waitForChartInk();
    await byId('filter-column').selectOption('procedure');
    await byId('value-search').fill('ouvert');
    await byId('value-list').locator('input[type="checkbox"]').first().check();
    await byId('apply-filter').click();
    await byId('filter-chip').first().waitFor();
    await byId('group-by').selectOption(['acheteur_region_code']);
    await byId('group-measure').selectOption('montant');
    await t.page.waitForFunction(() => document.querySelector('[data-testid="group-table"] thead')?.textContent.includes('montant'));
    await byId('chart-kind').selectOption('bar');
    await t.page.waitForFunction(() => new URL(location.href).search.includes('view='));
    const snap = await viewSnapshot(t.page);
    assert.equal(snap.chips.length, 1);
    assert.ok(snap.groupTable, 'group table shown');
    await roundTrip('power with filter and grouping');
    // A fresh browser tab opening the same link shows the same view.
    const link = t.page.url();
    const other = await t.browser.context.newPage();
    await other.goto(link, { waitUntil: 'domcontentloaded' });
    await other.locator('html[data-loupe="ready"]').waitFor({ state: 'attached' });
    await other.waitForFunction((s) => document.querySelector('[data-testid="chart-summary"]')?.textContent.trim() === s, snap.summary)
      .catch(() => {});
    assert.deepEqual(await viewSnapshot(other), snap, 'view opened from the link in a new tab');
    await other.close();
  });

  test('back and forward restore the previous views', async () => {
    await openReady(t.loupe, t.url({ src: DECP, persona: 'power' }));
    await t.loupe.waitForChartInk();
    await t.page.waitForFunction(() => new URL(location.href).searchParams.has('view'));
    const a = await viewSnapshot(t.page);
    const urlA = t.page.url();

    await byId('text-search').fill('Chambon');
    await byId('text-search').press('Enter');
    await byId('filter-chip').first().waitFor();
    await t.page.waitForFunction((u) => location.href !== u, urlA);
    const b = await viewSnapshot(t.page);
    const urlB = t.page.url();

    const before = await testIdText(t.page, 'chart-summary');
    await byId('chart-x').selectOption('procedure');
    await waitTextChange(t.page, 'chart-summary', before);
    await t.page.waitForFunction((u) => location.href !== u, urlB);
    const c = await viewSnapshot(t.page);
    assert.notDeepEqual(b, a);
    assert.notDeepEqual(c, b);

    const expectView = async (want, url, label) => {
      await t.page.waitForFunction((u) => location.href === u, url);
      await t.page.waitForFunction((s) => document.querySelector('[data-testid="chart-summary"]')?.textContent.trim() === s, want.summary)
        .catch(() => {});
      assert.deepEqual(await viewSnapshot(t.page), want, label);
    };
    await t.page.goBack();
    await expectView(b, urlB, 'back once: the filtered view');
    await t.page.goBack();
    await expectView(a, urlA, 'back twice: the first view');
    await t.page.goForward();
    await expectView(b, urlB, 'forward: the filtered view again');
  });
});

describe('hostile parameters', () => {
  test('javascript: src, broken view and unknown persona show a notice and execute nothing', async () => {
    await t.page.goto(`${t.server.url}?src=javascript:alert(1)&view=%%%&persona=admin`, { waitUntil: 'domcontentloaded' });
    const state = await t.loupe.waitSettled();
    const notice = byId('url-notice');
    await notice.waitFor({ state: 'visible' });
    const text = await notice.textContent();
    for (const p of ['src', 'view', 'persona']) assert.ok(text.includes(p), `notice names «${p}»: ${text}`);
    assert.equal(state, 'ready', 'the default dataset opens instead');
    assert.ok(!t.server.requests.some((r) => /javascript|alert/i.test(r)), `requests: ${t.server.requests}`);
    assert.deepEqual(t.browser.problems.dialogs, [], 'no dialog');
  });

  test('markup inside a view (filter values, labels) is shown as text, never run', async () => {
    const evil = '<img src=x onerror=alert(1)>"><script>alert(2)</script>';
    const view = {
      v: 1,
      filters: [{ column: 'mission_label', op: 'in', values: [evil] }],
      chart: { kind: 'ranking', x: 'mission_label', y: 'cp_eur_jo', title: evil },
    };
    const b64 = Buffer.from(JSON.stringify(view)).toString('base64url');
    await openReady(t.loupe, `${t.server.url}?src=${LFI}&persona=power&view=${b64}`);
    const chip = byId('filter-chip').first();
    await chip.waitFor();
    assert.ok((await chip.textContent()).includes('<img src=x'), 'the chip shows the value as text');
    assert.equal(await t.page.locator('img[src="x"], script:not([src])').count(), 0, 'no injected element');
    assert.deepEqual(t.browser.problems.dialogs, [], 'no dialog');
  });
});

describe('local files', () => {
  test('a local file is not offered as a link (journalist)', async () => {
    await openReady(t.loupe, t.url({ src: LFI, persona: 'journalist' }));
    await byId('permalink').waitFor();
    await t.loupe.upload(join(FIXTURES, 'mandats_cp1252.csv'));
    await t.loupe.waitForCounts(5, 4);
    await byId('not-shareable').waitFor({ state: 'visible' });
    assert.equal(await byId('permalink').count(), 0, 'no permalink for a local file');
    assert.equal(await byId('embed-code').count(), 0, 'no embed code for a local file');
    assert.ok(!new URL(t.page.url()).searchParams.get('src')?.includes('mandats'), 'the URL does not name the local file');
  });
});

describe('embedding across origins', () => {
  let loupeServer;
  before(async () => {
    loupeServer = await startServer(DIST);
  });
  after(async () => loupeServer?.close());

  const hostUrl = () => `${t.server.url}embed-example.html?loupe=${encodeURIComponent(`${loupeServer.url}index.html`)}`;
  const frameSummary = (frame) => frame.evaluate(() => document.querySelector('[data-testid="chart-summary"]')?.textContent.trim() ?? null);
  const frameView = (frame) => {
    const v = new URL(frame.url()).searchParams.get('view');
    return v ? JSON.parse(Buffer.from(v, 'base64url').toString('utf8')) : null;
  };
  async function readyFrame(id) {
    const el = t.page.locator(`#${id}`);
    await el.scrollIntoViewIfNeeded(); // The iframes load lazily.
    const handle = await el.elementHandle();
    let frame = await handle.contentFrame();
    await t.page.waitForFunction(async (e) => e.contentWindow && e.getAttribute('src'), handle);
    await frame.waitForFunction(() => document.documentElement.dataset.loupe === 'ready', null, { timeout: 30_000 })
      .catch(async () => { frame = await handle.contentFrame(); await frame.waitForFunction(() => document.documentElement.dataset.loupe === 'ready'); });
    await frame.waitForFunction(() => document.querySelector('[data-testid="chart-summary"]')?.textContent.trim());
    return frame;
  }

  /** Reframes an iframe with new query parameters and waits until its new document is ready.
   * The iframes load lazily, so the frame is scrolled into view first. The old document is
   * marked, so the new one is told apart even when Loupe rewrites its URL (a parameter it does
   * not know, such as `reload`, is dropped); the frame is polled, an evaluate during the
   * navigation may fail and is retried. */
  async function reframe(id, params) {
    const el = t.page.locator(`#${id}`);
    await el.scrollIntoViewIfNeeded();
    const handle = await el.elementHandle();
    await (await handle.contentFrame())?.evaluate(() => { window.__loupeOld = true; }).catch(() => {});
    await t.page.evaluate(([fid, ps]) => {
      const f = document.getElementById(fid);
      const u = new URL(f.src);
      for (const [k, v] of Object.entries(ps)) u.searchParams.set(k, v);
      f.src = u.href;
    }, [id, params]);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const frame = await handle.contentFrame();
      const ok = await frame?.evaluate(() => !window.__loupeOld
          && document.documentElement.dataset.loupe === 'ready'
          && Boolean(document.querySelector('[data-testid="chart-summary"]')?.textContent.trim()))
        .catch(() => false);
      if (ok) return frame;
      if (Date.now() > deadline) throw new Error(`frame ${id} never became ready with ${JSON.stringify(params)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  test('height messages, set-view from the host, open-in-loupe', async () => {
    await t.page.goto(hostUrl(), { waitUntil: 'domcontentloaded' });
    const f1 = await readyFrame('view-1');
    const f2 = await readyFrame('view-2');
    assert.equal(new URL(f1.url()).origin, new URL(loupeServer.url).origin, 'frames are on the other origin');
    await t.page.waitForFunction(() => {
      const items = [...document.querySelectorAll('[data-testid="message-log"] li')].map((li) => li.textContent);
      return items.some((s) => s.startsWith('view-1')) && items.some((s) => s.startsWith('view-2'));
    });
    // The host resizes each iframe from its messages: both leave their initial 400 px.
    const heights = () => t.page.evaluate(() => [...document.querySelectorAll('iframe')].map((f) => f.getAttribute('height')));
    await t.page.waitForFunction(() => [...document.querySelectorAll('iframe')].every((f) => f.getAttribute('height') !== '400'), null, { timeout: 10_000 })
      .catch(() => {});
    const h = await heights();
    assert.ok(h.every((x) => x !== '400'), `iframe heights follow the messages: ${h}`);
    const log = await t.page.locator('[data-testid="message-log"] li').allInnerTexts();
    console.log(`embed: iframe heights ${h.join(", ")}; ${log.length} height messages, e.g. ${log.slice(0, 4).join(" / ")}`);
    for (const [i, id] of ['view-1', 'view-2'].entries()) {
      const last = log.filter((l) => l.startsWith(id)).at(-1);
      assert.ok(last?.endsWith(` ${h[i]}`) || Number(h[i]) === 200, `${id}: last message «${last}» vs height ${h[i]}`);
    }

    const link = f1.locator('[data-testid="open-in-loupe"]');
    const href = await link.getAttribute('href');
    const open = new URL(href);
    assert.equal(open.origin, new URL(loupeServer.url).origin);
    assert.equal(open.searchParams.get('src'), LFI);
    assert.ok(!open.searchParams.has('embed') && !open.searchParams.has('allow'), `open-in-loupe is the full app: ${href}`);
    assert.equal(await link.getAttribute('target'), '_blank');

    const before = await frameSummary(f1);
    assert.notEqual(frameView(f1)?.chart?.kind, 'treemap');
    // Dispatched rather than clicked at coordinates: the iframes above the button resize as
    // their height messages arrive, so a coordinate click can land beside a moving button.
    await t.page.locator('[data-testid="send-set-view"]').dispatchEvent('click');
    // The frame's URL follows its view: wait for the treemap there (the summary sentence of a
    // ranking and of a treemap of the same data may read alike).
    await f1.waitForFunction(() => {
      const v = new URL(location.href).searchParams.get('view');
      return v && JSON.parse(atob(v.replace(/-/g, '+').replace(/_/g, '/'))).chart?.kind === 'treemap';
    });
    const label = await f1.locator('[data-testid="chart"]').getAttribute('aria-label');
    assert.equal(label, await frameSummary(f1), 'canvas label = summary');
    await f1.waitForFunction(() => {
      const v = new URL(location.href).searchParams.get('view');
      if (!v) return false;
      const json = JSON.parse(atob(v.replace(/-/g, '+').replace(/_/g, '/')));
      return json.chart?.kind === 'treemap';
    });
    await t.page.screenshot({ path: join(SCREENSHOTS, 'embed-host-1280.png'), fullPage: true });
    // The second view is untouched.
    assert.notEqual(frameView(f2)?.chart?.kind, 'treemap');
  });

  test('a frame taller than its content shrinks to the content height', async () => {
    await t.page.goto(hostUrl(), { waitUntil: 'domcontentloaded' });
    const normal = await readyFrame('view-1');
    const contentHeight = await normal.evaluate(() => document.body.getBoundingClientRect().height);
    // Reload view-1 in a 1500 px frame: its messages should bring it back to its content.
    await t.page.evaluate(() => {
      document.getElementById('log').replaceChildren();
      document.getElementById('view-1').height = '1500';
    });
    await reframe('view-1', { reload: '1' });
    await t.page.waitForFunction(() => [...document.querySelectorAll('[data-testid="message-log"] li')].some((li) => li.textContent.startsWith('view-1')));
    await t.page.waitForFunction(() => Number(document.getElementById('view-1').getAttribute('height')) < 1500, null, { timeout: 10_000 })
      .catch(() => {});
    const log = await t.page.locator('[data-testid="message-log"] li').allInnerTexts();
    const height = Number(await t.page.locator('#view-1').getAttribute('height'));
    await t.page.screenshot({ path: join(SCREENSHOTS, 'bug-embed-height-1280.png'), fullPage: true });
    assert.ok(
      height < contentHeight + 100,
      `view-1 content is ${Math.round(contentHeight)} px high but the frame stays ${height} px; messages: ${log.join(' / ')}`,
    );
  });

  test('set-view from an origin not in allow= is ignored', async () => {
    await t.page.goto(hostUrl(), { waitUntil: 'domcontentloaded' });
    // Reframe view-1 with an allow-list naming another origin than the host's.
    const f1 = await reframe('view-1', { allow: 'http://127.0.0.1:9' });
    const before = await frameSummary(f1);
    const viewBefore = frameView(f1);
    // Count the set-view messages the frame receives (its own listener runs after Loupe's).
    await f1.evaluate(() => {
      window.__setViews = 0;
      window.addEventListener('message', (e) => { if (e.data?.type === 'loupe:set-view') window.__setViews += 1; });
    });
    await t.page.locator('[data-testid="send-set-view"]').dispatchEvent('click');
    await f1.waitForFunction(() => window.__setViews === 1);
    // Let any render the message could have caused happen.
    await f1.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    assert.equal(await frameSummary(f1), before, 'the chart did not change');
    assert.deepEqual(frameView(f1), viewBefore, 'the view in the frame URL did not change');
  });

  test('the embed code is an <iframe> with a title and embed=1', async () => {
    await openReady(t.loupe, t.url({ src: LFI, persona: 'journalist' }));
    const code = await byId('embed-code').inputValue();
    const parsed = await t.page.evaluate((html) => {
      const doc = new DOMParser().parseFromString(html, 'text/html');
      const frames = doc.body.querySelectorAll('iframe');
      const f = frames[0];
      return {
        count: frames.length,
        others: doc.body.children.length,
        title: f?.getAttribute('title') ?? null,
        src: f?.getAttribute('src') ?? null,
      };
    }, code);
    assert.equal(parsed.count, 1, `one iframe: ${code}`);
    assert.equal(parsed.others, 1, 'nothing else in the code');
    assert.ok(parsed.title && parsed.title.trim().length > 0, 'iframe has a title');
    const src = new URL(parsed.src);
    assert.equal(src.searchParams.get('embed'), '1', `embed=1 in ${parsed.src}`);
    assert.equal(src.searchParams.get('src'), LFI);
    // The code works: its src opens the embedded view.
    await openReady(t.loupe, parsed.src);
    await byId('embed-view').waitFor();
    assert.ok((await t.loupe.waitForChartInk()) > 0, 'embedded chart drawn');
    assert.equal(await byId('persona-switch').count(), 0, 'no app chrome in the embed');
  });
});
