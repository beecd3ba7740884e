// What the extension's own integration tests observe and drive, in one module. Areas report here what a user would
// see (a failure shown, a "Saved …" announcement, a message posted to the sidebar); the sidebar hands over how to
// deliver a message as its webview would. Nothing is kept unless activate() switched recording on, which it does
// only when VS Code runs the extension in test mode (ExtensionMode.Test): in a user's VS Code each report is a
// no-op, and the testing API is never returned. It imports types only, so any area may report here.
import * as vscode from 'vscode';
import type { ApiKeyStore } from './apiKey';
import type { GalleryDropProvider } from './markdownDrop';
import type { galleryPasteText, rememberCopiedImage } from './galleryPaste';
import type { GenerationService } from './generationService';
import type { GenerateImageTool } from './lmTool';
import type { HostMessage } from './protocol';
import type { Spending } from './spending';
import type { Thumbnails } from './thumbnails';
import type { Sidebar } from './sidebar/sidebarViewProvider';

/** A failure as the user saw it: the message and its buttons. */
export interface ShownFailure { message: string; actions: string[]; kind: string }

const KEEP = 50;
let recording = false;
const failures: ShownFailure[] = [];
const announcements: string[] = [];
const posted = new vscode.EventEmitter<HostMessage>();
let deliverToSidebar: ((raw: unknown) => Promise<void>) | undefined;

function keep<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > KEEP) list.shift();
}

export function reportFailureShown(failure: ShownFailure): void {
  if (recording) keep(failures, failure);
}

/** A "Saved …" message about a job nobody was waiting for. */
export function reportAnnouncement(message: string): void {
  if (recording) keep(announcements, message);
}

export function reportPostedToSidebar(message: HostMessage): void {
  if (recording) posted.fire(message);
}

/** How to deliver a message as the sidebar's webview would (validated like any other). */
export function acceptSidebarMessages(deliver: (raw: unknown) => Promise<void>): vscode.Disposable {
  deliverToSidebar = deliver;
  return new vscode.Disposable(() => { if (deliverToSidebar === deliver) deliverToSidebar = undefined; });
}

/** Handed to the extension's own integration tests only, never to other extensions. */
export interface TestingApi {
  keys: ApiKeyStore;
  service: GenerationService;
  /** The last failures and announcements shown to the user, newest last. */
  recentFailures(): readonly ShownFailure[];
  recentAnnouncements(): readonly string[];
  /** The sidebar's traffic: deliver a message as its webview would; every message actually posted to it. */
  webview: { send(raw: unknown): Promise<void>; onDidPost: vscode.Event<HostMessage> };
  /** Where VS Code keeps this extension's logs and state, so tests can check that the key never lands there. */
  logUri: vscode.Uri;
  globalStorageUri: vscode.Uri;
  state: { workspace: vscode.Memento; global: vscode.Memento };
  /** The sidebar view provider, the gallery and its thumbnails. */
  sidebar: Sidebar & { thumbnails: Thumbnails };
  /** The cost model and budget; the Copilot tool as registered. */
  spending: Spending;
  tool: GenerateImageTool;
  /** The drop and paste providers' workings, for every document format without a real clipboard. */
  galleryDrop: typeof GalleryDropProvider;
  galleryPaste: { galleryPasteText: typeof galleryPasteText; rememberCopiedImage: typeof rememberCopiedImage };
}

type Parts = Pick<TestingApi, 'keys' | 'service' | 'sidebar' | 'spending' | 'tool' | 'galleryDrop' | 'galleryPaste'>;

/** Starts recording and builds the testing API, in test mode only. */
export function testingApi(context: vscode.ExtensionContext, parts: Parts): TestingApi | undefined {
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  recording = true;
  return {
    ...parts,
    recentFailures: () => failures,
    recentAnnouncements: () => announcements,
    webview: {
      send: (raw) => deliverToSidebar?.(raw) ?? Promise.reject(new Error('the sidebar is not registered')),
      onDidPost: posted.event,
    },
    logUri: context.logUri,
    globalStorageUri: context.globalStorageUri,
    state: { workspace: context.workspaceState, global: context.globalState },
  };
}
