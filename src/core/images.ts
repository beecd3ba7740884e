// Identifies image bytes by their magic numbers: the Content-Type header is not trusted blindly.

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif';

export interface ImageType {
  format: ImageFormat;
  extension: 'jpg' | 'png' | 'webp' | 'gif';
  mimeType: string;
}

/** Each format's extension and MIME type. */
export const IMAGE_TYPES: Readonly<Record<ImageFormat, ImageType>> = {
  jpeg: { format: 'jpeg', extension: 'jpg', mimeType: 'image/jpeg' },
  png: { format: 'png', extension: 'png', mimeType: 'image/png' },
  webp: { format: 'webp', extension: 'webp', mimeType: 'image/webp' },
  gif: { format: 'gif', extension: 'gif', mimeType: 'image/gif' },
};

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((value, index) => bytes[offset + index] === value);
}

/** The image type of `bytes`, or undefined when they are not a JPEG, PNG, WebP or GIF. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return IMAGE_TYPES.jpeg;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return IMAGE_TYPES.png;
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8))
    return IMAGE_TYPES.webp;
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61)
    return IMAGE_TYPES.gif;
  return undefined;
}

export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'gif'] as const;
