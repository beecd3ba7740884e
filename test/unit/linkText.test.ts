// Unit tests for Markdown image links (src/core/linkText.ts).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { altTextFromPrompt, encodeLinkPath, markdownImageLink, relativePath } from '../../src/core/linkText';

/** Splits `![alt](dest)` where alt may contain escaped brackets. */
function parseImageLink(link: string): { alt: string; destination: string } {
  const match = /^!\[((?:\\.|[^\\\]])*)\]\(([^()\s]*)\)$/s.exec(link);
  assert.ok(match, `not a well-formed Markdown image link: ${link}`);
  return { alt: match[1], destination: match[2] };
}

function decodeDestination(destination: string): string {
  return destination
    .split('/')
    .map((segment) => decodeURIComponent(segment))
    .join('/');
}

function isWellFormed(text: string): boolean {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** The alt text with every backslash escape removed: what is left must have no bracket. */
function withoutEscapes(alt: string): string {
  return alt.replace(/\\./gs, '');
}

describe('relativePath', () => {
  it('same folder', () => {
    assert.equal(relativePath('/w/docs', '/w/docs/a.png'), 'a.png');
    assert.equal(relativePath('/w/docs/', '/w/docs/a.png'), 'a.png', 'a trailing slash on the folder changes nothing');
  });

  it('sibling folders', () => {
    assert.equal(relativePath('/w/docs', '/w/assets/a.png'), '../assets/a.png');
    assert.equal(relativePath('/w/docs/guide', '/w/docs/images/a.png'), '../images/a.png');
  });

  it('deeper', () => {
    assert.equal(relativePath('/w', '/w/a/b/c.png'), 'a/b/c.png');
    assert.equal(relativePath('/w/docs', '/w/docs/assets/2026/a.png'), 'assets/2026/a.png');
  });

  it('shallower', () => {
    assert.equal(relativePath('/w/docs/deep/er', '/w/a.png'), '../../../a.png');
    assert.equal(relativePath('/w/docs', '/a.png'), '../../a.png');
  });

  it('from the root', () => {
    assert.equal(relativePath('/', '/a.png'), 'a.png');
    assert.equal(relativePath('/', '/x/a.png'), 'x/a.png');
  });

  it('does not treat a folder name prefix as a common folder', () => {
    assert.equal(relativePath('/w/doc', '/w/docs/a.png'), '../docs/a.png');
  });

  it('a file with the same name as the document folder', () => {
    assert.equal(relativePath('/w/docs', '/w/docs/docs'), 'docs');
  });

  it('Windows separators', () => {
    assert.equal(relativePath('C:\\w\\docs', 'C:\\w\\assets\\a.png'), '../assets/a.png');
    assert.equal(relativePath('C:\\w\\docs', 'C:\\w\\docs\\img\\a.png'), 'img/a.png');
    assert.equal(relativePath('C:\\w\\docs\\', 'C:/w/assets/a.png'), '../assets/a.png', 'mixed separators');
  });

  it('ignores "." segments', () => {
    assert.equal(relativePath('/w/./docs', '/w/docs/./a.png'), 'a.png');
  });
});

describe('encodeLinkPath', () => {
  it('keeps plain paths and slashes as they are', () => {
    assert.equal(encodeLinkPath('../assets/a-cat_2026.v1.png'), '../assets/a-cat_2026.v1.png');
  });

  it('encodes spaces', () => {
    assert.equal(encodeLinkPath('my images/a b.png'), 'my%20images/a%20b.png');
  });

  it('encodes #, ?, %, parentheses and brackets', () => {
    assert.equal(encodeLinkPath('a#b.png'), 'a%23b.png');
    assert.equal(encodeLinkPath('a?b.png'), 'a%3Fb.png');
    assert.equal(encodeLinkPath('100%.png'), '100%25.png');
    assert.equal(encodeLinkPath('cat (1).png'), 'cat%20%281%29.png');
    assert.equal(encodeLinkPath('[x]<y>.png'), '%5Bx%5D%3Cy%3E.png');
    assert.equal(encodeLinkPath("it's!*.png"), 'it%27s%21%2A.png');
  });

  it('keeps readable characters: , @ + = & ~', () => {
    assert.equal(encodeLinkPath('a,b@c+d=e&f~g.png'), 'a,b@c+d=e&f~g.png');
  });

  it('encodes non-ASCII as UTF-8', () => {
    assert.equal(encodeLinkPath('café/图像.png'), 'caf%C3%A9/%E5%9B%BE%E5%83%8F.png');
    assert.equal(encodeLinkPath('🎨.png'), '%F0%9F%8E%A8.png');
  });

  it('decodes back segment by segment', () => {
    const original = 'my (draft) #1/100% café/图像 [v2].png';
    assert.equal(decodeDestination(encodeLinkPath(original)), original);
  });
});

describe('altTextFromPrompt', () => {
  it('keeps a short prompt as it is', () => {
    assert.equal(altTextFromPrompt('A lighthouse at dawn'), 'A lighthouse at dawn');
  });

  it('escapes [ and ] (and backslashes)', () => {
    assert.equal(altTextFromPrompt('a [b] c'), 'a \\[b\\] c');
    assert.equal(altTextFromPrompt('a]('), 'a\\](');
    assert.equal(altTextFromPrompt('back\\slash'), 'back\\\\slash');
    assert.equal(altTextFromPrompt('\\]'), '\\\\\\]');
  });

  it('collapses newlines and runs of whitespace into single spaces, and trims', () => {
    assert.equal(altTextFromPrompt('  line one\n\nline two\r\n\tthree  '), 'line one line two three');
  });

  it('cuts long text at a word boundary with an ellipsis', () => {
    const alt = altTextFromPrompt('word '.repeat(40));
    assert.ok(alt.endsWith('…'));
    assert.ok(alt.length <= 121, `${alt.length}`);
    assert.ok(!alt.includes('wor…') && !alt.includes(' …'), alt);
    assert.equal(altTextFromPrompt('one two three four', 10), 'one two…');
  });

  it('cuts a long word hard', () => {
    const alt = altTextFromPrompt('x'.repeat(200));
    assert.equal(alt, `${'x'.repeat(120)}…`);
  });

  it('does not cut text at exactly the limit', () => {
    assert.equal(altTextFromPrompt('x'.repeat(120)), 'x'.repeat(120));
  });

  it('escapes brackets that survive the cut, and does not leave a dangling backslash', () => {
    const alt = altTextFromPrompt(`${'x'.repeat(119)}\\y`);
    assert.equal(withoutEscapes(alt).includes('\\'), false, alt);
    const bracketed = altTextFromPrompt(`[${'y'.repeat(150)}]`);
    assert.ok(bracketed.startsWith('\\['), bracketed);
    assert.ok(!/[[\]]/.test(withoutEscapes(bracketed)), bracketed);
  });

  it('gives an empty alt for a blank prompt', () => {
    assert.equal(altTextFromPrompt(' \n '), '');
  });
});

describe('markdownImageLink', () => {
  it('builds ![alt](relative/encoded/path)', () => {
    assert.equal(markdownImageLink('A cat', '/w/docs', '/w/docs/cat.png'), '![A cat](cat.png)');
    assert.equal(
      markdownImageLink('A cat [v2]', '/w/docs', '/w/assets/my cat (1).png'),
      '![A cat \\[v2\\]](../assets/my%20cat%20%281%29.png)',
    );
    assert.equal(
      markdownImageLink('Café\nau lait', '/w', '/w/images/café.jpg'),
      '![Café au lait](images/caf%C3%A9.jpg)',
    );
  });

  it('works from a Windows path', () => {
    assert.equal(markdownImageLink('x', 'C:\\w\\docs', 'C:\\w\\assets\\a b.png'), '![x](../assets/a%20b.png)');
  });
});

describe('markdownLink properties (fast-check)', () => {
  const segmentCharacter = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...'abcXYZ019-_.') },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        ' ',
        '(',
        ')',
        '#',
        '%',
        '?',
        '[',
        ']',
        '<',
        '>',
        "'",
        '!',
        '*',
        '&',
        '+',
        '=',
        ',',
        '@',
        '~',
        ';',
        '`',
        '"',
        '{',
        '}',
        '^',
        '|',
        '$',
      ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom('é', 'ü', 'ß', '图', '像', 'Ж', '🎨', '👩‍👩‍👧', '\u00a0', '\u200b', '%20', '%2F', '%'),
    },
  );
  const segment = fc
    .array(segmentCharacter, { minLength: 1, maxLength: 10 })
    .map((characters) => characters.join(''))
    .filter((text) => text !== '.' && text !== '..');
  const folder = fc.array(segment, { maxLength: 4 });

  const layout = fc.record({
    common: folder,
    documentTail: folder,
    imageTail: folder,
    fileName: segment,
    prompt: fc.string({ unit: 'grapheme', maxLength: 200 }),
  });

  it('decoding the destination and resolving it against the document folder gives the image file', () => {
    fc.assert(
      fc.property(layout, ({ common, documentTail, imageTail, fileName, prompt }) => {
        const documentFolder = `/${[...common, ...documentTail].join('/')}`;
        const imageFile = `/${[...common, ...imageTail, `${fileName}.png`].join('/')}`;
        const link = markdownImageLink(prompt, documentFolder, imageFile);
        const { destination } = parseImageLink(link);
        assert.equal(path.posix.resolve(documentFolder, decodeDestination(destination)), imageFile, link);
      }),
      { numRuns: 500 },
    );
  });

  it('the destination never has a raw space, parenthesis, #, ?, < or > and is ASCII', () => {
    fc.assert(
      fc.property(layout, ({ common, documentTail, imageTail, fileName, prompt }) => {
        const link = markdownImageLink(
          prompt,
          `/${[...common, ...documentTail].join('/')}`,
          `/${[...common, ...imageTail, fileName].join('/')}`,
        );
        const { destination } = parseImageLink(link);
        assert.ok(!/[\s()#?<>\\]/.test(destination), destination);
        assert.ok(/^[\x21-\x7e]*$/.test(destination), `non-ASCII in ${destination}`);
        // Every % starts a valid escape.
        assert.ok(!/%(?![0-9A-F]{2})/.test(destination), destination);
      }),
      { numRuns: 300 },
    );
  });

  it('the alt text never has an unescaped bracket, a newline, or a dangling backslash', () => {
    const prompt = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc
        .array(fc.constantFrom('[', ']', '\\', '(', ')', ' ', '\n', 'a', 'word ', '!'), { maxLength: 300 })
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(prompt, (text) => {
        const alt = altTextFromPrompt(text);
        assert.ok(!/[[\]]/.test(withoutEscapes(alt)), `unescaped bracket in ${JSON.stringify(alt)}`);
        assert.ok(!withoutEscapes(alt).includes('\\'), `dangling backslash in ${JSON.stringify(alt)}`);
        assert.ok(!/[\r\n]/.test(alt), JSON.stringify(alt));
        assert.ok(withoutEscapes(alt).length <= 121, `${alt.length}`);
        // The whole link still parses with this alt text.
        parseImageLink(markdownImageLink(text, '/w', '/w/a.png'));
      }),
      { numRuns: 500 },
    );
  });

  it('encodeLinkPath then per-segment decodeURIComponent is the identity', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !s.includes('/')),
          { minLength: 1, maxLength: 5 },
        ),
        (segments) => {
          // Lone surrogates cannot be percent-encoded; a real file name never has one.
          fc.pre(segments.every(isWellFormed));
          const original = segments.join('/');
          assert.equal(decodeDestination(encodeLinkPath(original)), original);
        },
      ),
      { numRuns: 300 },
    );
  });
});
