// The walk from a workspace folder down to a path (src/core/linksOnTheWay.ts), on the real file system, under the two
// rules its callers use: a picture to upload refuses any link on the way, an assets folder only a link out.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { anyLink, firstRefusedLink, type LinkRule, linkLeadingOutOf } from '../../src/core/linksOnTheWay';

describe('the links on the way from a workspace folder (firstRefusedLink)', () => {
  let scratch: string;
  let workspace: string;
  let outside: string;
  let linkOut: LinkRule;
  beforeEach(() => {
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ideogram-walk-')));
    workspace = path.join(scratch, 'workspace');
    outside = path.join(scratch, 'outside');
    fs.mkdirSync(workspace);
    fs.mkdirSync(outside);
    linkOut = linkLeadingOutOf(fs.realpathSync(workspace));
  });
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const inWorkspace = (...parts: string[]) => path.join(workspace, ...parts);
  const file = (at: string) => {
    fs.mkdirSync(path.dirname(at), { recursive: true });
    fs.writeFileSync(at, 'pixels');
  };

  it('a plain path: no link, under either rule', async () => {
    file(inWorkspace('docs', 'img', 'banner.png'));
    const target = inWorkspace('docs', 'img', 'banner.png');
    assert.equal(await firstRefusedLink(workspace, target, anyLink), undefined);
    assert.equal(await firstRefusedLink(workspace, target, linkOut), undefined);
  });

  it('a link on the way that stays inside: any-link names it, the link-out rule lets it be', async () => {
    file(inWorkspace('real', 'pic.png'));
    fs.symlinkSync(inWorkspace('real'), inWorkspace('inner'), 'dir');
    const target = inWorkspace('inner', 'pic.png');
    assert.equal(await firstRefusedLink(workspace, target, anyLink), inWorkspace('inner'));
    assert.equal(await firstRefusedLink(workspace, target, linkOut), undefined);
    const asked: string[] = [];
    await firstRefusedLink(workspace, target, async (link) => (asked.push(link), false));
    assert.deepEqual(asked, [inWorkspace('inner')], 'the rule is asked about links only, not plain folders or files');
  });

  it('a link out: refused by both rules, named where it stands (a folder on the way or the file itself)', async () => {
    fs.symlinkSync(outside, inWorkspace('linked'), 'dir');
    const deeper = inWorkspace('linked', 'images', 'new');
    assert.equal(await firstRefusedLink(workspace, deeper, anyLink), inWorkspace('linked'));
    assert.equal(await firstRefusedLink(workspace, deeper, linkOut), inWorkspace('linked'));
    file(path.join(outside, 'secret.png'));
    fs.symlinkSync(path.join(outside, 'secret.png'), inWorkspace('secret.png'));
    assert.equal(await firstRefusedLink(workspace, inWorkspace('secret.png'), anyLink), inWorkspace('secret.png'));
    assert.equal(await firstRefusedLink(workspace, inWorkspace('secret.png'), linkOut), inWorkspace('secret.png'));
  });

  it('names the first link its rule refuses, from the workspace folder down', async () => {
    fs.mkdirSync(inWorkspace('real'));
    fs.symlinkSync(inWorkspace('real'), inWorkspace('a'), 'dir'); // stays inside
    fs.symlinkSync(outside, inWorkspace('real', 'b'), 'dir'); // leads out, reached through a
    const target = inWorkspace('a', 'b', 'c');
    assert.equal(await firstRefusedLink(workspace, target, anyLink), inWorkspace('a'));
    assert.equal(await firstRefusedLink(workspace, target, linkOut), inWorkspace('a', 'b'));
  });

  it('a link to nothing leads out (mkdir would create its target), and the walk creates nothing', async () => {
    const nowhere = path.join(outside, 'does', 'not', 'exist');
    fs.symlinkSync(nowhere, inWorkspace('assets'), 'dir');
    assert.equal(await firstRefusedLink(workspace, inWorkspace('assets', 'new'), linkOut), inWorkspace('assets'));
    assert.ok(!fs.existsSync(nowhere));
  });

  it('a missing folder ends the walk: nothing refused, nothing thrown, nothing created', async () => {
    const missing = inWorkspace('missing', 'deeper', 'new');
    assert.equal(await firstRefusedLink(workspace, missing, anyLink), undefined);
    assert.equal(await firstRefusedLink(workspace, missing, linkOut), undefined);
    assert.ok(!fs.existsSync(inWorkspace('missing')));
    // A file in the way of the rest: the same (creating or reading the path reports it).
    file(inWorkspace('notes.txt'));
    assert.equal(await firstRefusedLink(workspace, inWorkspace('notes.txt', 'new'), anyLink), undefined);
  });

  it('the workspace folder itself is not checked: one opened through a link is walked from there', async () => {
    file(inWorkspace('docs', 'banner.png'));
    const opened = path.join(scratch, 'opened');
    fs.symlinkSync(workspace, opened, 'dir');
    assert.equal(await firstRefusedLink(opened, path.join(opened, 'docs', 'banner.png'), anyLink), undefined);
  });
});
