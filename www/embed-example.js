// Host side of the embedding example: builds the two iframe URLs, resizes each iframe from
// its `loupe:height` messages (checking the sender's origin), and sends a `loupe:set-view`.
const params = new URLSearchParams(location.search);
const loupe = new URL(params.get('loupe') ?? './index.html', location.href);
if (!loupe.pathname.endsWith('.html')) loupe.pathname = loupe.pathname.replace(/\/?$/, '/index.html');
const origin = loupe.origin;

function viewUrl(query) {
  const u = new URL(loupe.href);
  u.search = `${query}&embed=1&allow=${encodeURIComponent(location.origin)}`;
  return u.href;
}

const frames = {
  'view-1': viewUrl('?src=lfi-2026-credits&persona=journalist'),
  'view-2': viewUrl('?src=decp-travaux-2024&persona=citizen&q=quelles-procedures'),
};
for (const [id, src] of Object.entries(frames)) document.getElementById(id).src = src;

const log = document.getElementById('log');
window.addEventListener('message', (event) => {
  if (event.origin !== origin) return;
  const data = event.data;
  if (!data || data.type !== 'loupe:height' || typeof data.height !== 'number') return;
  for (const frame of document.querySelectorAll('iframe')) {
    if (frame.contentWindow === event.source) {
      frame.height = String(Math.max(200, Math.ceil(data.height)));
      const item = document.createElement('li');
      item.textContent = `${frame.id}: loupe:height ${Math.ceil(data.height)}`;
      log.append(item);
    }
  }
});

document.getElementById('set-view').addEventListener('click', () => {
  const view = { v: 1, chart: { kind: 'treemap', x: 'mission_label', y: 'cp_eur_jo', unit: '€' }, top: 10 };
  document.getElementById('view-1').contentWindow.postMessage({ type: 'loupe:set-view', view }, origin);
});
