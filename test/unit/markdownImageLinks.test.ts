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
    assert.equal(imageLinkAt('<p><img alt="x" src="assets/a.png" width="200"></p>', 10, noDefinitions)?.target, 'assets/a.png');
    assert.equal(imageLinkAt("<img src='b.jpg'>", 3, noDefinitions)?.target, 'b.jpg');
    assert.equal(imageLinkAt('<IMG SRC=c.gif>', 3, noDefinitions)?.target, 'c.gif');
  });

  it('resolves reference images through the definitions, and hovers the definition itself', () => {
    const lines = ['![Logo][logo] and ![Hero] and ![x][]', '', '[LOGO]: <assets/logo.png> "Logo"', '  [hero]: assets/hero.jpg', '[x]: x.png'];
    const definitions = referenceDefinitions(lines);
    assert.deepEqual([...definitions], [['logo', 'assets/logo.png'], ['hero', 'assets/hero.jpg'], ['x', 'x.png']]);
    const lookup = (label: string) => definitions.get(label);
    assert.equal(imageLinkAt(lines[0], 3, lookup)?.target, 'assets/logo.png');
    assert.equal(imageLinkAt(lines[0], lines[0].indexOf('Hero'), lookup)?.target, 'assets/hero.jpg');
    assert.equal(imageLinkAt(lines[0], lines[0].indexOf('![x]') + 2, lookup)?.target, 'x.png');
    assert.equal(imageLinkAt(lines[2], 1, lookup)?.target, 'assets/logo.png');
    assert.equal(imageLinkAt('![missing][nowhere]', 3, lookup), undefined);
  });

  it('tells local files from web addresses and data URLs', () => {
    for (const local of ['assets/a.png', '/docs/a.png', 'file:///w/a.png', 'C:/w/a.png', '../a b.png']) assert.ok(isLocalImageTarget(local), local);
    for (const remote of ['https://example.com/a.png', 'http://x/a.png', 'data:image/png;base64,AAA', 'vscode://x', '#anchor', '']) assert.ok(!isLocalImageTarget(remote), remote);
  });

  it('never throws and stays bounded on any line (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300, unit: fc.constantFrom('!', '[', ']', '(', ')', '<', '>', '"', "'", '\\', ' ', 'a', '.png', 'src=', '<img ', ':') }), fc.nat(300), (line, column) => {
      const link = imageLinkAt(line, column, () => 'x.png');
      if (link) assert.ok(link.start <= column && column <= link.end || link.start === 0);
    }));
    const started = Date.now();
    imageLinkAt(`![${'['.repeat(19_000)}`, 5, noDefinitions);
    imageLinkAt(`![a](${'('.repeat(19_000)}`, 5, noDefinitions);
    assert.ok(Date.now() - started < 1000, 'no catastrophic backtracking');
  });
});
