import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The renderer is built, never served by a dev server in CI; relative asset
// paths let the same bundle load from file:// (Electron) and http (browser mode).
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [svelte()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2048 },
  logLevel: 'warn',
});
