// "Replace the Link" and "Insert Beside" after an image action (src/core/linkRetarget.ts): the link points at the new
// file, in the format's own encoding, and everything else the author wrote (alt text, title, attributes) is kept.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { LINK_FORMAT_IDS, LINK_FORMATS, type LinkFormatId, type Placement } from '../../src/core/linkFormats';
import { besideImageLinks, retargetImageLink } from '../../src/core/linkRetarget';
import { latexNameSegment } from './latexSamples';

const NEW_PATH = '../out/banner-reframe 16x9 (1).jpg';

/** The targets the format's own reader (the hover's, Find Unused Images') finds in a text. */
const targets = (format: LinkFormatId, text: string) => LINK_FORMATS[format].findLinks(text).map((link) => link.target);

describe('retargeting an image link', () => {
  describe('one example per form', () => {
    const cases: Array<[LinkFormatId, string, string]> = [
      [
        'markdown',
        '![A "cat", \\[1\\]](assets/a%20cat.png)',
        '![A "cat", \\[1\\]](../out/banner-reframe%2016x9%20%281%29.jpg)',
      ],
      [
        'markdown',
        '![Hero](<assets/a cat.png> "The title")',
        '![Hero](../out/banner-reframe%2016x9%20%281%29.jpg "The title")',
      ],
      ['markdown', '![Hero][hero]', '![Hero](../out/banner-reframe%2016x9%20%281%29.jpg)'],
      ['markdown', '![Hero]', '![Hero](../out/banner-reframe%2016x9%20%281%29.jpg)'],
      ['markdown', '[hero]: assets/a.png "Title"', '[hero]: ../out/banner-reframe%2016x9%20%281%29.jpg "Title"'],
      [
        'markdown',
        '<img src="assets/a.png" alt="A &quot;cat&quot;" class="wide">',
        '<img src="../out/banner-reframe%2016x9%20%281%29.jpg" alt="A &quot;cat&quot;" class="wide">',
      ],
      ['mdx', '![A \\{cat\\}](a.png)', '![A \\{cat\\}](../out/banner-reframe%2016x9%20%281%29.jpg)'],
      [
        'html',
        '<img class="hero" src=a.png alt="A cat" width="800" height="450">',
        '<img class="hero" src="../out/banner-reframe%2016x9%20%281%29.jpg" alt="A cat" width="800">',
      ],
      [
        'jsx',
        '<img src={"a.png"} alt="A cat" height={450} />',
        '<img src="../out/banner-reframe%2016x9%20%281%29.jpg" alt="A cat" height={450} />',
      ],
      [
        'svelte',
        '<img alt="A &#123;cat&#125;" src=\'a.png\' />',
        '<img alt="A &#123;cat&#125;" src="../out/banner-reframe%2016x9%20%281%29.jpg" />',
      ],
      [
        'asciidoc',
        'image::assets/a.png["A \\"cat\\"",800,450]',
        'image::../out/banner-reframe%2016x9%20%281%29.jpg["A \\"cat\\"",800,450]',
      ],
      ['asciidoc', 'image:a.png[A cat]', 'image:../out/banner-reframe%2016x9%20%281%29.jpg[A cat]'],
      ['restructuredtext', '   .. image:: assets/a\\ cat.png', '   .. image:: ../out/banner-reframe\\ 16x9\\ (1).jpg'],
      ['restructuredtext', '.. figure:: a.png  ', '.. figure:: ../out/banner-reframe\\ 16x9\\ (1).jpg  '],
      [
        'latex',
        '\\includegraphics[width=\\linewidth]{assets/a cat.png}',
        '\\includegraphics[width=\\linewidth]{../out/banner-reframe 16x9 (1).jpg}',
      ],
    ];
    for (const [format, before, after] of cases)
      it(`${format}: ${before}`, () => {
        assert.equal(retargetImageLink(format, before, NEW_PATH), after);
        assert.deepEqual(targets(format, after), [NEW_PATH], 'the format reads the new file');
      });
  });

  it('text that is not an image link of the format is left alone', () => {
    const cases: Array<[LinkFormatId, string]> = [
      ['markdown', '[a link](a.png)'],
      ['markdown', '![alt](a.png) and more'],
      ['markdown', 'plain text'],
      ['html', '<a href="a.png">'],
      ['jsx', '<img src={hero} />'],
      ['asciidoc', 'link:a.png[]'],
      ['restructuredtext', '.. note:: a.png'],
      ['latex', '\\input{a.tex}'],
    ];
    for (const [format, text] of cases) assert.equal(retargetImageLink(format, text, NEW_PATH), undefined, text);
  });

  it('for any paths and alt text, every format built link leads to the new file and reads back to the old', () => {
    const character = fc.constantFrom(..."abcXYZ019-_. ()#%&+,;=@!$'[]{}~éü猫".split(/(?:)/u));
    const segment = fc
      .array(character, { minLength: 1, maxLength: 10 })
      .map((characters) => characters.join(''))
      .filter((name) => name.trim() === name && name !== '.' && name !== '..');
    const pathOf = (segments: fc.Arbitrary<string>) =>
      fc.array(segments, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
    const alt = fc
      .array(fc.constantFrom(...'ab Z9,."\'[]{}<>&#_=()*!'.split('')), { maxLength: 16 })
      .map((characters) => characters.join('').replace(/\s+/g, ' ').trim());
    fc.assert(
      fc.property(
        fc.constantFrom(...LINK_FORMAT_IDS),
        fc.constantFrom<Placement>('inline', 'block'),
        pathOf(segment),
        pathOf(segment),
        pathOf(latexNameSegment),
        pathOf(latexNameSegment),
        alt,
        (format, placement, from, to, latexFrom, latexTo, text) => {
          const [old, next] = format === 'latex' ? [latexFrom, latexTo] : [from, to];
          // A block form is several lines (a figure, a directive's options): the link is what the reader finds.
          const written = LINK_FORMATS[format].build({ path: old, alt: text, width: 640 }, placement);
          const retargeted = (document: string, path: string) => {
            const [found] = LINK_FORMATS[format].findLinks(document);
            assert.ok(found, document);
            const link = retargetImageLink(format, document.slice(found.start, found.end), path);
            assert.ok(link !== undefined, document);
            return `${document.slice(0, found.start)}${link}${document.slice(found.end)}`;
          };
          const moved = retargeted(written, next);
          const expected = LINK_FORMATS[format].build({ path: next, alt: text, width: 640 }, placement);
          assert.deepEqual(targets(format, moved), targets(format, expected), moved);
          assert.equal(retargeted(moved, old), written, 'nothing else changed');
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('inserting a link beside another', () => {
  it('puts the same link to the new file right after it, after a space', () => {
    const text = 'Intro ![The banner](banner.jpg "Title") and text.';
    const start = text.indexOf('![');
    const end = text.indexOf(') and') + 1;
    const beside = besideImageLinks('markdown', text, { start, end }, ['banner-reframe-16x9.jpg']);
    assert.deepEqual(beside, { offset: end, text: ' ![The banner](banner-reframe-16x9.jpg "Title")' });
  });

  it('reStructuredText: a new directive after the options of the old one, at its indentation', () => {
    const text = [
      'Text',
      '',
      '  .. image:: banner.jpg',
      '     :alt: The banner',
      '     :width: 800px',
      '',
      'More',
    ].join('\n');
    const start = text.indexOf('  .. image');
    const end = text.indexOf('banner.jpg') + 'banner.jpg'.length;
    const beside = besideImageLinks('restructuredtext', text, { start, end }, ['banner-remix.jpg']);
    assert.ok(beside);
    const written = `${text.slice(0, beside.offset)}${beside.text}${text.slice(beside.offset)}`;
    assert.equal(
      written,
      [
        'Text',
        '',
        '  .. image:: banner.jpg',
        '     :alt: The banner',
        '     :width: 800px',
        '',
        '  .. image:: banner-remix.jpg',
        '',
        'More',
      ].join('\n'),
    );
    assert.deepEqual(targets('restructuredtext', written), ['banner.jpg', 'banner-remix.jpg']);
  });

  it('nothing when the text there is no longer an image link, or there is nothing to link', () => {
    assert.equal(besideImageLinks('markdown', 'no link here', { start: 0, end: 7 }, ['a.png', 'b.png']), undefined);
    assert.equal(besideImageLinks('markdown', '![A](a.png)', { start: 0, end: 11 }, []), undefined);
  });

  // An action's several results (Reframe to three sizes) go in as one insertion: one edit, so one Undo.
  const SEVERAL = ['banner-reframe-16x9.jpg', 'banner-reframe og card.jpg', 'banner-reframe-1x1.jpg'];
  const ONE_PER_FORMAT: Record<LinkFormatId, string> = {
    markdown: '![The banner](banner.jpg "Title")',
    mdx: '![The banner](banner.jpg)',
    html: '<img src="banner.jpg" alt="The banner" width="800" height="450">',
    jsx: '<img src={"banner.jpg"} alt="The banner" />',
    vue: '<img src="banner.jpg" alt="The banner">',
    svelte: '<img src=\'banner.jpg\' alt="The banner" />',
    asciidoc: 'image::banner.jpg[The banner]',
    restructuredtext: '.. image:: banner.jpg\n   :alt: The banner',
    latex: '\\includegraphics[width=\\linewidth]{banner.jpg}',
  };
  for (const format of LINK_FORMAT_IDS)
    it(`${format}: several results in one insertion, in their order after the original, each read by the format`, () => {
      const link = ONE_PER_FORMAT[format];
      const text = `Intro\n\n${link}\n\nMore text.\n`;
      const start = text.indexOf(link);
      // reStructuredText's link is the directive's line; its option lines follow it.
      const end = start + link.split('\n')[0].length;
      const beside = besideImageLinks(format, text, { start, end }, SEVERAL);
      assert.ok(beside);
      const written = `${text.slice(0, beside.offset)}${beside.text}${text.slice(beside.offset)}`;
      assert.deepEqual(targets(format, written), ['banner.jpg', ...SEVERAL]);
      assert.ok(written.startsWith(`Intro\n\n${link}`), 'the original link is untouched');
      assert.ok(written.endsWith('\n\nMore text.\n'), 'the text after it is untouched');
      // The same text as inserting each alone, the last first (what one edit a link wrote before).
      let oneByOne = text;
      for (const path of [...SEVERAL].reverse()) {
        const each = besideImageLinks(format, oneByOne, { start, end }, [path]);
        assert.ok(each);
        oneByOne = `${oneByOne.slice(0, each.offset)}${each.text}${oneByOne.slice(each.offset)}`;
      }
      assert.equal(written, oneByOne);
    });
});
