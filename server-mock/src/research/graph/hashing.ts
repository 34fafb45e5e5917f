/** Seeded hashing for the derived user graph (../user-graph.ts). */
// Seeded hashing: every draw is a hash of (seed, salt, ids), never a sequence,
// so any item of a list is computed without the ones before it.

const TWO_32 = 4294967296;

function mix(h: number, value: number): number {
  let k = Math.imul(value | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let x = h ^ k;
  x = (x << 13) | (x >>> 19);
  return (Math.imul(x, 5) + 0xe6546b64) | 0;
}

function finish(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A 32-bit hash of the seed and whole numbers up to 2^53 (ids are split into
 * their high and low 32 bits): murmur3's mixing, integer arithmetic only.
 */
export function hash32(seed: number, ...parts: number[]): number {
  let h = seed | 0;
  for (const part of parts) {
    h = mix(h, part % TWO_32);
    h = mix(h, Math.floor(part / TWO_32));
  }
  return finish(h ^ (parts.length * 8));
}

/** A uniform float in [0, 1) from the hash. */
export function unit(seed: number, ...parts: number[]): number {
  return hash32(seed, ...parts) / TWO_32;
}

/** A standard normal from two hashes (Box–Muller). */
export function normal(seed: number, ...parts: number[]): number {
  const u1 = (hash32(seed, ...parts, 1) + 1) / (TWO_32 + 1);
  const u2 = unit(seed, ...parts, 2);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Salts: one per kind of draw, so no two kinds share a hash. */
export const SALT = {
  likedCount: 11,
  likedPick: 12,
  repostedCount: 21,
  repostedPick: 22,
  pinnedCount: 31,
  pinnedRank: 32,
  followEdge: 41,
  followTime: 42,
  playlistName: 51
} as const;
