/**
 * A small seeded PRNG (mulberry32): the same seed gives the same dataset on every machine, which
 * Math.random cannot promise. Not for anything secret.
 */
export interface Rng {
  /** uniform in [0, 1) */
  next(): number
  /** whole number in [min, max] */
  int(min: number, max: number): number
  /** true with probability p */
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  /** `n` hexadecimal characters */
  hex(n: number): string
}

export function makeRng(seed: number): Rng {
  let a = seed >>> 0
  const next = (): number => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: p => next() < p,
    pick: items => items[Math.floor(next() * items.length)]!,
    hex: (n) => {
      let s = ''
      while (s.length < n) s += Math.floor(next() * 4294967296).toString(16).padStart(8, '0')
      return s.slice(0, n)
    },
  }
}

/**
 * Draws indexes in proportion to `weights` by binary search over the running sums: log2(n)
 * steps per draw, so a million draws over ten thousand items stay cheap.
 */
export function weightedPicker(weights: readonly number[], rng: Rng): () => number {
  const sums = new Float64Array(weights.length)
  let total = 0
  weights.forEach((w, i) => { total += w; sums[i] = total })
  return () => {
    const x = rng.next() * total
    let lo = 0
    let hi = sums.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (sums[mid]! > x) hi = mid
      else lo = mid + 1
    }
    return lo
  }
}
