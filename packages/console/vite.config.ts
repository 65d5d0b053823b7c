import { defineConfig, type Plugin } from 'vite';

const EMPTY = '\0realmgate-console-empty';

/**
 * The client reaches a Unix socket through undici in Node only (its package.json says so in
 * `browser`); a browser never loads that module, so it is built as an empty one.
 */
function noUnixSocket(): Plugin {
  return {
    name: 'realmgate-no-unix-socket',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === './unixSocket.js' && importer && /[\\/]client[\\/]dist[\\/]esm[\\/]/.test(importer)) return EMPTY;
      if (source === 'undici') return EMPTY;
      return null;
    },
    load(id) {
      return id === EMPTY ? 'export {};' : null;
    },
  };
}

// Served by realmgate at /console; everything the page loads is in dist/, nothing from elsewhere.
export default defineConfig({
  base: '/console/',
  plugins: [noUnixSocket()],
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2022',
    // the preload polyfill would add script the Content-Security-Policy has no need to allow
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
});
