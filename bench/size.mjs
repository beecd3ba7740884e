// 4. Size: production bundles and the .vsix, built in a staging copy of the checkout so that the bench
// never touches the dist/ other people's builds and tests use (esbuild.js --production wipes dist/).
import fs from 'node:fs';
import path from 'node:path';
import { listZip } from './lib.mjs';

/** Never copied into the stage: VCS, dependencies (symlinked instead), build output and tool state. */
const NOT_STAGED = new Set(['.git', 'node_modules', 'dist', 'test-artifacts', '.work', '.vscode-test']);

/**
 * Copies the checkout as a developer's `npm run package` would see it (sources, out/ of the compiled tests,
 * .vscodeignore, …) except build output and tool state, and symlinks node_modules.
 */
export function stageCheckout(root, stageDir) {
  fs.rmSync(stageDir, { recursive: true, force: true });
  fs.mkdirSync(stageDir, { recursive: true });
  for (const entry of fs.readdirSync(root)) {
    if (NOT_STAGED.has(entry) || entry.endsWith('.vsix')) continue;
    fs.cpSync(path.join(root, entry), path.join(stageDir, entry), { recursive: true, verbatimSymlinks: true });
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(stageDir, 'node_modules'));
  return stageDir;
}

/**
 * What must never ship: tests, sources and node_modules. Paths are relative to `extension/` in the .vsix.
 * Anything else that is only for development is reported as a warning.
 */
const FORBIDDEN = [
  ['node_modules', /(^|\/)node_modules\//],
  ['tests', /^(test|out|bench|test-artifacts|\.vscode-test)\//],
  ['tests', /\.(test|spec|e2e)\.[cm]?[jt]s$/],
  ['sources', /^src\//],
  ['sources', /\.(ts|tsx|mts|cts)$/, (name) => !/\.d\.[cm]?ts$/.test(name)],
  ['sources', /\.map$/],
];
const DEVELOPMENT_ONLY =
  /^(scripts|demo|\.ci|\.work|\.github|\.vscode)\/|^(esbuild\.js|tsconfig[^/]*\.json|\.mocharc[^/]*|\.gitignore|package-lock\.json|\.eslintrc[^/]*|eslint\.config\.[cm]?js)$/;

export function checkVsixContents(entries) {
  const files = entries
    .map((e) => e.name)
    .filter((n) => n.startsWith('extension/') && !n.endsWith('/'))
    .map((n) => n.slice('extension/'.length));
  const violations = [];
  const warnings = [];
  for (const name of files) {
    const rule = FORBIDDEN.find(([, re, extra]) => re.test(name) && (!extra || extra(name)));
    if (rule) violations.push({ file: name, category: rule[0] });
    else if (DEVELOPMENT_ONLY.test(name)) warnings.push(name);
  }
  return { files, violations, warnings };
}

/** Builds with `node esbuild.js --production` and packages with `vsce package --no-dependencies` in the stage. */
export async function measureSize({ root, stageDir, vsixPath, run }) {
  await run('node', [path.join(root, 'esbuild.js'), '--production'], { cwd: stageDir, prefix: 'esbuild', quiet: true });
  const vsce = path.join(root, 'node_modules/.bin/vsce');
  await run(vsce, ['package', '--no-dependencies', '-o', vsixPath], { cwd: stageDir, prefix: 'vsce', quiet: true });
  const size = (file) => (fs.existsSync(file) ? fs.statSync(file).size : null);
  const entries = listZip(vsixPath);
  const contents = checkVsixContents(entries);
  return {
    extensionJsBytes: size(path.join(stageDir, 'dist/extension.js')),
    webviewJsBytes: size(path.join(stageDir, 'dist/webview.js')),
    vsixBytes: size(vsixPath),
    vsixFiles: contents.files.length,
    vsixUncompressedBytes: entries.reduce((sum, e) => sum + e.size, 0),
    violations: contents.violations,
    developmentFiles: contents.warnings,
    vscodeignore: fs.existsSync(path.join(stageDir, '.vscodeignore')),
    listing: entries.map((e) => `${String(e.size).padStart(9)}  ${e.name}`),
  };
}

/**
 * Where the bytes of each bundle come from (diagnosis only): esbuild's metafile for the same entry points,
 * minified as in production, grouped by package (node_modules/<name>) or by the project's own folder.
 * The sizes quoted as the figures are those of the real `esbuild.js --production` output above.
 */
export async function bundleComposition({ root, stageDir }) {
  const { createRequire } = await import('node:module');
  const esbuild = createRequire(path.join(root, 'package.json'))('esbuild');
  const entries = [
    {
      name: 'dist/extension.js',
      entryPoints: [path.join(stageDir, 'src/extension.ts')],
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      external: ['vscode'],
    },
    {
      name: 'dist/webview.js',
      entryPoints: [path.join(stageDir, 'media/main.ts')],
      platform: 'browser',
      format: 'iife',
      target: 'es2022', // as esbuild.js
    },
  ].filter((e) => fs.existsSync(e.entryPoints[0]));
  const out = {};
  for (const { name, ...options } of entries) {
    const result = await esbuild.build({
      ...options,
      bundle: true,
      minify: true,
      write: false,
      metafile: true,
      outfile: path.join(stageDir, 'analysis', name),
      logLevel: 'silent',
    });
    const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
    const groups = {};
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const key = match ? `node_modules/${match[1]}` : input.replace(/^.*?\b(src|media|test)\//, '$1/');
      groups[key] = (groups[key] ?? 0) + bytesInOutput;
    }
    out[name] = {
      bytes: output.bytes,
      top: Object.entries(groups)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([input, bytes]) => ({ input, bytes })),
    };
  }
  return out;
}
