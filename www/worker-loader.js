// Starts the engine's Web Worker: loads the worker's wasm-bindgen glue (no-modules target,
// stable names) from the same folder and instantiates its WebAssembly, whose main() installs
// the message handler and posts "ready".
importScripts('./loupe-worker.js');
wasm_bindgen({ module_or_path: './loupe-worker_bg.wasm' });
