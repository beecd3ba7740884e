import * as vscode from 'vscode';
import { generateImageWithRetries, type GeneratedImage, validateEndpoint } from './core/client';
import { IdeogramError } from './core/errors';
import type { GenerationRequestInput } from './core/request';
import { saveImageFile, type AssetsTarget } from './assets';
import { namedImageFile } from './imageDestination';
import { coreLogger } from './log';
import type { Settings } from './settings';

export interface SavedGeneration {
  uri: vscode.Uri;
  image: GeneratedImage;
  prompt: string;
  createdAt: Date;
}

export interface GenerationRun {
  request: GenerationRequestInput;
  target: AssetsTarget;
  signal?: AbortSignal;
  /** Progress text for the user, e.g. waiting for a rate limit. */
  onProgress?: (message: string) => void;
}

/**
 * Generates and saves. Once the API has answered with an image it is saved whatever happens next
 * (cancellation included): a paid image is never dropped.
 */
export class GenerationService implements vscode.Disposable {
  private readonly generatedEmitter = new vscode.EventEmitter<SavedGeneration>();
  readonly onDidGenerate = this.generatedEmitter.event;
  private readonly runningEmitter = new vscode.EventEmitter<number>();
  /** Fires with the number of generations in flight. */
  readonly onDidChangeRunning = this.runningEmitter.event;
  private running = 0;

  constructor(
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
    /** Last resort for a paid image that could not be saved where the user wanted (extension storage). */
    private readonly rescueFolder: vscode.Uri,
  ) {}

  get runningCount(): number { return this.running; }

  async generate(run: GenerationRun, apiKey: string): Promise<SavedGeneration> {
    const endpoint = this.settings.apiEndpoint();
    const checked = validateEndpoint(endpoint);
    if (!checked.ok) throw new IdeogramError({ kind: 'invalid-endpoint', message: checked.message, actions: ['openSettings'] });
    this.setRunning(+1);
    try {
      const image = await generateImageWithRetries(run.request, {
        endpoint,
        apiKey,
        signal: run.signal,
        timeoutMs: this.settings.requestTimeoutMs(),
        log: coreLogger(this.log),
        onWait: (waitMs, reason) => run.onProgress?.(reason.kind === 'rate-limited'
          ? vscode.l10n.t('Rate limited: retrying in {0} s…', Math.ceil(waitMs / 1000))
          : vscode.l10n.t('Segmind is busy: retrying in {0} s…', Math.ceil(waitMs / 1000))),
      });
      run.onProgress?.(vscode.l10n.t('Saving…'));
      const uri = await this.save(run.target, image);
      const saved: SavedGeneration = { uri, image, prompt: image.request.prompt, createdAt: new Date() };
      this.log.info(`Saved ${uri.toString(true)} (${image.bytes.length} bytes, seed ${image.seed ?? 'unknown'})`);
      this.generatedEmitter.fire(saved);
      return saved;
    } finally {
      this.setRunning(-1);
    }
  }

  /**
   * Saves into the assets folder. If that fails (read-only folder, a file in the way, a full disk) the paid
   * image is kept at once in the extension's storage, and the user is offered to save it elsewhere.
   */
  private async save(target: AssetsTarget, image: GeneratedImage): Promise<vscode.Uri> {
    try {
      return await saveImageFile(target.folder, image.request.prompt, image.type.extension, image.bytes,
        namedImageFile(target.naming, { prompt: image.request.prompt, extension: image.type.extension, seed: image.seed }));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log.error(`Could not save into ${target.folder.toString(true)}: ${reason}`);
      const rescued = await saveImageFile(this.rescueFolder, image.request.prompt, image.type.extension, image.bytes);
      this.log.warn(`Image kept in ${rescued.toString(true)} because it could not be saved in the workspace`);
      void this.offerToMove(rescued, target, reason);
      return rescued;
    }
  }

  private async offerToMove(rescued: vscode.Uri, target: AssetsTarget, reason: string): Promise<void> {
    const choose = vscode.l10n.t('Save to Another Folder…');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('The image could not be saved in {0} ({1}). It is kept in {2} until you move it.', target.folder.fsPath, reason, rescued.fsPath),
      choose, vscode.l10n.t('Open Image'));
    if (choice === undefined) return;
    if (choice !== choose) { await vscode.commands.executeCommand('vscode.open', rescued); return; }
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: target.workspaceFolder.uri, openLabel: vscode.l10n.t('Save Image Here') });
    if (!picked?.[0]) return;
    try {
      const bytes = await vscode.workspace.fs.readFile(rescued);
      const name = rescued.path.slice(rescued.path.lastIndexOf('/') + 1);
      const moved = await saveImageFile(picked[0], name.replace(/-\d{8}-\d{6}-[a-z0-9]{4}(-\d+)?\.[a-z]+$/, ''), name.slice(name.lastIndexOf('.') + 1), bytes);
      await vscode.workspace.fs.delete(rescued);
      void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0}', moved.fsPath));
    } catch (moveError) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not save the image there either ({0}). It is still in {1}.', moveError instanceof Error ? moveError.message : String(moveError), rescued.fsPath));
    }
  }

  private setRunning(delta: number): void {
    this.running += delta;
    this.runningEmitter.fire(this.running);
  }

  dispose(): void {
    this.generatedEmitter.dispose();
    this.runningEmitter.dispose();
  }
}
