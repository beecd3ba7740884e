// Small helpers of the benchmark: statistics, a .zip central-directory reader, table formatting.
import fs from 'node:fs';

export function median(values) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function quantile(values, q) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export const round = (value, digits = 2) =>
  Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : value;

/** median, quartiles, min, max and the raw samples (rounded), for results.json. */
export function summary(values, digits = 2) {
  return {
    n: values.length,
    median: round(median(values), digits),
    p25: round(quantile(values, 0.25), digits),
    p75: round(quantile(values, 0.75), digits),
    min: round(Math.min(...values), digits),
    max: round(Math.max(...values), digits),
    samples: values.map((v) => round(v, digits)),
  };
}

/** Pairwise a_i / b_i and a_i - b_i of interleaved samples. */
export function pairwise(a, b) {
  const n = Math.min(a.length, b.length);
  const ratios = [];
  const differences = [];
  for (let i = 0; i < n; i++) {
    ratios.push(a[i] / b[i]);
    differences.push(a[i] - b[i]);
  }
  return { ratios, differences };
}

/**
 * The entries of a .zip file from its central directory: [{name, size, compressedSize}].
 * Enough for a .vsix (no ZIP64: a .vsix is far below 4 GB and 65535 entries).
 */
export function listZip(file) {
  const data = fs.readFileSync(file);
  const EOCD = 0x06054b50;
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 65535); i--) {
    if (data.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file}: not a zip file (no end of central directory)`);
  const count = data.readUInt16LE(eocd + 10);
  let offset = data.readUInt32LE(eocd + 16);
  const entries = [];
  for (let index = 0; index < count; index++) {
    if (data.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${index}`);
    const compressedSize = data.readUInt32LE(offset + 20);
    const size = data.readUInt32LE(offset + 24);
    const nameLength = data.readUInt16LE(offset + 28);
    const extraLength = data.readUInt16LE(offset + 30);
    const commentLength = data.readUInt16LE(offset + 32);
    const name = data.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({ name, size, compressedSize });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** A plain-text table with aligned columns. */
export function formatTable(header, rows) {
  const cells = [header, ...rows].map((row) => row.map((cell) => String(cell ?? '')));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  const line = (row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join(' | ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.slice(1).map(line)].join('\n');
}

/** The same table in Markdown. */
export function formatMarkdownTable(header, rows) {
  const escape = (cell) => String(cell ?? '').replace(/\|/g, '\\|');
  return [
    `| ${header.map(escape).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}
