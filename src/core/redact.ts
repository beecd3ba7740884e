// Removing a secret from text an API or a proxy could echo back, in the forms it could echo it in.

/** Shorter secrets are not redacted (too many false hits); real API keys are far longer. */
const MIN_SECRET_LENGTH = 4;
/** An encoded fragment shorter than this could match ordinary text. */
const MIN_ENCODED_LENGTH = 8;

const REDACTED = '[redacted]';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The base64 text that only the secret's bytes decide, for each of the three positions the secret can start at
 * within an encoded message (e.g. `user:KEY` in a Basic authorization header): base64 encodes 3 bytes as 4
 * characters, so the same secret encodes differently at offsets 0, 1 and 2.
 */
function base64Forms(secret: Uint8Array): string[] {
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + secret.length);
    padded.set(secret, offset);
    const encoded = toBase64(padded).replace(/=+$/, '');
    // Character i holds bits [6i, 6i + 6) of the stream; keep those entirely inside the secret's bits.
    const first = Math.ceil((offset * 8) / 6);
    const last = Math.floor(((offset + secret.length) * 8) / 6); // exclusive
    const pure = encoded.slice(first, last);
    if (pure.length >= MIN_ENCODED_LENGTH) forms.push(pure);
  }
  return forms;
}

/**
 * A function that replaces `secret` in text by `[redacted]`: as is, percent-encoded, JSON-escaped, in hex, and
 * base64-encoded (standard and URL-safe, at any alignment). Secrets shorter than 4 characters are left alone.
 */
export function secretRedactor(secret: string): (text: string) => string {
  if (secret.length < MIN_SECRET_LENGTH) return (text) => text;
  const bytes = new TextEncoder().encode(secret);
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  const forms = new Set<string>([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  if (hex.length >= MIN_ENCODED_LENGTH) {
    forms.add(hex);
    forms.add(hex.toUpperCase());
  }
  for (const form of base64Forms(bytes)) {
    forms.add(form);
    forms.add(form.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  // Longest first, so a form that contains another is replaced whole.
  const ordered = [...forms].filter((form) => form.length > 0).sort((a, b) => b.length - a.length);
  return (text) => {
    let result = text;
    for (const form of ordered) if (result.includes(form)) result = result.split(form).join(REDACTED);
    return result;
  };
}
