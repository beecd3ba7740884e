// The small text shapes several areas share (src/core/text.ts).
import * as assert from 'node:assert/strict';
import { baseName, shorten, stem, withoutUndefined } from '../../src/core/text';

describe('text shapes', () => {
  it('shortens to one line of at most the limit, with an ellipsis only when cut', () => {
    assert.equal(shorten('  A lighthouse\n at   dawn '), 'A lighthouse at dawn');
    assert.equal(shorten('abcdef', 6), 'abcdef');
    assert.equal(shorten('abcdefg', 6), 'abcde…');
    assert.equal(shorten('x'.repeat(200)).length, 60);
  });

  it('takes the file name from the end of a path', () => {
    assert.equal(baseName({ path: '/work/docs/assets/a%20cat.png' }), 'a%20cat.png');
    assert.equal(baseName({ path: 'plain.jpg' }), 'plain.jpg');
    assert.equal(baseName({ path: '/folder/' }), '');
  });

  it('takes the extension off a file name, the last one only', () => {
    assert.equal(stem('notes.final.md'), 'notes.final');
    assert.equal(stem('README'), 'README');
    assert.equal(stem('.gitignore'), '');
  });

  it('drops undefined fields and keeps the others, falsy ones included', () => {
    assert.deepEqual(withoutUndefined({ a: 1, b: undefined, c: 0, d: '', e: null }), { a: 1, c: 0, d: '', e: null });
  });
});
