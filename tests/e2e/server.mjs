// A tiny static file server for the end-to-end tests: serves a folder (the release build in
// dist/) on 127.0.0.1 at an ephemeral port, with the MIME types browsers insist on
// (application/wasm for streaming compilation, text/javascript for modules).
//
// Extra mounts let a test serve its fixtures beside the app, e.g. { '/__fixtures__/': dir },
// so that `?src=<URL>` can be exercised without leaving the machine.

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

function mimeType(path) {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Resolves a URL path inside `root`, or null when it would escape it. */
function safeJoin(root, urlPath) {
  const full = resolve(join(root, decodeURIComponent(urlPath)));
  return full === root || full.startsWith(root + sep) ? full : null;
}

/**
 * Starts serving `root` on 127.0.0.1. Resolves to { url, port, requests, close }.
 * `requests` lists every path asked for (handy when a test fails). `headers` are added to
 * every successful response (e.g. a Content-Security-Policy); a function receives the path
 * and returns the headers for it.
 */
export async function startServer(root, { mounts = {}, headers = {} } = {}) {
  const base = resolve(root);
  const mountList = Object.entries(mounts).map(([prefix, dir]) => [prefix, resolve(dir)]);
  const requests = [];

  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    requests.push(`${req.method} ${pathname}`);
    let dir = base;
    let rel = pathname;
    for (const [prefix, mountDir] of mountList) {
      if (pathname.startsWith(prefix)) {
        dir = mountDir;
        rel = pathname.slice(prefix.length - 1);
      }
    }
    let file;
    try {
      file = safeJoin(dir, rel);
    } catch {
      file = null; // Malformed percent-encoding.
    }
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(file ? 405 : 400).end();
      return;
    }
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file);
      }
      res.writeHead(200, {
        'Content-Type': mimeType(file),
        'Content-Length': info.size,
        'Cache-Control': 'no-store',
        ...(typeof headers === 'function' ? headers(pathname) : headers),
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    }
  });

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    requests,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

// `node tests/e2e/server.mjs [dir]` serves a folder by hand (default dist/).
if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? 'dist';
  const { url } = await startServer(dir);
  console.log(`serving ${dir} at ${url}`);
}
