// 5. Webview: from `ideogram.openPanel` to an interactive form, and the gallery with 10,000 entries (first page,
// then scrolled to the end, then searched a keystroke at a time, and the webview's memory), measured in the workbench page with playwright while the extension-host bench
// module (mode "webview") seeds the gallery and opens the view. Each window: one cold opening (the first in
// that window) and warm re-openings (the view was hidden, so VS Code disposed the webview and builds it again).
//
// The webview itself reports (media/main.ts): body[data-ready] and data-ready-ms (performance.now() when the
// first snapshot has built the form), data-gallery-count/-total/-render-ms after each gallery page is painted.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runInHost } from './host.mjs';

/** The webview documents (inner frames) of the page with what they report, newest first. */
async function webviewDocuments(page) {
  const found = [];
  for (const frame of page.frames()) {
    const info = await frame
      .evaluate(() => {
        const data = document.body?.dataset;
        if (!data || !document.querySelector('.gallery')) return undefined;
        return {
          timeOrigin: performance.timeOrigin,
          ready: data.ready === 'true',
          readyMs: Number(data.readyMs),
          scriptStartMs: Number(data.scriptMs ?? NaN),
          snapshotMs: Number(data.snapshotMs ?? NaN),
          galleryCount: Number(data.galleryCount ?? NaN),
          galleryTotal: Number(data.galleryTotal ?? NaN),
          galleryRenderMs: Number(data.galleryRenderMs ?? NaN),
          galleryPaintedMs: Number(data.galleryPaintedMs ?? NaN),
        };
      })
      .catch(() => undefined);
    if (info) found.push({ frame, ...info });
  }
  return found.sort((a, b) => b.timeOrigin - a.timeOrigin);
}

/** Scrolls the gallery to its end the way a fast mouse wheel does, recording page renders and frame times. */
function scrollGallery(frame, { stepPx = 240, timeoutMs = 180_000 }) {
  return frame.evaluate(
    async ({ stepPx, timeoutMs }) => {
      const data = document.body.dataset;
      const renders = [];
      const observer = new MutationObserver(() =>
        renders.push({ count: Number(data.galleryCount), ms: Number(data.galleryRenderMs) }),
      );
      observer.observe(document.body, { attributes: true, attributeFilter: ['data-gallery-render-ms'] });
      const frames = [];
      // What filled the long frames (Chromium's Long Animation Frames API): script time by source, style and layout.
      const longFrames = [];
      let longFrameObserver;
      try {
        longFrameObserver = new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) {
            if (entry.duration <= 50) continue;
            longFrames.push({
              durationMs: Math.round(entry.duration),
              blockingMs: Math.round(entry.blockingDuration),
              renderMs: entry.renderStart ? Math.round(entry.startTime + entry.duration - entry.renderStart) : 0,
              styleAndLayoutMs: entry.styleAndLayoutStart
                ? Math.round(entry.startTime + entry.duration - entry.styleAndLayoutStart)
                : 0,
              scripts: entry.scripts.map((script) => ({
                invoker: script.invoker.slice(0, 80),
                source: `${(script.sourceURL ?? '').split('/').pop()}:${script.sourceFunctionName ?? ''}`,
                durationMs: Math.round(script.duration),
                forcedLayoutMs: Math.round(script.forcedStyleAndLayoutDuration ?? 0),
              })),
            });
          }
        });
        longFrameObserver.observe({ type: 'long-animation-frame', buffered: false });
      } catch {
        longFrameObserver = undefined; // not in this browser
      }
      const longFramesSupported = (PerformanceObserver.supportedEntryTypes ?? []).includes('long-animation-frame');
      // The floor the machine sets: the longest frame of 3 s without scrolling and without any work of the gallery.
      const idleFrames = [];
      {
        let previous = performance.now();
        const idleStarted = previous;
        while (performance.now() - idleStarted < 3_000) {
          const now = await new Promise((resolve) => requestAnimationFrame(resolve));
          idleFrames.push(now - previous);
          previous = now;
        }
      }
      let last = performance.now();
      let running = true;
      const tick = (now) => {
        frames.push(now - last);
        last = now;
        if (running) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      const scroller = document.scrollingElement ?? document.documentElement;
      const started = performance.now();
      let atEnd = 0;
      let maxTiles = 0;
      while (performance.now() - started < timeoutMs) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        scroller.scrollTop += stepPx;
        maxTiles = Math.max(maxTiles, document.querySelectorAll('.gallery-grid .tile').length);
        const bottom = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2;
        // Everything listed (a grid of all tiles), or the last entry shown (a virtual grid).
        const all =
          Number(data.galleryCount) >= Number(data.galleryTotal) ||
          !!document.querySelector(`.gallery-grid .tile[aria-posinset="${data.galleryTotal}"][data-id]`);
        atEnd = bottom && all ? atEnd + 1 : 0;
        if (atEnd >= 10) break; // stayed at the bottom with everything loaded for 10 frames
      }
      running = false;
      observer.disconnect();
      longFrameObserver?.disconnect();
      // Let the tiles at the end get their pictures, then weigh the page.
      const waitStarted = performance.now();
      const onScreen = () =>
        [...document.querySelectorAll('.gallery-grid .tile')].filter((tile) => {
          const box = tile.getBoundingClientRect();
          return box.bottom > 0 && box.top < innerHeight;
        });
      while (
        performance.now() - waitStarted < 10_000 &&
        !onScreen().every((tile) => {
          const image = tile.querySelector('img');
          return image?.complete && image.naturalWidth > 0;
        })
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const seconds = (performance.now() - started) / 1000;
      // The floor the machine sets while a page scrolls: as many frames of scrolling an empty page as tall as the
      // gallery, by the same step, in the same webview right after (an overlay: the gallery does no work meanwhile).
      const control = document.createElement('div');
      Object.assign(control.style, { position: 'fixed', inset: '0', overflow: 'auto', zIndex: '10' });
      const tall = document.createElement('div');
      tall.style.height = `${scroller.scrollHeight}px`;
      control.append(tall);
      document.body.append(control);
      const controlFrames = [];
      {
        let previous = await new Promise((resolve) => requestAnimationFrame(resolve));
        while (controlFrames.length < frames.length) {
          control.scrollTop += stepPx;
          const now = await new Promise((resolve) => requestAnimationFrame(resolve));
          controlFrames.push(now - previous);
          previous = now;
        }
      }
      control.remove();
      const images = [...document.querySelectorAll('.gallery-grid img')];
      const loaded = images.filter((image) => image.complete && image.naturalWidth > 0);
      const sorted = [...frames].sort((a, b) => a - b);
      return {
        seconds,
        renders,
        frameCount: frames.length,
        longestFrameMs: Math.max(...frames),
        framesOver50ms: frames.filter((f) => f > 50).length,
        framesOver100ms: frames.filter((f) => f > 100).length,
        medianFrameMs: sorted[Math.floor(sorted.length / 2)],
        p99FrameMs: sorted[Math.floor(sorted.length * 0.99)],
        worstFrames: sorted.slice(-5).map((f) => Math.round(f)),
        longFrames: longFrames.sort((a, b) => b.durationMs - a.durationMs).slice(0, 8),
        longFramesSeen: longFrames.length,
        longFramesSupported,
        idleLongestFrameMs: Math.max(...idleFrames),
        idleFramesOver50ms: idleFrames.filter((f) => f > 50).length,
        idleFrameCount: idleFrames.length,
        controlLongestFrameMs: Math.max(...controlFrames),
        controlFramesOver50ms: controlFrames.filter((f) => f > 50).length,
        tiles: document.querySelectorAll('.gallery-grid .tile').length,
        maxTiles,
        total: Number(data.galleryTotal),
        imagesLoaded: loaded.length,
        scrollHeight: scroller.scrollHeight,
        imagesFromThumbnails: loaded.filter((image) => (image.getAttribute('src') ?? '').includes('/thumbnails/'))
          .length,
        memory: {
          // Chromium's JS heap of the webview's document, and the pixels the tiles' images decode to (4 bytes each).
          jsHeapMB: performance.memory ? performance.memory.usedJSHeapSize / 1024 / 1024 : undefined,
          decodedImagesMB:
            loaded.reduce((sum, image) => sum + image.naturalWidth * image.naturalHeight * 4, 0) / 1024 / 1024,
          domNodes: document.getElementsByTagName('*').length,
        },
      };
    },
    { stepPx, timeoutMs },
  );
}

/**
 * The JS heap of the webview's document after a full GC, through the DevTools protocol. The webview is its own
 * renderer process when Chromium isolates it (an out-of-process frame: its own CDP session); in code-server it is
 * served from the workbench's origin and shares the workbench's process and heap, which is then what is measured
 * (`shared: true`).
 */
async function collectedHeap(page, frame) {
  let session;
  let shared = false;
  try {
    session = await page.context().newCDPSession(frame);
  } catch {
    session = await page.context().newCDPSession(page);
    shared = true;
  }
  try {
    await session.send('HeapProfiler.enable');
    await session.send('HeapProfiler.collectGarbage');
    const { usedSize } = await session.send('Runtime.getHeapUsage');
    return { usedMB: usedSize / 1024 / 1024, shared };
  } finally {
    await session.detach().catch(() => undefined);
  }
}

/**
 * Long animation frames (> 50 ms) of every document of the page (the workbench, the webview's host frames, the
 * webview) while `during` runs: whose scripts, and how long rendering took. In code-server the webview shares the
 * workbench's main thread, so a long frame of the scroll may be the workbench's.
 */
async function longFramesOfEveryDocument(page, during) {
  const frames = page.frames();
  const installed = [];
  for (const frame of frames) {
    const ok = await frame
      .evaluate(() => {
        if (!(PerformanceObserver.supportedEntryTypes ?? []).includes('long-animation-frame')) return false;
        const seen = [];
        const observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries())
            if (entry.duration > 50)
              seen.push({
                durationMs: Math.round(entry.duration),
                blockingMs: Math.round(entry.blockingDuration),
                renderMs: entry.renderStart ? Math.round(entry.startTime + entry.duration - entry.renderStart) : 0,
                scriptMs: Math.round(entry.scripts.reduce((sum, script) => sum + script.duration, 0)),
                allScripts: entry.scripts.map((script) => ({
                  source: `${(script.sourceURL ?? '').split('/').pop()}:`,
                  durationMs: Math.round(script.duration),
                })),
                scripts: [...entry.scripts]
                  .sort((a, b) => b.duration - a.duration)
                  .slice(0, 3)
                  .map((script) => ({
                    invoker: script.invoker.slice(0, 80),
                    source: `${(script.sourceURL ?? '').split('/').pop()}:${script.sourceFunctionName ?? ''}`,
                    durationMs: Math.round(script.duration),
                  })),
              });
        });
        observer.observe({ type: 'long-animation-frame' });
        globalThis.__benchLongFrames = { observer, seen };
        return true;
      })
      .catch(() => false);
    if (ok) installed.push(frame);
  }
  const result = await during();
  const byDocument = [];
  for (const frame of installed) {
    const seen = await frame
      .evaluate(() => {
        const state = globalThis.__benchLongFrames;
        state?.observer.disconnect();
        return state?.seen ?? [];
      })
      .catch(() => []);
    const url = frame.url().replace(/\?.*$/, '');
    // Script time inside the long frames, by the file it ran from (the webview's bundle is webview.js).
    const scriptMsBySource = {};
    for (const entry of seen)
      for (const script of entry.allScripts) {
        const file = script.source.split(':')[0].split('?')[0] || '(evaluated)';
        scriptMsBySource[file] = (scriptMsBySource[file] ?? 0) + script.durationMs;
      }
    for (const entry of seen) delete entry.allScripts;
    byDocument.push({
      document: frame === page.mainFrame() ? 'workbench' : url.split('/').slice(-2).join('/'),
      count: seen.length,
      totalMs: seen.reduce((sum, entry) => sum + entry.durationMs, 0),
      withoutScriptMs: seen.filter((entry) => entry.scriptMs === 0).reduce((sum, entry) => sum + entry.durationMs, 0),
      scriptMsBySource,
      longestMs: Math.max(0, ...seen.map((entry) => entry.durationMs)),
      worst: seen.sort((a, b) => b.durationMs - a.durationMs).slice(0, 3),
    });
  }
  return { result, byDocument };
}

/** Types a query into the gallery's search one key at a time: for each keystroke, input → results painted. */
function searchGallery(frame, { text = 'lighthouse number 7', gapMs = 150 } = {}) {
  return frame.evaluate(
    async ({ text, gapMs }) => {
      const data = document.body.dataset;
      const input = document.querySelector('.gallery input[type="search"]');
      const keystrokes = [];
      for (let length = 1; length <= text.length; length++) {
        const typed = text.slice(0, length);
        let anyPaintMs;
        const painted = new Promise((resolve) => {
          const observer = new MutationObserver(() => {
            // The first paint of any search after the keystroke: the ruler a build that names no search allows.
            anyPaintMs ??= performance.now() - started;
            // A build that names the painted search: this keystroke's, not a late paint of the one before.
            if (data.galleryQuery !== undefined && data.galleryQuery !== typed) return;
            observer.disconnect();
            resolve(true);
          });
          observer.observe(document.body, { attributes: true, attributeFilter: ['data-gallery-render-ms'] });
          setTimeout(() => {
            observer.disconnect();
            resolve(false);
          }, 3_000);
        });
        const started = performance.now();
        input.value = typed;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        const ok = await painted;
        keystrokes.push({
          query: input.value,
          // Without the name, a paint sooner than a frame can only be the keystroke before's.
          matched: data.galleryQuery !== undefined,
          ok,
          ms: performance.now() - started,
          anyPaintMs,
          renderMs: Number(data.galleryRenderMs),
          total: Number(data.galleryTotal),
        });
        await new Promise((resolve) => setTimeout(resolve, gapMs));
      }
      // The last keystroke → every tile on screen shows its picture (they wait for a pause in typing).
      const lastKeyAt = performance.now() - gapMs;
      const onScreen = () =>
        [...document.querySelectorAll('.gallery-grid .tile:not([hidden])')].filter((tile) => {
          const box = tile.getBoundingClientRect();
          return box.bottom > 0 && box.top < innerHeight;
        });
      let picturesMs;
      while (performance.now() - lastKeyAt < 10_000) {
        const tiles = onScreen();
        if (
          tiles.length > 0 &&
          tiles.every((tile) => {
            const image = tile.querySelector('img');
            return image?.complete && image.naturalWidth > 0;
          })
        ) {
          picturesMs = performance.now() - lastKeyAt;
          break;
        }
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      input.value = '';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      return { keystrokes, picturesAfterLastKeyMs: picturesMs };
    },
    { text, gapMs },
  );
}

export async function measureWebview({ browser, server, stage, benchDir, fake, root, quick, log }) {
  // The stage holds the release build (figure 4), which has no timing marks: build the webview again with them.
  // The stage's own esbuild.js: with BENCH_SOURCE_REF, the build of that commit.
  execFileSync(process.execPath, [path.join(stage, 'esbuild.js'), '--production'], {
    cwd: stage,
    env: { ...process.env, IDEOGRAM_MEASURE: '1' },
    stdio: 'inherit',
  });
  const windows = quick ? 1 : 3;
  // Per window: openings 0..rounds-1 measure the form and the first gallery page; the last of them also scrolls
  // the gallery to its end; one more opening checks that the view still comes back after that scroll.
  const rounds = quick ? 2 : 4;
  const entries = Number(process.env.BENCH_GALLERY_ENTRIES ?? 10_000);
  const thumbnails = process.env.BENCH_GALLERY_THUMBNAILS || 'seeded';
  const flagDir = path.join(benchDir, 'webview-flags');
  const samples = [];
  const seeding = [];
  const reopenAfterScroll = [];
  const hostQueries = [];
  const hostHeap = [];
  for (let window = 0; window < windows; window++) {
    fs.rmSync(flagDir, { recursive: true, force: true });
    fs.mkdirSync(flagDir, { recursive: true });
    fs.writeFileSync(
      path.join(benchDir, 'host-config.json'),
      JSON.stringify({
        mode: 'webview',
        endpoint: fake.endpoint,
        imageBytes: 1.5 * 1024 * 1024,
        galleryEntries: entries,
        webviewRounds: rounds + 1,
        flagDir,
        galleryPicture: process.env.BENCH_GALLERY_PICTURE || 'full',
        galleryThumbnails: thumbnails,
      }),
    );
    const workspace = path.join(benchDir, `ws-webview-${window}`);
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.cpSync(path.join(root, 'test/fixtures/workspace'), workspace, { recursive: true });
    let chain = Promise.resolve();
    const failures = [];
    const onEvent = (event, page) => {
      if (event.kind === 'gallerySeeded') seeding.push(event);
      if (event.kind === 'galleryQuery') hostQueries.push(event);
      if (event.kind === 'galleryHostHeap') hostHeap.push(event);
      if (event.kind === 'webviewHostParts') {
        // The host's side of an opening that made a page (a re-opening shows the page it has: no new resolve): when VS
        // Code asked for the view, and when the page was written, after the command. It comes once the round is done.
        chain = chain.then(() => {
          const sample = samples.find((x) => x.window === window && x.round === event.round);
          if (sample && event.resolvedMs >= 0)
            Object.assign(sample, { viewResolvedMs: event.resolvedMs, pageWrittenMs: event.pageWrittenMs });
        });
        return;
      }
      if (event.kind !== 'webviewOpened') return;
      chain = chain.then(async () => {
        const afterScroll = event.round === rounds;
        try {
          const sample = await measureOpening(page, event, {
            scroll: event.round === rounds - 1,
            readyTimeoutMs: afterScroll ? 30_000 : undefined,
            shotDir: benchDir,
            log,
          });
          if (afterScroll) reopenAfterScroll.push({ window, ok: true, interactiveMs: sample.interactiveMs });
          else samples.push({ window, ...sample });
        } catch (error) {
          if (afterScroll) {
            reopenAfterScroll.push({ window, ok: false, error: error.message.slice(0, 300) });
            log(`re-open after the scroll: ${error.message.slice(0, 200)}`);
          } else {
            failures.push(error);
            log(`round ${event.round}: ${error.message}`);
          }
        } finally {
          await new Promise((resolve) => setTimeout(resolve, Number(process.env.BENCH_WEBVIEW_SETTLE_MS ?? 0)));
          fs.writeFileSync(path.join(flagDir, `webview-${event.round}.done`), '');
        }
      });
    };
    const result = await runInHost({
      browser,
      serverUrl: server.url,
      workspace,
      extensionPath: stage,
      testsPath: path.join(stage, 'out/test/integration/bench'),
      timeoutMs: 600_000,
      consoleLog: path.join(benchDir, `host-webview-${window}.log`),
      log,
      onEvent,
      viewport: { width: 1400, height: 900 },
    });
    await chain;
    if (result.exitCode !== 0)
      throw new Error(
        `webview bench window ${window}: extension host ended with ${result.exitCode}; see host-webview-${window}.log`,
      );
    if (failures.length) throw failures[0];
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  return {
    measured: true,
    windows,
    roundsPerWindow: rounds,
    entries,
    galleryPicture: process.env.BENCH_GALLERY_PICTURE || 'full',
    thumbnails,
    seeding,
    hostQueries,
    hostHeap,
    samples,
    reopenAfterScroll,
  };
}

async function measureOpening(
  page,
  event,
  { scroll: wantScroll, readyTimeoutMs = Number(process.env.BENCH_WEBVIEW_READY_TIMEOUT ?? 30) * 1000, shotDir, log },
) {
  const deadline = Date.now() + readyTimeoutMs;
  let document;
  for (;;) {
    const documents = await webviewDocuments(page);
    document = documents.find((d) => d.timeOrigin >= event.startedAt - 5 && d.ready);
    if (document && Number.isFinite(document.galleryRenderMs)) break;
    const retained = documents.find((d) => d.timeOrigin < event.startedAt && d.ready);
    if (retained && Date.now() > deadline - readyTimeoutMs + 5_000)
      throw new Error(
        'the view kept its old webview document (retainContextWhenHidden?): opening time not measurable this way',
      );
    if (Date.now() > deadline) {
      const shot = path.join(shotDir, `webview-${event.startedAt}-round-${event.round}-timeout.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      throw new Error(
        `the webview did not become ready within ${readyTimeoutMs / 1000} s of ideogram.openPanel (documents: ${documents.length}; frames: ${page
          .frames()
          .map((f) => f.url().slice(0, 80))
          .join(' | ')}; screenshot ${shot})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Interactive = the form built from the first snapshot (data-ready-ms, on the webview document's clock).
  const interactiveMs = document.timeOrigin + document.readyMs - event.startedAt;
  // Open → first page painted on the document's clock. A build before issue 25 does not report when it painted: it
  // asked for the page right before it marked the form ready, so that is ready + the page's time (within a few µs).
  const paintedMs = Number.isFinite(document.galleryPaintedMs)
    ? document.galleryPaintedMs
    : document.readyMs + document.galleryRenderMs;
  const firstPage = {
    count: document.galleryCount,
    total: document.galleryTotal,
    renderMs: document.galleryRenderMs,
    openToPaintedMs: document.timeOrigin + paintedMs - event.startedAt,
    // What the user waits for once the form is there (5c): the old build asked for the page at that moment.
    afterFormMs: paintedMs - document.readyMs,
    paintedReported: Number.isFinite(document.galleryPaintedMs),
  };
  const heapBefore = wantScroll
    ? await collectedHeap(page, document.frame).catch((error) => ({ error: error.message }))
    : undefined;
  const observed = wantScroll
    ? await longFramesOfEveryDocument(page, () => scrollGallery(document.frame, {}))
    : undefined;
  const scroll = observed?.result;
  if (scroll) scroll.longFramesByDocument = observed.byDocument;
  if (scroll) {
    scroll.memory.heapBeforeScroll = heapBefore;
    scroll.memory.heapAfterScroll = await collectedHeap(page, document.frame).catch((error) => ({
      error: error.message,
    }));
  }
  const searched = wantScroll ? await searchGallery(document.frame) : undefined;
  const search = searched?.keystrokes;
  log(
    `round ${event.round}: interactive after ${interactiveMs.toFixed(0)} ms (webview document created ${(document.timeOrigin - event.startedAt).toFixed(0)} ms after the command), first gallery page ${firstPage.renderMs} ms (painted ${firstPage.openToPaintedMs.toFixed(0)} ms after the command)${scroll ? `; scrolled ${scroll.tiles}/${scroll.total} tiles in ${scroll.seconds.toFixed(1)} s, longest frame ${scroll.longestFrameMs.toFixed(0)} ms, ${scroll.imagesLoaded} images loaded at the end (${scroll.imagesFromThumbnails} thumbnails), at most ${scroll.maxTiles} tiles, JS heap ${scroll.memory.jsHeapMB?.toFixed(1)} MB + images ${scroll.memory.decodedImagesMB.toFixed(1)} MB` : ''}${search ? `; search per keystroke ${search.map((k) => k.ms.toFixed(0)).join('/')} ms` : ''}`,
  );
  return {
    round: event.round,
    cold: event.round === 0,
    commandMs: event.commandMs,
    interactiveMs,
    documentCreatedMs: document.timeOrigin - event.startedAt,
    scriptReadyMs: document.readyMs,
    scriptStartMs: document.scriptStartMs,
    snapshotMs: document.snapshotMs,
    firstPage,
    scroll: scroll && { ...scroll, pageRenders: scroll.renders.map((r) => r.ms), renders: undefined },
    search,
    searchPicturesMs: searched?.picturesAfterLastKeyMs,
  };
}
