import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { SIDECAR_SUFFIX, type GalleryEntry } from '../core/galleryStore';
import { findAnyImageLinks } from '../core/linkFormats';
import type { Gallery } from './gallery';
import { moveImagesToTrash } from './trash';
import { baseName } from '../core/text';
import { readFileWithin } from '../common/boundedFiles';
import { actionLabel } from '../common/errorMessages';
import { reportFailureShown } from '../common/testMode';
import { offerUnusedImages, SEARCHED_DOCUMENT_EXTENSIONS, type UnusedImagesOffer } from '../core/unusedImageOffer';

// "Ideogram: Find Unused Generated Images": the gallery's images that no document in the workspace links to,
// in any format, with their sizes; the ones the user picks go to the trash after a confirmation. Only after a
// complete search (src/core/unusedImageOffer.ts): otherwise nothing is offered, and the user is told what was not
// searched and how to make the search complete.

/** The documents searched (src/core/unusedImageOffer.ts says which and why). */
export const LINKING_DOCUMENTS_GLOB = `**/*.{${SEARCHED_DOCUMENT_EXTENSIONS.join(',')}}`;
const EXCLUDE_GLOB = '**/{node_modules,.git}/**';
export const MAX_DOCUMENTS = 20_000;
/** A document bigger than this is not read (a repository can link `docs.md -> /dev/zero` or commit a huge file). */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

const argsSchema = z.object({
  /** Only list the unused images (tests, other extensions): no quick pick, nothing deleted. */
  dryRun: z.optional(z.boolean()),
});

export interface UnusedImage {
  entry: GalleryEntry;
  uri: vscode.Uri;
  size: number;
}

export interface UnusedImageSearch {
  unused: UnusedImage[];
  /** Documents that could not be searched (too big, unreadable): an image they name may be listed wrongly. */
  unsearched: vscode.Uri[];
  /** More documents than MAX_DOCUMENTS: the rest were not searched. */
  truncated: boolean;
}

/**
 * The text a document's links are in: the open (possibly unsaved) version, or the file; a notebook's cells.
 * Undefined for what is not a regular file (a link to a device or a FIFO: not a document); throws when a document
 * is too big or cannot be read.
 */
async function documentText(uri: vscode.Uri, open: Map<string, vscode.TextDocument>): Promise<string | undefined> {
  const document = open.get(uri.toString());
  let text: string;
  if (document) text = document.getText();
  else {
    const read = await readFileWithin(uri, MAX_DOCUMENT_BYTES);
    if (read.kind === 'not-a-file') return undefined;
    if (read.kind === 'too-big') throw new Error(`${read.size} bytes, more than ${MAX_DOCUMENT_BYTES}`);
    text = new TextDecoder().decode(read.bytes);
  }
  if (uri.path.endsWith('.ipynb')) {
    const notebook = vscode.workspace.notebookDocuments.find(
      (candidate) => candidate.uri.toString() === uri.toString(),
    );
    if (notebook)
      return notebook
        .getCells()
        .map((cell) => cell.document.getText())
        .join('\n\n');
    try {
      const cells = (JSON.parse(text) as { cells?: Array<{ source?: string | string[] }> }).cells ?? [];
      text = cells
        .map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : (cell.source ?? '')))
        .join('\n\n');
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
export async function findUnusedImages(gallery: Gallery, token?: vscode.CancellationToken): Promise<UnusedImageSearch> {
  const nothing: UnusedImageSearch = { unused: [], unsearched: [], truncated: false };
  await gallery.load();
  const { items } = await gallery.query('', 0, Math.max(gallery.size, 1));
  // Images the gallery adopted from a recipe found in the workspace (anyone can write one) are not offered.
  const candidates = items.filter(
    (entry) => !entry.adopted && vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(entry.imageUri, true)),
  );
  if (candidates.length === 0) return nothing;

  const open = new Map<string, vscode.TextDocument>();
  for (const document of vscode.workspace.textDocuments)
    if (document.uri.scheme !== 'vscode-notebook-cell') open.set(document.uri.toString(), document);
  // One more than the cap tells a workspace at the cap from one past it.
  const found = await vscode.workspace.findFiles(LINKING_DOCUMENTS_GLOB, EXCLUDE_GLOB, MAX_DOCUMENTS + 1, token);
  const truncated = found.length > MAX_DOCUMENTS;
  // A recipe sidecar names its own image: it is not a use of it.
  const files = found.slice(0, MAX_DOCUMENTS).filter((uri) => !uri.path.endsWith(SIDECAR_SUFFIX));
  const documents = new Map<string, vscode.Uri>(files.map((uri) => [uri.toString(), uri]));
  for (const [key, document] of open) if (!document.isUntitled) documents.set(key, document.uri);

  const linked = new Set<string>();
  const mentioned: string[] = [];
  const unsearched: vscode.Uri[] = [];
  for (const uri of documents.values()) {
    if (token?.isCancellationRequested) return nothing;
    let text: string | undefined;
    try {
      text = await documentText(uri, open);
    } catch {
      unsearched.push(uri);
      continue;
    }
    if (text === undefined) continue;
    mentioned.push(text);
    const folder = vscode.Uri.joinPath(uri, '..');
    for (const link of findAnyImageLinks(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link.target) || link.target === '') continue; // a URL or data: URI
      // The target is a file path already (a query or fragment gone): `#` and `?` in it are part of the name.
      linked.add(vscode.Uri.joinPath(folder, link.target).toString());
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
  return { unused, unsearched, truncated };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return vscode.l10n.t('{0} B', bytes);
  if (bytes < 1024 * 1024) return vscode.l10n.t('{0} KB', (bytes / 1024).toFixed(1));
  return vscode.l10n.t('{0} MB', (bytes / 1024 / 1024).toFixed(1));
}

/** A few documents by their workspace paths, for a message (the log lists them all). */
function someDocuments(uris: readonly vscode.Uri[]): string {
  const names = uris.slice(0, 3).map((uri) => vscode.workspace.asRelativePath(uri));
  return uris.length > names.length ? `${names.join(', ')}, …` : names.join(', ');
}

/** Why nothing is offered after an incomplete search, and what to do so the next search is complete. */
function incompleteSearchMessage(offer: Extract<UnusedImagesOffer<UnusedImage, vscode.Uri>, { kind: 'incomplete' }>) {
  if (offer.truncated)
    return vscode.l10n.t(
      'Nothing is offered for deletion: this workspace has more than {0} documents and only {0} were searched, so {1} images no searched document links to may be used in the others. Open the folder that holds the images on its own, then search again.',
      MAX_DOCUMENTS,
      offer.notOffered.length,
    );
  return vscode.l10n.t(
    'Nothing is offered for deletion: {0} documents could not be searched ({1}), so {2} images no searched document links to may be used in them. Make them readable and smaller than {3} MB, or move them out of the workspace, then search again.',
    offer.unsearched.length,
    someDocuments(offer.unsearched),
    offer.notOffered.length,
    MAX_DOCUMENT_BYTES / 1024 / 1024,
  );
}

/** The command: search (with progress), pick, confirm, move to the trash. Returns the URIs found / removed. */
export async function findUnusedImagesCommand(
  gallery: Gallery,
  log: vscode.LogOutputChannel,
  rawArgs?: unknown,
): Promise<
  { unused: string[]; notOffered: string[]; removed: string[]; unsearched: string[]; truncated: boolean } | undefined
> {
  const args = argsSchema.safeParse(rawArgs ?? {});
  const search = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Looking for generated images no document links to…'),
      cancellable: true,
    },
    (_progress, token) => findUnusedImages(gallery, token),
  );
  const offer = offerUnusedImages(search.unused, search);
  const unused = offer.offered;
  const result = {
    unused: unused.map((image) => image.uri.toString()),
    notOffered: offer.kind === 'incomplete' ? offer.notOffered.map((image) => image.uri.toString()) : [],
    removed: [] as string[],
    unsearched: search.unsearched.map((uri) => uri.toString()),
    truncated: search.truncated,
  };
  if (args.success && args.data.dryRun) return result;
  if (offer.kind === 'incomplete') {
    log.warn(
      `Find Unused Images: nothing offered, the search was incomplete: ${search.truncated ? `more than ${MAX_DOCUMENTS} documents; ` : ''}not searched: ${result.unsearched.join(', ') || 'none'}; not offered: ${result.notOffered.join(', ') || 'none'}`,
    );
  }
  if (offer.kind === 'incomplete' && offer.notOffered.length > 0) {
    const message = incompleteSearchMessage(offer);
    const showLog = actionLabel('showLog');
    reportFailureShown({ message, actions: [showLog], kind: 'unused-images-search-incomplete' });
    // Not awaited: the command ends here, whatever the user does with the message.
    void vscode.window.showWarningMessage(message, showLog).then((choice) => {
      if (choice === showLog) log.show(true);
    });
    return result;
  }
  if (unused.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Every generated image in the workspace is linked from a document.'),
    );
    return result;
  }
  const total = unused.reduce((sum, image) => sum + image.size, 0);
  const picked = await vscode.window.showQuickPick(
    unused.map((image) => ({
      label: baseName(image.uri),
      description: `${formatBytes(image.size)} · ${vscode.workspace.asRelativePath(image.uri)}`,
      detail: image.entry.prompt,
      image,
    })),
    {
      canPickMany: true,
      ignoreFocusOut: true,
      matchOnDetail: true,
      title: vscode.l10n.t('{0} unused generated images ({1})', unused.length, formatBytes(total)),
      placeHolder: vscode.l10n.t('Choose the images to move to the trash'),
    },
  );
  if (!picked?.length) return result;
  const size = formatBytes(picked.reduce((sum, item) => sum + item.image.size, 0));
  const moveToTrash = vscode.l10n.t('Move to Trash');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Move {0} unused images ({1}) to the trash?', picked.length, size),
    {
      modal: true,
      detail: vscode.l10n.t(
        'No document in the workspace links to them. Their recipe files go too, and the gallery forgets them; the trash can restore them.',
      ),
    },
    moveToTrash,
  );
  if (choice !== moveToTrash) return result;
  const { removed, kept, deletedPermanently } = await moveImagesToTrash(
    picked.map(({ image }) => ({ uri: image.uri, entryId: image.entry.id })),
    gallery,
    log,
  );
  result.removed.push(...removed.map((image) => image.uri.toString()));
  const failed = kept.map((image) => vscode.workspace.asRelativePath(image.uri));
  if (failed.length) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        '{0} images could not be moved to the trash (this file system may have none): {1}',
        failed.length,
        failed.join(', '),
      ),
    );
  } else if (deletedPermanently > 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Removed {0} images ({1}); {2} of them were deleted permanently (this file system has no trash).',
        result.removed.length,
        size,
        deletedPermanently,
      ),
    );
  } else {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Moved {0} images ({1}) to the trash.', result.removed.length, size),
    );
  }
  return result;
}
