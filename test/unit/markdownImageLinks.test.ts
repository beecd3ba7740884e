// Which image a position in a Markdown line points at (src/core/markdownImageLinks.ts), for the hover.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { imageLinkAt, isLocalImageTarget, referenceDefinitions } from '../../src/core/markdownImageLinks';

const noDefinitions = () => undefined;

describe('image links in Markdown', () => {
  it('finds an inline image under the cursor, anywhere from ! to )', () => {
    const line = 'See ![A lighthouse](../assets/lighthouse.png "title") here';
    const start = line.indexOf('!');
    const end = line.indexOf(')') + 1;
    assert.equal(imageLinkAt(line, start - 2, noDefinitions), undefined, 'before the link');
    for (const column of [start, start + 5, end - 1, end]) {
      assert.deepEqual(imageLinkAt(line, column, noDefinitions), { target: '../assets/lighthouse.png', start, end });
    }
    assert.equal(imageLinkAt(line, end + 2, noDefinitions), undefined, 'after the link');
  });

  it('reads <…> destinations with spaces, escapes and parentheses', () => {
    assert.equal(imageLinkAt('![a](<assets/my image.png>)', 3, noDefinitions)?.target, 'assets/my image.png');
    assert.equal(imageLinkAt('![a](assets/a\\(1\\).png)', 3, noDefinitions)?.target, 'assets/a(1).png');
    assert.equal(imageLinkAt('![a](assets/a(1).png)', 3, noDefinitions)?.target, 'assets/a(1).png');
    assert.equal(imageLinkAt('![a \\] b](x.jpg)', 3, noDefinitions)?.target, 'x.jpg');
  });

  it('finds <img src> with any quoting', () => {
    assert.equal(
      imageLinkAt('<p><img alt="x" src="assets/a.png" width="200"></p>', 10, noDefinitions)?.target,
      'assets/a.png',
    );
    assert.equal(imageLinkAt("<img src='b.jpg'>", 3, noDefinitions)?.target, 'b.jpg');
    assert.equal(imageLinkAt('<IMG SRC=c.gif>', 3, noDefinitions)?.target, 'c.gif');
  });

  it('resolves reference images through the definitions, and hovers the definition itself', () => {
    const lines = [
      '![Logo][logo] and ![Hero] and ![x][]',
      '',
      '[LOGO]: <assets/logo.png> "Logo"',
      '  [hero]: assets/hero.jpg',
      '[x]: x.png',
    ];
    const definitions = referenceDefinitions(lines);
    assert.deepEqual(
      [...definitions],
      [
        ['logo', 'assets/logo.png'],
        ['hero', 'assets/hero.jpg'],
        ['x', 'x.png'],
      ],
    );
    const lookup = (label: string) => definitions.get(label);
    assert.equal(imageLinkAt(lines[0], 3, lookup)?.target, 'assets/logo.png');
    assert.equal(imageLinkAt(lines[0], lines[0].indexOf('Hero'), lookup)?.target, 'assets/hero.jpg');
    assert.equal(imageLinkAt(lines[0], lines[0].indexOf('![x]') + 2, lookup)?.target, 'x.png');
    assert.equal(imageLinkAt(lines[2], 1, lookup)?.target, 'assets/logo.png');
    assert.equal(imageLinkAt('![missing][nowhere]', 3, lookup), undefined);
  });

  it('tells local files from web addresses and data URLs', () => {
    for (const local of ['assets/a.png', '/docs/a.png', 'file:///w/a.png', 'C:/w/a.png', '../a b.png'])
      assert.ok(isLocalImageTarget(local), local);
    for (const remote of [
      'https://example.com/a.png',
      'http://x/a.png',
      'data:image/png;base64,AAA',
      'vscode://x',
      '#anchor',
      '',
    ])
      assert.ok(!isLocalImageTarget(remote), remote);
  });

  it('finds the link under the cursor wherever it sits in a line of plain text (property)', () => {
    const plain = fc.string({ maxLength: 40, unit: fc.constantFrom('a', 'b', ' ', '.', ',', '-', 'é') });
    const name = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('a', 'z', '0', '-', '_', '.', '/') });
    fc.assert(
      fc.property(plain, plain, plain, name, fc.nat(), (before, alt, after, target, offset) => {
        const link = `![${alt}](${target}.png)`;
        const line = `${before}${link}${after}`;
        const column = before.length + (offset % (link.length + 1));
        assert.deepEqual(imageLinkAt(line, column, noDefinitions), {
          target: `${target}.png`,
          start: before.length,
          end: before.length + link.length,
        });
        if (before.length > 0)
          assert.equal(imageLinkAt(line, before.length - 1, noDefinitions), undefined, 'before the link');
      }),
    );
  });

  it('never throws, and a link it finds is under the cursor, on any line (property)', () => {
    const line = fc.string({
      maxLength: 300,
      unit: fc.constantFrom('!', '[', ']', '(', ')', '<', '>', '"', "'", '\\', ' ', 'a', '.png', 'src=', '<img ', ':'),
    });
    // The cursor is somewhere in the line or right after it, as in an editor.
    fc.assert(
      fc.property(line, fc.nat(), (text, position) => {
        const column = position % (text.length + 1);
        const link = imageLinkAt(text, column, () => 'x.png');
        if (link)
          assert.ok(
            link.start <= column && column <= link.end,
            `${JSON.stringify(link)} at ${column} in ${JSON.stringify(text)}`,
          );
      }),
    );
    // Regular expressions that backtrack exponentially would never return here (the time is for the bench).
    assert.equal(imageLinkAt(`![${'['.repeat(19_000)}`, 5, noDefinitions), undefined);
    assert.equal(imageLinkAt(`![a](${'('.repeat(19_000)}`, 5, noDefinitions), undefined);
  });
});
