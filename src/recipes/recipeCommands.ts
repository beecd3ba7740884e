import * as vscode from 'vscode';
import { SUPPORTED_LANGUAGES } from '../core/linkFormats';
import { IMAGE_EXTENSIONS } from '../core/images';
import type { ImageRecipe } from '../core/recipeMetadata';
import type { DescribeGeneration, Sidebar } from './ports';
import { ImageHoverProvider } from './imageHover';
import { entryOfRecipe, isImageUri, lookUpRecipe, rebuildGallery } from './imageRecipes';
import { COMMAND, HOVER_COMMANDS, IMAGE_ACTION_COMMANDS } from '../common/ids';
import { baseName } from '../core/text';
import { actionChoicesOf, type SourceLineage } from '../core/sourceLineage';
import { showFailure } from '../common/errorMessages';
import { reportFailureShown } from '../common/testMode';
import { checkSourceFile, sourceUriOf } from './imageSource';

/** The image a command was given: a Uri (Explorer), `{ image }` (hover links) or a URI string. */
function imageArgument(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  const text =
    typeof argument === 'string'
      ? argument
      : argument && typeof argument === 'object' && typeof (argument as { image?: unknown }).image === 'string'
        ? (argument as { image: string }).image
        : undefined;
  if (text === undefined || text.length > 4096) return undefined;
  try {
    return vscode.Uri.parse(text, true);
  } catch {
    return undefined;
  }
}

/** The recipe of an image for a command (file, sidecar, then gallery), or undefined after telling the user why there is none. */
export async function recipeForCommand(uri: vscode.Uri, sidebar: Sidebar): Promise<ImageRecipe | undefined> {
  if (!isImageUri(uri)) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('{0} is not an image (PNG, JPEG, WebP or GIF).', baseName(uri)),
    );
    return undefined;
  }
  const lookup = await lookUpRecipe(uri, sidebar.gallery);
  if (lookup.kind === 'recipe') return lookup.recipe;
  const message =
    lookup.kind === 'foreign'
      ? vscode.l10n.t(
          '{0} was made with {1}: its prompt can be copied from the hover, but it has no Ideogram recipe.',
          baseName(uri),
          lookup.tool,
        )
      : vscode.l10n.t(
          '{0} carries no Ideogram recipe (none embedded, no .ideogram.json beside it, not in the gallery).',
          baseName(uri),
        );
  void vscode.window.showInformationMessage(message);
  return undefined;
}

async function pickImage(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (active instanceof vscode.TabInputCustom && isImageUri(active.uri)) return active.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { [vscode.l10n.t('Images')]: [...IMAGE_EXTENSIONS] },
    openLabel: vscode.l10n.t('Use Recipe'),
  });
  return picked?.[0];
}

/** `Ideogram: Use Recipe from Image` (Explorer, palette, the hover's Remix…): fills the sidebar form. */
export async function useRecipeFromImage(sidebar: Sidebar, argument: unknown): Promise<boolean> {
  const uri = imageArgument(argument) ?? (argument === undefined ? await pickImage() : undefined);
  if (!uri) return false;
  const recipe = await recipeForCommand(uri, sidebar);
  if (!recipe) return false;
  return sidebar.provider.fillForm(recipe.request, recipe.seed ?? recipe.request.seed);
}

/** Regenerate from the hover: the same recipe with a new seed (or the same), after a confirmation (it costs credits). */
async function regenerateFromImage(
  sidebar: Sidebar,
  describe: DescribeGeneration,
  log: vscode.LogOutputChannel,
  argument: unknown,
): Promise<unknown> {
  const uri = imageArgument(argument);
  if (!uri) return undefined;
  const recipe = await recipeForCommand(uri, sidebar);
  if (!recipe) return undefined;
  const sameSeed = (argument as { seed?: unknown } | undefined)?.seed === 'same';
  const seed = recipe.seed ?? recipe.request.seed;
  if (recipe.source)
    return regenerateFromSource(uri, recipe, recipe.source, sameSeed ? seed : undefined, describe, log);
  const { prompt, ...options } = recipe.request;
  if (sameSeed && seed !== undefined) options.seed = seed;
  else delete options.seed;
  const generate = vscode.l10n.t('Generate');
  // The recipe was written by whoever committed the image: the confirmation shows all of it, and the cost.
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Generate a new image with this recipe? It uses Segmind credits.'),
    { modal: true, detail: describe({ ...options, prompt }, 1) },
    generate,
  );
  if (choice !== generate) return undefined;
  return vscode.commands.executeCommand(COMMAND.generateImage, { prompt, options });
}

/** Tells the user why Regenerate did nothing (and the integration tests, which cannot read notifications). */
function sourceProblem(message: string, kind: string): void {
  reportFailureShown({ message, actions: [], kind });
  void vscode.window.showWarningMessage(message);
}

/**
 * Regenerate of an image an action made: the same action on the same source, run by the action's own command (which
 * reads and uploads the source). The source is read again first: a missing one is named with what to do; the
 * confirmation (it costs credits) says so when the file changed, and runs the action only on the user's word.
 */
async function regenerateFromSource(
  image: vscode.Uri,
  recipe: ImageRecipe,
  source: SourceLineage,
  seed: number | undefined,
  describe: DescribeGeneration,
  log: vscode.LogOutputChannel,
): Promise<unknown> {
  const name = baseName(image);
  const file = sourceUriOf(image, source);
  if (!file) {
    sourceProblem(
      vscode.l10n.t(
        '{0} was made from {1} in its workspace folder, but it is not in an open workspace folder. Open the folder it belongs to, then regenerate it.',
        name,
        source.path,
      ),
      'source-outside-workspace',
    );
    return undefined;
  }
  let check: Awaited<ReturnType<typeof checkSourceFile>>;
  try {
    check = await checkSourceFile(file, source);
  } catch (error) {
    void showFailure(error, log);
    return undefined;
  }
  if (check === 'gone') {
    sourceProblem(
      vscode.l10n.t(
        '{0} was made from {1}, which is no longer there. Put it back at that path (restore it, or check it out again) to regenerate {0}.',
        name,
        source.path,
      ),
      'source-gone',
    );
    return undefined;
  }
  const choices = actionChoicesOf(recipe.request, seed);
  // The action's command confirms only in Restricted Mode: the cost is confirmed here, as for any Regenerate.
  const { seed: _recorded, ...request } = recipe.request;
  const detail = describe(seed === undefined ? request : { ...request, seed }, 1);
  const go = check === 'changed' ? vscode.l10n.t('Use the Changed File') : vscode.l10n.t('Generate');
  const choice = await vscode.window.showInformationMessage(
    check === 'changed'
      ? vscode.l10n.t(
          '{0} has changed since {1} was made from it. Generate from the file as it is now? It uses Segmind credits.',
          source.path,
          name,
        )
      : vscode.l10n.t('Generate a new image with this recipe? It uses Segmind credits.'),
    { modal: true, detail },
    go,
  );
  if (choice !== go) return undefined;
  log.info(`Regenerate ${image.toString(true)}: ${source.action} of ${source.path} again (source ${check})`);
  return vscode.commands.executeCommand(IMAGE_ACTION_COMMANDS[source.action], { image: file.toString(), ...choices });
}

async function copyPromptFromImage(sidebar: Sidebar, argument: unknown): Promise<string | undefined> {
  const uri = imageArgument(argument);
  if (!uri) return undefined;
  const lookup = await lookUpRecipe(uri, sidebar.gallery);
  const prompt =
    lookup.kind === 'recipe' ? lookup.recipe.request.prompt : lookup.kind === 'foreign' ? lookup.prompt : undefined;
  if (prompt === undefined) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} carries no prompt to copy.', baseName(uri)));
    return undefined;
  }
  await vscode.env.clipboard.writeText(prompt);
  vscode.window.setStatusBarMessage(vscode.l10n.t('$(copy) Prompt copied'), 3000);
  return prompt;
}

/** Shows the image in the sidebar's gallery, restoring its entry from the recipe if the gallery lost it. */
async function showImageInGallery(sidebar: Sidebar, argument: unknown): Promise<boolean> {
  const uri = imageArgument(argument);
  if (!uri) return false;
  let entry = await sidebar.gallery.entryFor(uri);
  if (!entry) {
    // Only a workspace image joins the gallery (its folder would widen the webview's resource roots), as adopted.
    if (!vscode.workspace.getWorkspaceFolder(uri)) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('{0} is outside the workspace, so it is not added to the gallery.', baseName(uri)),
      );
      return false;
    }
    const recipe = await recipeForCommand(uri, sidebar);
    if (!recipe) return false;
    [entry] = await sidebar.gallery.restore([{ ...entryOfRecipe(uri, recipe), adopted: true }]);
    entry ??= await sidebar.gallery.entryFor(uri);
  }
  return entry ? sidebar.provider.showEntry(entry.id) : false;
}

/** `Ideogram: Rebuild Gallery from Workspace Images`. */
async function rebuildGalleryCommand(
  sidebar: Sidebar,
  log: vscode.LogOutputChannel,
): Promise<{ restored: number; alreadyThere: number; examined: number } | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Open a folder first: the gallery is rebuilt from the images in the workspace.'),
    );
    return undefined;
  }
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t("Rebuilding the gallery from the workspace's images…"),
      cancellable: true,
    },
    (progress, token) => {
      let reported = 0;
      return rebuildGallery(sidebar.gallery, token, (done, total) => {
        const percent = Math.floor((done / Math.max(1, total)) * 100);
        if (percent > reported) {
          progress.report({ increment: percent - reported, message: `${done} / ${total}` });
          reported = percent;
        }
      });
    },
  );
  log.info(
    `Gallery rebuild: ${result.restored} restored, ${result.alreadyThere} already there, ${result.examined} images examined`,
  );
  const message =
    result.restored === 0
      ? vscode.l10n.t(
          'No image to restore: {0} images examined, {1} already in the gallery.',
          result.examined,
          result.alreadyThere,
        )
      : vscode.l10n.t(
          'Restored {0} images to the gallery ({1} images examined, {2} already there).',
          result.restored,
          result.examined,
          result.alreadyThere,
        );
  const open = vscode.l10n.t('Open Gallery');
  void vscode.window.showInformationMessage(message, ...(result.restored > 0 ? [open] : [])).then((choice) => {
    if (choice === open) void vscode.commands.executeCommand(COMMAND.openPanel);
  });
  return result;
}

/** The hover on image links in Markdown and the commands that work from an image's recipe. */
export function registerImageRecipes(
  sidebar: Sidebar,
  describe: DescribeGeneration,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerHoverProvider(
      SUPPORTED_LANGUAGES.map((language) => ({ language })),
      new ImageHoverProvider(sidebar.gallery),
    ),
    vscode.commands.registerCommand(COMMAND.useRecipeFromImage, (argument?: unknown) =>
      useRecipeFromImage(sidebar, argument),
    ),
    vscode.commands.registerCommand(HOVER_COMMANDS.regenerate, (argument?: unknown) =>
      regenerateFromImage(sidebar, describe, log, argument),
    ),
    vscode.commands.registerCommand(HOVER_COMMANDS.copyPrompt, (argument?: unknown) =>
      copyPromptFromImage(sidebar, argument),
    ),
    vscode.commands.registerCommand(HOVER_COMMANDS.showInGallery, (argument?: unknown) =>
      showImageInGallery(sidebar, argument),
    ),
    vscode.commands.registerCommand(COMMAND.rebuildGallery, () => rebuildGalleryCommand(sidebar, log)),
  );
}
