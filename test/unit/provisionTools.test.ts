// scripts/provision-tools.sh as `npm run demo` and `npm test` run it: from inside an npm script, whose environment
// (Node 20's npm) must not reach the nested `npm install code-server`, which code-server's postinstall refuses when
// its user agent names another Node. The script runs for real against a tool cache of the test's own, in which
// Node 24 and npm are stand-ins that record what they were given; nothing is downloaded.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

function findRoot(): string {
  let directory = __dirname;
  while (!fs.existsSync(path.join(directory, 'package.json'))) directory = path.dirname(directory);
  return directory;
}
const ROOT = findRoot();
const SCRIPT = path.join(ROOT, 'scripts/provision-tools.sh');
const NODE_VERSION = '24.21.0';
const CODE_SERVER_VERSION = '4.139.1';

/** A tool cache holding a stand-in Node 24 whose npm behaves like code-server's postinstall check. */
function toolCache(npmExitCode = 0): string {
  const tools = fs.mkdtempSync(path.join(os.tmpdir(), 'provision-test-'));
  const bin = path.join(tools, 'node/bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'node'), `#!/bin/sh\n[ "$1" = --version ] && echo v${NODE_VERSION}\n`, {
    mode: 0o755,
  });
  fs.writeFileSync(
    path.join(bin, 'npm'),
    `#!/bin/sh
env > "${tools}/nested-env.txt"
echo "$@" > "${tools}/nested-args.txt"
# code-server's postinstall.sh reads the Node version from npm's user agent.
case "$npm_config_user_agent" in *node/v24*|'') ;; *) echo "ERROR: code-server currently requires node v24." >&2; exit 1 ;; esac
[ ${npmExitCode} = 0 ] || { echo "npm error something broke" >&2; exit ${npmExitCode}; }
mkdir -p node_modules/.bin
printf '#!/bin/sh\\necho "${CODE_SERVER_VERSION} 0123abcd with Code 1.106.0"\\n' > node_modules/.bin/code-server
chmod +x node_modules/.bin/code-server
`,
    { mode: 0o755 },
  );
  return tools;
}

/** The environment `npm run <script>` gives a script (npm 11 under Node 20), on top of this process's. */
function npmRunEnvironment(tools: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TOOLS_DIR: tools,
    SKIP_SYSTEM_PACKAGES: '1',
    CHROMIUM_PATH: '/nonexistent/chromium',
    npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
    npm_config_prefix: '/usr',
    npm_config_cache: path.join(tools, 'outer-npm-cache'),
    npm_config_nodedir: '/usr',
    npm_config_global_prefix: '/usr',
    npm_config_local_prefix: ROOT,
    npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
    npm_node_execpath: '/usr/bin/node',
    npm_lifecycle_event: 'demo',
    npm_package_name: 'ideogram-vscode',
    NPM_CONFIG_LOGLEVEL: 'silent',
    INIT_CWD: ROOT,
    NODE: '/usr/bin/node',
    PATH: [
      path.join(ROOT, 'node_modules/.bin'),
      '/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin',
      process.env.PATH,
    ].join(':'),
  };
}

function readEnv(file: string): Map<string, string> {
  return new Map(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => {
        const at = line.indexOf('=');
        return [line.slice(0, at), line.slice(at + 1)] as [string, string];
      }),
  );
}

describe('provision-tools.sh run from inside an npm script', function () {
  this.timeout(60_000);
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("installs code-server with Node 24 and none of the outer npm's environment", () => {
    const tools = toolCache();
    made.push(tools);
    const run = spawnSync('bash', [SCRIPT], { env: npmRunEnvironment(tools), encoding: 'utf8' });
    assert.equal(run.status, 0, `the script failed:\n${run.stderr}`);
    assert.match(
      run.stdout,
      new RegExp(
        `^export TOOLS_DIR='${tools}' NODE24='${tools}/node/bin/node' CODE_SERVER='${tools}/cs/node_modules/.bin/code-server'$`,
        'm',
      ),
    );

    const nested = readEnv(path.join(tools, 'nested-env.txt'));
    const npmVariables = [...nested.keys()].filter((name) => /^npm_/i.test(name)).sort();
    assert.deepEqual(
      npmVariables.filter((name) => !['npm_config_cafile', 'npm_config_registry'].includes(name)),
      ['npm_config_nodedir'],
      'only what the nested install is given on purpose',
    );
    assert.equal(
      nested.get('npm_config_nodedir'),
      path.join(tools, 'node'),
      "native modules build against Node 24's headers",
    );
    for (const leaked of ['INIT_CWD', 'NODE', 'NPM_CONFIG_LOGLEVEL'])
      assert.equal(nested.get(leaked), undefined, `${leaked} leaked`);
    const nestedPath = (nested.get('PATH') ?? '').split(':');
    assert.equal(nestedPath[0], path.join(tools, 'node/bin'), 'Node 24 first on PATH');
    assert.deepEqual(
      nestedPath.filter((entry) => /node_modules\/\.bin$|node-gyp-bin$/.test(entry)),
      [],
      'no folder the outer npm put on PATH',
    );
    assert.match(
      fs.readFileSync(path.join(tools, 'nested-args.txt'), 'utf8'),
      new RegExp(`^install .*code-server@${CODE_SERVER_VERSION}$`, 'm'),
    );
  });

  it('says in its last line what failed and which log holds the details', () => {
    const tools = toolCache(1);
    made.push(tools);
    const run = spawnSync('bash', [SCRIPT], { env: npmRunEnvironment(tools), encoding: 'utf8' });
    assert.equal(run.status, 1);
    const lines = run.stderr.trimEnd().split('\n');
    const log = path.join(tools, 'code-server-install.log');
    assert.equal(lines.at(-1), `[provision] FAILED: npm install code-server@${CODE_SERVER_VERSION} (details: ${log})`);
    assert.match(fs.readFileSync(log, 'utf8'), /npm error something broke/);
    assert.equal(run.stdout, '', 'no export line to eval');
    assert.equal(
      fs.existsSync(path.join(tools, 'cs')),
      false,
      'no half-installed code-server taken for a cached one next time',
    );
  });

  it('a cached install is used as it is: no nested install at all', () => {
    const tools = toolCache();
    made.push(tools);
    assert.equal(spawnSync('bash', [SCRIPT], { env: npmRunEnvironment(tools), encoding: 'utf8' }).status, 0);
    fs.rmSync(path.join(tools, 'nested-args.txt'));
    const again = spawnSync('bash', [SCRIPT], { env: npmRunEnvironment(tools), encoding: 'utf8' });
    assert.equal(again.status, 0, again.stderr);
    assert.equal(fs.existsSync(path.join(tools, 'nested-args.txt')), false);
  });
});
