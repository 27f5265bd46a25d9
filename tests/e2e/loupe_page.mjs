// Page object for Loupe's automation contract (README, "Automation contract"). Elements are
// found by data-testid only, and waits are conditions (html[data-loupe="ready"], a count
// reaching a value), never sleeps.

/** Timeout for a dataset to load, in ms: generous because CI machines are shared. */
export const LOAD_TIMEOUT = Number(process.env.LOUPE_E2E_TIMEOUT ?? 30_000);

/** Keeps the digits only: French formatting writes 1 234 with a narrow no-break space. */
export function digits(text) {
  const only = String(text ?? '').replace(/\D/g, '');
  return only === '' ? null : Number(only);
}

export class LoupePage {
  /** @param {import('playwright-core').Page} page @param {string} baseUrl */
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
  }

  byTestId(id) {
    return this.page.locator(`[data-testid="${id}"]`);
  }

  get title() { return this.byTestId('dataset-title'); }
  get rowCount() { return this.byTestId('row-count'); }
  get columnCount() { return this.byTestId('column-count'); }
  get table() { return this.byTestId('data-table'); }
  get chart() { return this.byTestId('chart'); }
  get fileInput() { return this.byTestId('file-input'); }
  get alert() { return this.page.locator('[role="alert"]'); }

  /** Opens the app, optionally with `?src=...`, and waits until it settles. */
  async open({ src } = {}) {
    const url = new URL(this.baseUrl);
    if (src !== undefined) url.searchParams.set('src', src);
    await this.page.goto(url.href, { waitUntil: 'domcontentloaded' });
    return this.waitSettled();
  }

  /** The value of <html data-loupe>: loading, ready or error (null before the app starts). */
  state() {
    return this.page.evaluate(() => document.documentElement.dataset.loupe ?? null);
  }

  /** Waits until data-loupe is ready or error and returns which. */
  async waitSettled(timeout = LOAD_TIMEOUT) {
    await this.page.waitForFunction(
      () => ['ready', 'error'].includes(document.documentElement.dataset.loupe),
      null,
      { timeout },
    );
    return this.state();
  }

  async waitReady(timeout = LOAD_TIMEOUT) {
    await this.page.locator('html[data-loupe="ready"]').waitFor({ state: 'attached', timeout });
  }

  async rows() { return digits(await this.rowCount.textContent()); }
  async columns() { return digits(await this.columnCount.textContent()); }

  /**
   * Waits until the app is ready *and* shows the expected counts (a new dataset replaces the
   * old one without necessarily passing through a state a test could catch). On timeout the
   * error says what the page showed instead.
   */
  async waitForCounts(rows, columns, timeout = LOAD_TIMEOUT) {
    try {
      await this.page.waitForFunction(
        ([r, c]) => {
          const n = (id) => {
            const el = document.querySelector(`[data-testid="${id}"]`);
            const d = (el?.textContent ?? '').replace(/\D/g, '');
            return d === '' ? null : Number(d);
          };
          return (
            document.documentElement.dataset.loupe === 'ready' &&
            n('row-count') === r &&
            n('column-count') === c
          );
        },
        [rows, columns],
        { timeout },
      );
    } catch (err) {
      const seen = await this.snapshot().catch(() => ({}));
      throw new Error(
        `expected ${rows} rows x ${columns} columns and data-loupe=ready; page shows ${JSON.stringify(seen)}`,
        { cause: err },
      );
    }
  }

  /** What the contract elements currently say, for assertions and failure messages. */
  snapshot() {
    return this.page.evaluate(() => {
      const text = (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? null;
      return {
        state: document.documentElement.dataset.loupe ?? null,
        title: text('dataset-title'),
        rows: text('row-count'),
        columns: text('column-count'),
        alert: document.querySelector('[role="alert"]')?.textContent?.trim() ?? null,
      };
    });
  }

  /** Number of body rows in the data table (<tbody><tr>, or ARIA rows after the header). */
  tableRows() {
    return this.table.evaluate((table) => {
      const bodyRows = table.querySelectorAll('tbody tr');
      if (bodyRows.length > 0) return bodyRows.length;
      const ariaRows = table.querySelectorAll('[role="row"]');
      return Math.max(0, ariaRows.length - 1);
    });
  }

  /**
   * How much of the chart is drawn: non-white, non-transparent pixels of its canvas (or of
   * the canvases inside it), or drawn SVG shapes when the chart is SVG.
   */
  chartInk() {
    return this.chart.evaluate((root) => {
      const canvases = root instanceof HTMLCanvasElement ? [root] : [...root.querySelectorAll('canvas')];
      let ink = 0;
      for (const canvas of canvases) {
        if (canvas.width === 0 || canvas.height === 0) continue;
        const ctx = canvas.getContext('2d');
        if (!ctx) continue;
        const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
          if (a > 0 && (r < 250 || g < 250 || b < 250)) ink += 1;
        }
      }
      if (canvases.length === 0) {
        ink = root.querySelectorAll('svg path, svg rect, svg line, svg circle, svg polyline, svg text').length;
      }
      return ink;
    });
  }

  /** Waits until the chart has some ink; returns the amount. */
  async waitForChartInk(timeout = LOAD_TIMEOUT) {
    await this.chart.waitFor({ state: 'attached', timeout });
    const handle = await this.page.waitForFunction(
      (el) => {
        const canvases = el instanceof HTMLCanvasElement ? [el] : [...el.querySelectorAll('canvas')];
        for (const canvas of canvases) {
          if (!canvas.width || !canvas.height) continue;
          const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
          if (!data) continue;
          for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] > 0 && (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250)) return true;
          }
        }
        return canvases.length === 0 && el.querySelector('svg *') !== null;
      },
      await this.chart.elementHandle(),
      { timeout, polling: 100 },
    );
    await handle.dispose();
    return this.chartInk();
  }

  /** Gives the file input a file, as a user picking it would. */
  async upload(path) {
    await this.fileInput.setInputFiles(path);
  }

  async screenshot(path, { width, height }) {
    await this.page.setViewportSize({ width, height });
    await this.page.screenshot({ path, fullPage: true });
  }
}
