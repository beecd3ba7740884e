// Puts a workspace picture on Segmind so an image model can take it (Segmind takes input images as URLs): the
// upload route of Segmind Storage, with the key, to the configured endpoint's own hosts only (core/imageUpload.ts
// `uploadRoute`). The picture leaves the machine only with consent: asked once per workspace, and every time in
// Restricted Mode. The URL is remembered with the picture's hash, so a second action on the same bytes uploads
// nothing while the URL lives. An upload is not a generation: nothing is billed by it (Segmind does not say it
// charges uploads), and a failed one is reported, never retried behind the user's back.
import * as vscode from 'vscode';
import { IdeogramError } from '../../core/errors';
import {
  findReusable,
  readUploadResponse,
  rememberUpload,
  toDataUrl,
  uploadCacheSchema,
  uploadRoute,
  UPLOAD_REUSE_MS,
  type UploadCache,
} from '../../core/imageUpload';
import { secretRedactor } from '../../core/redact';
import { Disposable } from '../../common/dispose';
import { STATE_KEY } from '../../common/ids';
import { WORKSPACE_STATE_KEY } from '../../common/workspaceStateKeys';
import type { SourceImage } from './sourceImage';

// Consent is remembered per workspace; the uploads globally (their URLs belong to the account).
const UPLOAD_CONSENT_KEY = WORKSPACE_STATE_KEY.uploadConsent;
const UPLOAD_CACHE_KEY = STATE_KEY.uploads;
const UPLOAD_TIMEOUT_MS = 60_000;
const MAX_ANSWER_BYTES = 64 * 1024;

export class ImageUploader extends Disposable {
  readonly #context: vscode.ExtensionContext;
  readonly #log: vscode.LogOutputChannel;

  constructor(context: vscode.ExtensionContext, log: vscode.LogOutputChannel) {
    super();
    this.#context = context;
    this.#log = log;
  }

  /** The Segmind URL of this picture: a live earlier upload of the same bytes, else a new upload after consent. */
  async urlFor(
    source: SourceImage,
    target: { endpoint: string; apiKey: string },
    signal?: AbortSignal,
  ): Promise<string> {
    const route = uploadRoute(target.endpoint);
    const reusable = findReusable(this.#cache(), source.sha256, target.endpoint, Date.now(), UPLOAD_REUSE_MS);
    if (reusable) {
      this.#log.info(
        `Upload of ${source.workspacePath} reused (same bytes, uploaded ${new Date(reusable.uploadedAt).toISOString()})`,
      );
      return reusable.url;
    }
    await this.#askConsent(source);
    if (signal?.aborted) throw new IdeogramError({ kind: 'cancelled', reason: 'before-submit' });
    const url = await this.#upload(source, route, target, signal);
    await this.#context.globalState.update(
      UPLOAD_CACHE_KEY,
      rememberUpload(this.#cache(), { sha256: source.sha256, endpoint: target.endpoint, url, uploadedAt: Date.now() }),
    );
    return url;
  }

  /** Asks before the first upload of a workspace, and before every upload in Restricted Mode. */
  async #askConsent(source: SourceImage): Promise<void> {
    const trusted = vscode.workspace.isTrusted;
    if (trusted && this.#context.workspaceState.get<boolean>(UPLOAD_CONSENT_KEY) === true) return;
    const upload = vscode.l10n.t('Upload');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} ({1}) will be uploaded to Segmind.', source.fileName, formatSize(source.bytes.length)),
      {
        modal: true,
        detail: trusted
          ? vscode.l10n.t(
              'Ideogram takes pictures as web addresses: the file is stored on Segmind so the model can read it. Nothing is generated or billed until the upload is done. You are asked once in this workspace.',
            )
          : vscode.l10n.t(
              'This workspace is in Restricted Mode, so every upload is asked for. Ideogram takes pictures as web addresses: the file is stored on Segmind so the model can read it.',
            ),
      },
      upload,
    );
    if (choice !== upload)
      throw new IdeogramError({ kind: 'cancelled', reason: 'upload-declined', fileName: source.fileName });
    if (trusted) await this.#context.workspaceState.update(UPLOAD_CONSENT_KEY, true);
  }

  async #upload(
    source: SourceImage,
    route: string,
    target: { endpoint: string; apiKey: string },
    signal?: AbortSignal,
  ): Promise<string> {
    const redact = secretRedactor(target.apiKey);
    const fail = (facts: Record<string, unknown>, reason: 'upload-failed' | 'upload-bad-response' = 'upload-failed') =>
      new IdeogramError({ kind: 'source-image', reason, fileName: source.fileName, ...facts });
    const started = Date.now();
    let response: Response;
    try {
      response = await fetch(route, {
        method: 'POST',
        headers: {
          'x-api-key': target.apiKey,
          'content-type': 'application/json',
          accept: 'application/json, text/plain, */*',
        },
        body: JSON.stringify({ data_urls: [toDataUrl(source.bytes, source.type)] }),
        redirect: 'error', // the key goes to this route only, never on to wherever a redirect points
        signal: signal
          ? AbortSignal.any([signal, AbortSignal.timeout(UPLOAD_TIMEOUT_MS)])
          : AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
      });
    } catch (error) {
      if (signal?.aborted) throw new IdeogramError({ kind: 'cancelled', reason: 'before-submit' });
      const cause = redact(String((error as Error).cause ?? (error as Error).message ?? error));
      this.#log.warn(`Upload of ${source.workspacePath} to ${new URL(route).origin} failed: ${cause}`);
      throw fail({ cause: cause.slice(0, 200) });
    }
    const text = redact(await readCapped(response, MAX_ANSWER_BYTES));
    this.#log.info(
      `Upload of ${source.workspacePath} (${source.bytes.length} bytes) to ${new URL(route).origin}: HTTP ${response.status} in ${Date.now() - started} ms`,
    );
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const said = body && typeof body === 'object' ? (body as { error?: unknown; message?: unknown }) : undefined;
      const apiMessage =
        typeof said?.error === 'string' ? said.error : typeof said?.message === 'string' ? said.message : undefined;
      throw fail({ status: response.status, ...(apiMessage ? { apiMessage: apiMessage.slice(0, 300) } : {}) });
    }
    const read = readUploadResponse(body, 1, target.endpoint);
    if (!read.ok) {
      this.#log.warn(`Upload answer not understood (${JSON.stringify(read.problem)}): ${text.slice(0, 500)}`);
      throw fail({}, 'upload-bad-response');
    }
    return read.urls[0];
  }

  #cache(): UploadCache {
    const parsed = uploadCacheSchema.safeParse(this.#context.globalState.get(UPLOAD_CACHE_KEY));
    return parsed.success ? parsed.data : { entries: [] };
  }
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The answer's text, at most `max` bytes (an upload answer is a short JSON; anything longer is cut for the log). */
async function readCapped(response: Response, max: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total < max) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
  }
  await reader.cancel().catch(() => undefined);
  const all = new Uint8Array(Math.min(total, max));
  let at = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, all.length - at);
    all.set(part, at);
    at += part.length;
  }
  return new TextDecoder().decode(all);
}
