// Metadata inside image files, at the container level: PNG text chunks (tEXt, iTXt) and JPEG APP1 segments
// (XMP, Exif UserComment). Reads and writes are strictly bounded: a truncated or hostile file (huge declared
// lengths, a million chunks, a bad CRC) is rejected quickly with a reason, never a crash, a hang or a huge
// allocation. Writing only adds or replaces metadata; every other byte (the pixels) is copied unchanged.

/** What a file may hold before we stop looking: beyond these it is not an image we wrote or can trust. */
export const METADATA_LIMITS = {
  /** Chunks (PNG) or segments (JPEG) before the pixels; real files have tens, big PNGs a few thousand IDATs. */
  maxParts: 100_000,
  /** One text chunk's text (a ComfyUI workflow can be a few hundred KB). */
  maxTextBytes: 4 * 1024 * 1024,
  /** Text chunks collected from one file. */
  maxTextChunks: 64,
} as const;

export type MetadataResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

// ---- CRC-32 (PNG) -------------------------------------------------------------------------------------

let crcTable: Uint32Array | undefined;

function table(): Uint32Array {
  if (crcTable) return crcTable;
  crcTable = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crcTable[n] = c >>> 0;
  }
  return crcTable;
}

/** CRC-32 as PNG uses it (ISO 3309), over `bytes[start, end)`. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = table();
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// ---- bytes helpers ------------------------------------------------------------------------------------

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const latin1Decoder = new TextDecoder('latin1');

function readUint32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

function writeUint32(target: Uint8Array, offset: number, value: number): void {
  target[offset] = value >>> 24;
  target[offset + 1] = (value >>> 16) & 0xff;
  target[offset + 2] = (value >>> 8) & 0xff;
  target[offset + 3] = value & 0xff;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function isLatin1(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\xff]*$/.test(text);
}

function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function indexOfZero(bytes: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) if (bytes[i] === 0) return i;
  return -1;
}

// ---- PNG ----------------------------------------------------------------------------------------------

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** A PNG text chunk's content: `tEXt` (Latin-1) or uncompressed `iTXt` (UTF-8). */
export interface PngText {
  keyword: string;
  text: string;
  /** Which chunk carried it. */
  chunk: 'tEXt' | 'iTXt';
}

interface PngChunk {
  type: string;
  /** Offset of the chunk's length field. */
  start: number;
  /** Offset after its CRC. */
  end: number;
  dataStart: number;
  dataEnd: number;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((value, index) => bytes[index] === value);
}

/** Walks the chunk list up to IEND, checking every length against the file; no chunk data is copied. */
function pngChunks(bytes: Uint8Array): MetadataResult<PngChunk[]> {
  if (!isPng(bytes)) return fail('not a PNG file (no PNG signature)');
  const chunks: PngChunk[] = [];
  let offset = 8;
  for (;;) {
    if (chunks.length >= METADATA_LIMITS.maxParts) return fail(`more than ${METADATA_LIMITS.maxParts} chunks`);
    if (offset + 12 > bytes.length) return fail(`truncated PNG: chunk header at byte ${offset} runs past the end`);
    const length = readUint32(bytes, offset);
    if (length > 0x7fffffff) return fail(`chunk at byte ${offset} declares an impossible length ${length}`);
    const dataStart = offset + 8;
    const dataEnd = dataStart + length;
    if (dataEnd + 4 > bytes.length)
      return fail(`truncated PNG: chunk at byte ${offset} declares ${length} bytes, past the end of the file`);
    const type = String.fromCharCode(bytes[offset + 4], bytes[offset + 5], bytes[offset + 6], bytes[offset + 7]);
    if (!/^[A-Za-z]{4}$/.test(type)) return fail(`invalid chunk type at byte ${offset}`);
    if (chunks.length === 0 && type !== 'IHDR') return fail('the first PNG chunk is not IHDR');
    chunks.push({ type, start: offset, end: dataEnd + 4, dataStart, dataEnd });
    offset = dataEnd + 4;
    if (type === 'IEND') return { ok: true, value: chunks };
  }
}

function decodePngText(bytes: Uint8Array, chunk: PngChunk): PngText | undefined {
  const { dataStart, dataEnd } = chunk;
  if (dataEnd - dataStart > METADATA_LIMITS.maxTextBytes) return undefined;
  const crc = readUint32(bytes, dataEnd);
  if (crc32(bytes, chunk.start + 4, dataEnd) !== crc) return undefined; // damaged: not trusted
  const keywordEnd = indexOfZero(bytes, dataStart, Math.min(dataEnd, dataStart + 80));
  if (keywordEnd <= dataStart) return undefined;
  const keyword = latin1Decoder.decode(bytes.subarray(dataStart, keywordEnd));
  if (chunk.type === 'tEXt') {
    return { keyword, text: latin1Decoder.decode(bytes.subarray(keywordEnd + 1, dataEnd)), chunk: 'tEXt' };
  }
  // iTXt: keyword \0 compression-flag method language \0 translated-keyword \0 text
  const flag = bytes[keywordEnd + 1];
  if (keywordEnd + 3 > dataEnd || flag !== 0) return undefined; // compressed iTXt is not read (we never write it)
  const languageEnd = indexOfZero(bytes, keywordEnd + 3, dataEnd);
  if (languageEnd < 0) return undefined;
  const translatedEnd = indexOfZero(bytes, languageEnd + 1, dataEnd);
  if (translatedEnd < 0) return undefined;
  try {
    return { keyword, text: utf8Decoder.decode(bytes.subarray(translatedEnd + 1, dataEnd)), chunk: 'iTXt' };
  } catch {
    return undefined; // not UTF-8
  }
}

/**
 * The uncompressed text chunks of a PNG (only those with one of `keywords`, when given), in file order.
 * Chunks with a bad CRC or encoding are skipped.
 */
export function readPngText(bytes: Uint8Array, keywords?: readonly string[]): MetadataResult<PngText[]> {
  const chunks = pngChunks(bytes);
  if (!chunks.ok) return chunks;
  const texts: PngText[] = [];
  for (const chunk of chunks.value) {
    if (chunk.type !== 'tEXt' && chunk.type !== 'iTXt') continue;
    if (keywords && !keywords.includes(chunkKeyword(bytes, chunk))) continue;
    const text = decodePngText(bytes, chunk);
    if (text) texts.push(text);
    if (texts.length >= METADATA_LIMITS.maxTextChunks) break;
  }
  return { ok: true, value: texts };
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  writeUint32(out, 0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  writeUint32(out, 8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/** A text chunk: `tEXt` when the text is Latin-1 (what most readers expect), else uncompressed `iTXt`. */
export function pngTextChunk(keyword: string, text: string, forceInternational = false): Uint8Array {
  if (!/^[\x20-\x7e]{1,79}$/.test(keyword)) throw new RangeError(`invalid PNG keyword "${keyword}"`);
  if (!forceInternational && isLatin1(text))
    return pngChunk('tEXt', concat([latin1Bytes(keyword), Uint8Array.of(0), latin1Bytes(text)]));
  return pngChunk('iTXt', concat([latin1Bytes(keyword), Uint8Array.of(0, 0, 0, 0, 0), utf8.encode(text)]));
}

/**
 * The PNG with the text chunks of `texts` put right after IHDR (before the pixels, where every reader
 * looks), replacing any text chunk with the same keywords. Other chunks are copied byte for byte.
 */
export function writePngText(
  bytes: Uint8Array,
  texts: ReadonlyArray<{ keyword: string; text: string; international?: boolean }>,
): MetadataResult<Uint8Array> {
  const chunks = pngChunks(bytes);
  if (!chunks.ok) return chunks;
  const replaced = new Set(texts.map((text) => text.keyword));
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  for (const chunk of chunks.value) {
    if (
      (chunk.type === 'tEXt' || chunk.type === 'iTXt' || chunk.type === 'zTXt') &&
      replaced.has(chunkKeyword(bytes, chunk))
    )
      continue;
    parts.push(bytes.subarray(chunk.start, chunk.end));
    if (chunk.type === 'IHDR')
      for (const text of texts) parts.push(pngTextChunk(text.keyword, text.text, text.international));
  }
  // Anything after IEND is kept as it was.
  parts.push(bytes.subarray(chunks.value[chunks.value.length - 1].end));
  return { ok: true, value: concat(parts) };
}

function chunkKeyword(bytes: Uint8Array, chunk: PngChunk): string {
  const end = indexOfZero(bytes, chunk.dataStart, Math.min(chunk.dataEnd, chunk.dataStart + 80));
  return end < 0 ? '' : latin1Decoder.decode(bytes.subarray(chunk.dataStart, end));
}

// ---- JPEG ---------------------------------------------------------------------------------------------

export const XMP_JPEG_HEADER = 'http://ns.adobe.com/xap/1.0/\0';
const EXIF_HEADER = 'Exif\0\0';
/** A JPEG segment's payload is at most 65,533 bytes (the length field counts itself). */
export const JPEG_MAX_PAYLOAD = 0xffff - 2;

export interface JpegMetadata {
  /** The XMP packet of the first standard XMP APP1 segment. */
  xmp?: string;
  /** Exif UserComment, decoded. */
  userComment?: string;
  /** Whether the file has an Exif APP1 segment at all. */
  hasExif: boolean;
}

interface JpegSegment {
  marker: number;
  start: number;
  end: number;
  payloadStart: number;
}

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** The segments between SOI and the start of the scan (SOS), where all metadata lives. */
function jpegSegments(bytes: Uint8Array): MetadataResult<{ segments: JpegSegment[]; scanStart: number }> {
  if (!isJpeg(bytes)) return fail('not a JPEG file (no SOI marker)');
  const segments: JpegSegment[] = [];
  let offset = 2;
  for (;;) {
    if (segments.length >= METADATA_LIMITS.maxParts) return fail(`more than ${METADATA_LIMITS.maxParts} segments`);
    if (offset + 2 > bytes.length) return fail(`truncated JPEG: no image data after byte ${offset}`);
    if (bytes[offset] !== 0xff) return fail(`invalid JPEG marker at byte ${offset}`);
    let markerAt = offset;
    // Fill bytes (0xFF) may precede a marker; bounded by the file.
    while (markerAt + 1 < bytes.length && bytes[markerAt + 1] === 0xff) markerAt++;
    if (markerAt + 1 >= bytes.length) return fail('truncated JPEG marker');
    const marker = bytes[markerAt + 1];
    if (marker === 0xd9 || marker === 0xd8 || marker === 0x00)
      return fail(`unexpected JPEG marker 0x${marker.toString(16)} before the image data`);
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      offset = markerAt + 2; // standalone markers carry no length
      continue;
    }
    if (markerAt + 4 > bytes.length) return fail(`truncated JPEG segment at byte ${markerAt}`);
    const length = (bytes[markerAt + 2] << 8) | bytes[markerAt + 3];
    if (length < 2) return fail(`JPEG segment at byte ${markerAt} declares an impossible length ${length}`);
    const end = markerAt + 2 + length;
    if (end > bytes.length)
      return fail(`truncated JPEG: segment at byte ${markerAt} declares ${length} bytes, past the end of the file`);
    if (marker === 0xda) return { ok: true, value: { segments, scanStart: offset } };
    segments.push({ marker, start: offset, end, payloadStart: markerAt + 4 });
    offset = end;
  }
}

function startsWithText(bytes: Uint8Array, offset: number, end: number, text: string): boolean {
  if (offset + text.length > end) return false;
  for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}

const isXmpSegment = (bytes: Uint8Array, segment: JpegSegment) =>
  segment.marker === 0xe1 && startsWithText(bytes, segment.payloadStart, segment.end, XMP_JPEG_HEADER);
const isExifSegment = (bytes: Uint8Array, segment: JpegSegment) =>
  segment.marker === 0xe1 && startsWithText(bytes, segment.payloadStart, segment.end, EXIF_HEADER);

export function readJpegMetadata(bytes: Uint8Array): MetadataResult<JpegMetadata> {
  const parsed = jpegSegments(bytes);
  if (!parsed.ok) return parsed;
  const metadata: JpegMetadata = { hasExif: false };
  for (const segment of parsed.value.segments) {
    if (metadata.xmp === undefined && isXmpSegment(bytes, segment)) {
      try {
        metadata.xmp = utf8Decoder.decode(bytes.subarray(segment.payloadStart + XMP_JPEG_HEADER.length, segment.end));
      } catch {
        // not UTF-8: not an XMP packet we can read
      }
    } else if (!metadata.hasExif && isExifSegment(bytes, segment)) {
      metadata.hasExif = true;
      const comment = readExifUserComment(bytes.subarray(segment.payloadStart + EXIF_HEADER.length, segment.end));
      if (comment !== undefined) metadata.userComment = comment;
    }
  }
  return { ok: true, value: metadata };
}

export interface JpegMetadataUpdate {
  /** The XMP packet to put in place of any existing one. Must fit one segment. */
  xmp?: string;
  /** Written as an Exif UserComment when the file has no Exif segment yet (an existing one is kept). */
  userComment?: string;
}

/**
 * The JPEG with our XMP (replacing an existing XMP segment) and, when the file has no Exif, an Exif segment
 * holding `userComment`. They go after SOI and the JFIF/Exif APP0/APP1 segments that must come first.
 */
export function writeJpegMetadata(bytes: Uint8Array, update: JpegMetadataUpdate): MetadataResult<Uint8Array> {
  const parsed = jpegSegments(bytes);
  if (!parsed.ok) return parsed;
  const { segments } = parsed.value;
  const added: Uint8Array[] = [];
  const hasExif = segments.some((segment) => isExifSegment(bytes, segment));
  if (update.userComment !== undefined && !hasExif) {
    const exif = exifWithUserComment(update.userComment, jpegFrameSize(bytes, segments));
    if (exif.length + EXIF_HEADER.length > JPEG_MAX_PAYLOAD)
      return fail('the parameters text is too long for an Exif segment');
    added.push(jpegSegment(0xe1, concat([latin1Bytes(EXIF_HEADER), exif])));
  }
  if (update.xmp !== undefined) {
    const packet = utf8.encode(update.xmp);
    if (packet.length + XMP_JPEG_HEADER.length > JPEG_MAX_PAYLOAD)
      return fail('the XMP packet is too long for one JPEG segment');
    added.push(jpegSegment(0xe1, concat([latin1Bytes(XMP_JPEG_HEADER), packet])));
  }
  const parts: Uint8Array[] = [bytes.subarray(0, 2)];
  let inserted = false;
  for (const segment of segments) {
    const leading = segment.marker === 0xe0 || isExifSegment(bytes, segment);
    if (!inserted && !leading) {
      parts.push(...added);
      inserted = true;
    }
    if (update.xmp !== undefined && isXmpSegment(bytes, segment)) continue;
    parts.push(bytes.subarray(segment.start, segment.end));
  }
  if (!inserted) parts.push(...added);
  parts.push(bytes.subarray(parsed.value.scanStart));
  return { ok: true, value: concat(parts) };
}

function jpegSegment(marker: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  out[0] = 0xff;
  out[1] = marker;
  out[2] = (payload.length + 2) >>> 8;
  out[3] = (payload.length + 2) & 0xff;
  out.set(payload, 4);
  return out;
}

// ---- Exif (TIFF) UserComment --------------------------------------------------------------------------

const TAG_EXIF_IFD = 0x8769;
const TAG_USER_COMMENT = 0x9286;
const UNICODE_PREFIX = 'UNICODE\0';
const ASCII_PREFIX = 'ASCII\0\0\0';

interface TiffEntry {
  tag: number;
  type: number;
  count: number;
  value: Uint8Array;
}

const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;
const UNDEFINED = 7;
const short = (value: number): TiffEntry['value'] => Uint8Array.of(value >>> 8, value & 0xff);
const long = (value: number): TiffEntry['value'] => {
  const out = new Uint8Array(4);
  writeUint32(out, 0, value);
  return out;
};

/**
 * A big-endian TIFF with the tags Exif requires of a JPEG (resolution, version, colour space, pixel size)
 * and UserComment ("UNICODE\0" + UTF-16BE, or "ASCII\0\0\0"), as AUTOMATIC1111 writes its parameters.
 */
function exifWithUserComment(comment: string, size: { width: number; height: number }): Uint8Array {
  const ascii = /^[\x20-\x7e\n\r\t]*$/.test(comment);
  const userComment = concat([
    latin1Bytes(ascii ? ASCII_PREFIX : UNICODE_PREFIX),
    ascii ? latin1Bytes(comment) : utf16be(comment),
  ]);
  const dpi = concat([long(72), long(1)]);
  const exifEntries: TiffEntry[] = [
    { tag: 0x9000, type: UNDEFINED, count: 4, value: latin1Bytes('0232') },
    { tag: 0x9101, type: UNDEFINED, count: 4, value: Uint8Array.of(1, 2, 3, 0) },
    { tag: TAG_USER_COMMENT, type: UNDEFINED, count: userComment.length, value: userComment },
    { tag: 0xa000, type: UNDEFINED, count: 4, value: latin1Bytes('0100') },
    { tag: 0xa001, type: SHORT, count: 1, value: short(1) },
    { tag: 0xa002, type: LONG, count: 1, value: long(size.width) },
    { tag: 0xa003, type: LONG, count: 1, value: long(size.height) },
  ];
  const ifd0Entries = (exifOffset: number): TiffEntry[] => [
    { tag: 0x011a, type: RATIONAL, count: 1, value: dpi },
    { tag: 0x011b, type: RATIONAL, count: 1, value: dpi },
    { tag: 0x0128, type: SHORT, count: 1, value: short(2) },
    { tag: 0x0213, type: SHORT, count: 1, value: short(1) },
    { tag: TAG_EXIF_IFD, type: LONG, count: 1, value: long(exifOffset) },
  ];
  const ifdSize = (entries: readonly TiffEntry[]) =>
    2 +
    12 * entries.length +
    4 +
    entries.reduce(
      (sum, entry) => sum + (entry.value.length > 4 ? entry.value.length + (entry.value.length % 2) : 0),
      0,
    );
  const ifd0 = 8;
  const exifIfd = ifd0 + ifdSize(ifd0Entries(0));
  const out = new Uint8Array(exifIfd + ifdSize(exifEntries));
  out.set([0x4d, 0x4d, 0x00, 0x2a], 0);
  writeUint32(out, 4, ifd0);
  const writeIfd = (at: number, entries: readonly TiffEntry[]) => {
    out[at] = entries.length >>> 8;
    out[at + 1] = entries.length & 0xff;
    let data = at + 2 + 12 * entries.length + 4; // next-IFD offset stays 0
    entries.forEach((entry, index) => {
      const field = at + 2 + 12 * index;
      out[field] = entry.tag >>> 8;
      out[field + 1] = entry.tag & 0xff;
      out[field + 2] = 0;
      out[field + 3] = entry.type;
      writeUint32(out, field + 4, entry.count);
      if (entry.value.length <= 4) out.set(entry.value, field + 8);
      else {
        writeUint32(out, field + 8, data);
        out.set(entry.value, data);
        data += entry.value.length + (entry.value.length % 2);
      }
    });
  };
  writeIfd(ifd0, ifd0Entries(exifIfd));
  writeIfd(exifIfd, exifEntries);
  return out;
}

/** Width and height from the JPEG's start-of-frame segment. */
function jpegFrameSize(bytes: Uint8Array, segments: readonly JpegSegment[]): { width: number; height: number } {
  const frame = segments.find(
    (segment) => segment.marker >= 0xc0 && segment.marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(segment.marker),
  );
  if (!frame || frame.payloadStart + 5 > frame.end) return { width: 0, height: 0 };
  const at = frame.payloadStart;
  return { height: (bytes[at + 1] << 8) | bytes[at + 2], width: (bytes[at + 3] << 8) | bytes[at + 4] };
}

function utf16be(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[2 * i] = text.charCodeAt(i) >>> 8;
    out[2 * i + 1] = text.charCodeAt(i) & 0xff;
  }
  return out;
}

/** Reads UserComment from a TIFF structure, following only in-bounds offsets; undefined when absent or damaged. */
function readExifUserComment(tiff: Uint8Array): string | undefined {
  if (tiff.length < 8) return undefined;
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  if (!little && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return undefined;
  const u16 = (at: number) => (little ? tiff[at] | (tiff[at + 1] << 8) : (tiff[at] << 8) | tiff[at + 1]);
  const u32 = (at: number) =>
    little
      ? (tiff[at] | (tiff[at + 1] << 8) | (tiff[at + 2] << 16) | (tiff[at + 3] << 24)) >>> 0
      : readUint32(tiff, at);
  const findEntry = (ifd: number, tag: number): number | undefined => {
    if (ifd + 2 > tiff.length) return undefined;
    const count = u16(ifd);
    for (let i = 0; i < count; i++) {
      const at = ifd + 2 + 12 * i;
      if (at + 12 > tiff.length) return undefined;
      if (u16(at) === tag) return at;
    }
    return undefined;
  };
  const pointer = findEntry(u32(4), TAG_EXIF_IFD);
  if (pointer === undefined) return undefined;
  const comment = findEntry(u32(pointer + 8), TAG_USER_COMMENT);
  if (comment === undefined) return undefined;
  const count = u32(comment + 4);
  const start = count <= 4 ? comment + 8 : u32(comment + 8);
  if (count < 8 || start + count > tiff.length) return undefined;
  const prefix = latin1Decoder.decode(tiff.subarray(start, start + 8));
  const body = tiff.subarray(start + 8, start + count);
  if (prefix === UNICODE_PREFIX) {
    let text = '';
    for (let i = 0; i + 1 < body.length; i += 2)
      text += String.fromCharCode(little ? body[i] | (body[i + 1] << 8) : (body[i] << 8) | body[i + 1]);
    return text.replace(/\0+$/, '');
  }
  if (prefix === ASCII_PREFIX || prefix === '\0\0\0\0\0\0\0\0') return latin1Decoder.decode(body).replace(/\0+$/, '');
  return undefined;
}
