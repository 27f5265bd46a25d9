// Accessibility: an axe-core scan (WCAG 2 A/AA) of each persona page and of the embedded view
// fails on serious or critical violations (all violations are printed for the report); the
// keyboard reaches the persona switch, the guided questions and the chart controls, and the
// focus is visible.
//
//   LOUPE_DIST=dist node --test --test-concurrency=1 tests/e2e/a11y.test.mjs

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { axeViolations } from './axe.mjs';
import { useLoupe, openReady, PERSONAS } from './harness.mjs';

const t = useLoupe();
const LFI = 'lfi-2026-credits';

function report(label, violations) {
  if (violations.length === 0) {
    console.log(`axe ${label}: no violation`);
    return;
  }
  for (const v of violations) {
    console.log(`axe ${label}: [${v.impact}] ${v.id} — ${v.help} — ${v.nodes.length} node(s): ${v.nodes.slice(0, 6).join(' | ')}`);
  }
}

async function scan(label) {
  await t.loupe.waitForChartInk();
  const violations = await axeViolations(t.page, { tags: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
  report(label, violations);
  const grave = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(grave.map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).join(' | ')}`), [], `${label}: serious or critical axe violations`);
}

describe('axe-core', () => {
  for (const persona of PERSONAS) {
    test(`persona ${persona} on ${LFI}`, async () => {
      await openReady(t.loupe, t.url({ src: LFI, persona }));
      // Open the folded parts too, so that they are scanned.
      await t.page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      await scan(persona);
    });
  }

  test('embedded view', async () => {
    await openReady(t.loupe, t.url({ embed: '1', src: LFI }));
    await t.page.locator('[data-testid="embed-view"]').waitFor();
    await scan('embed');
  });
});

/**
 * Presses Tab until every wanted element has had the focus (or `max` presses); returns, per
 * wanted key, how the focus looked when it got there.
 */
async function tabThrough(wanted, max = 250) {
  const found = {};
  for (let i = 0; i < max && Object.keys(found).length < wanted.length; i += 1) {
    await t.page.keyboard.press('Tab');
    const info = await t.page.evaluate((keys) => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const key = keys.find((k) => el.matches(k));
      if (!key) return null;
      const cs = getComputedStyle(el);
      return {
        key,
        focusVisible: el.matches(':focus-visible'),
        outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`,
        outlineShown: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0,
        boxShadow: cs.boxShadow,
        text: (el.textContent || el.getAttribute('aria-label') || el.id || '').trim().slice(0, 40),
      };
    }, wanted);
    if (info && !found[info.key]) found[info.key] = info;
  }
  return found;
}

describe('keyboard', () => {
  const cases = {
    citizen: ['[data-testid="persona-switch"] button', '[data-testid="question"]'],
    journalist: ['[data-testid="persona-switch"] button', '[data-testid="chart-kind"]', '[data-testid="export-csv"]'],
    power: ['[data-testid="persona-switch"] button', '[data-testid="chart-kind"]', '[data-testid="filter-column"]'],
  };
  for (const [persona, wanted] of Object.entries(cases)) {
    test(`${persona}: Tab reaches ${wanted.length} controls with a visible focus`, async () => {
      await openReady(t.loupe, t.url({ src: LFI, persona }));
      await t.loupe.waitForChartInk();
      const found = await tabThrough(wanted);
      for (const key of wanted) {
        assert.ok(found[key], `Tab never reached ${key}`);
        const f = found[key];
        assert.ok(f.focusVisible, `${key} is not :focus-visible after Tab`);
        assert.ok(f.outlineShown || (f.boxShadow && f.boxShadow !== 'none'), `${key} has no visible focus (outline ${f.outline}, box-shadow ${f.boxShadow})`);
      }
      console.log(`keyboard ${persona}: ${Object.values(found).map((f) => `${f.key} «${f.text}» outline ${f.outline}`).join('; ')}`);
    });
  }
});
