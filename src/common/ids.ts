// Every id the extension shares with VS Code, declared once. The contributed ones (commands, the view, the context
// key its menus test) are compared with package.json by test/unit/contributions.test.ts.

import type { ImageMakingAction } from '../core/imageActions';

/** Command ids: those in package.json's `contributes.commands`, then those only the image hover's links run. */
export const COMMAND = {
  generateImage: 'ideogram.generateImage',
  insertImage: 'ideogram.insertImage',
  setApiKey: 'ideogram.setApiKey',
  clearApiKey: 'ideogram.clearApiKey',
  findUnusedImages: 'ideogram.findUnusedImages',
  showLog: 'ideogram.showLog',
  openWalkthrough: 'ideogram.openWalkthrough',
  openPanel: 'ideogram.openPanel',
  useRecipeFromImage: 'ideogram.useRecipeFromImage',
  rebuildGallery: 'ideogram.rebuildGallery',
  regenerateFromImage: 'ideogram.regenerateFromImage',
  copyPromptFromImage: 'ideogram.copyPromptFromImage',
  showImageInGallery: 'ideogram.showImageInGallery',
  writeAltText: 'ideogram.writeAltText',
  // The image actions (#22): Explorer, gallery tile and hover.
  remixImage: 'ideogram.remixImage',
  reframeImage: 'ideogram.reframeImage',
  replaceImageBackground: 'ideogram.replaceImageBackground',
  newSceneWithCharacter: 'ideogram.newSceneWithCharacter',
} as const;

/**
 * Performance marks (Node's `performance.mark`, process-wide in the extension host) that `npm run bench` reads to time
 * what a user waits for: `promptShown` when Generate Image…'s prompt box is shown (each replaces the last).
 */
export const PERFORMANCE_MARK = { promptShown: 'ideogram.promptShown' } as const;

/** The commands the image hover's links run: the only ones its trusted Markdown may run. */
export const HOVER_COMMANDS = {
  regenerate: COMMAND.regenerateFromImage,
  /** Also `Ideogram: Use Recipe from Image` in the Explorer and the palette. */
  remix: COMMAND.useRecipeFromImage,
  copyPrompt: COMMAND.copyPromptFromImage,
  showInGallery: COMMAND.showImageInGallery,
  /** Also the quick fix on an image without alt text, and the palette's command for the link at the cursor. */
  writeAltText: COMMAND.writeAltText,
  /** The image actions, in their menus' order (src/generation/imageActions/). */
  remixImage: COMMAND.remixImage,
  reframeImage: COMMAND.reframeImage,
  replaceImageBackground: COMMAND.replaceImageBackground,
  newSceneWithCharacter: COMMAND.newSceneWithCharacter,
} as const;

/**
 * The command of each image action, by the action a lineage names: Regenerate of an action's image runs it again on
 * its source (src/recipes/recipeCommands.ts), which does not import the generation feature that registers them.
 */
export const IMAGE_ACTION_COMMANDS: Readonly<Record<ImageMakingAction, string>> = {
  remix: COMMAND.remixImage,
  reframe: COMMAND.reframeImage,
  'replace-background': COMMAND.replaceImageBackground,
  character: COMMAND.newSceneWithCharacter,
};

/** The sidebar's webview view (package.json `contributes.views`). */
export const SIDEBAR_VIEW = 'ideogram.generator';

/** Context keys the manifest's `when` clauses test. */
export const CONTEXT_KEY = { hasApiKey: 'ideogram.hasApiKey' } as const;

/** The one secret: the Segmind API key in SecretStorage. */
export const API_KEY_SECRET = 'ideogram.segmindApiKey';

/** Keys in the extension's global state (Memento). */
export const STATE_KEY = {
  gallery: 'ideogram.gallery',
  costs: 'ideogram.costs',
  spendLedger: 'ideogram.spendLedger',
  jobDurations: 'ideogram.jobDurations',
  credits: 'ideogram.credits',
  /** The pictures uploaded for image actions, by hash (src/generation/imageInput/imageUploader.ts). */
  uploads: 'ideogram.uploads',
} as const;

/** The status bar item shown while images are generated. */
export const STATUS_BAR_ITEM = 'ideogram.generating';

/** The configuration section every setting lives in (`ideogram.<name>`). */
export const SETTINGS_SECTION = 'ideogram';
