import * as vscode from 'vscode';
import { ApiKeyStore, registerApiKeyCommands } from './common/apiKey';
import { registerGenerateCommands } from './generation/generateCommands';
import { JobStore } from './core/jobStore';
import { FileSpendLedger, MemorySpendLedger } from './core/spendLedger';
import { registerImageRecipes } from './recipes/recipeCommands';
import { GenerationService } from './generation/generationService';
import { prepareGeneration, type PreparedGeneration, type PrepareOptions } from './generation/pipeline';
import { registerJobs } from './generation/jobs/jobsView';
import { describeUntypedGeneration } from './generation/unattendedRuns';
import { createLog } from './common/log';
import { ImageLinks } from './links/documentLinks';
import { galleryPasteText, registerGalleryPaste, rememberCopiedImage } from './links/galleryPaste';
import { GalleryDropProvider, registerGalleryDrop } from './links/galleryDrop';
import { Settings } from './common/settings';
import {
  GenerateImageTool,
  GENERATE_IMAGE_TOOL,
  registerGenerateImageTool,
  type LanguageModelTool,
} from './generation/agentTool';
import { estimateWords, Spending } from './spending/spending';
import type { Authorization } from './core/budget';
import { GenerationStatusBar } from './generation/jobs/statusBar';
import { findUnusedImagesCommand } from './gallery/unusedImages';
import { SidebarViewProvider, registerSidebar } from './sidebar/sidebarView';
import { SidebarRuns } from './sidebar/sidebarRuns';
import { planVariations } from './generation/variations';
import { Gallery } from './gallery/gallery';
import { fileGalleryPersistence, mementoGalleryPersistence } from './gallery/galleryPersistence';
import { moveImagesToTrash } from './gallery/trash';
import { Thumbnails } from './gallery/thumbnails';
import { COMMAND } from './common/ids';
import { testingApi } from './common/testMode';
import { ImageUploader } from './generation/imageInput/imageUploader';
import { AltTextFeature } from './generation/altText/altTextFeature';
import { readSourceImage } from './generation/imageInput/sourceImage';
import { registerImageActionCommands } from './generation/imageActions/imageActionCommands';

/**
 * Builds the services once and lets each area register itself. Hands the bootstrap (src/bootstrap.ts) the views
 * and language model tools it stood in for (by id), and the extension's own tests their API.
 */
export function activate(context: vscode.ExtensionContext) {
  const log = createLog();
  const settings = new Settings(log);
  const links = new ImageLinks(settings);
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
  const gallery = new Gallery(
    context.storageUri ? fileGalleryPersistence(context.storageUri) : mementoGalleryPersistence(context.workspaceState),
    log,
    settings,
  );
  // The gallery records every saved image through the generation side's port (src/generation/ports.ts).
  const service = new GenerationService(
    settings,
    log,
    vscode.Uri.joinPath(context.globalStorageUri, 'unsaved-images'),
    jobStore,
    context.globalState,
    spending,
    gallery,
  );
  const thumbnails = new Thumbnails(context.globalStorageUri, log);
  // One uploader for every image action: consent and the uploads already made are remembered in one place.
  const uploader = new ImageUploader(context, log);
  const altText = new AltTextFeature({
    settings,
    keys,
    budget: spending,
    uploader,
    log,
    workspaceState: context.workspaceState,
  });
  const provider = new SidebarViewProvider({
    settings,
    keys,
    jobs: service,
    spending,
    log,
    gallery,
    thumbnails,
    links,
    clipboard: { rememberCopiedImage },
    trash: { moveToTrash: (images) => moveImagesToTrash(images, gallery, log) },
    runs: new SidebarRuns<PreparedGeneration, Authorization>({
      log,
      document: () => links.targetEditor()?.document,
      generation: {
        prepare: (options) => prepareGeneration({ settings, keys }, options),
        generate: (prepared, run) => service.generate(prepared, run),
        planVariations: (request, count) => planVariations(spending, request, count),
        releaseUnused: (authorization) => spending.releaseUnused(authorization),
      },
    }),
    estimateWords,
    extensionUri: context.extensionUri,
    secrets: context.secrets,
    globalState: context.globalState,
  });
  const sidebar = { provider, gallery, thumbnails };
  const galleryDrop = new GalleryDropProvider(links);
  const tool = new GenerateImageTool({ settings, keys, service, spending, log, links });

  context.subscriptions.push(
    log,
    uploader,
    keys,
    service,
    spending,
    gallery,
    registerSidebar(provider),
    registerGenerateImageTool(tool, log),
    registerGalleryDrop(galleryDrop),
    registerImageRecipes(sidebar, (request, count) => describeUntypedGeneration(request, count, spending), log),
    registerGalleryPaste(links),
    vscode.commands.registerCommand(COMMAND.findUnusedImages, (args?: unknown) =>
      findUnusedImagesCommand(gallery, log, args),
    ),
    new GenerationStatusBar(service, COMMAND.showLog),
    registerJobs(service, () => keys.get(), log, links),
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
    registerGenerateCommands({ settings, keys, service, spending, log, links }),
    registerImageActionCommands({
      settings,
      keys,
      service,
      spending,
      log,
      inputs: { read: readSourceImage, urlFor: (source, target, signal) => uploader.urlFor(source, target, signal) },
      describePicture: (image, signal) => altText.writer.describePicture(image, signal),
    }),
    registerApiKeyCommands(keys),
    // Describe → alt text: the command, the quick fix and the diagnostics (ideogram.altText.diagnostics).
    altText,
  );
  return {
    webviewViews: { [SidebarViewProvider.viewType]: provider } as Record<string, vscode.WebviewViewProvider>,
    tools: { [GENERATE_IMAGE_TOOL]: tool } as Record<string, LanguageModelTool<unknown>>,
    // The services themselves, and the drop and paste providers' workings (every format, without a clipboard).
    testingApi: testingApi(context, {
      keys,
      service,
      /** The pipeline's first half, as every entry point calls it (the second is `service.generate`). */
      prepare: (options: PrepareOptions) => prepareGeneration({ settings, keys }, options),
      sidebar,
      spending,
      tool,
      galleryDrop,
      imageInput: { uploader, readSourceImage },
      altText,
      galleryPaste: {
        galleryPasteText: (document: vscode.TextDocument, data: vscode.DataTransfer, token: vscode.CancellationToken) =>
          galleryPasteText(links, document, data, token),
        rememberCopiedImage,
      },
    }),
  };
}

export type Activated = ReturnType<typeof activate>;
/** What the extension's own integration tests get (ExtensionMode.Test only), never other extensions. */
export type TestingApi = NonNullable<Activated['testingApi']>;

export function deactivate(): void {}
