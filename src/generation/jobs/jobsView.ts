import * as vscode from 'vscode';
import { findAnchor } from '../../core/insertionAnchor';
import type { JobInsertion } from '../../core/jobStore';
import { workspaceRelativePath } from '../../links/imageFiles';
import { errorText, showFailure } from '../../common/errorMessages';
import type { GenerationService, JobOutcome } from '../generationService';
import type { ImageLinks } from '../../links/documentLinks';
import { reportAnnouncement } from '../../common/testMode';
import { baseName } from '../../core/text';

/**
 * The jobs that outlive a window: resumes this window's unfinished jobs at start, and tells the user what
 * became of a job nobody waits for any more (resumed after a reload, or the user stopped waiting).
 */
export function registerJobs(
  service: GenerationService,
  getApiKey: () => Promise<string | undefined>,
  log: vscode.LogOutputChannel,
  links: ImageLinks,
): vscode.Disposable {
  const subscription = service.onDidFinishUnattended((outcome) => {
    void announce(outcome, log, links);
  });
  void service
    .loadHistory()
    .then(() => service.resumePending(getApiKey))
    .then((count) => {
      if (count > 0) log.info(`Resumed ${count} generation(s) interrupted by a reload or restart`);
    })
    .catch((error: unknown) => log.error(`Jobs: could not resume (${errorText(error)})`));
  return subscription;
}

async function announce(outcome: JobOutcome, log: vscode.LogOutputChannel, links: ImageLinks): Promise<void> {
  if (outcome.kind === 'failed') {
    await showFailure(outcome.error, log);
    return;
  }
  const { record, saved, resumed } = outcome;
  const relative = workspaceRelativePath(saved.uri);
  const insertion = record.insertion;
  if (insertion && resumed && !record.detached) {
    const document = await insertionDocument(insertion);
    if (document && (await insertAtAnchor(links, document, insertion, saved.prompt, saved.uri))) {
      log.info(`Job ${record.id}: link inserted into ${document.uri.toString(true)} after the reload`);
      await offer(
        links,
        vscode.l10n.t(
          'Saved {0} from a generation that was interrupted by a reload or restart, and inserted its link into {1}.',
          relative,
          baseName(document.uri),
        ),
        saved.uri,
        saved.prompt,
        undefined,
      );
      return;
    }
    await offer(
      links,
      vscode.l10n.t(
        'Saved {0} from a generation that was interrupted by a reload or restart. Where its link should go in {1} could not be found for sure, so it was not inserted.',
        relative,
        baseName(vscode.Uri.parse(insertion.document)),
      ),
      saved.uri,
      saved.prompt,
      insertion,
    );
    return;
  }
  const message = resumed
    ? vscode.l10n.t('Saved {0} from a generation that was interrupted by a reload or restart.', relative)
    : vscode.l10n.t('Saved {0}, the image you stopped waiting for. It is in the gallery.', relative);
  await offer(links, message, saved.uri, saved.prompt, insertion);
}

/** The message with Open, Reveal, Copy Link and, where a link was asked for, Insert at Cursor. */
async function offer(
  links: ImageLinks,
  message: string,
  uri: vscode.Uri,
  prompt: string,
  insertion: JobInsertion | undefined,
): Promise<void> {
  const open = vscode.l10n.t('Open');
  const reveal = vscode.l10n.t('Reveal in Explorer');
  const copy = vscode.l10n.t('Copy Link');
  const insert = vscode.l10n.t('Insert at Cursor');
  reportAnnouncement(message);
  const choice = await vscode.window.showInformationMessage(
    message,
    ...(insertion ? [insert] : []),
    open,
    reveal,
    copy,
  );
  if (choice === open) await vscode.commands.executeCommand('vscode.open', uri);
  else if (choice === reveal) await vscode.commands.executeCommand('revealInExplorer', uri);
  else if (choice === copy)
    await vscode.env.clipboard.writeText(links.linkFor(links.targetEditor()?.document, prompt, uri));
  else if (choice === insert) {
    // The same editor the sidebar's Insert writes into: the active one if it takes image links, else a visible one.
    const editor = links.targetEditor();
    if (!editor) {
      await vscode.env.clipboard.writeText(links.linkFor(undefined, prompt, uri));
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'No open document takes image links (Markdown, HTML, LaTeX, …); the link was copied to the clipboard instead.',
        ),
      );
      return;
    }
    await editor.edit((builder) =>
      builder.insert(editor.selection.active, links.linkFor(editor.document, prompt, uri)),
    );
  }
}

async function insertionDocument(insertion: JobInsertion): Promise<vscode.TextDocument | undefined> {
  const uri = vscode.Uri.parse(insertion.document);
  if (uri.scheme === 'untitled')
    return vscode.workspace.textDocuments.find((document) => document.uri.toString() === insertion.document);
  try {
    return await vscode.workspace.openTextDocument(uri);
  } catch {
    return undefined; // deleted or renamed meanwhile
  }
}

/**
 * Inserts the link where it was asked for, if that place is still there exactly once. A document that was not
 * open in an editor is saved afterwards, so the link is on disk like the image.
 */
async function insertAtAnchor(
  links: ImageLinks,
  document: vscode.TextDocument,
  insertion: JobInsertion,
  prompt: string,
  image: vscode.Uri,
): Promise<boolean> {
  const offset = findAnchor(document.getText(), insertion);
  if (offset === undefined) return false;
  const uri = document.uri.toString();
  const openInEditor = vscode.window.tabGroups.all.some((group) =>
    group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri),
  );
  const wasDirty = document.isDirty;
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, document.positionAt(offset), insertion.prefix + links.linkFor(document, prompt, image));
  if (!(await vscode.workspace.applyEdit(edit))) return false;
  if (!openInEditor && !wasDirty) await document.save();
  return true;
}
