// Accessibility scan with axe-core, for tests that want one (not yet a pass/fail gate):
//
//   const violations = await axeViolations(page, { tags: ['wcag2a', 'wcag2aa'] });
//
// axe-core is injected from node_modules as a script, so nothing is fetched from the network.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe on the page; returns [{ id, impact, help, nodes: [selector, …] }]. */
export async function axeViolations(page, { tags = ['wcag2a', 'wcag2aa'] } = {}) {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (runOnly) => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { runOnly: { type: 'tag', values: runOnly } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, tags);
}
