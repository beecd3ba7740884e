import * as vscode from 'vscode';
import { ApiKeyStore, registerApiKeyCommands } from './common/apiKey';
import { registerGenerateCommands } from './generation/generateCommands';
import { JobStore } from './core/jobStore';
import { FileSpendLedger, MemorySpendLedger } from './core/spendLedger';
import { registerImageRecipes } from './recipes/recipeCommands';
import { GenerationService } from './generation/generationService';
import { registerJobs } from './generation/jobsView';
import { describeUntypedGeneration } from './generation/unattendedRuns';
import { createLog } from './common/log';
import { useLinkSettings } from './links/documentLinks';
import { galleryPasteText, registerGalleryPaste, rememberCopiedImage } from './links/galleryPaste';
import { GalleryDropProvider, registerGalleryDrop } from './links/galleryDrop';
import { Settings } from './common/settings';
import {
  GenerateImageTool,
  GENERATE_IMAGE_TOOL,
  registerGenerateImageTool,
  type LanguageModelTool,
} from './generation/agentTool';
import { Spending } from './spending/spending';
import { GenerationStatusBar } from './generation/statusBar';
import { findUnusedImagesCommand } from './gallery/unusedImages';
import { SidebarViewProvider, registerSidebar } from './sidebar/sidebarViewProvider';
import { Gallery } from './gallery/gallery';
import { fileGalleryPersistence, mementoGalleryPersistence } from './gallery/galleryPersistence';
import { Thumbnails } from './gallery/thumbnails';
import { COMMAND } from './common/ids';
import { testingApi } from './common/testMode';

/**
 * Builds the services once and lets each area register itself. Hands the bootstrap (src/bootstrap.ts) the views
 * and language model tools it stood in for (by id), and the extension's own tests their API.
 */
export function activate(context: vscode.ExtensionContext) {
  const log = createLog();
  const settings = new Settings(log);
  const keys = new ApiKeyStore(context.secrets, log);
  // Jobs live in the extension's global storage, on the extension host's own disk (shared by its windows).
  const jobStore =
    context.globalStorageUri.scheme === 'file'
      ? new JobStore(vscode.Uri.joinPath(context.globalStorageUri, 'jobs').fsPath, globalThis.crypto.randomUUID())
      : undefined;
  if (!jobStore)
    log.warn(
      `Jobs: the extension's storage (${context.globalStorageUri.scheme}:) is not on a local disk; generations will not survive a reload`,
    );
  // Today's spend, shared by every window on this machine (src/core/spendLedger.ts).
  const spendLedger =
    context.globalStorageUri.scheme === 'file'
      ? new FileSpendLedger(vscode.Uri.joinPath(context.globalStorageUri, 'spend').fsPath)
      : new MemorySpendLedger();
  const spending = new Spending(settings, context.globalState, log, spendLedger);
  const service = new GenerationService(
    settings,
    log,
    vscode.Uri.joinPath(context.globalStorageUri, 'unsaved-images'),
    jobStore,
    context.globalState,
    spending,
  );
  const gallery = new Gallery(
    context.storageUri ? fileGalleryPersistence(context.storageUri) : mementoGalleryPersistence(context.workspaceState),
    log,
    service,
  );
  const thumbnails = new Thumbnails(context.globalStorageUri, log);
  const provider = new SidebarViewProvider({
    settings,
    keys,
    service,
    spending,
    log,
    gallery,
    thumbnails,
    extensionUri: context.extensionUri,
    secrets: context.secrets,
    globalState: context.globalState,
  });
  const sidebar = { provider, gallery, thumbnails };
  const tool = new GenerateImageTool({ settings, keys, service, spending, log });

  context.subscriptions.push(
    log,
    keys,
    service,
    spending,
    gallery,
    registerSidebar(provider),
    registerGenerateImageTool(tool, log),
    registerGalleryDrop(),
    registerImageRecipes(sidebar, (request, count) => describeUntypedGeneration(request, count, spending), log),
    useLinkSettings(settings),
    registerGalleryPaste(),
    vscode.commands.registerCommand(COMMAND.findUnusedImages, (args?: unknown) =>
      findUnusedImagesCommand(gallery, log, args),
    ),
    new GenerationStatusBar(service, COMMAND.showLog),
    registerJobs(service, () => keys.get(), log),
    // A new key: what it has left, from Segmind's free balance route (the cost lines show it before the first image).
    context.secrets.onDidChange(() => void spending.refreshBalance(() => keys.get(), { force: true })),
    vscode.commands.registerCommand(COMMAND.showLog, () => log.show()),
    vscode.commands.registerCommand(COMMAND.openWalkthrough, () =>
      vscode.commands.executeCommand(
        'workbench.action.openWalkthrough',
        `${context.extension.id}#gettingStarted`,
        false,
      ),
    ),
    registerGenerateCommands({ settings, keys, service, spending, log }),
    registerApiKeyCommands(keys),
  );
  return {
    webviewViews: { [SidebarViewProvider.viewType]: provider } as Record<string, vscode.WebviewViewProvider>,
    tools: { [GENERATE_IMAGE_TOOL]: tool } as Record<string, LanguageModelTool<unknown>>,
    // The services themselves, and the drop and paste providers' workings (every format, without a clipboard).
    testingApi: testingApi(context, {
      keys,
      service,
      sidebar,
      spending,
      tool,
      galleryDrop: GalleryDropProvider,
      galleryPaste: { galleryPasteText, rememberCopiedImage },
    }),
  };
}

export type Activated = ReturnType<typeof activate>;
/** What the extension's own integration tests get (ExtensionMode.Test only), never other extensions. */
export type TestingApi = NonNullable<Activated['testingApi']>;

export function deactivate(): void {}
