// Starts the engine's Web Worker: loads the worker's wasm-bindgen glue (no-modules target,
// stable names) from the same folder, then instantiates its WebAssembly, whose main()
// installs the message handler and posts "ready". The page's first message holds the module
// it compiled once for all its workers (`web/spawn.rs`: no compile here, and code made hot
// in one worker runs optimised in the next); without one, the file is compiled here.
importScripts('./loupe-worker.js');
self.onmessage = (e) => {
  self.onmessage = null;
  const module = e.data && e.data.module;
  const shared = module instanceof WebAssembly.Module;
  self.loupeModule = shared ? 'shared' : 'own'; // for the tests
  wasm_bindgen({ module_or_path: shared ? module : './loupe-worker_bg.wasm' });
};
