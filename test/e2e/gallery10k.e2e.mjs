// End-to-end: a gallery of 10,000 real-size images in a real VS Code (code-server), driven like a user.
// One 1024 × 1024 image (1.5 MB) is generated from the panel, then 10,000 gallery entries are written that point at
// hard links of it (10,000 distinct files and URLs, one picture on disk). Checks that the first opening makes
// thumbnails (≤ 64 KB, in the extension's global storage) from the full images it shows, that the next opening's
// tiles show those thumbnails (their `src` is in the thumbnail store, not the image file), that the grid keeps a
// few dozen tiles whatever the scroll (the end of the 10,000 reached), that search answers per keystroke, and
// that deleting an image takes its thumbnail away. Photographs the 10,000-entry gallery at the top and the end.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { findGalleryFile, userDataDirs } from '../../scripts/vscode-harness.mjs';

export const name =
  'gallery of 10,000: thumbnails made once and shown, virtual grid, search, deleted image loses its thumbnail';
export const timeoutSeconds = 480;

const API_KEY = 'e2e-gallery-key';
const EXTENSION_ID = 'ideogram-vscode.ideogram-vscode';
const ENTRIES = 10_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const images = (dir) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((file) => /\.(jpe?g|png|webp)$/i.test(file))
        .sort()
    : [];

/** The thumbnails folder in the extension's global storage (src/gallery/thumbnails.ts), once it exists. */
function findThumbnailFolder() {
  for (const userData of userDataDirs()) {
    const folder = path.join(userData, 'User/globalStorage', EXTENSION_ID, 'thumbnails');
    if (fs.existsSync(folder)) return folder;
  }
  return undefined;
}

/** The thumbnail files of an image (named by the SHA-256 of its URI, see src/core/thumbnails.ts). */
function thumbnailsOf(folder, imageUri) {
  const key = crypto.createHash('sha256').update(imageUri, 'utf8').digest('hex').slice(0, 32);
  return fs.readdirSync(folder).filter((file) => file.startsWith(`${key}-`));
}

export async function run({ page, workspace, shots, fake, step, helpers }) {
  const { runCommand, setApiKey, reloadWindow, waitForExtension, waitUntil } = helpers;
  const assets = path.join(workspace, 'assets');
  const sidebar = page.locator('.part.sidebar');
  const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const prompt = view.getByLabel('Prompt', { exact: true });
  const body = view.locator('body');
  const search = view.getByLabel('Search the gallery by prompt');
  const shot = async (file) => {
    await sleep(300);
    await sidebar.screenshot({ path: path.join(shots, `gallery10k-${file}.png`) });
    step(`screenshot test-artifacts/screenshots/gallery10k-${file}.png`);
  };
  const openPanel = async () => {
    await runCommand('Ideogram: Open Generator');
    await view.locator('body[data-ready="true"]').waitFor({ timeout: 30_000 });
  };
  /** What the tiles in the grid show: how many, and where each image comes from. */
  const tiles = () =>
    view.locator('.gallery-grid').evaluate((grid) =>
      [...grid.querySelectorAll('.tile')].map((tile) => {
        const box = tile.getBoundingClientRect();
        const image = tile.querySelector('img');
        return {
          index: Number(tile.dataset.index),
          id: tile.dataset.id,
          onScreen: box.bottom > 0 && box.top < window.innerHeight,
          top: box.top,
          label: tile.querySelector('button')?.getAttribute('aria-label') ?? '',
          src: image?.getAttribute('src') ?? '',
          loaded: !!image?.complete && (image?.naturalWidth ?? 0) > 0,
        };
      }),
    );

  await waitForExtension('Ideogram: Open Generator');
  step('one real-size image (1024 × 1024, 1.5 MB) generated from the panel');
  await setApiKey(API_KEY);
  fake.configure({ imageScale: 1, imageBytes: 1.5 * 1024 * 1024 });
  await openPanel();
  await prompt.fill('Gallery of ten thousand, the source picture');
  await prompt.press('Control+Enter');
  await view.locator('.preview img').waitFor({ timeout: 60_000 });
  const [source] = await waitUntil(
    () => {
      const found = images(assets);
      return found.length ? found : undefined;
    },
    { message: 'the image in assets/' },
  );
  assert.ok(fs.statSync(path.join(assets, source)).size > 1_000_000, 'a real-size picture');

  step(`${ENTRIES.toLocaleString('en')} gallery entries, each its own file (hard links of that picture)`);
  const galleryFile = await waitUntil(() => findGalleryFile(workspace), {
    message: 'gallery.json in the workspace storage',
  });
  await waitUntil(() => fs.readFileSync(galleryFile, 'utf8').includes('gallery-of-ten-thousand'), {
    message: 'the image in gallery.json',
  });
  await sleep(1000);
  const document = JSON.parse(fs.readFileSync(galleryFile, 'utf8'));
  const template = document.entries[0];
  const assetsUri = template.imageUri.slice(0, template.imageUri.lastIndexOf('/'));
  const many = path.join(assets, 'many');
  fs.mkdirSync(many, { recursive: true });
  const subjects = ['harbour', 'lighthouse', 'cliff', 'dune', 'pier', 'gull', 'storm', 'sunset', 'map', 'boat'];
  const base = Date.parse(template.createdAt);
  document.entries = Array.from({ length: ENTRIES }, (_, index) => {
    const fileName = `image-${String(index).padStart(5, '0')}.jpg`;
    fs.linkSync(path.join(assets, source), path.join(many, fileName));
    const text = `Picture ${index}: a ${subjects[index % 10]} study, ${subjects[(index * 7) % 10]} light`;
    return {
      ...template,
      id: `many-${index}`,
      imageUri: `${assetsUri}/many/${fileName}`,
      prompt: text,
      request: { ...template.request, prompt: text },
      createdAt: new Date(base - (index + 1) * 60_000).toISOString(),
    };
  });
  fs.writeFileSync(galleryFile, JSON.stringify(document));
  await reloadWindow({ ready: 'Ideogram: Open Generator' });

  step('first opening: tiles show the full images (no thumbnails yet) and make thumbnails from them');
  await openPanel();
  await view.locator('body[data-gallery-count="60"]').waitFor({ timeout: 30_000 });
  assert.equal(await body.getAttribute('data-gallery-total'), String(ENTRIES));
  await view.locator('#gallery-heading').evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
  const firstTiles = await waitUntil(
    async () => {
      const now = await tiles();
      return now.filter((tile) => tile.onScreen && tile.loaded).length >= 6 ? now : undefined;
    },
    { message: 'full images on screen', timeout: 60_000 },
  );
  assert.ok(
    firstTiles.filter((tile) => tile.src).every((tile) => !tile.src.includes('/thumbnails/')),
    'no thumbnail before one was made',
  );
  const thumbnailFolder = await waitUntil(() => findThumbnailFolder(), {
    message: 'the thumbnails folder in the global storage',
    timeout: 30_000,
  });
  // The state the second opening needs: a stored thumbnail for each tile that was on screen (closing the panel
  // earlier would stop the ones still being made, and those tiles would rightly show their full image again).
  const uriById = new Map(document.entries.map((entry) => [entry.id, entry.imageUri]));
  const onScreenIds = firstTiles
    .filter((tile) => tile.onScreen && tile.id)
    .map((tile) => tile.id)
    .slice(0, 6);
  await waitUntil(
    () => onScreenIds.every((id) => thumbnailsOf(thumbnailFolder, uriById.get(id)).length > 0) || undefined,
    { message: `a stored thumbnail for each of the ${onScreenIds.length} tiles on screen`, timeout: 120_000 },
  );
  const made = fs
    .readdirSync(thumbnailFolder)
    .filter((file) => /^[0-9a-f]{32}-[0-9a-f]{16}\.(webp|jpg|png)$/.test(file));
  const sizes = made.map((file) => fs.statSync(path.join(thumbnailFolder, file)).size);
  step(
    `${made.length} thumbnails stored in the global storage, ${Math.min(...sizes)}–${Math.max(...sizes)} bytes (${made[0]})`,
  );
  assert.ok(Math.max(...sizes) <= 64 * 1024, 'every thumbnail ≤ 64 KB');
  assert.ok(
    fs.readdirSync(many).length === ENTRIES && images(assets).length === 1,
    'nothing written next to the images',
  );
  await shot('01-first-open-full-images');

  step('opened again: the tiles on screen show their thumbnails, not the 1.5 MB files');
  await runCommand('View: Close Primary Side Bar');
  await view
    .locator('body')
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
  await openPanel();
  await view.locator('body[data-gallery-count="60"]').waitFor({ timeout: 30_000 });
  await view.locator('#gallery-heading').evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
  const withThumbs = await waitUntil(
    async () => {
      const now = (await tiles()).filter((tile) => onScreenIds.includes(tile.id));
      return now.length === onScreenIds.length && now.every((tile) => tile.src.includes('/thumbnails/') && tile.loaded)
        ? now
        : undefined;
    },
    { message: `thumbnails in the ${onScreenIds.length} tiles that have one stored`, timeout: 120_000 },
  );
  const thumbSrc = withThumbs[0].src;
  assert.match(
    decodeURIComponent(thumbSrc),
    /globalStorage\/ideogram-vscode\.ideogram-vscode\/thumbnails\/[0-9a-f]{32}-[0-9a-f]{16}\.(webp|jpg|png)/,
    'the tile image comes from the thumbnail store',
  );
  const decoded = await view
    .locator('.gallery-grid img[src*="/thumbnails/"]')
    .first()
    .evaluate((image) => ({ width: image.naturalWidth, height: image.naturalHeight }));
  assert.ok(
    decoded.width <= 512 && decoded.height <= 512,
    `the tile decodes a small picture (${decoded.width} × ${decoded.height}), not 1024 × 1024`,
  );
  step(
    `tiles show thumbnails (${decoded.width} × ${decoded.height}) from ${decodeURIComponent(thumbSrc).replace(/^.*(globalStorage)/, '…/$1')}`,
  );
  await shot('02-thumbnails-top');

  step('scrolling fast to the end of 10,000: a few dozen tiles in the grid at any time, the last entry shown');
  const scroll = await body.evaluate(async () => {
    const frames = [];
    let last = performance.now();
    let maxTiles = 0;
    const started = performance.now();
    const scroller = document.scrollingElement ?? document.documentElement;
    for (;;) {
      scroller.scrollTop += 600;
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const now = performance.now();
      frames.push(now - last);
      last = now;
      maxTiles = Math.max(maxTiles, document.querySelectorAll('.gallery-grid .tile').length);
      const atBottom = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2;
      // Bound to its entry: a placeholder waiting for its page has an empty data-id.
      if (atBottom && document.querySelector('.gallery-grid .tile[aria-posinset="10000"]:not([data-id=""])[data-id]'))
        break;
      if (now - started > 120_000) break;
    }
    const sorted = [...frames].sort((a, b) => a - b);
    return {
      frames: frames.length,
      seconds: (performance.now() - started) / 1000,
      maxTiles,
      medianFrameMs: sorted[Math.floor(sorted.length / 2)],
      maxFrameMs: sorted.at(-1),
    };
  });
  step(
    `scrolled to the end in ${scroll.seconds.toFixed(1)} s, ${scroll.frames} frames (median ${scroll.medianFrameMs.toFixed(1)} ms, longest ${scroll.maxFrameMs.toFixed(0)} ms), at most ${scroll.maxTiles} tiles in the grid`,
  );
  assert.ok(scroll.maxTiles > 0 && scroll.maxTiles <= 300, `${scroll.maxTiles} tiles in the grid (virtual)`);
  const last = view.locator('.gallery-grid .tile[aria-posinset="10000"]');
  await last.waitFor();
  // The last page may still be on its way (a placeholder first, as a user sees it on a busy machine).
  await waitUntil(async () => (await last.getAttribute('data-id')) !== '', { message: 'the last tile bound' });
  assert.equal(await last.getAttribute('data-id'), `many-${ENTRIES - 1}`, 'the oldest entry is last');
  assert.match(await last.locator('button').getAttribute('aria-label'), /^Picture 9999: /);
  await waitUntil(async () => (await tiles()).filter((tile) => tile.onScreen).every((tile) => tile.loaded), {
    message: 'the tiles at the end show their pictures',
    timeout: 60_000,
  });
  await shot('03-end-of-10000');

  step('at the end of 10,000 the search box is still at the top, uncovered');
  const at = await search.evaluate((input) => {
    const box = input.getBoundingClientRect();
    const center = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return { top: box.top, bottom: box.bottom, scrollY: window.scrollY, uncovered: center === input };
  });
  assert.ok(
    at.scrollY > 100_000 && at.top >= 0 && at.bottom <= 80,
    `scrolled ${at.scrollY} px down, the search box is at ${at.top}–${at.bottom} px from the top`,
  );
  assert.ok(at.uncovered, 'no tile covers the search box');

  step('search answers per keystroke over 10,000 prompts, from the first match');
  const expected = document.entries.filter(
    (entry) => entry.prompt.includes('lighthouse study') && entry.prompt.includes('sunset'),
  ).length;
  assert.equal(expected, 1000);
  await search.pressSequentially('lighthouse sunset', { delay: 80 });
  await waitUntil(async () => (await body.getAttribute('data-gallery-total')) === String(expected), {
    message: `${expected} matches`,
  });
  // Typed deep in the list: the results start at the first match, right under the search box, with its picture once
  // the typing paused.
  const firstMatch = await waitUntil(
    async () => {
      const tile = (await tiles()).find((t) => t.index === 0 && t.id && t.onScreen && t.loaded);
      return tile;
    },
    { message: 'the first match on screen with its picture', timeout: 60_000 },
  );
  assert.match(firstMatch.label, /lighthouse study.*sunset/, 'the tile on screen is a match');
  const searchBottom = await search.evaluate((input) => input.getBoundingClientRect().bottom);
  assert.ok(
    firstMatch.top >= searchBottom - 1 && firstMatch.top < searchBottom + 40,
    `the first match (at ${firstMatch.top} px) right under the search box (${searchBottom} px)`,
  );
  await waitUntil(async () => (await tiles()).filter((tile) => tile.onScreen).every((tile) => tile.loaded), {
    message: 'every match on screen shows its picture',
    timeout: 60_000,
  });
  step(
    `"lighthouse sunset": ${expected} matches, painted ${await body.getAttribute('data-gallery-render-ms')} ms after the last keystroke's query`,
  );
  await shot('04-search');
  await search.fill('');
  await waitUntil(async () => (await body.getAttribute('data-gallery-total')) === String(ENTRIES), {
    message: 'all again',
  });

  step('an image deleted on disk leaves the gallery, and its thumbnail goes too');
  await view.locator('#gallery-heading').evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
  const victim = await waitUntil(
    async () => (await tiles()).find((tile) => tile.id && tile.src.includes('/thumbnails/')),
    { message: 'a tile with a thumbnail' },
  );
  const victimEntry = document.entries.find((entry) => entry.id === victim.id);
  assert.equal(thumbnailsOf(thumbnailFolder, victimEntry.imageUri).length, 1, 'its thumbnail is stored');
  fs.rmSync(path.join(many, decodeURIComponent(victimEntry.imageUri.split('/').pop())));
  await waitUntil(async () => !(await tiles()).some((tile) => tile.id === victim.id), {
    message: 'the deleted image leaves the grid',
    timeout: 30_000,
  });
  await waitUntil(() => thumbnailsOf(thumbnailFolder, victimEntry.imageUri).length === 0 || undefined, {
    message: 'its thumbnail deleted',
    timeout: 30_000,
  });
  assert.equal(await body.getAttribute('data-gallery-total'), String(ENTRIES - 1));
  step(
    `${victim.id}: image deleted, tile gone, thumbnail gone; ${fs.readdirSync(thumbnailFolder).length} thumbnails left`,
  );
  await shot('05-after-delete');
}
