import * as vscode from 'vscode';
import { altTextReplacement, hasMissingAltText, type AltTextLink } from '../../core/altTextLinks';
import { validateEndpoint } from '../../core/client';
import { formatCredits } from '../../core/cost';
import { altTextFrom } from '../../core/describe';
import { describeImage, segmindDescribeTransport, type Description } from '../../core/describeCall';
import { IdeogramError } from '../../core/errors';
import { systemClock } from '../../core/jobRunner';
import { imageInputsOf } from '../../core/models/options';
import { ideogramDescribe } from '../../core/models/ideogramDescribe';
import { validateRequest, type GenerationRequest } from '../../core/request';
import { baseName } from '../../core/text';
import type { ApiKeyStore } from '../../common/apiKey';
import { showFailure } from '../../common/errorMessages';
import type { Settings } from '../../common/settings';
import type { ImageUploader } from '../imageInput/imageUploader';
import { readSourceImage } from '../imageInput/sourceImage';
import type { Budget } from '../ports';
import { linkRange, type AltTextIndex } from './altTextIndex';

/** What the hover's link, the quick fix and the palette pass: the document and a position inside the link. */
export interface WriteAltTextArgs {
  document: string;
  line: number;
  character: number;
}

export interface AltTextDeps {
  settings: Settings;
  keys: ApiKeyStore;
  budget: Budget;
  /** The one uploader of the extension (consent once per workspace, an upload reused for the same bytes). */
  uploader: Pick<ImageUploader, 'urlFor'>;
  index: AltTextIndex;
  log: vscode.LogOutputChannel;
}

/**
 * "Write Alt Text": Ideogram Describe describes the linked picture and its description becomes the link's alt text,
 * written in the document's own syntax as one edit (one undo). The budget checks and records it like any generation.
 */
export class AltTextWriter {
  readonly #deps: AltTextDeps;
  constructor(deps: AltTextDeps) {
    this.#deps = deps;
  }

  /** The command: for the link at `args` (the hover, the quick fix) or at the active editor's cursor (the palette). */
  async run(args?: WriteAltTextArgs): Promise<{ written?: string }> {
    const located = await this.#locate(args);
    if (!located) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Put the cursor on an image link without alt text to write one.'),
      );
      return {};
    }
    const { document, link, image } = located;
    const name = baseName(image);
    try {
      return await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t(
            'Describing {0} with Ideogram ({1} credits)…',
            name,
            formatCredits(ideogramDescribe.price.perImage),
          ),
          cancellable: true,
        },
        async (progress, token) => {
          const controller = new AbortController();
          const cancel = token.onCancellationRequested(() => controller.abort());
          try {
            const description = await this.#describe(image, controller.signal, () =>
              progress.report({ message: vscode.l10n.t('Sent; waiting for the description…') }),
            );
            return { written: await this.#write(document, link, altTextFrom(description.text)) };
          } finally {
            cancel.dispose();
          }
        },
      );
    } catch (error) {
      void showFailure(error, this.#deps.log, () => this.run(args));
      return {};
    }
  }

  /**
   * Describe's words for a workspace picture, with the budget, the upload and the spend ledger as for alt text
   * (the Remix prompt's Describe button).
   */
  async describePicture(image: vscode.Uri, signal: AbortSignal): Promise<string> {
    return (await this.#describe(image, signal, () => undefined)).text;
  }

  /** The link the command is for, and the picture it shows; undefined when there is none to fix there. */
  async #locate(
    args: WriteAltTextArgs | undefined,
  ): Promise<{ document: vscode.TextDocument; link: AltTextLink; image: vscode.Uri } | undefined> {
    let document: vscode.TextDocument;
    let position: vscode.Position;
    if (args && typeof args.document === 'string') {
      const uri = vscode.Uri.parse(args.document, true);
      document =
        vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri.toString()) ??
        (await vscode.workspace.openTextDocument(uri));
      position = new vscode.Position(args.line, args.character);
    } else {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return undefined;
      document = editor.document;
      position = editor.selection.active;
    }
    const offset = document.offsetAt(position);
    const found = this.#deps.index.fixable(document).find(({ link }) => link.start <= offset && offset <= link.end);
    return found && { document, ...found };
  }

  /** Budget, upload, Describe: the description, with what it cost recorded in the spend ledger. */
  async #describe(image: vscode.Uri, signal: AbortSignal, onSubmitted: () => void): Promise<Description> {
    const { settings, keys, budget, uploader, log } = this.#deps;
    const endpoint = settings.apiEndpoint();
    const checked = validateEndpoint(endpoint);
    if (!checked.ok) throw checked.error;
    const apiKey = await keys.require();
    if (!apiKey) throw new IdeogramError({ kind: 'missing-api-key' });
    // Refused here (outside the workspace, a link out, not JPEG/PNG/WebP, too large): nothing uploaded or billed.
    const source = await readSourceImage(image);
    // The budget before the upload: a refusal should not have sent the picture anywhere. Priced by the model alone.
    const priced: GenerationRequest = { model: ideogramDescribe.slug, prompt: source.fileName };
    const spendId = budget.take(await budget.authorize(priced));
    let request: GenerationRequest = priced;
    try {
      if (signal.aborted) throw new IdeogramError({ kind: 'cancelled', reason: 'before-submit' });
      const url = await uploader.urlFor(source, { endpoint, apiKey }, signal);
      const [field = 'image_file'] = imageInputsOf(ideogramDescribe, 'source');
      const validation = validateRequest({ model: ideogramDescribe.slug, prompt: source.fileName, [field]: url });
      if (!validation.ok)
        throw new IdeogramError({ kind: 'invalid-request', reason: 'options-invalid', problems: validation.problems });
      request = validation.request;
      const description = await describeImage(
        request,
        {
          endpoint,
          apiKey,
          signal,
          timeoutMs: settings.requestTimeoutMs(),
          onSubmitted,
          log: (level, message) => log[level](message),
        },
        { clock: systemClock, transport: segmindDescribeTransport },
      );
      log.info(`Describe: ${source.fileName} described (${description.text.length} characters, ${description.route})`);
      if (spendId !== undefined) budget.settle(spendId, request, description);
      return description;
    } catch (error) {
      // Not charged (refused, failed at Segmind, never sent): it no longer counts against today's budget.
      if (spendId !== undefined && !(error instanceof IdeogramError && error.mayHaveBeenBilled))
        budget.release(spendId);
      throw error;
    }
  }

  /**
   * Writes the alt text into the link as one edit (one undo). The document may have changed while Describe worked:
   * the link is found again (same file, still without alt text, the nearest to where it was).
   */
  async #write(asked: vscode.TextDocument, original: AltTextLink, alt: string): Promise<string | undefined> {
    // The document as it is now (it may have been closed and reopened while Describe worked).
    const document = asked.isClosed ? await vscode.workspace.openTextDocument(asked.uri) : asked;
    const link = this.#deps.index
      .links(document)
      .filter((each) => each.target === original.target && hasMissingAltText(each))
      .sort((a, b) => Math.abs(a.start - original.start) - Math.abs(b.start - original.start))[0];
    const replacement = link && altTextReplacement(link, alt);
    if (!link || !replacement) {
      this.#deps.log.warn(`Describe: the link to ${original.target} changed meanwhile; alt text not written`);
      const copy = vscode.l10n.t('Copy Alt Text');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t(
          'The link to {0} changed while Ideogram described it, so nothing was written. Its description: "{1}"',
          original.target,
          alt,
        ),
        copy,
      );
      if (choice === copy) await vscode.env.clipboard.writeText(alt);
      return undefined;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, linkRange(document, replacement), replacement.text);
    if (!(await vscode.workspace.applyEdit(edit))) {
      throw new IdeogramError({ kind: 'file-system', text: `the edit of ${document.uri.toString(true)} was refused` });
    }
    return alt;
  }
}
