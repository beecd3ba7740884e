// What the generation feature needs from other features, declared here and satisfied in src/extension.ts: the
// generation side does not import them.
import type * as vscode from 'vscode';
import type { GeneratedImage } from '../core/client';
import type { GalleryEntry } from '../core/galleryStore';

/** Records each saved image (src/gallery/gallery.ts): `generate` returns the image with its entry. */
export interface GalleryRecorder {
  /** The entry, or undefined when it could not be recorded (the image is saved all the same). Never rejects. */
  recordGeneration(saved: {
    uri: vscode.Uri;
    prompt: string;
    createdAt: Date;
    image: GeneratedImage;
  }): Promise<GalleryEntry | undefined>;
}
