// What the recipe features need from the rest of the extension, declared here so that src/recipes imports no other
// feature: src/extension.ts passes in the objects that satisfy these (the gallery, the sidebar, the cost line).
import type * as vscode from 'vscode';
import type { GalleryEntry } from '../core/galleryStore';
import type { GenerationRequest } from '../core/request';

/** The gallery as the recipes use it: look an image up, restore entries from recipes (src/gallery/gallery.ts). */
export interface RecipeGallery {
  load(): Promise<void>;
  entryFor(uri: vscode.Uri): Promise<GalleryEntry | undefined>;
  restore(entries: readonly GalleryEntry[]): Promise<GalleryEntry[]>;
}

/** What the recipe commands do with the sidebar (src/sidebar/) and its gallery. */
export interface Sidebar {
  gallery: RecipeGallery;
  provider: {
    /** Loads a recipe into the form; false when the view could not be shown. */
    fillForm(request: GenerationRequest, seed: number | undefined): Promise<boolean>;
    showEntry(entryId: string): Promise<boolean>;
  };
}

/** The whole of a request and what it costs, for a confirmation (src/generation/unattendedRuns.ts words it). */
export type DescribeGeneration = (request: GenerationRequest, count: number) => string;
