// Unit tests for the rule of Find Unused Images (src/core/unusedImageOffer.ts, issue 24 item 12): an image is offered
// for deletion only when every document was searched.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { FORMAT_FILE_EXTENSIONS } from '../../src/core/linkFormats';
import { offerUnusedImages, SEARCHED_DOCUMENT_EXTENSIONS } from '../../src/core/unusedImageOffer';

describe('which unused images are offered for deletion', () => {
  it('after a complete search, every image no document links to', () => {
    assert.deepEqual(offerUnusedImages(['a.png', 'b.png'], { unsearched: [], truncated: false }), {
      kind: 'complete',
      offered: ['a.png', 'b.png'],
    });
  });

  it('none when a document could not be read: the images are named as not offered, with that document', () => {
    assert.deepEqual(offerUnusedImages(['a.png'], { unsearched: ['huge.md'], truncated: false }), {
      kind: 'incomplete',
      offered: [],
      notOffered: ['a.png'],
      unsearched: ['huge.md'],
      truncated: false,
    });
  });

  it('none when the workspace had more documents than were searched', () => {
    const offer = offerUnusedImages(['a.png'], { unsearched: [], truncated: true });
    assert.equal(offer.kind, 'incomplete');
    assert.deepEqual(offer.offered, []);
  });

  it('for any search: something is offered only when nothing was left unsearched, and nothing is lost', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { maxLength: 5 }),
        fc.array(fc.string(), { maxLength: 3 }),
        fc.boolean(),
        (unlinked, unsearched, truncated) => {
          const offer = offerUnusedImages(unlinked, { unsearched, truncated });
          const complete = unsearched.length === 0 && !truncated;
          assert.equal(offer.kind, complete ? 'complete' : 'incomplete');
          if (offer.offered.length > 0) assert.ok(complete, 'offered only after a complete search');
          const accounted = offer.kind === 'complete' ? offer.offered : offer.notOffered;
          assert.deepEqual(accounted, unlinked, 'every unlinked image is either offered or named as not offered');
        },
      ),
    );
  });

  it('searches every document format links are written in, notebooks, style sheets, data files and source code', () => {
    for (const extension of [...Object.keys(FORMAT_FILE_EXTENSIONS), 'ipynb', 'css', 'json', 'yaml', 'py', 'go'])
      assert.ok(SEARCHED_DOCUMENT_EXTENSIONS.includes(extension), extension);
    for (const extension of SEARCHED_DOCUMENT_EXTENSIONS)
      assert.match(extension, /^[a-z0-9]+$/, 'a plain extension: one glob group lists them');
  });
});
