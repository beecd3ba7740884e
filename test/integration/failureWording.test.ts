// Every failure the core or a host area can raise is worded by one module (src/common/errorMessages.ts), in the real
// extension host (vscode.l10n.t): each kind and each case within it reads as a whole sentence with its facts.
import * as assert from 'assert';
import {
  FAILURE_KINDS,
  FAILURE_REASONS,
  IdeogramError,
  type FailureKind,
  type FailureReason,
} from '../../src/core/errors';
import { REQUEST_PROBLEMS } from '../../src/core/request';
import { describeFailure } from '../../src/common/errorMessages';
import { describeRequestProblem } from '../../src/common/requestProblemWording';
import { RECOVERY_ACTIONS } from '../../src/common/protocol';

const MEGABYTE = 1024 * 1024;
const FACTS = {
  status: 418,
  apiMessage: 'The teapot is busy.',
  remainingCredits: 1.5,
  resetAt: new Date('2026-11-30T12:34:56Z'),
  host: 'cdn.example.com',
  protocol: 'http:',
  contentType: 'text/html',
  cause: 'connection refused',
  redirected: true,
  bytes: 40 * MEGABYTE,
  declaredBytes: 50,
  maxBytes: 30 * MEGABYTE,
  redirects: 5,
  endpoint: 'http://api.example.com',
  setting: 'ideogram.fileNameTemplate',
  value: 'img/${foo}',
  variable: '${foo}',
  allowed: ['${prompt}', '${date}'],
  problems: [{ code: 'prompt-empty' as const, path: 'prompt' }],
  seconds: 120,
  prompt: 'a lighthouse at dusk',
  spentToday: 4.5,
  cost: 0.1,
  limit: 4.5,
  path: 'docs/assets',
  through: 'docs',
  folderName: 'workspace',
  fileName: 'a-cat.jpg',
  text: 'EACCES: permission denied',
};

function worded(kind: FailureKind, reason?: FailureReason) {
  return describeFailure(new IdeogramError({ kind, reason, ...FACTS }));
}

describe('Failure wording: one module words every failure', () => {
  it('words every kind, and every case within it, as a sentence with its facts and known actions', () => {
    for (const kind of FAILURE_KINDS) {
      for (const reason of [undefined, ...FAILURE_REASONS]) {
        const { message, actions, kind: described } = worded(kind, reason);
        const what = `${kind}/${reason ?? '-'}: ${message}`;
        assert.equal(described, kind);
        assert.ok(message.length > 8, what);
        assert.ok(!/undefined|\[object|NaN|\{\d+\}|\?\)/.test(message), what);
        for (const action of actions)
          assert.ok((RECOVERY_ACTIONS as readonly string[]).includes(action), `${what}: action ${action}`);
      }
    }
  });

  it('gives every kind its own default sentence, and every case a sentence of its own within its kind', () => {
    const defaults = new Map<string, FailureKind>();
    for (const kind of FAILURE_KINDS) {
      const { message } = worded(kind);
      assert.ok(!defaults.has(message), `${kind} and ${defaults.get(message)} read the same: ${message}`);
      defaults.set(message, kind);
    }
    for (const reason of FAILURE_REASONS) {
      assert.ok(
        FAILURE_KINDS.some((kind) => worded(kind, reason).message !== worded(kind).message),
        `the case ${reason} is worded by some kind`,
      );
    }
  });

  it('carries the facts into the sentence: status, credits, what the API said, the setting and the variable', () => {
    assert.match(worded('insufficient-credits').message, /\(418\): 1\.50 credits left/);
    assert.match(worded('server-error').message, /The API said: "The teapot is busy"\./);
    assert.match(worded('rate-limited').message, /It resets at 12:34:56 UTC/);
    assert.match(
      worded('invalid-setting', 'unknown-template-variable').message,
      /ideogram\.fileNameTemplate uses the unknown variable \$\{foo\}; use \$\{prompt\}, \$\{date\}\./,
    );
    assert.match(worded('too-large').message, /larger than 30 MB \(40 MB so far\)/);
    assert.match(
      worded('bad-response', 'link-local').message,
      /^The image link redirected to an address on this computer .*\(cdn\.example\.com\)/,
    );
    assert.match(
      worded('budget-exceeded').message,
      /\(4\.50 credits\) plus this request \(0\.10\) would pass your daily limit of 4\.50 credits/,
    );
    assert.match(worded('interrupted', 'lost-before-id').message, /\("a lighthouse at dusk"\)/);
  });

  it('words what is not an IdeogramError too, without a stack trace', () => {
    const thrown = new Error('disk on fire');
    const { message, kind, actions } = describeFailure(thrown);
    assert.equal(kind, 'unexpected');
    assert.equal(message, 'Image generation failed: disk on fire');
    assert.deepEqual(actions, ['showLog']);
    assert.equal(describeFailure('plain text').message, 'Image generation failed: plain text');
  });

  it('words every problem a request can have, each differently, with what it needs to say', () => {
    const sentences = new Set<string>();
    for (const code of REQUEST_PROBLEMS) {
      const sentence = describeRequestProblem({
        code,
        path: 'color_palette',
        keys: ['num_images'],
        entry: '#f00:x',
        weight: 'x',
      });
      assert.ok(sentence.length > 8 && !/undefined|\{\d+\}/.test(sentence), `${code}: ${sentence}`);
      sentences.add(sentence);
    }
    assert.equal(sentences.size, REQUEST_PROBLEMS.length, 'two problems share a sentence');
    assert.equal(
      describeRequestProblem({ code: 'seed-out-of-range', path: 'seed' }),
      'Seed must be between 0 and 2147483647',
    );
    assert.equal(
      describeRequestProblem({ code: 'unknown-options', path: '', keys: ['num_images', 'aspect_ratio'] }),
      'Unknown option(s): num_images, aspect_ratio',
    );
    assert.equal(
      describeRequestProblem({
        code: 'palette-weight-not-number',
        path: 'color_palette',
        entry: '#f00:x',
        weight: 'x',
      }),
      '"#f00:x": weight "x" is not a number',
    );
  });

  it('names the option of each problem in the notification of an invalid request', () => {
    const { message, actions } = describeFailure(
      new IdeogramError({
        kind: 'invalid-request',
        reason: 'options-invalid',
        problems: [
          { code: 'prompt-empty', path: 'prompt' },
          { code: 'colour-weight-too-large', path: 'color_palette.members.1.color_weight' },
        ],
      }),
    );
    assert.equal(
      message,
      'The image options are not valid: prompt: Prompt is empty: describe the image you want; color_palette.members.1.color_weight: Colour weight must be at most 1',
    );
    assert.deepEqual(actions, ['openSettings']);
  });
});
