// Starts Loupe: loads the wasm-bindgen output (stable names, see Trunk.toml) from the same
// folder as the page. A separate module rather than an inline script, so that the page runs
// under a strict Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval').
import init from './loupe-app.js';

init({ module_or_path: new URL('./loupe-app_bg.wasm', import.meta.url) }).catch((error) => {
  document.documentElement.dataset.loupe = 'error';
  const alert = document.createElement('div');
  alert.setAttribute('role', 'alert');
  alert.className = 'fatal-alert';
  alert.textContent =
    "Loupe n'a pas pu démarrer (WebAssembly indisponible ?) / Loupe could not start (WebAssembly unavailable?): " +
    String(error);
  document.body.prepend(alert);
});
