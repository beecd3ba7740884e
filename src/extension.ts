import * as vscode from 'vscode';
import { ApiKeyStore } from './apiKey';
import { recentFailures } from './errorMessages';
import { GenerateCommands } from './generateCommand';
import { JobStore } from './core/jobStore';
import { registerImageRecipes } from './imageRecipeCommands';
import { GenerationService } from './generationService';
import { recentAnnouncements, registerJobs } from './jobs';
import { createLog } from './log';
import { useLinkSettings } from './documentLinks';
import { registerGalleryPaste } from './galleryPaste';
import { registerGalleryDrop } from './markdownDrop';
import { Settings } from './settings';
import { GenerateImageTool, GENERATE_IMAGE_TOOL, registerGenerateImageTool, type LanguageModelTool } from './lmTool';
import { Spending } from './spending';
import { GenerationStatusBar } from './statusBar';
import { findUnusedImagesCommand } from './unusedImages';
import { GeneratorViewProvider, registerSidebar, type Sidebar } from './webview/generatorViewProvider';
import { COMMAND } from './ids';

/** Handed to the extension's own integration tests only (ExtensionMode.Test), never to other extensions. */
export interface TestingApi {
  keys: ApiKeyStore;
  service: GenerationService;
  recentFailures: typeof recentFailures;
  recentAnnouncements: typeof recentAnnouncements;
  /** Where VS Code keeps this extension's logs and state, so tests can check that the key never lands there. */
  logUri: vscode.Uri;
  globalStorageUri: vscode.Uri;
  state: { workspace: vscode.Memento; global: vscode.Memento };
  /** The sidebar view provider (its message handler) and the gallery. */
  sidebar: Sidebar;
  /** The cost model and budget; the Copilot tool as registered. */
  spending: Spending;
  tool: GenerateImageTool;
}

/** What activation hands to the bootstrap (src/bootstrap.ts): the views it stood in for, and the testing API. */
export interface Activated {
  webviewViews: Record<string, vscode.WebviewViewProvider>;
  /** The language model tools, by name (the bootstrap's stand-ins hand calls made before loading to them). */
  tools: Record<string, LanguageModelTool<unknown>>;
  testingApi?: TestingApi;
}

export function activate(context: vscode.ExtensionContext): Activated {
  const log = createLog();
  const settings = new Settings(log);
  const keys = new ApiKeyStore(context.secrets, log);
  // Jobs live in the extension's global storage, on the extension host's own disk (shared by its windows).
  const jobStore = context.globalStorageUri.scheme === 'file'
    ? new JobStore(vscode.Uri.joinPath(context.globalStorageUri, 'jobs').fsPath, globalThis.crypto.randomUUID()) : undefined;
  if (!jobStore) log.warn(`Jobs: the extension's storage (${context.globalStorageUri.scheme}:) is not on a local disk; generations will not survive a reload`);
  const spending = new Spending(settings, context.globalState, log);
  const service = new GenerationService(settings, log, vscode.Uri.joinPath(context.globalStorageUri, 'unsaved-images'), jobStore, context.globalState, spending);
  const commands = new GenerateCommands({ settings, keys, service, spending, log });
  const sidebar = registerSidebar(context, { settings, keys, service, spending, log });
  const tool = new GenerateImageTool({ settings, keys, service, spending, log });

  context.subscriptions.push(
    log, keys, service, spending, sidebar,
    registerGenerateImageTool(tool, log),
    registerGalleryDrop(),
    registerImageRecipes(sidebar, log),
    useLinkSettings(settings),
    registerGalleryPaste(),
    vscode.commands.registerCommand(COMMAND.findUnusedImages, (args?: unknown) => findUnusedImagesCommand(sidebar.gallery, log, args)),
    new GenerationStatusBar(service, COMMAND.showLog),
    registerJobs(service, () => keys.get(), log),
    // A new key: what it has left, from Segmind's free balance route (the cost lines show it before the first image).
    context.secrets.onDidChange(() => void spending.refreshBalance(() => keys.get(), { force: true })),
    vscode.commands.registerCommand(COMMAND.showLog, () => log.show()),
    vscode.commands.registerCommand(COMMAND.openWalkthrough, () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#gettingStarted`, false)),
    vscode.commands.registerCommand(COMMAND.generateImage, (args?: unknown) => commands.generateImage(args)),
    vscode.commands.registerCommand(COMMAND.insertImage, (args?: unknown) => commands.generateImageHere(args)),
    vscode.commands.registerCommand(COMMAND.setApiKey, () => keys.promptAndStore().then((key) => key !== undefined)),
    vscode.commands.registerCommand(COMMAND.clearApiKey, async () => {
      await keys.clear();
      void vscode.window.showInformationMessage(vscode.l10n.t('Segmind API key removed from VS Code\'s secret storage.'));
    }),
  );
  const testingApi: TestingApi | undefined = context.extensionMode === vscode.ExtensionMode.Test
    ? { keys, service, recentFailures, recentAnnouncements, logUri: context.logUri, globalStorageUri: context.globalStorageUri, state: { workspace: context.workspaceState, global: context.globalState }, sidebar, spending, tool }
    : undefined;
  return { webviewViews: { [GeneratorViewProvider.viewType]: sidebar.provider }, tools: { [GENERATE_IMAGE_TOOL]: tool }, testingApi };
}

export function deactivate(): void {}
export { GalleryDropProvider } from './markdownDrop';
export { galleryPasteText, rememberCopiedImage } from './galleryPaste';
