// Strict Content-Security-Policy: the release build, served with the policy below, reaches
// data-loupe="ready" with a drawn chart and reports no violation (securitypolicyviolation
// events, recorded from the first script on, and console errors naming the policy).
//
//   LOUPE_DIST=dist node --test --test-concurrency=1 tests/e2e/csp.test.mjs

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useLoupe, openReady, FIXTURES } from './harness.mjs';
import { join } from 'node:path';

export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; " +
  "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

function recordViolations() {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} ${e.sample ?? ''}`);
  });
}

const t = useLoupe({
  headers: (path) => (/\.html?$|\/$/.test(path) ? { 'Content-Security-Policy': CSP } : {}),
  initScripts: [recordViolations],
});

async function violations() {
  const events = await t.page.evaluate(() => window.__cspViolations ?? ['(recorder missing)']);
  const consoleCsp = t.browser.problems.consoleErrors.filter((m) => /Content Security Policy/i.test(m));
  return { events, consoleCsp };
}

describe('strict CSP', () => {
  for (const [persona, src] of [['citizen', 'lfi-2026-credits'], ['journalist', 'decp-travaux-2024'], ['power', 'communes-population']]) {
    test(`${persona} on ${src}`, async () => {
      const response = await t.page.goto(t.url({ src, persona }), { waitUntil: 'domcontentloaded' });
      assert.equal(response.headers()['content-security-policy'], CSP, 'the page is served with the policy');
      const state = await t.loupe.waitSettled();
      assert.equal(state, 'ready', `data-loupe; page shows ${JSON.stringify(await t.loupe.snapshot())}`);
      assert.ok((await t.loupe.waitForChartInk()) > 0, 'chart is blank');
      // Exercise what sets styles at run time: hover tooltip, table scroll, an upload.
      const box = await t.loupe.chart.boundingBox();
      await t.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      if (persona === 'power') {
        await t.page.locator('[data-testid="table-viewport"]').evaluate((el) => { el.scrollTop = 2000; });
        await t.loupe.upload(join(FIXTURES, 'mandats_cp1252.csv'));
        await t.loupe.waitForCounts(5, 4);
      }
      assert.deepEqual(await violations(), { events: [], consoleCsp: [] }, 'CSP violations');
    });
  }

  test('control: the recorder does see a violation', async () => {
    t.expectConsole(/Content Security Policy/);
    await openReady(t.loupe, t.url({ src: 'lfi-2026-credits' }));
    await t.page.evaluate(() => {
      const div = document.createElement('div');
      div.innerHTML = '<span style="color: red">inline style</span>';
      document.body.append(div);
    });
    await t.page.waitForFunction(() => window.__cspViolations.length > 0);
    const { events } = await violations();
    assert.match(events[0], /style-src/, 'an inline style attribute is reported');
  });

  test('embedded view', async () => {
    await openReady(t.loupe, t.url({ embed: '1', src: 'lfi-2026-credits' }));
    assert.ok((await t.loupe.waitForChartInk()) > 0, 'chart is blank');
    assert.deepEqual(await violations(), { events: [], consoleCsp: [] }, 'CSP violations');
  });
});
