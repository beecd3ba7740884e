import * as vscode from 'vscode';
import { ApiKeyStore } from './apiKey';
import { recentFailures } from './errorMessages';
import { GenerateCommands } from './generateCommand';
import { GenerationService } from './generationService';
import { createLog } from './log';
import { useLinkSettings } from './documentLinks';
import { registerGalleryPaste } from './galleryPaste';
import { registerGalleryDrop } from './markdownDrop';
import { Settings } from './settings';
import { GenerationStatusBar } from './statusBar';
import { findUnusedImagesCommand } from './unusedImages';
import { registerSidebar, type Sidebar } from './webview/generatorViewProvider';

/** Handed to the extension's own integration tests only (ExtensionMode.Test), never to other extensions. */
export interface TestingApi {
  keys: ApiKeyStore;
  service: GenerationService;
  recentFailures: typeof recentFailures;
  /** Where VS Code keeps this extension's logs and state, so tests can check that the key never lands there. */
  logUri: vscode.Uri;
  globalStorageUri: vscode.Uri;
  state: { workspace: vscode.Memento; global: vscode.Memento };
  /** The sidebar view provider (its message handler) and the gallery. */
  sidebar: Sidebar;
}

export function activate(context: vscode.ExtensionContext): TestingApi | undefined {
  const log = createLog();
  const settings = new Settings(log);
  const keys = new ApiKeyStore(context.secrets, log);
  const service = new GenerationService(settings, log, vscode.Uri.joinPath(context.globalStorageUri, 'unsaved-images'));
  const commands = new GenerateCommands({ settings, keys, service, log });
  const sidebar = registerSidebar(context, { settings, keys, service, log });

  context.subscriptions.push(
    log, keys, service, sidebar,
    registerGalleryDrop(),
    useLinkSettings(settings),
    registerGalleryPaste(),
    vscode.commands.registerCommand('ideogram.findUnusedImages', (args?: unknown) => findUnusedImagesCommand(sidebar.gallery, log, args)),
    new GenerationStatusBar(service, 'ideogram.showLog'),
    vscode.commands.registerCommand('ideogram.showLog', () => log.show()),
    vscode.commands.registerCommand('ideogram.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#gettingStarted`, false)),
    vscode.commands.registerCommand('ideogram.generateImage', (args?: unknown) => commands.generateImage(args)),
    vscode.commands.registerCommand('ideogram.insertImage', (args?: unknown) => commands.generateImageHere(args)),
    vscode.commands.registerCommand('ideogram.setApiKey', () => keys.promptAndStore().then((key) => key !== undefined)),
    vscode.commands.registerCommand('ideogram.clearApiKey', async () => {
      await keys.clear();
      void vscode.window.showInformationMessage(vscode.l10n.t('Segmind API key removed from VS Code\'s secret storage.'));
    }),
  );
  return context.extensionMode === vscode.ExtensionMode.Test
    ? { keys, service, recentFailures, logUri: context.logUri, globalStorageUri: context.globalStorageUri, state: { workspace: context.workspaceState, global: context.globalState }, sidebar }
    : undefined;
}

export function deactivate(): void {}
export { GalleryDropProvider } from './markdownDrop';
export { galleryPasteText, rememberCopiedImage } from './galleryPaste';
