// What the palette's commands show after a generation: the saved image's message and its actions, and the
// variations (one picked for the link, the others left in the gallery).
import * as vscode from 'vscode';
import type { ValidRequest } from '../core/request';
import { describeFailure, errorText, showFailure } from '../common/errorMessages';
import { workspaceRelativePath } from '../links/imageFiles';
import { type ImageLinks } from '../links/documentLinks';
import type { TrackedInsertionPoint } from '../links/insertionPoint';
import { COMMAND } from '../common/ids';
import { shorten } from '../core/text';
import type { GenerationServices, SavedGeneration } from './generationService';
import type { PreparedGeneration } from './pipeline';
import { withCancellableProgress } from './promptInput';
import { generateVariations } from './variations';

/** What the palette's commands return to a caller that ran them with arguments. */
export interface GenerateImageResult {
  uri: string;
  link: string;
  inserted: boolean;
  /** Every saved image, when variations were generated. */
  uris?: string[];
}

/**
 * N variations of one recipe, in parallel (the budget checks the batch once). In the Markdown flow the user
 * picks the one inserted; the others stay in the gallery.
 */
export async function runVariations(
  deps: Pick<GenerationServices, 'service' | 'spending' | 'log'> & { links: ImageLinks },
  prepared: PreparedGeneration,
  request: ValidRequest,
  point: TrackedInsertionPoint | undefined,
  insertMode: 'always' | 'never' | 'offer',
  prefix: string,
  count: number,
): Promise<GenerateImageResult | undefined> {
  const { service, spending, log, links } = deps;
  let results: Array<PromiseSettledResult<SavedGeneration>>;
  try {
    let saved = 0;
    results = await withCancellableProgress(
      vscode.l10n.t('Generating {0} variations of “{1}”…', count, shorten(request.prompt)),
      (report, signal) =>
        generateVariations(
          { service, spending },
          prepared,
          { request, signal, origin: insertMode === 'always' && point ? 'markdown' : 'palette' },
          count,
          () => ({ onSubmitted: () => undefined }),
          () => report(vscode.l10n.t('{0} of {1} saved…', ++saved, count)),
        ),
    );
  } catch (error) {
    point?.dispose();
    void showFailure(error, log);
    return undefined;
  }
  const saved = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  if (saved.length === 0) {
    point?.dispose();
    void showFailure(failures[0], log);
    return undefined;
  }
  if (failures.length > 0) {
    log.warn(`${failures.length} of ${count} variations failed: ${failures.map(errorText).join(' | ')}`);
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        '{0} of {1} variations could not be generated: {2}',
        failures.length,
        count,
        describeFailure(failures[0]).message,
      ),
    );
  }
  const uris = saved.map((generation) => generation.uri.toString());
  const cost = spending.describeReported({
    cost: saved.every((generation) => generation.image.cost !== undefined)
      ? saved.reduce((sum, generation) => sum + (generation.image.cost ?? 0), 0)
      : undefined,
    remainingCredits: saved
      .map((generation) => generation.image.remainingCredits)
      .filter((value): value is number => value !== undefined)
      .sort((a, b) => a - b)[0],
  });
  const folder = workspaceRelativePath(vscode.Uri.joinPath(saved[0].uri, '..'));
  if (point && insertMode === 'always') {
    const chosen = await pickVariation(
      saved,
      vscode.l10n.t('Insert which variation? The others stay in the Ideogram gallery.'),
    );
    if (!chosen) {
      point.dispose();
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Saved {0} variations in {1}; none inserted (they are in the Ideogram gallery).',
          saved.length,
          folder,
        ),
      );
      return {
        uri: uris[0],
        link: links.linkFor(undefined, saved[0].prompt, saved[0].uri),
        inserted: false,
        uris,
      };
    }
    const insertedLink = await links.insert(point, prefix, chosen).then(undefined, () => undefined);
    const inserted = insertedLink !== undefined;
    const link = insertedLink ?? links.linkFor(point.document, chosen.prompt, chosen.uri);
    point.dispose();
    void vscode.window.showInformationMessage(
      inserted
        ? vscode.l10n.t(
            'Inserted {0}; the other variations are in the Ideogram gallery.',
            workspaceRelativePath(chosen.uri),
          )
        : vscode.l10n.t('The document was closed, so the link was not inserted. The images are saved in {0}.', folder),
    );
    return { uri: chosen.uri.toString(), link, inserted, uris };
  }
  point?.dispose();
  const message = cost
    ? vscode.l10n.t('Saved {0} variations in {1} ({2})', saved.length, folder, cost)
    : vscode.l10n.t('Saved {0} variations in {1}', saved.length, folder);
  const reveal = vscode.l10n.t('Reveal in Explorer');
  const open = vscode.l10n.t('Open Gallery');
  void vscode.window.showInformationMessage(message, open, reveal).then((choice) => {
    if (choice === reveal) return vscode.commands.executeCommand('revealInExplorer', saved[0].uri);
    if (choice === open) return vscode.commands.executeCommand(COMMAND.openPanel);
    return undefined;
  });
  return {
    uri: uris[0],
    link: links.linkFor(undefined, saved[0].prompt, saved[0].uri),
    inserted: false,
    uris,
  };
}

/**
 * The message after saving, with Open, Reveal, Copy Link and (in a document that takes image links) Insert. Not awaited.
 * Only the file's URI and prompt are kept while the message is open, never the image bytes.
 */
export function offerActions(
  links: ImageLinks,
  { uri, prompt }: Pick<SavedGeneration, 'uri' | 'prompt'>,
  message: string,
  point: TrackedInsertionPoint | undefined,
): void {
  const open = vscode.l10n.t('Open');
  const reveal = vscode.l10n.t('Reveal in Explorer');
  const copy = vscode.l10n.t('Copy Link');
  const insert = vscode.l10n.t('Insert');
  const choices = point?.isValid ? [insert, open, reveal, copy] : [open, reveal, copy];
  void vscode.window.showInformationMessage(message, ...choices).then(async (choice) => {
    try {
      if (choice === open) await vscode.commands.executeCommand('vscode.open', uri);
      else if (choice === reveal) await vscode.commands.executeCommand('revealInExplorer', uri);
      else if (choice === copy) {
        await vscode.env.clipboard.writeText(links.linkFor(links.targetEditor()?.document, prompt, uri));
      } else if (choice === insert && point) {
        if ((await links.insert(point, '', { uri, prompt })) === undefined) {
          await vscode.env.clipboard.writeText(links.linkFor(undefined, prompt, uri));
          void vscode.window.showWarningMessage(
            vscode.l10n.t('The document was closed; the Markdown link was copied to the clipboard instead.'),
          );
        }
      }
    } finally {
      point?.dispose();
    }
  });
}
/** A quick pick of finished variations, each with its thumbnail, file name and seed. */
async function pickVariation(saved: SavedGeneration[], title: string): Promise<SavedGeneration | undefined> {
  const items = saved.map((generation, index) => ({
    label: workspaceRelativePath(generation.uri).split('/').pop() ?? '',
    description: generation.image.seed !== undefined ? vscode.l10n.t('seed {0}', generation.image.seed) : undefined,
    detail: workspaceRelativePath(generation.uri),
    iconPath: generation.uri,
    index,
  }));
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder: title, ignoreFocusOut: true });
  return chosen && saved[chosen.index];
}
