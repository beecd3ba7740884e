import * as vscode from 'vscode';
import * as z from 'zod/mini';
import type { GalleryEntry } from './core/galleryStore';
import { findAnyImageLinks } from './core/linkFormats';
import { type Gallery, moveImagesToTrash } from './gallery';
import { baseName } from './core/text';

// "Ideogram: Find Unused Generated Images": the gallery's images that no document in the workspace links to,
// in any format, with their sizes; the ones the user picks go to the trash after a confirmation.

/** The documents searched for links: every format of src/core/linkFormats.ts, and notebooks. */
export const LINKING_DOCUMENTS_GLOB = '**/*.{md,markdown,mdx,html,htm,xhtml,adoc,asciidoc,asc,rst,rest,tex,ltx,ipynb,jsx,tsx,js,ts,vue,svelte}';
const EXCLUDE_GLOB = '**/{node_modules,.git}/**';
const MAX_DOCUMENTS = 20_000;

const argsSchema = z.object({
  /** Only list the unused images (tests, other extensions): no quick pick, nothing deleted. */
  dryRun: z.optional(z.boolean()),
});

export interface UnusedImage { entry: GalleryEntry; uri: vscode.Uri; size: number }

/** The text a document's links are in: the open (possibly unsaved) version, or the file; a notebook's cells. */
async function documentText(uri: vscode.Uri, open: Map<string, vscode.TextDocument>): Promise<string> {
  const document = open.get(uri.toString());
  let text = document ? document.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  if (uri.path.endsWith('.ipynb')) {
    const notebook = vscode.workspace.notebookDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
    if (notebook) return notebook.getCells().map((cell) => cell.document.getText()).join('\n\n');
    try {
      const cells = (JSON.parse(text) as { cells?: Array<{ source?: string | string[] }> }).cells ?? [];
      text = cells.map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source ?? '')).join('\n\n');
    } catch {
      // Not JSON (yet): its raw text is searched, which errs on the side of "used".
    }
  }
  return text;
}

/**
 * The gallery images inside the workspace that no document links to. An image counts as used when a link in any
 * format resolves to it, or when its file name appears anywhere in a document (a link this search cannot read,
 * a build script): a false "unused" could cost the user an image, a false "used" costs nothing.
 */
export async function findUnusedImages(gallery: Gallery, token?: vscode.CancellationToken): Promise<UnusedImage[]> {
  await gallery.load();
  const { items } = await gallery.query('', 0, Math.max(gallery.size, 1));
  const candidates = items.filter((entry) => vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(entry.imageUri, true)));
  if (candidates.length === 0) return [];

  const open = new Map<string, vscode.TextDocument>();
  for (const document of vscode.workspace.textDocuments) if (document.uri.scheme !== 'vscode-notebook-cell') open.set(document.uri.toString(), document);
  const files = await vscode.workspace.findFiles(LINKING_DOCUMENTS_GLOB, EXCLUDE_GLOB, MAX_DOCUMENTS, token);
  const documents = new Map<string, vscode.Uri>(files.map((uri) => [uri.toString(), uri]));
  for (const [key, document] of open) if (!document.isUntitled) documents.set(key, document.uri);

  const linked = new Set<string>();
  const mentioned: string[] = [];
  for (const uri of documents.values()) {
    if (token?.isCancellationRequested) return [];
    let text: string;
    try {
      text = await documentText(uri, open);
    } catch {
      continue;
    }
    mentioned.push(text);
    const folder = vscode.Uri.joinPath(uri, '..');
    for (const link of findAnyImageLinks(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link.target) || link.target === '') continue; // a URL or data: URI
      const target = link.target.split(/[?#]/)[0] ?? '';
      linked.add(vscode.Uri.joinPath(folder, target).toString());
    }
  }
  const all = mentioned.join('\n');
  const unused: UnusedImage[] = [];
  for (const entry of candidates) {
    const uri = vscode.Uri.parse(entry.imageUri, true);
    if (linked.has(uri.toString())) continue;
    const name = baseName(uri);
    if (all.includes(name) || all.includes(encodeURIComponent(name))) continue;
    try {
      unused.push({ entry, uri, size: (await vscode.workspace.fs.stat(uri)).size });
    } catch {
      // Gone meanwhile: nothing to clean up.
    }
  }
  return unused;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return vscode.l10n.t('{0} B', bytes);
  if (bytes < 1024 * 1024) return vscode.l10n.t('{0} KB', (bytes / 1024).toFixed(1));
  return vscode.l10n.t('{0} MB', (bytes / 1024 / 1024).toFixed(1));
}

/** The command: search (with progress), pick, confirm, move to the trash. Returns the URIs found / removed. */
export async function findUnusedImagesCommand(gallery: Gallery, log: vscode.LogOutputChannel, rawArgs?: unknown): Promise<{ unused: string[]; removed: string[] } | undefined> {
  const args = argsSchema.safeParse(rawArgs ?? {});
  const unused = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Looking for generated images no document links to…'), cancellable: true },
    (_progress, token) => findUnusedImages(gallery, token));
  const result = { unused: unused.map((image) => image.uri.toString()), removed: [] as string[] };
  if (args.success && args.data.dryRun) return result;
  if (unused.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Every generated image in the workspace is linked from a document.'));
    return result;
  }
  const total = unused.reduce((sum, image) => sum + image.size, 0);
  const picked = await vscode.window.showQuickPick(unused.map((image) => ({
    label: baseName(image.uri),
    description: `${formatBytes(image.size)} · ${vscode.workspace.asRelativePath(image.uri)}`,
    detail: image.entry.prompt,
    image,
  })), {
    canPickMany: true,
    ignoreFocusOut: true,
    matchOnDetail: true,
    title: vscode.l10n.t('{0} unused generated images ({1})', unused.length, formatBytes(total)),
    placeHolder: vscode.l10n.t('Choose the images to move to the trash'),
  });
  if (!picked?.length) return result;
  const size = formatBytes(picked.reduce((sum, item) => sum + item.image.size, 0));
  const moveToTrash = vscode.l10n.t('Move to Trash');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Move {0} unused images ({1}) to the trash?', picked.length, size),
    { modal: true, detail: vscode.l10n.t('No document in the workspace links to them. Their recipe files go too, and the gallery forgets them; the trash can restore them.') },
    moveToTrash);
  if (choice !== moveToTrash) return result;
  const { removed, kept, deletedPermanently } = await moveImagesToTrash(picked.map(({ image }) => ({ uri: image.uri, entryId: image.entry.id })), gallery, log);
  result.removed.push(...removed.map((image) => image.uri.toString()));
  const failed = kept.map((image) => vscode.workspace.asRelativePath(image.uri));
  if (failed.length) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} images could not be moved to the trash (this file system may have none): {1}', failed.length, failed.join(', ')));
  } else if (deletedPermanently > 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Removed {0} images ({1}); {2} of them were deleted permanently (this file system has no trash).', result.removed.length, size, deletedPermanently));
  } else {
    void vscode.window.showInformationMessage(vscode.l10n.t('Moved {0} images ({1}) to the trash.', result.removed.length, size));
  }
  return result;
}
