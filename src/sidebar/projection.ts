// How the sidebar's state becomes what its webview is sent: plain functions of plain data (no `vscode`), unit-tested
// in Node (test/unit/sidebarProjection.test.ts). The host side (./sidebarState.ts) reads the services and VS Code.
import type { GalleryEntry } from '../core/galleryStore';
import { pixelSize } from '../core/request';
import type { CreditsView, GalleryItemView, HostMessage } from '../common/protocol';
import type { RunEvent } from './ports';

/** A gallery entry as the webview shows it, given where its image is: its webview URI, file name and tooltip path. */
export function galleryItemView(
  entry: GalleryEntry,
  where: { src: string; fileName: string; path: string },
): GalleryItemView {
  const item: GalleryItemView = {
    id: entry.id,
    src: where.src,
    uri: entry.imageUri,
    prompt: entry.prompt,
    fileName: where.fileName,
    path: where.path,
    ...pixelSize(entry.request),
    createdAt: entry.createdAt,
    request: entry.request,
  };
  if (entry.seed !== undefined) item.seed = entry.seed;
  if (entry.cost !== undefined) item.cost = entry.cost;
  return item;
}

/** The credits line after an image: what Segmind reported of it, the earlier values otherwise; unchanged: undefined. */
export function creditsAfterImage(
  previous: CreditsView,
  image: { remainingCredits?: number; cost?: number },
): CreditsView | undefined {
  if (image.remainingCredits === undefined && image.cost === undefined) return undefined;
  return { remaining: image.remainingCredits ?? previous.remaining, lastCost: image.cost ?? previous.lastCost };
}

/**
 * The path under a workspace folder that the webview may read for an `ideogram.assetsFolder` pattern: its segments,
 * or none (the whole workspace folder) when the pattern depends on the document (`${…}`, `..`) or names no folder.
 */
export function assetsRootSegments(pattern: string): string[] {
  const segments = pattern.split(/[\\/]+/).filter((segment) => segment !== '' && segment !== '.');
  const dependsOnDocument = pattern.includes('${') || segments.includes('..') || segments.length === 0;
  return dependsOnDocument ? [] : segments;
}

/** Whether the URI (as a string) is the root or lies under it: a sibling with the same prefix does not. */
export function isUnder(uri: string, root: string): boolean {
  return uri === root || uri.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/** The wanted roots that none of the current ones covers (the webview must reload to read them). */
export function uncoveredRoots<T extends { toString(): string }>(wanted: readonly T[], current: readonly T[]): T[] {
  return wanted.filter((root) => !current.some((each) => isUnder(root.toString(), each.toString())));
}

/** The folders holding gallery images that no root covers yet. */
export function foldersOutside<T extends { toString(): string }>(folders: readonly T[], roots: readonly T[]): T[] {
  const added: T[] = [];
  for (const folder of folders)
    if (![...roots, ...added].some((root) => isUnder(folder.toString(), root.toString()))) added.push(folder);
  return added;
}

/** The message a run's event becomes (its credits go to the credits line instead: undefined). */
export function runEventMessage(
  event: RunEvent,
  itemView: (entry: GalleryEntry) => GalleryItemView,
): HostMessage | undefined {
  switch (event.kind) {
    case 'changed':
      return { type: 'run', run: event.run };
    case 'variations':
      return { type: 'variations', items: event.entries.map(itemView) };
    case 'finished':
      return {
        type: 'runFinished',
        runId: event.runId,
        outcome: event.outcome,
        item: event.entry && itemView(event.entry),
      };
    case 'credits':
      return undefined;
  }
}
