// What the sidebar needs from the other features, declared here as the sidebar sees it: src/extension.ts passes the
// gallery, the generation service, the spending, the image links (and small adapters where a feature offers a
// function rather than an object), which satisfy these interfaces by their shape. So src/sidebar imports only
// src/core, src/common and itself, and a change inside another feature reaches the sidebar only through here.
import type * as vscode from 'vscode';
import type { GeneratedImage } from '../core/client';
import type { CostBook, EstimateWords, ModelPricing } from '../core/cost';
import type { GalleryEntry, SearchPage } from '../core/galleryStore';
import type { JobState } from '../core/jobStates';
import type { IdeogramError } from '../core/errors';
import type { GenerationRequestInput, ValidRequest } from '../core/request';
import type { RunView } from '../common/protocol';

/** The workspace's gallery (src/gallery/gallery.ts). */
export interface SidebarGallery {
  readonly size: number;
  /** Changes whenever the gallery does (an add and a remove leave the size, not this). */
  readonly revision: number;
  /** Entries were added, hidden, shown again or removed (the removed ones named). */
  readonly onDidChange: vscode.Event<{ removedIds: string[]; removedUris: string[] }>;
  /** Loads the stored gallery once; never rejects. */
  load(): Promise<void>;
  get(id: string): GalleryEntry | undefined;
  /** The folders holding gallery images (the webview may load images from them). */
  folders(): vscode.Uri[];
  query(query: string, offset: number, limit: number): Promise<SearchPage>;
  /** The webview could not load the entry's image: look whether the file is gone. */
  checkEntry(id: string): Promise<void>;
}

/** An image to move to the trash, and the gallery entry that goes with it. */
export interface TrashedImage {
  uri: vscode.Uri;
  entryId: string;
}

/** Moving gallery images (with their recipes) to the trash; the gallery forgets them (src/gallery/gallery.ts). */
export interface SidebarTrash {
  moveToTrash(images: readonly TrashedImage[]): Promise<{
    /** Gone, with their recipes. */
    removed: TrashedImage[];
    /** Still there. */
    kept: TrashedImage[];
    /** The user was asked to delete permanently and did not want to. */
    declined: boolean;
  }>;
}

/** The thumbnails of gallery images (src/gallery/thumbnails.ts). */
export interface SidebarThumbnails {
  readonly enabled: boolean;
  /** Where they are stored (the webview may load from it). */
  readonly folder: vscode.Uri;
  thumbnailOf(imageUri: string): Promise<vscode.Uri | undefined>;
  /** Stores one the webview made; returns why it was refused, if it was. */
  store(imageUri: string, bytes: Uint8Array): Promise<string | undefined>;
  deleteFor(imageUris: readonly string[]): Promise<void>;
}

/** A job as the jobs list shows it. */
export interface SidebarJob {
  id: string;
  prompt: string;
  state: JobState;
  createdAt: number;
  finishedAt?: number;
  savedUri?: string;
  failure?: { message: string };
  /** Still being waited for or worked on in this window. */
  live: boolean;
}

/** The generation jobs of this machine and what they report (src/generation/generationService.ts). */
export interface SidebarJobs {
  readonly onDidChangeJobs: vscode.Event<unknown>;
  /** An image was saved; what Segmind said about the account comes with it. */
  readonly onDidGenerate: vscode.Event<{ image: Pick<GeneratedImage, 'remainingCredits' | 'cost'> }>;
  jobs(): SidebarJob[];
  isAwaited(id: string): boolean;
  checkAgain(id: string, getApiKey: () => Promise<string | undefined>): Promise<void>;
  stopWaiting(id: string): void;
  discard(id: string): void;
  /** Images removed from the gallery: their jobs no longer point to them. */
  forgetSaved(imageUris: readonly string[]): void;
}

/** What generating costs (src/spending/spending.ts). */
export interface SidebarSpending {
  readonly onDidChange: vscode.Event<void>;
  book(): CostBook;
  pricings(): ModelPricing[];
}

/** The words of the cost line, in the user's language (src/spending/spending.ts). */
export type EstimateWording = () => EstimateWords;

/** An image a link is made for. */
export interface LinkedImage {
  uri: vscode.Uri;
  prompt: string;
  /** The generated image (its request carries its model's size), when at hand. */
  image?: { request: GenerationRequestInput };
}

/** Image links as the user's settings want them (src/links/documentLinks.ts). */
export interface SidebarLinks {
  /** The editor "Insert" writes into: the active one if it takes image links, else the first visible one. */
  targetEditor(): vscode.TextEditor | undefined;
  linkFor(
    document: vscode.TextDocument | undefined,
    prompt: string,
    image: vscode.Uri,
    options?: { linked?: LinkedImage },
  ): string;
  insertion(
    document: vscode.TextDocument,
    position: vscode.Position,
    image: LinkedImage,
  ): { position: vscode.Position; text: string };
}

/** The link the gallery copied last: pasted into any document, it becomes that document's link (src/links/galleryPaste.ts). */
export interface SidebarClipboard {
  rememberCopiedImage(text: string, uri: vscode.Uri, prompt: string): void;
}

/** What a sidebar run reports (./sidebarRuns.ts). */
export type RunEvent =
  | { kind: 'changed'; run: RunView }
  | { kind: 'finished'; runId: string; entry?: GalleryEntry; outcome: 'done' | 'cancelled' | 'dismissed' }
  | { kind: 'credits'; remaining?: number }
  /** A batch of variations ended: the images saved, shown side by side. */
  | { kind: 'variations'; entries: GalleryEntry[] };

/** The generations started from the sidebar (./sidebarRuns.ts): they outlive the view's webview. */
export interface SidebarRunsPort extends vscode.Disposable {
  readonly onDidChange: vscode.Event<RunEvent>;
  views(): RunView[];
  start(runId: string, request: ValidRequest, count?: number): Promise<void>;
  cancel(runId: string): void;
  dismiss(runId: string): void;
  retry(runId: string): Promise<void> | undefined;
}

/**
 * A paid generation as the sidebar starts one: prepared (key, folder, target: src/generation/pipeline.ts), then
 * generated (src/generation/generationService.ts); a batch of variations is planned and its cost authorized first
 * (src/generation/variations.ts, src/spending/spending.ts). `Prepared` and `Authorization` are the generation
 * side's own tokens: the sidebar hands them back unread.
 */
export interface SidebarGeneration<Prepared, Authorization> {
  prepare(options: {
    document?: vscode.TextDocument;
    folder: 'ask';
    askForKey: boolean;
    signal?: AbortSignal;
  }): Promise<{ ok: true; prepared: Prepared } | { ok: false; failure: IdeogramError }>;
  generate(
    prepared: Prepared,
    run: {
      request: ValidRequest;
      signal?: AbortSignal;
      onProgress?: (message: string) => void;
      origin?: string;
      authorization?: Authorization;
      onSubmitted?: () => void;
    },
  ): Promise<{ entry?: GalleryEntry; others?: Array<{ entry?: GalleryEntry }> }>;
  planVariations(
    request: ValidRequest,
    count: number,
  ): Promise<{ authorization: Authorization; requests: ValidRequest[] }>;
  /** What a batch authorized but did not use goes back to the budget. */
  releaseUnused(authorization: Authorization): void;
}
