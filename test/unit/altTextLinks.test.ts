// Unit tests for alt text in image links (src/core/altTextLinks.ts): which links lack it, and that writing it
// keeps the link a link to the same file, in every format that has a reader.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND } from '../../src/common/ids';
import {
  ALT_TEXT_LANGUAGES_WHEN,
  ALT_TEXT_SYNTAX,
  altTextLinks,
  altTextReplacement,
  applyReplacement,
  hasMissingAltText,
  lacksAltText,
} from '../../src/core/altTextLinks';
import { LINK_FORMAT_IDS, LINK_FORMATS, type LinkFormatId } from '../../src/core/linkFormats';

/** Writes `alt` into the only link of `text` and returns the new text. */
function withAlt(format: LinkFormatId, text: string, alt: string): string {
  const [link] = altTextLinks(format, text);
  assert.ok(link, `a link in ${JSON.stringify(text)}`);
  const replacement = altTextReplacement(link, alt);
  assert.ok(replacement, 'the link can be rewritten');
  return applyReplacement(text, replacement);
}

describe('alt text in image links', () => {
  describe('which links lack alt text', () => {
    const missing = (format: LinkFormatId, text: string) =>
      altTextLinks(format, text).map((link) => [link.target, hasMissingAltText(link), lacksAltText(link)]);

    it('finds an empty Markdown alt and one that is just the file name, not a real description', () => {
      const text = '![](shot.png) ![shot.png](img/shot.png) ![Hero Banner](hero-banner.jpg) ![A cat on a mat](cat.png)';
      assert.deepEqual(missing('markdown', text), [
        ['shot.png', true, true],
        ['img/shot.png', true, true],
        ['hero-banner.jpg', true, true],
        ['cat.png', false, false],
      ]);
    });

    it('treats an <img> without alt as lacking it, and alt="" as decorative (offered, not listed)', () => {
      const text = '<img src="a.png"> <img src="b.png" alt=""> <img alt src="c.png"> <img src="d.png" alt="A dog">';
      assert.deepEqual(missing('html', text), [
        ['a.png', true, true],
        ['b.png', true, false],
        ['c.png', true, false],
        ['d.png', false, false],
      ]);
    });

    it('does not judge JSX alt text that comes from an expression or a spread', () => {
      const text = '<img src="a.png" alt={caption} />\n<img {...props} src="b.png" />\n<img src={"c.png"} alt={"c"} />';
      assert.deepEqual(missing('jsx', text), [
        ['a.png', false, false],
        ['b.png', false, false],
        ['c.png', true, true],
      ]);
    });

    it('skips images inside Markdown code blocks, code spans and comments', () => {
      const text = [
        '```md',
        '![](in-fence.png)',
        '```',
        'Use `![](in-span.png)` like this. <!-- ![](in-comment.png) -->',
        '![](real.png)',
      ].join('\n');
      assert.deepEqual(
        altTextLinks('markdown', text).map((link) => link.target),
        ['real.png'],
      );
    });

    it('reads AsciiDoc alt text: the first positional attribute, or a named alt', () => {
      const text =
        'image:a.png[] image::b.png[,300] image:c.png[Sunset,300] image:d.png["A, b"] image:e.png[width=300] image:f.png[alt=f]';
      assert.deepEqual(
        altTextLinks('asciidoc', text).map((link) => [link.target, link.alt, hasMissingAltText(link)]),
        [
          ['a.png', undefined, true],
          ['b.png', '', true],
          ['c.png', 'Sunset', false],
          ['d.png', 'A, b', false],
          ['e.png', undefined, true],
          ['f.png', 'f', true],
        ],
      );
      const listing = ['----', 'image::in-listing.png[]', '----', '// image::commented.png[]', 'image::real.png[]'];
      assert.deepEqual(
        altTextLinks('asciidoc', listing.join('\n')).map((link) => link.target),
        ['real.png'],
      );
      assert.equal(withAlt('asciidoc', 'image::b.png[,300]', 'A, b'), 'image::b.png["A, b",300]');
      assert.equal(withAlt('asciidoc', 'image:e.png[width=300]', 'Cat'), 'image:e.png[Cat,width=300]');
      assert.equal(withAlt('asciidoc', 'image:f.png[alt=f]', 'A cat'), 'image:f.png[alt=A cat]');
    });

    it('reads <img> tags in Markdown and MDX too, with their own escaping', () => {
      const [markdownLink] = altTextLinks('markdown', 'Text <img src="x.png"> text');
      assert.equal(markdownLink?.writtenAs, 'html');
      const [mdxLink] = altTextLinks('mdx', '<img src="x.png" />');
      assert.equal(mdxLink?.writtenAs, 'jsx');
    });

    it('has a row for every link format, and the palette offers the command in exactly those languages', () => {
      assert.deepEqual(Object.keys(ALT_TEXT_SYNTAX).sort(), [...LINK_FORMAT_IDS].sort());
      const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
        contributes: { menus: { commandPalette: Array<{ command: string; when?: string }> } };
      };
      const entry = manifest.contributes.menus.commandPalette.find((item) => item.command === COMMAND.writeAltText);
      assert.equal(entry?.when, ALT_TEXT_LANGUAGES_WHEN);
    });
  });

  describe('writing alt text', () => {
    it('writes Markdown alt text escaped, in one replacement of the brackets', () => {
      assert.equal(
        withAlt('markdown', 'See ![](shot.png).', 'A [red] *car*'),
        'See ![A \\[red\\] \\*car\\*](shot.png).',
      );
    });

    it('adds an alt attribute to an <img> without one, right after its name', () => {
      assert.equal(
        withAlt('html', '<img src="a.png">', 'Say "hi" & <wave>'),
        '<img alt="Say &quot;hi&quot; &amp; &lt;wave&gt;" src="a.png">',
      );
    });

    it('replaces a single-quoted, bare or JSX string value with a double-quoted one', () => {
      assert.equal(withAlt('html', "<img src='a.png' alt='a'>", "It's"), "<img src='a.png' alt=\"It's\">");
      assert.equal(withAlt('html', '<img src=a.png alt=a>', 'A b'), '<img src=a.png alt="A b">');
      assert.equal(withAlt('jsx', '<img src="a.png" alt={"a.png"} />', 'A {b}'), '<img src="a.png" alt="A {b}" />');
      assert.equal(withAlt('svelte', '<img src="a.png" />', 'A {b}'), '<img alt="A &#123;b&#125;" src="a.png" />');
      assert.equal(withAlt('html', '<img alt src="a.png">', 'A'), '<img alt="A" src="a.png">');
    });

    it('writes the alt text on one line', () => {
      assert.equal(withAlt('markdown', '![](a.png)', ' two\n lines '), '![two lines](a.png)');
    });

    it('refuses to rewrite an expression', () => {
      const [link] = altTextLinks('jsx', '<img src="a.png" alt={caption} />');
      assert.ok(link);
      assert.equal(altTextReplacement(link, 'x'), undefined);
    });
  });

  describe('property: the link still loads the same file and reads back the new alt text', () => {
    const formats = LINK_FORMAT_IDS.filter((id) => ALT_TEXT_SYNTAX[id] !== undefined);
    const segment = fc.string({ minLength: 1, maxLength: 12 }).filter((part) => part !== '.' && part !== '..');
    const path = fc
      .array(segment, { minLength: 1, maxLength: 3 })
      .map((parts) => `${parts.join('/')}.png`)
      .filter((value) => [...value].every((character) => character.charCodeAt(0) >= 0x20 && character !== '\u007f'));
    const alt = fc
      .string({ maxLength: 40, unit: fc.constantFrom(...'ab Z.,;:!?\'"`*_[]()<>{}&#\\/-=é中'.split('')) })
      .map((text) => text.replace(/\s+/g, ' ').trim())
      // Describe's text is never empty (an empty answer is a failure, core/describeCall.ts).
      .filter((text) => text !== '');
    const surrounding = fc.constantFrom(['', ''], ['Before ', ' after.'], ['# Title\n\n', '\n\nMore text.\n']);

    for (const format of formats) {
      it(`${format}: a built link given alt text`, () => {
        fc.assert(
          fc.property(path, alt, surrounding, (file, newAlt, [before, after]) => {
            const link = LINK_FORMATS[format].build({ path: file, alt: '' }, 'inline');
            const text = `${before}${link}${after}`;
            const [original] = LINK_FORMATS[format].findLinks(text);
            const written = withAlt(format, text, newAlt);
            const reread = LINK_FORMATS[format].findLinks(written);
            assert.equal(reread.length, 1, written);
            assert.equal(reread[0]?.target, original?.target, written);
            assert.equal(reread[0]?.start, original?.start, written);
            const [withText] = altTextLinks(format, written);
            assert.equal(withText?.alt, newAlt, written);
            assert.ok(written.startsWith(before) && written.endsWith(after), written);
          }),
          { numRuns: 300 },
        );
      });
    }
  });
});
