// Unit tests for the table of link formats (src/core/linkFormats.ts): every link is read back the way the
// format's renderer reads it, and must lead to the same file. The readers below are the test's own (written from
// the renderers' documented rules, using none of the module's decoders), so the module cannot agree with itself.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { relativePath } from '../../src/core/linkText';
import {
  findAnyImageLinks,
  formatForLanguage,
  LINK_FORMAT_IDS,
  LINK_FORMATS,
  markdownHtmlImage,
  SUPPORTED_LANGUAGES,
  SUPPORTED_LANGUAGES_WHEN,
  type LinkFormatId,
  type Placement,
} from '../../src/core/linkFormats';
import { latexCaption, LATEX_FILE_NAMES, latexNameSegment } from './latexSamples';

/** A URL path as a browser loads it: each segment percent-decoded. */
function decodeUrlPath(path: string): string {
  return path
    .split('/')
    .map((part) => decodeURIComponent(part))
    .join('/');
}

/** The character references the builders may write (the HTML renderer below refuses any other `&`). */
function decodeHtmlEntities(text: string): string {
  const references: Record<string, string> = {
    '&amp;': '&',
    '&quot;': '"',
    '&lt;': '<',
    '&gt;': '>',
    '&#123;': '{',
    '&#125;': '}',
  };
  return text.replace(/&(?:amp|quot|lt|gt|#123|#125);/g, (reference) => references[reference] ?? reference);
}

/**
 * docutils' `directives.uri`: backslash escapes become NULs (`escape2null`), the argument splits at escaped
 * whitespace, unescaped whitespace is dropped inside each part, the NULs go (`nodes.unescape`), parts join with a space.
 */
function docutilsUri(argument: string): string {
  let nulled = '';
  for (let index = 0; index < argument.length; index++) {
    nulled += argument[index] === '\\' ? `\0${argument[++index] ?? ''}` : argument[index];
  }
  return nulled
    .split(/\0[ \n]/)
    .map((part) => part.split(/\s+/).join('').split('\0').join(''))
    .join(' ');
}

/** What a renderer takes from a link: the path it loads (relative to the document) and the alt text it shows. */
interface Rendered {
  path: string;
  alt?: string;
}

/** Asciidoctor's attribute list: the first positional value, quoted or not. */
function asciidocFirstAttribute(list: string): string {
  const text = list.replace(/\\\]/g, ']');
  let value: string;
  if (text.startsWith('"')) {
    let end = 1;
    while (end < text.length && !(text[end] === '"' && text[end - 1] !== '\\')) end++;
    value = text.slice(1, end).replace(/\\"/g, '"');
  } else {
    value = text.split(',')[0] ?? '';
  }
  return value.replace(/&#123;/g, '{').replace(/&#92;/g, '\\');
}

/** The text commands a caption may use, and the character each prints. */
const LATEX_TEXT_COMMANDS: Record<string, string> = {
  textbackslash: '\\',
  textasciitilde: '~',
  textasciicircum: '^',
  textless: '<',
  textgreater: '>',
  textbar: '|',
};

/** LaTeX caption text back to characters (an empty group only keeps two characters from forming a ligature). */
function latexText(text: string): string {
  return text.replace(/\\([a-z]+)\{\}|\\([{}#$%&_])|\{\}/g, (whole, command?: string, character?: string) => {
    if (command !== undefined) {
      assert.ok(command in LATEX_TEXT_COMMANDS, `a known text command: ${whole}`);
      return LATEX_TEXT_COMMANDS[command] ?? '';
    }
    return character ?? '';
  });
}

/** The expl3 string constants (l3str) a file name may expand, each to its one character. */
const EXPL3_STRINGS: Record<string, string> = {
  c_hash_str: '#',
  c_percent_str: '%',
  c_left_brace_str: '{',
  c_right_brace_str: '}',
  c_backslash_str: '\\',
  c_tilde_str: '~',
  c_circumflex_str: '^',
  c_dollar_str: '$',
  c_ampersand_str: '&',
};

/**
 * The file name pdfTeX opens for the argument of `\includegraphics{…}`, read with TeX's own rules (The TeXbook,
 * ch. 8): a control word ends at the first non-letter and the spaces after it are skipped, a run of spaces is one
 * space token; then graphicx expands the name (`\csname … \endcsname`, `\string`, `\space`) and pdfTeX drops the
 * spaces at both ends. Everything else TeX would act on fails the assertion: `%` (a comment), `#` (graphicx
 * `\def`s the name), a brace (it counts while the argument is read), `~ $ & ^` (active or special), `"` (Web2C
 * removes quotes from file names).
 */
function texFileName(argument: string): string {
  const tokens: Array<{ word: string } | { character: string; special?: boolean }> = [];
  for (let index = 0; index < argument.length;) {
    const character = String.fromCodePoint(argument.codePointAt(index) ?? 0);
    if (character === '\\') {
      const word = /^[a-zA-Z]+/.exec(argument.slice(index + 1))?.[0];
      if (word) {
        tokens.push({ word });
        index += 1 + word.length;
        while (argument[index] === ' ') index++;
      } else {
        tokens.push({ word: argument[index + 1] ?? '' });
        index += 2;
      }
    } else if (character === ' ') {
      tokens.push({ character: ' ' });
      while (argument[index] === ' ') index++;
    } else {
      assert.ok(!/[%#{}"]/.test(character), `no ${character} in the file name: ${argument}`);
      tokens.push({ character, special: /[~$&^]/.test(character) });
      index += character.length;
    }
  }
  let name = '';
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if ('character' in token) {
      assert.ok(!token.special, `${token.character} only after \\string: ${argument}`);
      name += token.character;
    } else if (token.word === 'space') {
      name += ' ';
    } else if (token.word === 'string') {
      const next = tokens[++index];
      assert.ok(next && 'character' in next, `\\string of a character: ${argument}`);
      name += next.character;
    } else if (token.word === 'csname') {
      let constant = '';
      for (index++; index < tokens.length; index++) {
        const part = tokens[index]!;
        if ('word' in part) break;
        constant += part.character;
      }
      assert.equal((tokens[index] as { word?: string } | undefined)?.word, 'endcsname', argument);
      assert.ok(constant in EXPL3_STRINGS, `a string constant of the LaTeX kernel: ${constant}`);
      name += EXPL3_STRINGS[constant];
    } else {
      assert.fail(`no other control sequence in a file name: \\${token.word} in ${argument}`);
    }
  }
  return name.replace(/^ +| +$/g, '');
}

/** Each renderer's reading of a link, written independently of the code under test. */
const RENDERERS: Record<LinkFormatId, (link: string) => Rendered> = {
  markdown: (link) => {
    const match = /^!\[((?:\\.|[^\\\]])*)\]\(([^\s()<>]*)\)$/s.exec(link);
    assert.ok(match, `a CommonMark image: ${link}`);
    return { path: decodeUrlPath(match[2] ?? ''), alt: (match[1] ?? '').replace(/\\(.)/g, '$1') };
  },
  mdx: (link) => {
    const match = /^!\[((?:\\.|[^\\\]{}<>])*)\]\(([^\s()<>{}]*)\)$/s.exec(link);
    assert.ok(match, `an MDX image with no bare { or < in its text: ${link}`);
    return { path: decodeUrlPath(match[2] ?? ''), alt: (match[1] ?? '').replace(/\\(.)/g, '$1') };
  },
  html: (link) => htmlRenderer(link, '>'),
  jsx: (link) => htmlRenderer(link, ' />'),
  vue: (link) => htmlRenderer(link, ' />'),
  svelte: (link) => {
    assert.ok(!/[{}]/.test(link), `no Svelte expression braces: ${link}`);
    return htmlRenderer(link, ' />');
  },
  asciidoc: (link) => {
    const block = /^image::(\S|\S.*?\S)\[(.+)?\]$/.exec(link);
    const inline = /^image:([^:\s[](?:[^\n[]*[^\s[])?)\[(|.*?[^\\])\]$/.exec(link);
    const match = block ?? inline;
    assert.ok(match, `an Asciidoctor image macro: ${link}`);
    assert.ok(!/\{/.test(match[1] ?? ''), 'no attribute reference in the target');
    assert.ok(
      !/\{/.test(match[2] ?? ''),
      `no attribute reference in the alt text (Asciidoctor would substitute it): ${link}`,
    );
    return { path: decodeUrlPath(match[1] ?? ''), alt: asciidocFirstAttribute(match[2] ?? '') };
  },
  restructuredtext: (link) => {
    const [first = '', ...options] = link.split('\n');
    const match = /^\.\. image:: (.+)$/.exec(first);
    assert.ok(match, `a docutils image directive: ${link}`);
    const alt = options.map((line) => /^ {3}:alt: (.*)$/.exec(line)?.[1]).find((value) => value !== undefined);
    return { path: docutilsUri(match[1] ?? ''), alt };
  },
  latex: (link) => {
    const graphics = /\\includegraphics(?:\[[^\]]*\])?\{([^{}\n]*)\}/.exec(link);
    assert.ok(graphics, `\\includegraphics with a one-line file name and no braces: ${link}`);
    const caption = /\\caption\{((?:\\[a-z]+\{\}|\\[{}#$%&_]|\{\}|[^{}\\#$%&_~^<>|])*)\}/.exec(link);
    return {
      path: texFileName(graphics[1] ?? ''),
      alt: caption ? latexText(caption[1] ?? '') : undefined,
    };
  },
};

function htmlRenderer(link: string, close: string): Rendered {
  const match = new RegExp(
    `^<img src="([^"<>]*)" alt="([^"<>]*)"(?: width="\\d+")?(?: height="\\d+")?${close.replace('/', '\\/')}$`,
  ).exec(link);
  assert.ok(match, `an <img> element: ${link}`);
  assert.ok(!/&(?!(amp|quot|lt|gt|#123|#125);)/.test(link), `every & starts a character reference: ${link}`);
  return { path: decodeUrlPath(decodeHtmlEntities(match[1] ?? '')), alt: decodeHtmlEntities(match[2] ?? '') };
}

/** `/a/b/../c` → `/a/c`, as a browser or TeX resolves a relative path. */
function resolve(folder: string, relative: string): string {
  const segments = folder.split('/').filter(Boolean);
  for (const segment of relative.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '.' && segment !== '') segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

/** Names with what breaks links: spaces, parentheses, #, %, &, quotes, brackets, braces, non-ASCII. */
const nameCharacter = fc.constantFrom(...'abcXYZ019-_. ()#%&?+,;=@!$\'"[]{}<>~^éüß猫😀'.split(/(?:)/u));
const segment = fc
  .array(nameCharacter, { minLength: 1, maxLength: 12 })
  .map((characters) => characters.join(''))
  .filter((name) => name.trim() !== '' && name !== '.' && name !== '..' && name.trim() === name);
const absolutePath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join('/')}`);
const altText = fc
  .array(fc.constantFrom(...'ab Z9,."\'[]{}<>\\&#%_~^=()*!'.split('')), { maxLength: 20 })
  .map((characters) => characters.join('').replace(/\s+/g, ' ').trim());

describe('link formats', () => {
  it('every supported language has a format, and the `when` clause lists exactly them', () => {
    for (const language of SUPPORTED_LANGUAGES) assert.ok(formatForLanguage(language), language);
    assert.equal(formatForLanguage('python'), undefined);
    assert.equal(formatForLanguage('toString'), undefined, 'no prototype keys');
    for (const language of [
      'markdown',
      'mdx',
      'html',
      'asciidoc',
      'restructuredtext',
      'latex',
      'javascriptreact',
      'typescriptreact',
      'vue',
      'svelte',
    ]) {
      assert.ok(SUPPORTED_LANGUAGES_WHEN.includes(language), language);
    }
  });

  describe('one example per format', () => {
    const parts = { path: '../assets/a cat (1).png', alt: 'A "cat", [1]', width: 512, height: 256 };
    const examples: Array<[LinkFormatId, Placement, string, Partial<typeof parts>?]> = [
      ['markdown', 'inline', '![A "cat", \\[1\\]](../assets/a%20cat%20%281%29.png)'],
      ['mdx', 'inline', '![A "cat", \\[1\\]](../assets/a%20cat%20%281%29.png)'],
      [
        'html',
        'inline',
        '<img src="../assets/a%20cat%20%281%29.png" alt="A &quot;cat&quot;, [1]" width="512" height="256">',
      ],
      [
        'jsx',
        'inline',
        '<img src="../assets/a%20cat%20%281%29.png" alt="A &quot;cat&quot;, [1]" width="512" height="256" />',
      ],
      ['asciidoc', 'block', 'image::../assets/a%20cat%20%281%29.png["A \\"cat\\", [1\\]",512,256]'],
      ['asciidoc', 'inline', 'image:../assets/a%20cat%20%281%29.png["A \\"cat\\", [1\\]",512,256]'],
      ['asciidoc', 'inline', 'image:../assets/a%20cat%20%281%29.png[A &#123;cat},512,256]', { alt: 'A {cat}' }],
      [
        'restructuredtext',
        'block',
        '.. image:: ../assets/a\\ cat\\ (1).png\n   :alt: A "cat", [1]\n   :width: 512px\n   :height: 256px',
      ],
      [
        'restructuredtext',
        'block',
        '.. image:: a\\\\b\\ c.png',
        { path: 'a\\b c.png', alt: '', width: undefined, height: undefined },
      ],
      ['latex', 'inline', '\\includegraphics{../assets/a cat (1).png}'],
      [
        'latex',
        'block',
        '\\begin{figure}[htbp]\n  \\centering\n  \\includegraphics[width=\\linewidth]{../assets/a cat (1).png}\n  \\caption{A "cat", [1]}\n\\end{figure}',
      ],
    ];
    for (const [id, placement, expected, other] of examples) {
      it(`${id} (${placement})${other ? `: ${JSON.stringify(other)}` : ''}`, () => {
        const link = LINK_FORMATS[id].build({ ...parts, ...other }, placement);
        assert.equal(link, expected);
        const rendered = RENDERERS[id](link);
        assert.equal(rendered.path, other?.path ?? parts.path);
        if (rendered.alt !== undefined && (other?.alt ?? parts.alt) !== '')
          assert.equal(rendered.alt, other?.alt ?? parts.alt);
      });
    }

    it('escapes what renderers would eat: Markdown alt text keeps [ ] * _ ` < > \\; AsciiDoc paths encode ~ (issue 24)', () => {
      const alt = 'Logo for [ACME] *new* _v2_ `code` <b> back\\slash';
      assert.equal(
        LINK_FORMATS.markdown.build({ path: 'logo.png', alt }, 'inline'),
        '![Logo for \\[ACME\\] \\*new\\* \\_v2\\_ \\`code\\` \\<b\\> back\\\\slash](logo.png)',
      );
      assert.equal(
        LINK_FORMATS.mdx.build({ path: 'logo.png', alt: 'a {b} *c*' }, 'inline'),
        '![a \\{b\\} \\*c\\*](logo.png)',
      );
      const adoc = LINK_FORMATS.asciidoc.build({ path: '~home~/a~b.png', alt: 'x' }, 'inline');
      assert.equal(adoc, 'image:%7Ehome%7E/a%7Eb.png[x]');
      assert.deepEqual(
        LINK_FORMATS.asciidoc.findLinks(adoc).map((link) => link.target),
        ['~home~/a~b.png'],
      );
    });

    it('Markdown as <img> with a width', () => {
      assert.equal(
        markdownHtmlImage({ path: 'a b.png', alt: 'x & y', width: 300 }),
        '<img src="a%20b.png" alt="x &amp; y" width="300">',
      );
    });
  });

  for (const id of LINK_FORMAT_IDS) {
    for (const placement of ['inline', 'block'] as const) {
      it(`${id} (${placement}): the link leads back to the file and shows the alt text, for any file and folder names`, () => {
        fc.assert(
          fc.property(absolutePath, absolutePath, altText, (folder, file, alt) => {
            // TeX (Web2C) removes every `"` from a file name: no LaTeX link can lead to such a file.
            fc.pre(!(id === 'latex' && file.includes('"')));
            const relative = relativePath(folder, file);
            const link = LINK_FORMATS[id].build({ path: relative, alt }, placement);
            const rendered = RENDERERS[id](link);
            assert.equal(resolve(folder, rendered.path), resolve('/', file), `${link} from ${folder}`);
            if (rendered.alt !== undefined) assert.equal(rendered.alt, alt, link);
            const found = LINK_FORMATS[id].findLinks(`Text before\n${link}\ntext after`);
            assert.equal(found.length, 1, `the finder sees the link: ${link}`);
            assert.equal(found[0]?.target, rendered.path, 'the finder reads the path as the renderer does');
          }),
          { numRuns: 150 },
        );
      });
    }
  }

  describe('LaTeX: file names and captions TeX would act on (issue 24)', () => {
    for (const { name, written } of LATEX_FILE_NAMES) {
      it(`${JSON.stringify(name)} is written ${JSON.stringify(written)} and read back`, () => {
        const link = LINK_FORMATS.latex.build({ path: name, alt: '' }, 'inline');
        assert.equal(link, `\\includegraphics{${written}}`);
        assert.equal(resolve('/doc', RENDERERS.latex(link).path), resolve('/doc', name), 'TeX opens that file');
        const found = LINK_FORMATS.latex.findLinks(`Text \\includegraphics[width=3cm]{${written}} more`);
        assert.deepEqual(
          found.map((entry) => resolve('/doc', entry.target)),
          [resolve('/doc', name)],
          'the finder reads what the writer wrote',
        );
      });
    }

    it('a path that starts with a space starts with ./ (pdfTeX drops leading spaces)', () => {
      assert.equal(LINK_FORMATS.latex.build({ path: ' a.png', alt: '' }, 'inline'), '\\includegraphics{./ a.png}');
    });

    it('for any names of those characters, the link leads to the file and the finder reads it as TeX does', () => {
      const path = fc
        .array(latexNameSegment, { minLength: 1, maxLength: 3 })
        .map((segments) => `/${segments.join('/')}`);
      fc.assert(
        fc.property(path, path, fc.constantFrom<Placement>('inline', 'block'), (folder, file, placement) => {
          const relative = relativePath(folder, file);
          const link = LINK_FORMATS.latex.build({ path: relative, alt: 'x' }, placement);
          const opened = RENDERERS.latex(link).path;
          assert.equal(resolve(folder, opened), resolve('/', file), `${link} from ${folder}`);
          const found = LINK_FORMATS.latex.findLinks(`a\n${link}\nb`);
          assert.deepEqual(
            found.map((entry) => entry.target),
            [opened],
            link,
          );
        }),
        { numRuns: 300 },
      );
    });

    it('a caption shows the text as typed: escapes, glyphs the OT1 fonts would swap, no ligatures', () => {
      assert.equal(
        LINK_FORMATS.latex.escapeText("50% of #1 & {x} a_b ~^ \\ <b>|c -- ?` ,, ''"),
        '50\\% of \\#1 \\& \\{x\\} a\\_b \\textasciitilde{}\\textasciicircum{} \\textbackslash{} ' +
          "\\textless{}b\\textgreater{}\\textbar{}c -{}- ?{}` ,{}, '{}'",
      );
      fc.assert(
        fc.property(latexCaption, (alt) => {
          const link = LINK_FORMATS.latex.build({ path: 'a.png', alt }, 'block');
          const caption = /\\caption\{(.*)\}$/m.exec(link)?.[1] ?? '';
          assert.ok(!/--|,,|``|''|[!?]`/.test(caption), `no ligature: ${caption}`);
          assert.equal(RENDERERS.latex(link).alt, alt, link);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('finding existing links', () => {
    it('Markdown: inline, angle brackets, titles, reference definitions and HTML', () => {
      const text = '![a](img/a%20b.png "title") ![b](<img/c d.png>) <img src="x/y.png" alt="">\n[ref]: ../r.jpg\n';
      assert.deepEqual(
        LINK_FORMATS.markdown.findLinks(text).map((link) => link.target),
        ['img/a b.png', 'img/c d.png', 'x/y.png', '../r.jpg'],
      );
    });

    it('the file a link loads: a query or fragment dropped, an encoded # or ? kept as part of the name', () => {
      assert.deepEqual(
        LINK_FORMATS.markdown
          .findLinks('![a](img/a%23b.png?v=2#top) <img src="c%3Fd.png#x"> ![e](https://example.com/e.png?s=1)')
          .map((link) => link.target),
        ['img/a#b.png', 'c?d.png', 'https://example.com/e.png?s=1'],
      );
      assert.deepEqual(
        LINK_FORMATS.asciidoc.findLinks('image::a%23b.png#frag[x]').map((link) => link.target),
        ['a#b.png'],
      );
      assert.deepEqual(
        LINK_FORMATS.latex
          .findLinks('\\includegraphics{a\\csname c_hash_str\\endcsname b?.png}')
          .map((link) => link.target),
        ['a#b?.png'],
        'a LaTeX file name is no URL: # and ? are characters of it',
      );
    });

    it('JSX with an expression, single quotes and Svelte entities', () => {
      assert.deepEqual(
        LINK_FORMATS.jsx
          .findLinks('<img src={"a b.png"} /> <img src=\'c.png\'/> <img alt="" src="d&#123;.png" />')
          .map((link) => link.target),
        ['a b.png', 'c.png', 'd{.png'],
      );
    });

    it('reStructuredText figures and substitutions, LaTeX with options', () => {
      assert.deepEqual(
        LINK_FORMATS.restructuredtext
          .findLinks('.. figure:: a\\ b.png\n\n.. |logo| image:: logo.png\n')
          .map((link) => link.target),
        ['a b.png', 'logo.png'],
      );
      assert.deepEqual(
        LINK_FORMATS.latex
          .findLinks('\\includegraphics[scale=0.5]{fig/a\\string#b} \\includegraphics*{c}')
          .map((link) => link.target),
        ['fig/a#b', 'c'],
      );
    });

    it('findAnyImageLinks reads every format in one text', () => {
      const text = '![m](m.png)\nimage::a.png[]\n.. image:: r.png\n\\includegraphics{l.png}\n<img src="h.png">';
      assert.deepEqual(
        findAnyImageLinks(text)
          .map((link) => link.target)
          .sort(),
        ['a.png', 'h.png', 'l.png', 'm.png', 'r.png'],
      );
    });
  });
});
