// Makes a gallery thumbnail from a full image the gallery had to show (it had none yet): scaled once in the
// webview (createImageBitmap's resize, then a canvas encodes WebP), so no native image library is needed in the
// host. The host checks the bytes (src/core/thumbnails.ts) and stores them; the tile shows them from then on.
import { MAX_THUMBNAIL_BYTES, THUMBNAIL_SIDE } from '../src/common/protocol';

/** Encoder settings tried in turn until the thumbnail fits in MAX_THUMBNAIL_BYTES. */
const ENCODINGS: ReadonlyArray<{ type: string; quality: number }> = [
  { type: 'image/webp', quality: 0.8 },
  { type: 'image/webp', quality: 0.6 },
  { type: 'image/jpeg', quality: 0.7 },
  { type: 'image/jpeg', quality: 0.5 },
];

/**
 * One thumbnail at a time, in idle moments, each image once per page load. `send` gets the thumbnail as
 * base64 (the protocol's JSON carries no bytes).
 */
export class ThumbnailMaker {
  readonly #requested = new Set<string>();
  readonly #queue: Array<{ id: string; bitmap: Promise<ImageBitmap> }> = [];
  #busy = false;

  readonly #send: (id: string, base64: string) => void;
  constructor(send: (id: string, base64: string) => void) {
    this.#send = send;
  }

  /** Call when `image` has loaded the full picture of entry `id`: the scaled copy is taken now, encoded later. */
  request(id: string, image: HTMLImageElement): void {
    if (this.#requested.has(id) || !image.naturalWidth || !image.naturalHeight) return;
    this.#requested.add(id);
    const scale = Math.min(1, THUMBNAIL_SIDE / Math.max(image.naturalWidth, image.naturalHeight));
    const bitmap = createImageBitmap(image, {
      resizeWidth: Math.max(1, Math.round(image.naturalWidth * scale)),
      resizeHeight: Math.max(1, Math.round(image.naturalHeight * scale)),
      resizeQuality: 'medium',
    });
    bitmap.catch(() => undefined);
    this.#queue.push({ id, bitmap });
    void this.#drain();
  }

  async #drain(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
        await idle();
        try {
          const bitmap = await next.bitmap;
          const bytes = await encode(bitmap);
          bitmap.close();
          if (bytes) this.#send(next.id, toBase64(bytes));
        } catch {
          // a picture that cannot be drawn (or a tainted one): the tile keeps the full image
        }
      }
    } finally {
      this.#busy = false;
    }
  }
}

async function encode(bitmap: ImageBitmap): Promise<Uint8Array | undefined> {
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
  for (const { type, quality } of ENCODINGS) {
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, quality));
    if (blob && blob.size > 0 && blob.size <= MAX_THUMBNAIL_BYTES) return new Uint8Array(await blob.arrayBuffer());
  }
  return undefined;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
}

function idle(): Promise<void> {
  return new Promise((resolve) =>
    typeof requestIdleCallback === 'function'
      ? requestIdleCallback(() => resolve(), { timeout: 500 })
      : setTimeout(resolve, 0),
  );
}
