// Every word the sidebar shows, in one place. This module takes only types from `vscode`: the host hands it its
// `vscode.l10n`, and the webview (media/strings.ts) takes its type from it, so a new word is one line here plus
// its translation. (`vscode.l10n.t` is written out: that is what `npm run l10n:export` looks for.)
import type * as vscode from 'vscode';
import type { EstimateWords } from '../core/cost';

type Localization = Pick<typeof vscode, 'l10n'>;

/** Words the palette shows too, worded once by their own module (spending.ts). The models' words come with the models. */
interface SharedWords {
  /** The cost line under Generate, worded as in the palette. */
  estimate: EstimateWords;
}

/**
 * The sidebar's words in the user's language: built once per page and sent in its HTML (the webview has no
 * `vscode.l10n`). Messages with `{0}` are sent as templates (no values given leaves the placeholders) and filled
 * in by the webview, which knows the values.
 */
export function sidebarStrings(vscode: Localization, shared: SharedWords) {
  return {
    creditsLeft: vscode.l10n.t('{0} credits left'),
    lowBalance: vscode.l10n.t('Low balance: {0} credits left'),
    lastImageCost: vscode.l10n.t('last image {0}'),
    topUp: vscode.l10n.t('Top Up'),
    apiKeyNotice: vscode.l10n.t('Add your Segmind API key to generate images. It stays in VS Code’s secret storage.'),
    setApiKey: vscode.l10n.t('Set API Key'),
    folderNotice: vscode.l10n.t('Open a folder to generate: images are saved into its assets folder.'),
    fixFields: vscode.l10n.t('Fix the highlighted fields to generate.'),
    starting: vscode.l10n.t('Starting…'),
    recipeApplied: vscode.l10n.t('Its prompt and options are in the form.'),
    imageReady: vscode.l10n.t('Image ready: {0}'),
    generationCancelled: vscode.l10n.t('Generation cancelled.'),
    variationsReady: vscode.l10n.t('{0} variations ready: choose the ones to keep.'),
    noAnswer: vscode.l10n.t('The extension did not answer in time.'),
    seconds: vscode.l10n.t('{0} s'),
    minutes: vscode.l10n.t('{0} min'),

    form: vscode.l10n.t('Generate an image'),
    prompt: vscode.l10n.t('Prompt'),
    ctrlKey: vscode.l10n.t('Ctrl'),
    enterKey: vscode.l10n.t('Enter'),
    promptPlaceholder: vscode.l10n.t('Describe the image: subject, style, text to render…'),
    options: vscode.l10n.t('Options'),
    model: vscode.l10n.t('Model'),
    droppedOptions: vscode.l10n.t('Not carried over to {0}: {1}'),
    on: vscode.l10n.t('On'),
    off: vscode.l10n.t('Off'),
    aspectRatio: vscode.l10n.t('Aspect ratio'),
    size: vscode.l10n.t('Size'),
    square: vscode.l10n.t('{0} square'),
    portrait: vscode.l10n.t('{0} portrait'),
    landscape: vscode.l10n.t('{0} landscape'),
    seed: vscode.l10n.t('Seed'),
    seedValue: vscode.l10n.t('seed {0}'),
    randomSeed: vscode.l10n.t('random seed'),
    seedPlaceholder: vscode.l10n.t('Random'),
    reuseSeed: vscode.l10n.t('Reuse the last seed'),
    reusingSeed: vscode.l10n.t('Keep reusing the last seed (on)'),
    seedLockFirst: vscode.l10n.t('Generate an image first; its seed can then be reused'),
    seedLocked: vscode.l10n.t('Locked to the last seed, {0}.'),
    seedEmpty: vscode.l10n.t('Empty: a random seed each time.'),
    seedSame: vscode.l10n.t('Same seed and options, same image.'),
    palette: vscode.l10n.t('Colour palette'),
    paletteModes: { none: vscode.l10n.t('None'), preset: vscode.l10n.t('Preset'), custom: vscode.l10n.t('Custom') },
    presetPalette: vscode.l10n.t('Preset palette'),
    presetTitle: vscode.l10n.t('{0} (colours approximate)'),
    customColours: vscode.l10n.t('Custom colours'),
    addColour: vscode.l10n.t('Add colour'),
    colourCount: vscode.l10n.t('{0} of {1}'),
    oneColour: vscode.l10n.t('1 colour'),
    colours: vscode.l10n.t('{0} colours'),
    colour: vscode.l10n.t('Colour {0}'),
    colourHex: vscode.l10n.t('Colour {0} hex'),
    colourWeight: vscode.l10n.t('Colour {0} weight, {1} to {2}'),
    weightTitle: vscode.l10n.t('Weight {0}–{1} (empty: let Ideogram decide)'),
    weightPlaceholder: vscode.l10n.t('auto'),
    removeColour: vscode.l10n.t('Remove colour'),
    removeColourNumber: vscode.l10n.t('Remove colour {0}'),
    generate: vscode.l10n.t('Generate'),
    generateImages: vscode.l10n.t('Generate {0} Images'),
    imageCount: vscode.l10n.t('Number of images'),
    imageCountTitle: vscode.l10n.t('How many images to generate from this recipe (each with its own seed)'),
    oneImage: vscode.l10n.t('1 image'),
    variations: vscode.l10n.t('{0} variations'),
    estimate: shared.estimate,

    generations: vscode.l10n.t('Generations'),
    generating: vscode.l10n.t('Generating {0}'),
    dismissError: vscode.l10n.t('Dismiss this error'),
    dismiss: vscode.l10n.t('Dismiss'),
    cancel: vscode.l10n.t('Cancel'),
    cancelGenerating: vscode.l10n.t('Cancel generating {0}'),
    stopWaiting: vscode.l10n.t('Stop Waiting'),
    stopWaitingFor: vscode.l10n.t('Stop waiting for {0}'),
    stopWaitingTitle: vscode.l10n.t(
      'Stop waiting. Segmind may still charge for this image; if it arrives it is kept in the gallery.',
    ),
    jobs: vscode.l10n.t('Jobs'),

    result: vscode.l10n.t('Result'),
    credits: vscode.l10n.t('{0} credits'),
    openFile: vscode.l10n.t('Open {0}'),
    insertInto: vscode.l10n.t('Insert into {0}'),
    insertIntoOpenDocument: vscode.l10n.t('Insert into the open document'),
    insertTitle: vscode.l10n.t('Insert a Markdown link at the cursor in {0}'),
    openDocumentToInsert: vscode.l10n.t('Open a document (Markdown, HTML, LaTeX, …) to insert the image'),
    imageActions: vscode.l10n.t('Image actions'),
    actions: {
      open: vscode.l10n.t('Open'),
      reveal: vscode.l10n.t('Reveal in Explorer'),
      copyLink: vscode.l10n.t('Copy Link (pastes into any document as its link)'),
      copySeed: vscode.l10n.t('Copy Seed'),
      remix: vscode.l10n.t('Remix: load its prompt and options into the form'),
      delete: vscode.l10n.t('Delete (move to trash)'),
    },
    variationsGroup: vscode.l10n.t('Variations: click the ones to keep'),
    variation: vscode.l10n.t('Variation {0}'),
    variationSeed: vscode.l10n.t('Variation {0}, seed {1}'),
    kept: vscode.l10n.t('{0}, kept'),
    keepOrNot: vscode.l10n.t('{0} (click to keep or not)'),
    keptCount: vscode.l10n.t('{0} kept'),
    insertChosenInto: vscode.l10n.t('Insert Chosen into {0}'),
    insertChosen: vscode.l10n.t('Insert Chosen into Markdown'),
    insertChosenTitle: vscode.l10n.t('Insert {0} at the cursor in {1}'),
    chooseOne: vscode.l10n.t('Choose One to Insert'),
    chooseOneTitle: vscode.l10n.t('Choose one variation to insert'),
    trashOther: vscode.l10n.t('Trash the Other'),
    trashOthers: vscode.l10n.t('Trash the {0} Others'),
    trashOthersTitle: vscode.l10n.t(
      'Move the variations you did not keep to the trash (the kept ones stay in the gallery)',
    ),

    gallery: vscode.l10n.t('Gallery'),
    search: vscode.l10n.t('Search prompts'),
    searchLabel: vscode.l10n.t('Search the gallery by prompt'),
    galleryGrid: vscode.l10n.t('Past generations, newest first (arrow keys move between images)'),
    noMatch: vscode.l10n.t('No image matches “{0}”.'),
    noImages: vscode.l10n.t('No images yet. Generated images appear here, newest first.'),
    oneMatch: vscode.l10n.t('1 image matches'),
    matches: vscode.l10n.t('{0} images match'),
  };
}

export type SidebarStrings = ReturnType<typeof sidebarStrings>;
