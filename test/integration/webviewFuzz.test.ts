// Thousands of malformed messages through the sidebar's real message handling (what the webview's onDidReceiveMessage
// calls, reached through the testing API's webview.send), in the real extension host with the sidebar open: the host
// keeps running and still generates an image afterwards, no request reaches the API, no file appears in the
// workspace, nothing is posted back to the webview, and the log notes every ignored message.
// Each message is broken by construction (see test/unit/protocolFuzz.test.ts for the parser alone, with
// well-formed messages too). FUZZ_SEED=<n> in the harness's environment replays a run.
import * as assert from 'assert';
import fc from 'fast-check';
import * as vscode from 'vscode';
import type { FakeSegmind } from '../fake-segmind/server';
import type { HostMessage } from '../../src/common/protocol';
import { activateExtension, removeAssets, type TestingApi, useFakeSegmind, waitFor, workspaceFolder } from './helpers';

const MESSAGES = 3_000;
const KEY = 'integration-webview-fuzz-key';
const IGNORED = 'Sidebar: ignored a malformed message';
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;

// ---------------------------------------------------------------- malformed messages, broken by construction

const MB = 1 << 20;
const HUGE = ['x'.repeat(MB), 'a'.repeat(MB), ' '.repeat(MB), '\u{1F600}'.repeat(MB / 2)];
function nest(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = kind === 'array' ? [1] : { bottom: 1 };
  for (let level = 1; level < depth; level++) value = kind === 'array' ? [value] : { a: value };
  return value;
}
const DEEP = [nest(10, 'object'), nest(10_000, 'array'), nest(100_000, 'object')];
/** An own, enumerable key, `__proto__` included (what JSON.parse makes of a message from the webview). */
function withOwn(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];
const pollution = () => JSON.parse('{"polluted":true,"prototype":{"polluted":true}}');

const huge = fc.constantFrom(...HUGE);
const deep = fc.constantFrom(...DEEP);
const notFinite = fc.constantFrom(NaN, Infinity, -Infinity);
const notAString = fc.oneof(
  fc.integer(),
  fc.double(),
  notFinite,
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.constant({}),
  deep,
);
const notANumber = fc.oneof(
  notFinite,
  fc.integer().map(String),
  fc.constant(null),
  fc.boolean(),
  fc.constant([1]),
  huge,
  deep,
);
const badId = fc.oneof(
  notAString,
  huge,
  fc.constantFrom('', 'a b', '<img src=x onerror=alert(1)>', '../../etc/passwd', 'x\ny', 'ä', 'a'.repeat(65)),
);
const badEnum = fc.oneof(
  notAString,
  huge,
  fc.constantFrom('runShell', 'openExternal', 'SHOWLOG', 'delete ', 'retry\0', '', 'insert;rm -rf'),
);

/** The form to validate: anything but a small plain JSON object without prototype keys. */
const badForm = fc.oneof(
  notAString.filter(
    (value) =>
      !(value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0),
  ),
  huge,
  fc.constant([{ prompt: 'x' }]),
  fc.constant({ prompt: 'x'.repeat(70_000) }),
  fc.constantFrom(...PROTO_KEYS).map((key) => withOwn({ prompt: 'x' }, key, pollution())),
  fc.constantFrom(...PROTO_KEYS).map((key) => ({ prompt: 'x', a: { b: withOwn({}, key, pollution()) } })),
  notFinite.filter((value) => !Number.isNaN(value)).map((value) => ({ seed: value })),
  fc.constant({ nested: DEEP[1] }),
  fc.constant({ nested: DEEP[2] }),
  fc.constant(Object.fromEntries(Array.from({ length: 33 }, (_, index) => [`k${index}`, index]))),
);

/** A generation request that the request schema rejects. */
const badRequest = fc.oneof(
  notAString.filter(
    (value) => !(value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0),
  ),
  fc.constant({}),
  fc.constant({ negative_prompt: 'fog' }),
  fc
    .oneof(notAString, huge, fc.constantFrom('', '   ', '\t\n', '!!!', 'x'.repeat(10_001)))
    .map((prompt) => ({ prompt })),
  fc
    .oneof(notANumber, fc.constantFrom(-1, 1.5, 2 ** 31, 2 ** 53, 1e308))
    .map((value) => ({ prompt: 'A lighthouse', seed: value })),
  fc
    .oneof(badEnum, fc.constantFrom('RESOLUTION_1_1', 'resolution_1024_1024', 'RESOLUTION_1024_1024 '))
    .map((value) => ({ prompt: 'A lighthouse', resolution: value })),
  fc
    .oneof(badEnum, fc.constantFrom('general', 'PHOTO'))
    .map((value) => ({ prompt: 'A lighthouse', style_type: value })),
  fc
    .oneof(badEnum, fc.constantFrom('auto', 'YES'))
    .map((value) => ({ prompt: 'A lighthouse', magic_prompt_option: value })),
  fc.oneof(notAString, huge).map((value) => ({ prompt: 'A lighthouse', negative_prompt: value })),
  fc
    .constantFrom(
      { name: 'EMBER', members: [{ color_hex: '#fff' }] },
      { name: 'ember' },
      { members: [] },
      { members: Array.from({ length: 9 }, () => ({ color_hex: '#fff' })) },
      { members: [{ color_hex: 'red' }] },
      { members: [{ color_hex: '#ff', color_weight: 0.5 }] },
      { members: [{ color_hex: '#fff', color_weight: 0 }] },
      { members: [{ color_hex: '#fff', color_weight: 2 }] },
      { members: [{ color_hex: '#fff', color_weight: NaN }] },
      {},
      [],
      'EMBER',
    )
    .map((palette) => ({ prompt: 'A lighthouse', color_palette: palette })),
  fc
    .tuple(fc.constantFrom(...PROTO_KEYS, 'toString', 'api_key', 'x-api-key', 'url'), fc.jsonValue({ maxDepth: 2 }))
    .map(([key, value]) => withOwn({ prompt: 'A lighthouse' }, key, value)),
  fc.constantFrom(...PROTO_KEYS).map((key) => ({
    prompt: 'A lighthouse',
    color_palette: { members: [withOwn({ color_hex: '#fff' }, key, pollution())] },
  })),
);

type Field = 'id' | 'query' | 'offset' | 'limit' | 'action' | 'form' | 'request';
/** One valid message of each type and what kind each field is. */
const TEMPLATES: Array<{ message: Record<string, unknown>; fields: Record<string, Field> }> = [
  { message: { type: 'ready' }, fields: {} },
  {
    message: { type: 'validate', requestId: 'fz-v1', request: { prompt: 'A lighthouse' } },
    fields: { requestId: 'id', request: 'form' },
  },
  {
    message: { type: 'generate', runId: 'fz-g1', request: { prompt: 'A lighthouse' } },
    fields: { runId: 'id', request: 'request' },
  },
  { message: { type: 'cancel', runId: 'fz-g1' }, fields: { runId: 'id' } },
  { message: { type: 'dismissRun', runId: 'fz-g1' }, fields: { runId: 'id' } },
  { message: { type: 'recover', action: 'showLog' }, fields: { action: 'action' } },
  {
    message: { type: 'imageAction', requestId: 'fz-a1', entryId: 'fz-e1', action: 'open' },
    fields: { requestId: 'id', entryId: 'id', action: 'action' },
  },
  {
    message: { type: 'queryGallery', requestId: 'fz-q1', query: '', offset: 0, limit: 10 },
    fields: { requestId: 'id', query: 'query', offset: 'offset', limit: 'limit' },
  },
  { message: { type: 'select', entryId: 'fz-e1' }, fields: { entryId: 'id' } },
  { message: { type: 'imageMissing', entryId: 'fz-e1' }, fields: { entryId: 'id' } },
];
const BAD_FIELD: Record<Field, fc.Arbitrary<unknown>> = {
  id: badId,
  query: fc.oneof(notAString, huge, fc.constant('q'.repeat(201))),
  offset: fc.oneof(notANumber, fc.constantFrom(-1, 0.5, 1_000_001, 2 ** 53)),
  limit: fc.oneof(notANumber, fc.constantFrom(0, -1, 2.5, 201, 1e9)),
  action: badEnum,
  form: badForm,
  request: badRequest,
};

interface Case {
  kind: string;
  message: unknown;
}
const template = fc.constantFrom(...TEMPLATES);
const copy = (message: Record<string, unknown>) => ({ ...message });
const malformed: fc.Arbitrary<Case> = fc.oneof(
  fc
    .oneof(
      fc
        .jsonValue({ maxDepth: 3 })
        .filter((value) => value === null || typeof value !== 'object' || Array.isArray(value)),
      huge,
      deep,
      notFinite,
      fc.constant(undefined),
    )
    .map((message) => ({ kind: 'not an object', message })),
  fc
    .tuple(
      fc.oneof(
        notAString,
        huge,
        fc.constantFrom(
          'openTerminal',
          'runCommand',
          'executeCommand',
          'setApiKey',
          'getApiKey',
          'Generate',
          'generate ',
          '__proto__',
          '',
        ),
      ),
      fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    )
    .map(([type, fields]) => ({ kind: 'unknown type', message: withOwn({ ...fields }, 'type', type) })),
  template
    .filter(({ message }) => Object.keys(message).length > 1)
    .chain(({ message, fields }) =>
      fc.constantFrom('type', ...Object.keys(fields)).map((key) => {
        const broken = copy(message);
        delete broken[key];
        return { kind: 'missing field', message: broken };
      }),
    ),
  fc
    .tuple(
      template,
      fc.oneof(fc.constantFrom(...PROTO_KEYS, 'toString', 'extra', 'isTrusted', 'command', 'Type'), huge),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), huge, deep),
    )
    .map(([{ message }, key, value]) => ({
      kind: 'unknown field',
      message: withOwn(copy(message), key, key === '__proto__' ? pollution() : value),
    })),
  {
    weight: 3,
    arbitrary: template
      .filter(({ fields }) => Object.keys(fields).length > 0)
      .chain(({ message, fields }) =>
        fc.constantFrom(...Object.keys(fields)).chain((key) =>
          BAD_FIELD[fields[key]].map((value) => ({
            kind: `wrong ${fields[key]}`,
            message: withOwn(copy(message), key, value),
          })),
        ),
      ),
  },
  // The two that carry a whole form: most of what could go wrong is inside them.
  {
    weight: 2,
    arbitrary: badRequest.map((request) => ({
      kind: 'bad generate request',
      message: { type: 'generate', runId: 'fz-g2', request },
    })),
  },
  {
    weight: 1,
    arbitrary: badForm.map((request) => ({
      kind: 'bad form to validate',
      message: { type: 'validate', requestId: 'fz-v2', request },
    })),
  },
  template.map(({ message }) => ({
    kind: 'JSON text with __proto__',
    message: JSON.parse(JSON.stringify(message).replace(/}$/, ',"__proto__":{"polluted":true,"type":"generate"}}')),
  })),
);

// ---------------------------------------------------------------- the workspace, before and after

async function workspaceListing(folder = workspaceFolder().uri, prefix = ''): Promise<string[]> {
  const entries = await vscode.workspace.fs
    .readDirectory(folder)
    .then(undefined, () => [] as Array<[string, vscode.FileType]>);
  const lines: string[] = [];
  for (const [name, type] of entries) {
    const child = vscode.Uri.joinPath(folder, name);
    if (type === vscode.FileType.Directory)
      lines.push(`${prefix}${name}/`, ...(await workspaceListing(child, `${prefix}${name}/`)));
    else {
      const stat = await vscode.workspace.fs.stat(child);
      lines.push(`${prefix}${name} ${stat.size} ${stat.mtime}`);
    }
  }
  return lines.sort();
}

/** How many "ignored a malformed message" lines the extension's log files hold. */
async function ignoredInLog(api: TestingApi): Promise<number> {
  const folder = vscode.Uri.joinPath(api.logUri, '..');
  let count = 0;
  const visit = async (uri: vscode.Uri): Promise<void> => {
    const entries = await vscode.workspace.fs
      .readDirectory(uri)
      .then(undefined, () => [] as Array<[string, vscode.FileType]>);
    for (const [name, type] of entries) {
      const child = vscode.Uri.joinPath(uri, name);
      if (type === vscode.FileType.Directory) await visit(child);
      else if (/Ideogram/i.test(child.path) && name.endsWith('.log')) {
        count +=
          Buffer.from(await vscode.workspace.fs.readFile(child))
            .toString('utf8')
            .split(IGNORED).length - 1;
      }
    }
  };
  await visit(folder);
  return count;
}

describe("Webview fuzz: malformed messages through the sidebar's message handling", function () {
  this.timeout(60_000);
  let api: TestingApi;
  let fake: FakeSegmind;
  let posted: HostMessage[] = [];
  let subscription: vscode.Disposable | undefined;

  before(async () => {
    api = (await activateExtension()) as TestingApi;
    fake = await useFakeSegmind();
    await api.keys.store(KEY);
    await removeAssets();
    subscription = api.webview.onDidPost((message) => posted.push(message));
    // The real view, so that anything the host answered would really be posted to a webview.
    await vscode.commands.executeCommand('ideogram.openPanel');
    await waitFor(() => api.sidebar.provider.isReady, 'the sidebar webview to send "ready"', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the webview's own first requests (gallery page) answered
  });
  after(async () => {
    subscription?.dispose();
    await fake.close();
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('apiEndpoint', undefined, vscode.ConfigurationTarget.Global);
    await removeAssets();
  });

  it(`ignores ${MESSAGES.toLocaleString('en')} malformed messages: no request, no file, no answer, each one logged`, async () => {
    const cases = fc.sample(malformed, { numRuns: MESSAGES, seed });
    const kinds = new Map<string, number>();
    for (const { kind } of cases) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    console.log(
      `      seed ${seed}; ${[...kinds]
        .sort()
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', ')}`,
    );

    const filesBefore = await workspaceListing();
    const gallerySize = api.sidebar.gallery.size;
    const loggedBefore = await ignoredInLog(api);
    posted = [];
    const t = Date.now();
    // In bursts, the way a misbehaving webview would post them: handled concurrently, none may reject.
    for (let start = 0; start < cases.length; start += 100) {
      const burst = cases.slice(start, start + 100);
      const outcomes = await Promise.allSettled(burst.map(({ message }) => api.webview.send(message)));
      outcomes.forEach((outcome, index) => {
        if (outcome.status === 'rejected')
          assert.fail(`handling a ${burst[index].kind} message threw: ${String(outcome.reason).slice(0, 300)}`);
      });
    }
    const seconds = (Date.now() - t) / 1000;
    // send() resolves when its handler is done (a generation: when its run ended), so anything started has reached
    // the fake, or is still running, by now.

    assert.strictEqual(fake.requests.length, 0, 'no generation request reached the API');
    assert.strictEqual(api.service.runningCount, 0, 'no generation is running');
    assert.deepStrictEqual(
      await workspaceListing(),
      filesBefore,
      'no file was written, changed or removed in the workspace',
    );
    assert.strictEqual(api.sidebar.gallery.size, gallerySize, 'the gallery did not change');
    // Only unrelated updates (the active editor changing) may have been posted: no answer to any message.
    assert.deepStrictEqual(
      posted
        .filter((message) => message.type !== 'context' && message.type !== 'galleryChanged')
        .map((message) => message.type),
      [],
    );
    assert.strictEqual(
      ({} as Record<string, unknown>).polluted,
      undefined,
      'Object.prototype of the extension host is untouched',
    );
    assert.strictEqual(
      ({} as Record<string, unknown>).type,
      undefined,
      'Object.prototype of the extension host is untouched',
    );
    assert.ok(api.sidebar.provider.isReady, 'the sidebar is still open and ready');

    // The log noted each one (it is written asynchronously: wait for the last lines).
    const logged = await waitFor(
      async () => {
        const count = (await ignoredInLog(api)) - loggedBefore;
        return count >= MESSAGES ? count : undefined;
      },
      `${MESSAGES} "${IGNORED}" lines in the log`,
      15_000,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message} (found ${(await ignoredInLog(api)) - loggedBefore})`);
    });
    assert.strictEqual(logged, MESSAGES);
    console.log(`      ${MESSAGES} messages handled in ${seconds.toFixed(1)} s, ${logged} logged as ignored`);
  });

  it('still generates an image afterwards, through the same path', async () => {
    posted = [];
    fake.reset();
    await api.webview.send({
      type: 'generate',
      runId: 'fz-after',
      request: { prompt: 'A lighthouse after the storm', seed: 99 },
    });
    const finished = await waitFor(
      () =>
        posted.find(
          (message): message is Extract<HostMessage, { type: 'runFinished' }> =>
            message.type === 'runFinished' && message.runId === 'fz-after',
        ),
      'the run to finish',
      20_000,
    );
    assert.strictEqual(finished.outcome, 'done');
    assert.ok(finished.item, 'the finished run carries the image');
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.parse(finished.item.uri));
    assert.deepStrictEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG on disk');
    assert.strictEqual(fake.requests.length, 1, 'exactly one request');
    assert.strictEqual(fake.requests[0].headers['x-api-key'], KEY);
  });
});
