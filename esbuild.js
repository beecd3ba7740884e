// Two bundles: the extension host code (Node, CommonJS, `vscode` external) and the webview script (browser).
const esbuild = require('esbuild');
const fs = require('fs');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// The webview's timing marks (media/measure.d.ts) serve the bench and the UI tests' measurements: in development
// builds, and in a production build only when asked for (IDEOGRAM_MEASURE=1), never in a release.
const measure = !production || process.env.IDEOGRAM_MEASURE === '1';

/**
 * Prints errors in the format of the `$esbuild-watch` problem matcher, so F5 shows them in Problems. The
 * "[watch]" lines tell the matcher when a build starts and ends; a one-off build has no use for them.
 */
const problemMatcherPlugin = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [problemMatcherPlugin],
};

const entries = [
  // The bootstrap VS Code loads at every start (package.json "main"), and the extension it loads when needed.
  {
    ...common,
    entryPoints: ['src/bootstrap.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode', './main.js'],
    // The bootstrap times itself from its very first line, before its imports (vscode's API object) are made.
    banner: { js: '"use strict";var ideogramBootstrapStartedAt = performance.now();' },
  },
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/main.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
  },
];
if (fs.existsSync('media/main.ts')) {
  entries.push({
    ...common,
    entryPoints: ['media/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    // VS Code ≥ 1.90 runs webviews in Chromium ≥ 122: private fields and methods natively (es2020 turned each into
    // WeakMap calls: bigger, and slower in the gallery's per-frame code).
    target: 'es2022',
    define: { IDEOGRAM_MEASURE: String(measure) },
  });
}

async function main() {
  if (production) fs.rmSync('dist', { recursive: true, force: true });
  const contexts = await Promise.all(entries.map((options) => esbuild.context(options)));
  if (watch) {
    await Promise.all(contexts.map((context) => context.watch()));
  } else {
    await Promise.all(contexts.map((context) => context.rebuild()));
    await Promise.all(contexts.map((context) => context.dispose()));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
