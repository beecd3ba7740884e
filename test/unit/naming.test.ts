// Unit tests for file and folder naming (src/core/naming.ts).
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { IdeogramError } from '../../src/core/errors';
import { templatedFileName } from '../../src/core/fileNameTemplate';
import {
  imageFileName,
  MAX_SLUG_LENGTH,
  nextCandidateName,
  resolveAssetsFolder,
  safeRelativeFolder,
  slugFromPrompt,
  uniqueSuffix,
} from '../../src/core/naming';

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_FILE_NAMES = /[/\\:*?"<>|\u0000-\u001f\u007f]/;
const SUFFIX_PATTERN = /^\d{8}-\d{6}-[0-9a-z]{4}$/;
const FIXED_SUFFIX = '20261124-113512-k3f9';

function okSegments(result: ReturnType<typeof safeRelativeFolder>): string[] {
  if (!result.ok) assert.fail(`expected the folder to be accepted, got: ${result.error.reason}`);
  return result.segments;
}

/** The refusal of a folder: an invalid-setting failure carrying the folder as given (the host words it). */
function refusal(result: ReturnType<typeof safeRelativeFolder>): IdeogramError {
  if (result.ok) assert.fail(`expected the folder to be refused, got segments ${JSON.stringify(result.segments)}`);
  assert.equal(result.error.kind, 'invalid-setting');
  assert.ok(result.error.reason, 'a reason');
  return result.error;
}

describe('slugFromPrompt', () => {
  it('lowercases words and joins them with hyphens', () => {
    assert.equal(slugFromPrompt('A Lighthouse at Dawn, flat illustration!'), 'a-lighthouse-at-dawn-flat-illustration');
  });

  it('strips accents', () => {
    assert.equal(slugFromPrompt('Café crème brûlée'), 'cafe-creme-brulee');
    assert.equal(slugFromPrompt('Ångström naïve São Paulo'), 'angstrom-naive-sao-paulo');
    assert.equal(slugFromPrompt('ﬁsh'), 'fish', 'compatibility ligatures decompose');
  });

  it('drops punctuation', () => {
    assert.equal(
      slugFromPrompt('Hello, World!!! (v2) -- "quoted" & <tags> / back\\slash'),
      'hello-world-v2-quoted-tags-back-slash',
    );
    assert.equal(slugFromPrompt('  --leading and trailing--  '), 'leading-and-trailing');
  });

  it('drops emoji', () => {
    assert.equal(slugFromPrompt('🎨 art 🖼️ time 👩‍👩‍👧'), 'art-time');
  });

  it('gives "image" for only symbols, emoji, non-Latin script or nothing', () => {
    for (const prompt of ['!!!???', '🎨🖼️', '日本語の風景', 'Привет', '', '   ', '---', '\u200b']) {
      assert.equal(slugFromPrompt(prompt), 'image', JSON.stringify(prompt));
    }
  });

  it('caps the length at whole words', () => {
    assert.equal(MAX_SLUG_LENGTH, 48);
    const slug = slugFromPrompt('word '.repeat(30));
    assert.equal(slug, 'word-word-word-word-word-word-word-word-word');
    assert.ok(slug.length <= MAX_SLUG_LENGTH);
    assert.equal(slugFromPrompt('one two three', 9), 'one-two');
  });

  it('keeps a slug of exactly the cap, and leaves out the word that would pass it by one', () => {
    const exactly = `${'x'.repeat(MAX_SLUG_LENGTH - 2)} y`;
    assert.equal(slugFromPrompt(exactly), `${'x'.repeat(MAX_SLUG_LENGTH - 2)}-y`);
    assert.equal(slugFromPrompt(`${'x'.repeat(MAX_SLUG_LENGTH - 1)} y`), 'x'.repeat(MAX_SLUG_LENGTH - 1));
  });

  it('cuts a single over-long word', () => {
    assert.equal(slugFromPrompt('a'.repeat(60)), 'a'.repeat(48));
    assert.equal(slugFromPrompt('supercalifragilistic', 5), 'super');
  });

  it('suffixes reserved Windows names ("con", "NUL", "com1", …)', () => {
    const cases: Array<[string, string]> = [
      ['con', 'con-image'],
      ['CON', 'con-image'],
      ['NUL', 'nul-image'],
      ['nul', 'nul-image'],
      ['com1', 'com1-image'],
      ['COM9', 'com9-image'],
      ['lpt1', 'lpt1-image'],
      ['aux', 'aux-image'],
      ['prn', 'prn-image'],
      ['  Con!  ', 'con-image'],
      ['com¹', 'com1-image'],
    ];
    for (const [prompt, slug] of cases) assert.equal(slugFromPrompt(prompt), slug, prompt);
  });

  it('leaves names that merely contain a reserved word alone', () => {
    assert.equal(slugFromPrompt('con con'), 'con-con');
    assert.equal(slugFromPrompt('console'), 'console');
    assert.equal(slugFromPrompt('CON.txt'), 'con-txt');
    assert.equal(slugFromPrompt('com10'), 'com10');
  });
});

describe('uniqueSuffix', () => {
  it('is local date-time plus 4 base-36 characters', () => {
    assert.equal(
      uniqueSuffix(new Date(2026, 10, 24, 11, 35, 12), () => 0),
      '20261124-113512-0000',
    );
    assert.equal(
      uniqueSuffix(new Date(2026, 0, 2, 3, 4, 5), () => 0.999999),
      '20260102-030405-zzzz',
    );
    const values = [0.1, 0.5, 0.75, 0.99];
    assert.equal(
      uniqueSuffix(new Date(2026, 10, 24, 11, 35, 12), () => values.shift() ?? 0),
      '20261124-113512-3irz',
    );
  });

  it('matches the format with the real clock and random source, and differs between calls', () => {
    const seen = new Set<string>();
    for (let index = 0; index < 50; index++) {
      const suffix = uniqueSuffix();
      assert.match(suffix, SUFFIX_PATTERN);
      seen.add(suffix);
    }
    assert.ok(seen.size >= 45, `expected distinct suffixes, got ${seen.size} of 50`);
  });
});

describe('imageFileName', () => {
  it('is <slug>-<suffix>.<ext>', () => {
    assert.equal(imageFileName('A cat in a hat', 'jpg', FIXED_SUFFIX), 'a-cat-in-a-hat-20261124-113512-k3f9.jpg');
    assert.equal(imageFileName('Logo', 'png', FIXED_SUFFIX), 'logo-20261124-113512-k3f9.png');
  });

  it('uses a fresh unique suffix by default', () => {
    const name = imageFileName('a cat', 'jpg');
    assert.match(name, /^a-cat-\d{8}-\d{6}-[0-9a-z]{4}\.jpg$/);
  });

  it('sanitises the extension and suffix so no separator or dot can sneak in', () => {
    assert.equal(imageFileName('con', 'J.P/G', 'x/y\\z:1'), 'con-image-xyz1.jpg');
    assert.equal(imageFileName('x', '', FIXED_SUFFIX), `x-${FIXED_SUFFIX}.img`);
    assert.equal(imageFileName('x', '../../etc', '../..'), 'x-.etc');
  });

  it('names an emoji-only prompt "image-…"', () => {
    assert.equal(imageFileName('🎨🎨', 'webp', FIXED_SUFFIX), `image-${FIXED_SUFFIX}.webp`);
  });
});

describe('nextCandidateName', () => {
  it('adds -N before the extension (called with the original name and the attempt number)', () => {
    assert.equal(nextCandidateName('name.jpg', 1), 'name-1.jpg');
    assert.equal(nextCandidateName('name.jpg', 2), 'name-2.jpg');
    assert.equal(nextCandidateName('a.b.png', 1), 'a.b-1.png');
  });

  it('handles names without an extension and dot-files', () => {
    assert.equal(nextCandidateName('noext', 3), 'noext-3');
    assert.equal(nextCandidateName('.hidden', 1), '.hidden-1');
  });

  it('gives distinct names for attempts 1..100', () => {
    const names = new Set(
      Array.from({ length: 100 }, (_, index) => nextCandidateName('a-cat-20261124-113512-k3f9.jpg', index + 1)),
    );
    assert.equal(names.size, 100);
    for (const name of names) assert.match(name, /^a-cat-20261124-113512-k3f9-\d+\.jpg$/);
  });
});

describe('safeRelativeFolder', () => {
  it('accepts relative folders and normalises them to segments', () => {
    assert.deepEqual(okSegments(safeRelativeFolder('assets')), ['assets']);
    assert.deepEqual(okSegments(safeRelativeFolder('docs/images')), ['docs', 'images']);
    assert.deepEqual(okSegments(safeRelativeFolder('./a//b/')), ['a', 'b']);
    assert.deepEqual(okSegments(safeRelativeFolder('a\\b')), ['a', 'b']);
    assert.deepEqual(okSegments(safeRelativeFolder('a/./b')), ['a', 'b']);
    assert.deepEqual(okSegments(safeRelativeFolder('  media/img  ')), ['media', 'img']);
    assert.deepEqual(okSegments(safeRelativeFolder('my images/2026 (draft)')), ['my images', '2026 (draft)']);
    assert.equal(safeRelativeFolder('a/...').ok, false, 'Windows would strip the dots');
  });

  it('accepts empty (the workspace folder itself)', () => {
    assert.deepEqual(okSegments(safeRelativeFolder('')), []);
    assert.deepEqual(okSegments(safeRelativeFolder('.')), []);
  });

  for (const folder of ['..', '../../outside', 'a/../b', 'a/b/..', 'a\\..\\..\\b', '../']) {
    it(`refuses ${JSON.stringify(folder)} (escapes the workspace)`, () => {
      const error = refusal(safeRelativeFolder(folder));
      assert.equal(error.facts.value, folder);
      assert.equal(error.reason, 'parent');
    });
  }

  for (const folder of ['/abs', '/', '\\abs', 'C:\\x', 'c:/x', 'C:x', '~', '~/images', '\\\\server\\share']) {
    it(`refuses ${JSON.stringify(folder)} (absolute)`, () => {
      assert.equal(refusal(safeRelativeFolder(folder)).reason, 'absolute');
    });
  }

  it('refuses characters that are not allowed in folder names', () => {
    for (const folder of ['a/b?', 'a*', 'a<b', 'a>b', 'a|b', 'a"b', 'a\u0000b', 'a\nb', 'images/a:b']) {
      assert.match(refusal(safeRelativeFolder(folder)).reason ?? '', /^(characters|absolute)$/, folder);
    }
  });
});

describe('resolveAssetsFolder', () => {
  it('without variables behaves like safeRelativeFolder', () => {
    assert.deepEqual(okSegments(resolveAssetsFolder('assets')), ['assets']);
    refusal(resolveAssetsFolder('../outside'));
    refusal(resolveAssetsFolder('/abs'));
    refusal(resolveAssetsFolder('C:\\x'));
    refusal(resolveAssetsFolder('~'));
    refusal(resolveAssetsFolder('a/../b'));
  });

  it('expands ${documentDirName} with a document', () => {
    assert.deepEqual(okSegments(resolveAssetsFolder('${documentDirName}/images', { documentDirName: 'docs/guide' })), [
      'docs',
      'guide',
      'images',
    ]);
    assert.deepEqual(okSegments(resolveAssetsFolder('${documentDirName}', { documentDirName: 'docs' })), ['docs']);
  });

  it('expands ${documentBaseName}, never letting it add a separator', () => {
    assert.deepEqual(okSegments(resolveAssetsFolder('img/${documentBaseName}', { documentBaseName: 'guide' })), [
      'img',
      'guide',
    ]);
    assert.deepEqual(okSegments(resolveAssetsFolder('${documentBaseName}', { documentBaseName: 'a/b' })), ['a-b']);
    assert.deepEqual(okSegments(resolveAssetsFolder('${documentBaseName}', { documentBaseName: 'a\\b' })), ['a-b']);
  });

  it('refuses a document folder or name that escapes', () => {
    refusal(resolveAssetsFolder('${documentDirName}/images', { documentDirName: '../x' }));
    refusal(resolveAssetsFolder('${documentDirName}/../../x', { documentDirName: 'a' }));
    refusal(resolveAssetsFolder('${documentBaseName}', { documentBaseName: '..' }));
  });

  it('refuses an unknown variable, naming it and the known ones', () => {
    const error = refusal(resolveAssetsFolder('${foo}/x'));
    assert.deepEqual(
      { reason: error.reason, value: error.facts.value, variable: error.facts.variable, allowed: error.facts.allowed },
      {
        reason: 'unknown-variable',
        value: '${foo}/x',
        variable: '${foo}',
        allowed: ['${documentDirName}', '${documentBaseName}'],
      },
    );
    assert.equal(refusal(resolveAssetsFolder('${workspaceFolder}/img')).facts.variable, '${workspaceFolder}');
    assert.equal(refusal(resolveAssetsFolder('${documentDirname}')).facts.variable, '${documentDirname}');
  });

  // Regression (was a bug): the doc comment says "Without a document the variables expand to nothing: `${documentDirName}/images` →
  // `images`", but the expansion gives "/images", which safeRelativeFolder refuses as absolute. The same happens for
  // a Markdown file at the workspace root (src/links/imageFiles.ts passes documentDirName ''), so the setting
  // "${documentDirName}/images" fails for every root-level document.
  it('expands ${documentDirName}/images to "images" without a document or at the root', () => {
    assert.deepEqual(okSegments(resolveAssetsFolder('${documentDirName}/images')), ['images']);
    assert.deepEqual(okSegments(resolveAssetsFolder('${documentDirName}/images', {})), ['images']);
    assert.deepEqual(okSegments(resolveAssetsFolder('${documentDirName}/images', { documentDirName: '' })), ['images']);
    assert.deepEqual(
      okSegments(
        resolveAssetsFolder('${documentDirName}/${documentBaseName}', {
          documentDirName: '',
          documentBaseName: 'README',
        }),
      ),
      ['README'],
    );
  });

  it('expands ${documentDirName} alone without a document to the workspace folder itself', () => {
    assert.deepEqual(okSegments(resolveAssetsFolder('${documentDirName}')), []);
  });
});

describe('naming properties (fast-check)', () => {
  const anyText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ unit: 'grapheme', maxLength: 100 }),
    fc.constantFrom(
      'con',
      'NUL',
      'com1',
      'LPT9',
      'aux',
      'prn',
      'CON.jpg',
      '..',
      '.',
      '/',
      '\\',
      'C:',
      '~',
      ' ',
      'a'.repeat(300),
    ),
  );

  it('for any prompt, the file name is safe on every file system', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom('jpg', 'png', 'webp', 'gif'), (prompt, extension) => {
        const name = imageFileName(prompt, extension);
        assert.ok(!UNSAFE_IN_FILE_NAMES.test(name), `unsafe character in ${JSON.stringify(name)}`);
        assert.ok(name.length <= 80, `${name.length} chars: ${name}`);
        assert.ok(name.endsWith(`.${extension}`), name);
        assert.ok(!WINDOWS_RESERVED.test(name.split('.')[0]), `reserved Windows name: ${name}`);
        assert.ok(!/[. ]$/.test(name), 'Windows drops a trailing dot or space');
        assert.ok(/^[a-z0-9]/.test(name), 'starts with a letter or digit (no dot-file, no leading hyphen)');
      }),
      { numRuns: 500 },
    );
  });

  it('for any prompt, the slug is lowercase words joined by single hyphens, capped, and not reserved', () => {
    fc.assert(
      fc.property(anyText, (prompt) => {
        const slug = slugFromPrompt(prompt);
        assert.match(slug, /^[a-z0-9]+(-[a-z0-9]+)*$/);
        assert.ok(slug.length <= MAX_SLUG_LENGTH, slug);
        assert.ok(!WINDOWS_RESERVED.test(slug), slug);
      }),
      { numRuns: 500 },
    );
  });

  it('for any prompt, extension and suffix text, the name has no separator or unsafe character', () => {
    fc.assert(
      fc.property(
        anyText,
        fc.string({ unit: 'binary', maxLength: 20 }),
        fc.string({ unit: 'binary', maxLength: 40 }),
        (prompt, extension, suffix) => {
          const name = imageFileName(prompt, extension, suffix);
          assert.ok(!UNSAFE_IN_FILE_NAMES.test(name), `unsafe character in ${JSON.stringify(name)}`);
          assert.match(name, /\.[a-z0-9]+$/);
          assert.equal(name.split('.').length, 2, `exactly one dot: ${name}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('for any folder string, resolveAssetsFolder refuses or gives clean segments', () => {
    const piece = fc.constantFrom(
      'a',
      'images',
      '..',
      '.',
      '...',
      '/',
      '//',
      '\\',
      '~',
      ':',
      'C:',
      ' ',
      '${documentDirName}',
      '${documentBaseName}',
      '${x}',
      '$',
      '{',
      '}',
      'é',
      '\u0000',
      '*',
      '?',
    );
    const folder = fc.oneof(
      fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join('')),
      fc.string({ unit: 'binary', maxLength: 40 }),
    );
    const documentPart = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom('', 'docs', 'docs/guide', '..', '../x', 'a/../..', '/abs', 'C:\\w'),
      fc.string({ unit: 'binary', maxLength: 20 }),
    );
    fc.assert(
      fc.property(folder, documentPart, documentPart, (pattern, documentDirName, documentBaseName) => {
        const result = resolveAssetsFolder(pattern, { documentDirName, documentBaseName });
        if (!result.ok) {
          assert.equal(result.error.kind, 'invalid-setting');
          assert.ok(result.error.reason, 'a reason');
          return;
        }
        for (const segment of result.segments) {
          assert.notEqual(segment, '..', JSON.stringify(result.segments));
          assert.notEqual(segment, '.', JSON.stringify(result.segments));
          assert.notEqual(segment, '', JSON.stringify(result.segments));
          assert.ok(!/[/\\]/.test(segment), `separator in segment ${JSON.stringify(segment)}`);
          // eslint-disable-next-line no-control-regex
          assert.ok(!/[\u0000-\u001f<>:"|?*]/.test(segment), `unsafe character in segment ${JSON.stringify(segment)}`);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('file names from ${documentBaseName} a repository chose (issue 24)', () => {
  const name = (documentBaseName: string) =>
    templatedFileName('${documentBaseName}', { prompt: 'x', documentBaseName }, 'png');
  it('never a Windows device name, whatever follows the dot, the superscript digits included', () => {
    for (const [base, expected] of [
      ['con.notes', 'con-image.notes.png'],
      ['COM¹', 'COM¹-image.png'],
      ['lpt³.draft', 'lpt³-image.draft.png'],
      ['nul', 'nul-image.png'],
      ['console', 'console.png'],
    ]) {
      assert.equal(name(base), expected, base);
    }
  });
  it('no bidirectional control that makes a name read backwards', () => {
    const named = name('invoice\u202egnp.exe');
    assert.ok(!/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(named), JSON.stringify(named));
  });
});
