// Keys in the extension's workspace state (Memento), apart from src/common/ids.ts so that the bootstrap, which
// reads one of them at every start, bundles these few lines and not every id of the extension.
/** Keys in the extension's workspace state (Memento). */
export const WORKSPACE_STATE_KEY = {
  /** The user agreed to upload workspace pictures to Segmind in this (trusted) workspace. */
  uploadConsent: 'ideogram.uploadConsent',
  /**
   * Languages whose documents load the extension besides its `onLanguage:` events (a string list): those the
   * alt-text diagnostics read while `ideogram.altText.diagnostics` is on. Written by the extension, read by the
   * bootstrap, which reads no setting.
   */
  alsoServedLanguages: 'ideogram.alsoServedLanguages',
} as const;
