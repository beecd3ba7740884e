// What the sidebar's webview is sent, from plain data (src/sidebar/projection.ts): the gallery tiles, the credits
// line, the runs' messages and the folders the webview may read images from.
import * as assert from 'node:assert/strict';
import type { GalleryEntry } from '../../src/core/galleryStore';
import {
  assetsRootSegments,
  creditsAfterImage,
  foldersOutside,
  galleryItemView,
  isUnder,
  runEventMessage,
  uncoveredRoots,
} from '../../src/sidebar/projection';

const entry = (change: Partial<GalleryEntry> = {}): GalleryEntry => ({
  id: 'e1',
  imageUri: 'file:///work/assets/a-lighthouse.png',
  prompt: 'A lighthouse at dawn',
  request: { model: 'ideogram-txt-2-img', prompt: 'A lighthouse at dawn', resolution: 'RESOLUTION_1280_720' },
  createdAt: '2026-11-20T10:00:00.000Z',
  ...change,
});
const where = {
  src: 'https://webview/a-lighthouse.png',
  fileName: 'a-lighthouse.png',
  path: 'assets/a-lighthouse.png',
};

describe('the sidebar projection', () => {
  describe('a gallery tile', () => {
    it("shows the image's webview URI, its file, its pixel size from the request, and its seed and cost when known", () => {
      const item = galleryItemView(entry({ seed: 42, cost: 0.5 }), where);
      assert.deepEqual(
        { ...item, request: undefined },
        {
          id: 'e1',
          src: 'https://webview/a-lighthouse.png',
          uri: 'file:///work/assets/a-lighthouse.png',
          prompt: 'A lighthouse at dawn',
          fileName: 'a-lighthouse.png',
          path: 'assets/a-lighthouse.png',
          width: 1280,
          height: 720,
          createdAt: '2026-11-20T10:00:00.000Z',
          seed: 42,
          cost: 0.5,
          request: undefined,
        },
      );
      assert.equal(item.request.resolution, 'RESOLUTION_1280_720');
    });

    it('leaves out a seed and a cost the API did not report (no "undefined" keys in the message)', () => {
      const item = galleryItemView(entry(), where);
      assert.equal('seed' in item, false);
      assert.equal('cost' in item, false);
    });
  });

  describe('the credits line', () => {
    it('takes what Segmind reported with an image and keeps the rest', () => {
      assert.deepEqual(creditsAfterImage({ remaining: 10, lastCost: 1 }, { remainingCredits: 9.2 }), {
        remaining: 9.2,
        lastCost: 1,
      });
      assert.deepEqual(creditsAfterImage({ remaining: 10 }, { cost: 0.8 }), { remaining: 10, lastCost: 0.8 });
    });

    it('does not change when the image reported nothing', () => {
      assert.equal(creditsAfterImage({ remaining: 10, lastCost: 1 }, {}), undefined);
    });
  });

  describe("a run's messages", () => {
    const itemView = (each: GalleryEntry) => galleryItemView(each, where);
    const run = { runId: 'r1', prompt: 'p', status: 'running' as const, message: 'Generating…', startedAt: 1 };

    it('a changed run is its row; a finished one carries its image; variations their images side by side', () => {
      assert.deepEqual(runEventMessage({ kind: 'changed', run }, itemView), { type: 'run', run });
      assert.deepEqual(runEventMessage({ kind: 'finished', runId: 'r1', entry: entry(), outcome: 'done' }, itemView), {
        type: 'runFinished',
        runId: 'r1',
        outcome: 'done',
        item: itemView(entry()),
      });
      assert.deepEqual(runEventMessage({ kind: 'finished', runId: 'r1', outcome: 'cancelled' }, itemView), {
        type: 'runFinished',
        runId: 'r1',
        outcome: 'cancelled',
        item: undefined,
      });
      const message = runEventMessage({ kind: 'variations', entries: [entry(), entry({ id: 'e2' })] }, itemView);
      assert.equal(message?.type, 'variations');
      assert.deepEqual(message?.type === 'variations' && message.items.map((item) => item.id), ['e1', 'e2']);
    });

    it('the credits a failed run reported are no message of their own (they go to the credits line)', () => {
      assert.equal(runEventMessage({ kind: 'credits', remaining: 3 }, itemView), undefined);
    });
  });

  describe('the folders the webview may read', () => {
    it("is the assets folder's path for a plain pattern, the whole workspace folder when it depends on the document", () => {
      assert.deepEqual(assetsRootSegments('assets'), ['assets']);
      assert.deepEqual(assetsRootSegments('./docs\\images/'), ['docs', 'images']);
      assert.deepEqual(assetsRootSegments('${documentDirName}/images'), []);
      assert.deepEqual(assetsRootSegments('../elsewhere'), []);
      assert.deepEqual(assetsRootSegments('.'), []);
    });

    it('a folder is under a root, a sibling with the same prefix is not', () => {
      assert.equal(isUnder('file:///work/assets', 'file:///work/assets'), true);
      assert.equal(isUnder('file:///work/assets/2026', 'file:///work/assets'), true);
      assert.equal(isUnder('file:///work/assets/2026', 'file:///work/assets/'), true);
      assert.equal(isUnder('file:///work/assets-old', 'file:///work/assets'), false);
    });

    it('widens only by what no current root covers, and adds each gallery folder once', () => {
      assert.deepEqual(
        uncoveredRoots(
          ['file:///w/dist', 'file:///w/assets/new', 'file:///other'],
          ['file:///w/dist', 'file:///w/assets'],
        ),
        ['file:///other'],
      );
      assert.deepEqual(
        foldersOutside(['file:///w/assets/a', 'file:///x/b', 'file:///x/b/c', 'file:///x/b'], ['file:///w/assets']),
        ['file:///x/b'],
      );
    });
  });
});
