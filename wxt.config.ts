import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

// The extension's sources live in extension/; builds go to dist/extension/<browser>-mv3.
export default defineConfig({
  srcDir: 'extension',
  outDir: 'dist/extension',
  vite: () => ({ plugins: [preact()] }),
});
