import * as vscode from 'vscode';
import type { GalleryEntry } from '../core/galleryStore';
import { describeFailure, errorText, performRecoveryAction } from '../common/errorMessages';
import { describeRequestProblem } from '../common/requestProblemWording';
import type { GalleryItemView, GalleryPageView, HostMessage, ImageAction, JobAction } from '../common/protocol';
import { parseWebviewMessage, validateFormInput, type WebviewMessage, type WebviewMessageType } from './messageSchema';
import type { ActionOutcome } from './imageActions';
import type { SidebarGallery, SidebarRunsPort } from './ports';

/** One handler per message type: adding a message to the protocol without a handler fails to compile. */
export type MessageHandlers = {
  [K in WebviewMessageType]: (message: Extract<WebviewMessage, { type: K }>) => void | Promise<void>;
};

export interface HandlerContext {
  runs: SidebarRunsPort;
  gallery: SidebarGallery;
  log: vscode.LogOutputChannel;
  post(message: HostMessage): void;
  /** The webview sent `ready`: answer with the full snapshot. */
  onReady(): Promise<void>;
  itemView(entry: GalleryEntry): GalleryItemView;
  /** The preview changed to this entry. */
  select(entryId: string): void;
  /** Something the snapshot shows may have changed (API key set, for example). */
  refreshContext(): void;
  /** A button on an image (preview or gallery tile). */
  imageAction(action: ImageAction, entry: GalleryEntry): Promise<ActionOutcome>;
  /** A button of the jobs list. */
  jobAction(action: JobAction, jobId: string): Promise<void>;
  /** An image was dropped on the form: fill the form with its recipe. */
  useRecipe(uri: string): Promise<void>;
  /** A page of the gallery as the webview shows it. */
  galleryPage(query: string, offset: number, limit: number): Promise<GalleryPageView>;
  /** Stores a thumbnail the webview made of an entry's image (checked first). */
  storeThumbnail(entryId: string, base64: string): Promise<void>;
  /** Moves images to the trash at once (variations not kept), after one confirmation. */
  trashImages(entryIds: string[]): Promise<{ ok: boolean; message?: string; removedIds: string[] }>;
}

export function createMessageHandlers(context: HandlerContext): MessageHandlers {
  const { runs, gallery, log, post } = context;
  return {
    ready: () => context.onReady(),
    validate: (message) =>
      post({
        type: 'validation',
        requestId: message.requestId,
        problems: validateFormInput(message.request).map((problem) => ({
          path: problem.path,
          message: describeRequestProblem(problem),
        })),
      }),
    generate: (message) => runs.start(message.runId, message.request, message.count),
    cancel: (message) => runs.cancel(message.runId),
    dismissRun: (message) => runs.dismiss(message.runId),
    recover: async (message) => {
      const retry = message.runId ? () => runs.retry(message.runId as string) : undefined;
      await performRecoveryAction(message.action, log, retry);
      context.refreshContext();
    },
    select: (message) => context.select(message.entryId),
    imageAction: async (message) => {
      const entry = gallery.get(message.entryId);
      if (!entry) {
        post({
          type: 'actionResult',
          requestId: message.requestId,
          ok: false,
          removed: true,
          message: vscode.l10n.t('This image is no longer in the gallery.'),
        });
        return;
      }
      try {
        const outcome = await context.imageAction(message.action, entry);
        post({ type: 'actionResult', requestId: message.requestId, ...outcome });
      } catch (error) {
        log.error(`Sidebar action ${message.action} failed: ${errorText(error)}`);
        post({
          type: 'actionResult',
          requestId: message.requestId,
          ok: false,
          message: describeFailure(error).message,
        });
      }
    },
    queryGallery: async (message) => {
      const page = await context.galleryPage(message.query, message.offset, message.limit);
      post({ type: 'galleryPage', requestId: message.requestId, ...page });
    },
    thumbnail: (message) => context.storeThumbnail(message.entryId, message.data),
    imageMissing: (message) => gallery.checkEntry(message.entryId),
    jobAction: (message) => context.jobAction(message.action, message.jobId),
    useRecipe: (message) => context.useRecipe(message.uri),
    trashImages: async (message) => {
      const outcome = await context.trashImages(message.entryIds);
      post({
        type: 'actionResult',
        requestId: message.requestId,
        ok: outcome.ok,
        message: outcome.message,
        removed: outcome.removedIds.length > 0,
      });
    },
  };
}

/**
 * Validates a raw message and dispatches it. Anything that does not parse is logged at warn and ignored:
 * the webview is a trust boundary.
 */
export async function dispatchWebviewMessage(
  handlers: MessageHandlers,
  raw: unknown,
  log: vscode.LogOutputChannel,
): Promise<void> {
  const parsed = parseWebviewMessage(raw);
  if (!parsed.ok) {
    log.warn(`Sidebar: ignored a malformed message (${parsed.reason})`);
    return;
  }
  const handler = handlers[parsed.message.type] as (message: WebviewMessage) => void | Promise<void>;
  try {
    await handler(parsed.message);
  } catch (error) {
    log.error(
      `Sidebar: handling "${parsed.message.type}" failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
}
