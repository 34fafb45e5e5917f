import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync
} from 'node:fs';
import { endianness } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as zlib from 'node:zlib';
import type { PublicData } from '../../data/schema';
import {
  fnv1a,
  foldText,
  normalName,
  shingleHashes,
  wordBagKeys,
  words
} from '../text';
import type { IndexParts } from './build';
import { UINT32_SET_BUCKETS, Uint32Set } from './uint32-set';

/**
 * The review's index on disk: one file next to the data set
 * (`review-index-s<SEED>-v<VIDEOS>.bin`), written once (to a temporary name,
 * then renamed: a reader never sees half a file, and two platforms starting
 * at once each write a whole one) and read at every later start. It is used
 * only when its key matches (the file format, the data set's `dataset_info`
 * — seed, size, generator version, counts — and a fingerprint of how
 * text.ts cuts and hashes text) and its checksum holds; anything else
 * (stale, cut short, corrupt, another machine's byte order) is rebuilt,
 * never trusted.
 *
 * Layout: 8 bytes magic, a 32-bit length, a JSON header (key, sections,
 * checksum), then the sections at 8-byte-aligned offsets: the sorted ids
 * (Float64), the shingle set's bucket starts (Uint32) and low halves
 * (Uint16), the sorted word-bag keys (Float64), and the usernames and
 * display names (UTF-8 JSON). CRC-32 covers every byte after the header.
 */

/** CRC-32 (zlib's; node before 20.15 has no `zlib.crc32`: a table-driven one then, same values). */
const crc32: (data: Buffer | string, value?: number) => number =
  (zlib as { crc32?: typeof crc32 }).crc32 ?? tableCrc32;

let crcTable: Int32Array | null = null;
function tableCrc32(data: Buffer | string, value = 0): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) {
        c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      crcTable[n] = c;
    }
  }
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  let crc = ~value;
  for (let i = 0; i < bytes.length; i++) {
    crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  }
  return ~crc >>> 0;
}

/** Bump when the build or the layout changes (text.ts changes are caught by `cutFingerprint`). */
export const INDEX_FORMAT = 1;
const MAGIC = Buffer.from('VCERIX\r\n', 'latin1');

export interface IndexKey {
  format: number;
  endianness: string;
  cut: number;
  dataset: Record<string, string>;
}

/** The index file of a data set, or null when it has no file (an in-memory fixture). */
export function indexFilePath(data: PublicData): string | null {
  if (data.db.memory || !data.db.name) {
    return null;
  }
  const name = basename(data.db.name)
    .replace(/^public-data-/, 'review-index-')
    .replace(/\.sqlite$/, '');
  return join(
    dirname(data.db.name),
    name.startsWith('review-index-')
      ? `${name}.bin`
      : `review-index-${name}.bin`
  );
}

const PROBES = [
  'Hello World, the quick brown fox jumps over the lazy dog again and again',
  'Ｆｕｌｌ ｗｉｄｔｈ café naïve Ｃаfé\u200b joined ß œ ﬁ ½ 𝐁𝐨𝐥𝐝',
  '#tag @user_1.x 7100000000000789 — emoji 🎉 mixed 中文 テキスト',
  '  Display   Name  '
];

/** How text.ts cuts and hashes text, as one number: an index made by other rules of cutting is stale. */
export function cutFingerprint(): number {
  const seen = PROBES.map(text => {
    const list = words(text);
    return [
      foldText(text),
      normalName(text),
      list.map(fnv1a),
      shingleHashes(list),
      wordBagKeys(list, 4, 20)
    ];
  });
  return crc32(JSON.stringify(seen));
}

export function indexKey(data: PublicData): IndexKey {
  const rows = data.db
    .prepare('SELECT key, value FROM dataset_info ORDER BY key')
    .all() as { key: string; value: string }[];
  return {
    format: INDEX_FORMAT,
    endianness: endianness(),
    cut: cutFingerprint(),
    dataset: Object.fromEntries(rows.map(row => [row.key, row.value]))
  };
}

interface Section {
  offset: number;
  bytes: number;
}

interface Header {
  key: IndexKey;
  sections: Record<SectionName, Section>;
  payloadStart: number;
  fileBytes: number;
  crc32: number;
  shinglesRead: number;
}

type SectionName =
  'ids' | 'shingleStarts' | 'shingleLows' | 'wordBags' | 'names';

const align8 = (value: number) => Math.ceil(value / 8) * 8;

function bytesOf(array: ArrayBufferView): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** Writes the index file atomically (a temporary file renamed over it). */
export function writeIndexFile(
  path: string,
  key: IndexKey,
  parts: IndexParts
): void {
  const payloads: [SectionName, Buffer][] = [
    ['ids', bytesOf(parts.ids)],
    ['shingleStarts', bytesOf(parts.shingles.starts)],
    ['shingleLows', bytesOf(parts.shingles.lows)],
    ['wordBags', bytesOf(parts.wordBags)],
    [
      'names',
      Buffer.from(
        JSON.stringify({
          usernames: parts.usernames,
          displayNames: parts.displayNames
        })
      )
    ]
  ];
  // The header's length depends on the offsets it lists: room for it is reserved, padded.
  const reserve = 4096;
  const payloadStart = align8(MAGIC.length + 4 + reserve);
  const sections = {} as Record<SectionName, Section>;
  let offset = payloadStart;
  for (const [name, payload] of payloads) {
    sections[name] = { offset, bytes: payload.length };
    offset = align8(offset + payload.length);
  }
  const fileBytes = offset;
  let crc = 0;
  for (const [name, payload] of payloads) {
    crc = crc32(payload, crc);
    const padding = align8(sections[name].bytes) - sections[name].bytes;
    if (padding) {
      crc = crc32(Buffer.alloc(padding), crc);
    }
  }
  const header: Header = {
    key,
    sections,
    payloadStart,
    fileBytes,
    crc32: crc,
    shinglesRead: parts.shinglesRead
  };
  const json = Buffer.from(JSON.stringify(header));
  if (json.length > reserve) {
    throw new Error('review index: header too long');
  }
  const head = Buffer.alloc(payloadStart);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(json.length, MAGIC.length);
  json.copy(head, MAGIC.length + 4);
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    const write = (buffer: Buffer, at: number) => {
      for (let done = 0; done < buffer.length;) {
        done += writeSync(fd, buffer, done, buffer.length - done, at + done);
      }
    };
    write(head, 0);
    for (const [name, payload] of payloads) {
      write(payload, sections[name].offset);
    }
    ftruncateSync(fd, fileBytes); // the last section's padding, so the size is whole
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, path);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** A typed array over a section, or null when the section does not fit its type. */
function view<T>(
  file: Buffer,
  section: Section,
  size: number,
  make: (buffer: ArrayBuffer, offset: number, length: number) => T
): T | null {
  const start = file.byteOffset + section.offset;
  if (
    section.bytes % size !== 0 ||
    start % size !== 0 ||
    section.offset + section.bytes > file.length
  ) {
    return null;
  }
  return make(file.buffer as ArrayBuffer, start, section.bytes / size);
}

/**
 * The parts of the index file at `path` when it holds the index of `key`,
 * else why not (missing, stale, corrupt). Never throws.
 */
export function readIndexFile(
  path: string,
  key: IndexKey
): { parts: IndexParts } | { problem: string } {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch (error) {
    return {
      problem:
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'no index file yet'
          : `the index file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`
    };
  }
  if (file.byteOffset % 8 !== 0) {
    file = Buffer.from(file); // a pooled buffer: copied to an aligned one
  }
  try {
    if (
      file.length < MAGIC.length + 4 ||
      !file.subarray(0, MAGIC.length).equals(MAGIC)
    ) {
      return { problem: 'the index file is not an index file' };
    }
    const length = file.readUInt32LE(MAGIC.length);
    const header = JSON.parse(
      file.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + length)
    ) as Header;
    if (JSON.stringify(header.key) !== JSON.stringify(key)) {
      return { problem: 'the index file is of another data set or version' };
    }
    if (header.fileBytes !== file.length) {
      return { problem: 'the index file is cut short or too long' };
    }
    if (
      !Number.isInteger(header.payloadStart) ||
      header.payloadStart < MAGIC.length + 4 + length ||
      crc32(file.subarray(header.payloadStart)) !== header.crc32
    ) {
      return { problem: 'the index file is corrupt (checksum)' };
    }
    const { sections } = header;
    const ids = view(
      file,
      sections.ids,
      8,
      (buffer, offset, count) => new Float64Array(buffer, offset, count)
    );
    const starts = view(
      file,
      sections.shingleStarts,
      4,
      (buffer, offset, count) => new Uint32Array(buffer, offset, count)
    );
    const lows = view(
      file,
      sections.shingleLows,
      2,
      (buffer, offset, count) => new Uint16Array(buffer, offset, count)
    );
    const wordBags = view(
      file,
      sections.wordBags,
      8,
      (buffer, offset, count) => new Float64Array(buffer, offset, count)
    );
    if (
      !ids ||
      !starts ||
      !lows ||
      !wordBags ||
      starts.length !== UINT32_SET_BUCKETS + 1
    ) {
      return { problem: 'the index file is corrupt (sections)' };
    }
    const names = JSON.parse(
      file.toString(
        'utf8',
        sections.names.offset,
        sections.names.offset + sections.names.bytes
      )
    ) as { usernames: string[]; displayNames: string[] };
    return {
      parts: {
        ids,
        shingles: new Uint32Set(starts, lows),
        wordBags,
        usernames: names.usernames,
        displayNames: names.displayNames,
        shinglesRead: header.shinglesRead
      }
    };
  } catch {
    return { problem: 'the index file is corrupt' };
  }
}

/** For the tests: the CRC-32 used when zlib has none. */
export const crc32ForTests = tableCrc32;
