// The gallery of past generations (src/core/galleryStore.ts): order, search, paging, missing files,
// 1,000 entries, and the stored format.
import * as assert from 'node:assert/strict';
import {
  isFullyUnderstood,
  GALLERY_FORMAT,
  GALLERY_VERSION,
  GalleryStore,
  folderOf,
  normalizeForSearch,
  recipeSidecar,
  salvageGalleryEntries,
  sidecarFileName,
  type GalleryEntry,
} from '../../src/core/galleryStore';

const START = Date.parse('2026-11-24T09:00:00.000Z');

function entry(index: number, overrides: Partial<GalleryEntry> = {}): GalleryEntry {
  const prompt = overrides.prompt ?? `Image number ${index}`;
  return {
    id: `id-${index}`,
    imageUri: `file:///work/assets/image-${index}.jpg`,
    prompt,
    request: {
      model: 'ideogram-txt-2-img',
      prompt,
      magic_prompt_option: 'AUTO',
      resolution: 'RESOLUTION_1024_1024',
      style_type: 'GENERAL',
    },
    seed: 1000 + index,
    createdAt: new Date(START + index * 60_000).toISOString(),
    ...overrides,
  };
}

const ids = (entries: readonly GalleryEntry[]) => entries.map((item) => item.id);

describe('gallery store', () => {
  describe('order', () => {
    it('keeps the newest first, whatever order entries are added in', () => {
      const store = new GalleryStore();
      for (const index of [2, 0, 3, 1]) store.add(entry(index));
      assert.deepEqual(ids(store.entries), ['id-3', 'id-2', 'id-1', 'id-0']);
    });

    it('replaces an entry added twice with the same id', () => {
      const store = new GalleryStore([entry(1), entry(2)]);
      store.add(entry(1, { prompt: 'Renamed' }));
      assert.equal(store.size, 2);
      assert.equal(store.get('id-1')?.prompt, 'Renamed');
    });

    it('drops the oldest beyond its limit and says which', () => {
      const store = new GalleryStore([], 3);
      for (let index = 0; index < 3; index++) store.add(entry(index));
      const pushedOut = store.add(entry(3));
      assert.deepEqual(ids(pushedOut), ['id-0']);
      assert.deepEqual(ids(store.entries), ['id-3', 'id-2', 'id-1']);
    });
  });

  describe('search', () => {
    const store = new GalleryStore([
      entry(1, { prompt: 'A lighthouse at dawn, flat illustration' }),
      entry(2, { prompt: 'Map of the coastal path' }),
      entry(3, { prompt: 'Café au lait on a TABLE' }),
      entry(4, { prompt: 'Lighthouse in a storm', imageUri: 'file:///work/assets/storm-shot.png' }),
    ]);

    it('matches every word of the query in the prompt, newest first', () => {
      assert.deepEqual(ids(store.search('lighthouse').items), ['id-4', 'id-1']);
      assert.deepEqual(ids(store.search('lighthouse dawn').items), ['id-1']);
    });

    it('ignores case and accents', () => {
      assert.deepEqual(ids(store.search('CAFE table').items), ['id-3']);
      assert.equal(normalizeForSearch('  Café   AU lait '), 'cafe au lait');
    });

    it('also matches the file name', () => {
      assert.deepEqual(ids(store.search('storm-shot').items), ['id-4']);
    });

    it('returns everything for an empty query, and the total of matches', () => {
      const page = store.search('   ', 0, 2);
      assert.equal(page.total, 4);
      assert.deepEqual(ids(page.items), ['id-4', 'id-3']);
    });

    it('finds nothing when one word is missing', () => {
      assert.deepEqual(store.search('lighthouse submarine'), { total: 0, items: [] });
    });
  });

  describe('images deleted on disk', () => {
    it('hides the entries whose file is gone, and only those, without forgetting them', async () => {
      const store = new GalleryStore([entry(1), entry(2), entry(3)]);
      const onDisk = new Set(['file:///work/assets/image-1.jpg', 'file:///work/assets/image-3.jpg']);
      const hidden = await store.hideMissing(async (item) => onDisk.has(item.imageUri));
      assert.deepEqual(ids(hidden), ['id-2']);
      assert.deepEqual(ids(store.search('').items), ['id-3', 'id-1']);
      assert.equal(store.size, 2);
      assert.equal(store.hiddenCount, 1);
      assert.deepEqual(ids(store.toDocument().entries), ['id-3', 'id-2', 'id-1'], 'the stored history keeps it');
    });

    it('shows a hidden entry again when its file is back (git checkout of the other branch)', async () => {
      const store = new GalleryStore([entry(1), entry(2)]);
      await store.hideMissing(async () => false);
      assert.equal(store.size, 0);
      assert.deepEqual(await store.hideMissing(async () => false), [], 'hidden entries are not hidden twice');
      const back = await store.restorePresent(async (item) => item.id === 'id-2');
      assert.deepEqual(ids(back), ['id-2']);
      assert.deepEqual(ids(store.search('').items), ['id-2']);
      assert.deepEqual(
        await store.restorePresent(async () => {
          throw new Error('EACCES');
        }),
        [],
        'a failing check does not show it',
      );
    });

    it('keeps an entry when the check itself fails (a permission error is not a deletion)', async () => {
      const store = new GalleryStore([entry(1)]);
      const hidden = await store.hideMissing(async () => {
        throw new Error('EACCES');
      });
      assert.deepEqual(hidden, []);
      assert.equal(store.size, 1);
    });

    it('checks only the given entries (the page being shown)', async () => {
      const store = new GalleryStore([entry(1), entry(2)]);
      const checked: string[] = [];
      await store.hideMissing(
        async (item) => {
          checked.push(item.id);
          return true;
        },
        [store.get('id-2') as GalleryEntry],
      );
      assert.deepEqual(checked, ['id-2']);
    });

    it('finds the entries a delete event names: a file, or everything under a folder', () => {
      const store = new GalleryStore([
        entry(1, { imageUri: 'file:///w/assets/a.jpg' }),
        entry(2, { imageUri: 'file:///w/assets/sub/b.jpg' }),
        entry(3, { imageUri: 'file:///w/assets-old/c.jpg' }),
      ]);
      assert.deepEqual(ids(store.entriesUnder('file:///w/assets/a.jpg')), ['id-1']);
      assert.deepEqual(
        ids(store.entriesUnder('file:///w/assets')),
        ['id-2', 'id-1'],
        'a sibling folder with a longer name is not under it',
      );
      assert.deepEqual(ids(store.entriesUnder('file:///w/assets/')), ['id-2', 'id-1']);
    });
  });

  describe('1,000 entries', () => {
    const many = Array.from({ length: 1000 }, (_, index) =>
      entry(index, { prompt: index % 10 === 0 ? `Lighthouse study ${index}` : `Harbour sketch ${index}` }),
    );

    // How fast: `npm run bench` (bench/recipe.mjs, galleryStoreCosts). Here: what a search gives.
    it('loads, searches and pages', () => {
      const store = new GalleryStore(many);
      const page = store.search('lighthouse', 40, 30);
      assert.equal(store.size, 1000);
      assert.equal(page.total, 100);
      assert.equal(page.items.length, 30);
      assert.equal(page.items[0].prompt, 'Lighthouse study 590', 'newest first: the 41st match');
    });

    it('survives a round trip through its stored document', () => {
      const store = new GalleryStore(many);
      const again = GalleryStore.fromDocument(JSON.parse(JSON.stringify(store.toDocument())));
      assert.equal(again.dropped, 0);
      assert.deepEqual(again.store.entries, store.entries);
    });
  });

  describe('stored format', () => {
    it('is a tagged, versioned document with the full recipe of each entry', () => {
      const store = new GalleryStore([
        entry(1, {
          request: {
            model: 'ideogram-txt-2-img',
            prompt: 'Image number 1',
            negative_prompt: 'blur',
            magic_prompt_option: 'OFF',
            resolution: 'RESOLUTION_1280_720',
            style_type: 'DESIGN',
            seed: 5,
            color_palette: { members: [{ color_hex: '#ff0000', color_weight: 0.5 }] },
          },
          cost: 0.1,
          revisedPrompt: 'An image, number one',
        }),
      ]);
      assert.deepEqual(JSON.parse(JSON.stringify(store.toDocument())), {
        format: GALLERY_FORMAT,
        version: GALLERY_VERSION,
        entries: [
          {
            id: 'id-1',
            imageUri: 'file:///work/assets/image-1.jpg',
            prompt: 'Image number 1',
            request: {
              model: 'ideogram-txt-2-img',
              prompt: 'Image number 1',
              negative_prompt: 'blur',
              magic_prompt_option: 'OFF',
              resolution: 'RESOLUTION_1280_720',
              style_type: 'DESIGN',
              seed: 5,
              color_palette: { members: [{ color_hex: '#ff0000', color_weight: 0.5 }] },
            },
            seed: 1001,
            createdAt: '2026-11-24T09:01:00.000Z',
            cost: 0.1,
            revisedPrompt: 'An image, number one',
          },
        ],
      });
    });

    it('drops damaged entries one by one and keeps the rest', () => {
      const document = new GalleryStore([entry(1), entry(2)]).toDocument() as unknown as { entries: unknown[] };
      document.entries.push(
        { id: 'broken' },
        { ...entry(3), createdAt: 'yesterday' },
        { ...entry(4), request: { prompt: '' } },
      );
      const { store, dropped } = GalleryStore.fromDocument(document);
      assert.equal(dropped, 3);
      assert.deepEqual(ids(store.entries), ['id-2', 'id-1']);
    });

    it('checks an entry in full when it is used, not when the gallery loads: one with an option its model does not take is set aside then, and written back as it was', () => {
      const bad = { ...entry(2), request: { ...entry(2).request, style_type: 'NO_SUCH_STYLE' } };
      const document = { format: GALLERY_FORMAT, version: GALLERY_VERSION, entries: [entry(3), bad, entry(1)] };
      assert.equal(isFullyUnderstood(JSON.parse(JSON.stringify(document))), true, 'its shape is right');
      const { store, dropped } = GalleryStore.fromDocument(JSON.parse(JSON.stringify(document)));
      assert.equal(dropped, 0, 'loading checks the shape only');
      assert.equal(store.size, 3);
      const page = store.search('', 0, 2);
      assert.deepEqual(ids(page.items), ['id-3', 'id-1'], 'the page is made again without it');
      assert.equal(page.total, 2);
      assert.equal(store.get('id-2'), undefined);
      assert.equal(store.setAsideOnUse, 1);
      const written = JSON.parse(JSON.stringify(store.toDocument())) as { entries: unknown[] };
      assert.deepEqual(written.entries.at(-1), JSON.parse(JSON.stringify(bad)));
      assert.equal(written.entries.length, 3);
    });

    it("an entry used is the full schema's reading of it (an older file's request gets its model)", () => {
      const { model: _model, ...withoutModel } = entry(1).request;
      const old = { ...entry(1), request: withoutModel };
      const { store } = GalleryStore.fromDocument({ format: GALLERY_FORMAT, version: GALLERY_VERSION, entries: [old] });
      assert.equal(store.get('id-1')?.request.model, 'ideogram-txt-2-img');
      assert.equal(store.search('').items[0].request.model, 'ideogram-txt-2-img');
    });

    it('writes the entries it cannot read back as they were, so a damaged entry or a newer format is never lost', () => {
      const unreadable = [
        { id: 'broken' },
        { ...entry(3), createdAt: 'yesterday' },
        { future: 'format', imageUri: 42 },
      ];
      const document = { format: GALLERY_FORMAT, version: 2, entries: [entry(1), ...unreadable] };
      const { store } = GalleryStore.fromDocument(JSON.parse(JSON.stringify(document)));
      store.add(entry(5));
      const written = JSON.parse(JSON.stringify(store.toDocument())) as { entries: unknown[] };
      assert.deepEqual(written.entries.slice(2), JSON.parse(JSON.stringify(unreadable)));
      assert.deepEqual(ids(store.search('').items), ['id-5', 'id-1']);
    });

    // Regression (issue 11): `%E0%A4%A` in a stored image URI made decodeURIComponent throw inside the store, which
    // broke the whole gallery for the session and made billed, saved images look like failures.
    it('an image URI with a bad % escape neither throws nor costs the other entries', () => {
      const bad = entry(2, { imageUri: 'file:///work/assets/bad%E0%A4%A-name.jpg', prompt: 'Percent' });
      const { store, dropped } = GalleryStore.fromDocument(
        JSON.parse(JSON.stringify(new GalleryStore([entry(1), bad]).toDocument())),
      );
      assert.equal(dropped, 0);
      assert.deepEqual(ids(store.search('').items), ['id-2', 'id-1']);
      assert.deepEqual(ids(store.search('bad%E0').items), ['id-2'], 'found by its file name as written');
      assert.equal(recipeSidecar(bad).image, 'bad%E0%A4%A-name.jpg');
      assert.equal(
        GalleryStore.fromDocument({
          format: GALLERY_FORMAT,
          version: 1,
          entries: [entry(3, { imageUri: 'no scheme/x.jpg' })],
        }).dropped,
        1,
        'a URI without a scheme is set aside',
      );
    });

    it('salvages every complete entry of a file cut off mid-write', () => {
      const full = JSON.stringify(
        new GalleryStore([entry(1, { prompt: 'Quote " and brace } in a prompt' }), entry(2), entry(3)]).toDocument(),
      );
      const cut = full.slice(0, full.indexOf('"id-1"') + 10); // inside the third (oldest) entry
      assert.throws(() => JSON.parse(cut));
      const salvaged = salvageGalleryEntries(cut);
      const { store } = GalleryStore.fromDocument({
        format: GALLERY_FORMAT,
        version: GALLERY_VERSION,
        entries: salvaged,
      });
      assert.deepEqual(ids(store.entries), ['id-3', 'id-2']);
      assert.deepEqual(salvageGalleryEntries(full).length, 3);
      assert.deepEqual(salvageGalleryEntries('not json at all {"id":1}'), []);
      assert.deepEqual(salvageGalleryEntries(''), []);
    });

    it('starts empty from nothing or from something that is not a gallery', () => {
      assert.deepEqual(GalleryStore.fromDocument(undefined), { store: new GalleryStore(), dropped: 0 });
      assert.equal(GalleryStore.fromDocument({ entries: [entry(1)] }).store.size, 0, 'no format tag');
      assert.equal(GalleryStore.fromDocument('[]').store.size, 0);
    });

    it('lists the folders holding images', () => {
      const store = new GalleryStore([entry(1), entry(2), entry(3, { imageUri: 'file:///elsewhere/x.png' })]);
      assert.deepEqual(store.folders().sort(), ['file:///elsewhere', 'file:///work/assets']);
      assert.equal(folderOf('vscode-remote://host/w/a%20b/c.jpg'), 'vscode-remote://host/w/a%20b');
    });
  });

  describe('recipe sidecar', () => {
    it('is named after the image', () => {
      assert.equal(
        sidecarFileName('a-lighthouse-20261124-101010-ab12.jpg'),
        'a-lighthouse-20261124-101010-ab12.ideogram.json',
      );
      assert.equal(sidecarFileName('noextension'), 'noextension.ideogram.json');
    });

    it('holds the request with the seed actually used, and nothing about the key', () => {
      const sidecar = recipeSidecar(entry(7, { cost: 0.1, imageUri: 'file:///w/assets/My%20Image.jpg' }));
      assert.deepEqual(sidecar, {
        generator: 'ideogram-vscode',
        version: 1,
        image: 'My Image.jpg',
        createdAt: '2026-11-24T09:07:00.000Z',
        prompt: 'Image number 7',
        request: {
          model: 'ideogram-txt-2-img',
          prompt: 'Image number 7',
          magic_prompt_option: 'AUTO',
          resolution: 'RESOLUTION_1024_1024',
          style_type: 'GENERAL',
          seed: 1007,
        },
        seed: 1007,
        cost: 0.1,
      });
    });
  });
});

describe('a stored gallery this version does not fully understand (issue 24)', () => {
  const entry = {
    id: 'a',
    imageUri: 'file:///w/assets/a.png',
    prompt: 'a',
    request: { prompt: 'a', resolution: 'RESOLUTION_1024_1024', style_type: 'GENERAL', magic_prompt_option: 'AUTO' },
    createdAt: '2026-12-01T10:00:00.000Z',
  };
  it('is told apart from one it does: a newer version, another shape, an extra field or an unreadable entry', () => {
    assert.equal(isFullyUnderstood(undefined), true);
    assert.equal(isFullyUnderstood({ format: 'ideogram-gallery', version: 1, entries: [entry] }), true);
    assert.equal(isFullyUnderstood({ format: 'ideogram-gallery', version: 2, entries: [entry] }), false);
    assert.equal(isFullyUnderstood({ format: 'ideogram-gallery', version: 1, entries: [entry], albums: [] }), false);
    assert.equal(isFullyUnderstood({ format: 'ideogram-gallery', version: 1, entries: [entry, { id: 'b' }] }), false);
    assert.equal(isFullyUnderstood([entry]), false);
    assert.equal(isFullyUnderstood({ entries: {} }), false);
  });
});
