// Builds the three Electron bundles from this project's folder names:
// src-main/electron → out/main, src-main/preload → out/preload, src-renderer → out/renderer.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { fileURLToPath } from 'node:url';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const resolve = { alias: { '@shared': path('./src-shared') } };

export default defineConfig({
  main: {
    resolve,
    // registry-worker.js sits beside main.js: the thread that validates registry texts sent by the UI.
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { main: path('./src-main/electron/main.ts'), 'registry-worker': path('./src-main/core/registry/registry-worker.ts') } },
    },
  },
  preload: {
    resolve,
    // A sandboxed preload cannot be an ES module.
    build: { outDir: 'out/preload', rollupOptions: { input: { preload: path('./src-main/preload/preload.ts') }, output: { format: 'cjs' } } },
  },
  renderer: {
    root: 'src-renderer',
    resolve,
    plugins: [react()],
    // The main chunk (React, React Flow, zod) is ~560 kB; xterm loads with the Logs view.
    build: { outDir: path('./out/renderer'), minify: true, chunkSizeWarningLimit: 700, rollupOptions: { input: path('./src-renderer/index.html') } },
  },
});
