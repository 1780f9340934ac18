import { describe, expect, it } from 'vitest'
import { collapseIps, mergeNets, netToCidrs, parseNet, widerThan } from '../../functions/domain/ip-collapse'

const cidr = (values: string[]) => collapseIps(values, 'cidr').entries
const range = (values: string[]) => collapseIps(values, 'range').entries

describe('IPv4 collapsing (hand-computed)', () => {
  it('merges adjacent addresses into the aligned block only', () => {
    expect(cidr(['10.0.0.1', '10.0.0.0'])).toEqual(['10.0.0.0/31'])
    // 10.0.0.1 and 10.0.0.2 are adjacent but no /31 holds both.
    expect(cidr(['10.0.0.2', '10.0.0.1'])).toEqual(['10.0.0.1', '10.0.0.2'])
    expect(range(['10.0.0.2', '10.0.0.1'])).toEqual(['10.0.0.1-10.0.0.2'])
  })

  it('merges sibling networks and swallows what a wider network covers', () => {
    expect(cidr(['192.168.1.0/24', '192.168.0.0/24'])).toEqual(['192.168.0.0/23'])
    expect(cidr(['10.1.2.3', '10.0.0.0/8', '10.200.0.0/16'])).toEqual(['10.0.0.0/8'])
    expect(cidr(['10.0.0.0/25', '10.0.0.64/26'])).toEqual(['10.0.0.0/25'])
    // Overlapping, not nested: .0-.127 and .128-.191 and .192.
    expect(cidr(['10.0.0.0/25', '10.0.0.128/26', '10.0.0.192'])).toEqual(['10.0.0.0/25', '10.0.0.128/26', '10.0.0.192'])
    expect(range(['10.0.0.0/25', '10.0.0.128/26', '10.0.0.192'])).toEqual(['10.0.0.0-10.0.0.192'])
  })

  it('splits an unaligned run into the fewest blocks', () => {
    const run = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']
    expect(cidr(run)).toEqual(['10.0.0.1', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6'])
    expect(range(run)).toEqual(['10.0.0.1-10.0.0.6'])
    // A run that is exactly one block is written as the block, also in range mode.
    expect(range(['10.0.0.4', '10.0.0.5', '10.0.0.6', '10.0.0.7'])).toEqual(['10.0.0.4/30'])
  })

  it('handles the edges of the address space', () => {
    expect(cidr(['255.255.255.255', '255.255.255.254'])).toEqual(['255.255.255.254/31'])
    expect(cidr(['0.0.0.1', '0.0.0.0'])).toEqual(['0.0.0.0/31'])
    expect(cidr(['0.0.0.0/0', '8.8.8.8'])).toEqual(['0.0.0.0/0'])
    expect(cidr(['0.0.0.0/1', '128.0.0.0/1'])).toEqual(['0.0.0.0/0'])
    expect(range(['0.0.0.0/1', '128.0.0.0/1'])).toEqual(['0.0.0.0/0'])
    expect(cidr(['127.255.255.255', '128.0.0.0'])).toEqual(['127.255.255.255', '128.0.0.0'])
    expect(range(['127.255.255.255', '128.0.0.0'])).toEqual(['127.255.255.255-128.0.0.0'])
  })

  it('ignores host bits below the prefix and leaves non-addresses out', () => {
    expect(cidr(['10.0.0.5/30'])).toEqual(['10.0.0.4/30'])
    const r = collapseIps(['10.0.0.1', 'evil.example', '300.1.1.1', '10.0.0.0/33'], 'cidr')
    expect(r.entries).toEqual(['10.0.0.1'])
    expect(r.invalid).toEqual(['evil.example', '300.1.1.1', '10.0.0.0/33'])
  })
})

describe('IPv6 collapsing (hand-computed)', () => {
  it('merges sibling networks and adjacent addresses', () => {
    expect(cidr(['2001:db8:0:1::/64', '2001:db8::/64'])).toEqual(['2001:db8::/63'])
    expect(cidr(['2001:db8::1', '2001:db8::'])).toEqual(['2001:db8::/127'])
    expect(cidr(['2001:db8::1', '2001:db8::2'])).toEqual(['2001:db8::1', '2001:db8::2'])
    expect(range(['2001:db8::1', '2001:db8::2'])).toEqual(['2001:db8::1-2001:db8::2'])
    expect(cidr(['2001:db8::/32', '2001:db8:ffff::1'])).toEqual(['2001:db8::/32'])
  })

  it('handles the top and bottom of the 128-bit space', () => {
    expect(cidr(['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe'])).toEqual(['ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127'])
    expect(cidr(['::/1', '8000::/1'])).toEqual(['::/0'])
    expect(cidr(['::', '::1'])).toEqual(['::/127'])
    const top = parseNet('ffff::/16')!
    expect(top.end).toBe((1n << 128n) - 1n)
  })

  it('writes RFC 5952 text', () => {
    expect(cidr(['2001:0DB8:0000:0000:0000:0000:0000:0001'])).toEqual(['2001:db8::1'])
  })
})

describe('mixed families and prefixes', () => {
  it('never merges IPv4 with IPv6; IPv4 comes first', () => {
    expect(cidr(['2001:db8::2/127', '10.0.0.2/31', '2001:db8::/127', '10.0.0.0/31'])).toEqual(['10.0.0.0/30', '2001:db8::/126'])
    expect(cidr(['::/0', '0.0.0.0/0'])).toEqual(['0.0.0.0/0', '::/0'])
    expect(cidr(['::ffff:10.0.0.1', '10.0.0.0'])).toEqual(['10.0.0.0', '::ffff:a00:1'])
  })

  it('mergeNets keeps disjoint ranges apart and merges touching ones', () => {
    const n = (s: string) => {
      const p = parseNet(s)!
      return { version: p.version, start: p.start, end: p.end }
    }
    expect(mergeNets([n('10.0.0.0/30'), n('10.0.0.5')]).length).toBe(2)
    expect(mergeNets([n('10.0.0.0/30'), n('10.0.0.4')]).length).toBe(1)
    expect(netToCidrs(mergeNets([n('10.0.0.0/30'), n('10.0.0.4')])[0])).toEqual(['10.0.0.0/30', '10.0.0.4'])
  })
})

describe('width guard', () => {
  it('flags networks wider than the allowed prefix of their family', () => {
    expect(widerThan('10.0.0.0/15', 16, 48)).toBe(true)
    expect(widerThan('10.0.0.0/16', 16, 48)).toBe(false)
    expect(widerThan('10.0.0.1', 16, 48)).toBe(false)
    expect(widerThan('2001:db8::/47', 16, 48)).toBe(true)
    expect(widerThan('2001:db8::/48', 16, 48)).toBe(false)
    expect(widerThan('evil.example', 16, 48)).toBe(false)
  })
})

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = seed
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Brute force in a 256-address space (the last byte): the set of covered addresses, the expected
 * minimal CIDR list (every block wholly inside the set whose parent block is not), and the runs.
 */
function bruteForce(entries: { offset: number; prefixLen: number }[]) {
  const covered = new Set<number>()
  for (const e of entries) {
    const size = 1 << (8 - e.prefixLen)
    const start = e.offset & ~(size - 1)
    for (let i = start; i < start + size; i++) covered.add(i)
  }
  const full = (start: number, size: number) => {
    for (let i = start; i < start + size; i++) if (!covered.has(i)) return false
    return true
  }
  const blocks: { start: number; len: number }[] = []
  for (let len = 0; len <= 8; len++) {
    const size = 1 << (8 - len)
    for (let start = 0; start < 256; start += size) {
      if (!full(start, size)) continue
      const parentSize = size * 2
      const parentStart = start & ~(parentSize - 1)
      if (len === 0 || !full(parentStart, parentSize)) blocks.push({ start, len })
    }
  }
  blocks.sort((a, b) => a.start - b.start)
  const runs: [number, number][] = []
  for (let i = 0; i < 256; i++) {
    if (!covered.has(i)) continue
    const last = runs[runs.length - 1]
    if (last && last[1] === i - 1) last[1] = i
    else runs.push([i, i])
  }
  return { covered, blocks, runs }
}

describe('property: collapsing equals the brute-force set', () => {
  const families = [
    { name: 'IPv4', base: '198.51.100.', bits: 32, text: (o: number, l?: number) => `198.51.100.${o}${l === undefined ? '' : `/${l}`}` },
    { name: 'IPv6', base: '2001:db8::', bits: 128, text: (o: number, l?: number) => `2001:db8::${o ? o.toString(16) : ''}${l === undefined ? '' : `/${l}`}` },
  ]
  for (const fam of families) {
    it(`${fam.name}: 500 random inputs give exactly the minimal blocks and the maximal runs`, () => {
      const rand = rng(fam.bits)
      for (let round = 0; round < 500; round++) {
        const count = 1 + Math.floor(rand() * 12)
        const entries = Array.from({ length: count }, () => {
          // Mostly long prefixes (addresses and small blocks), sometimes a wide one.
          const prefixLen = rand() < 0.7 ? 8 : Math.floor(rand() * 9)
          return { offset: Math.floor(rand() * 256), prefixLen }
        })
        const values = entries.map((e) => fam.text(e.offset, e.prefixLen === 8 && rand() < 0.5 ? undefined : fam.bits - 8 + e.prefixLen))
        const want = bruteForce(entries)
        const wantCidrs = want.blocks.map((b) => fam.text(b.start, b.len === 8 ? undefined : fam.bits - 8 + b.len))
        expect(cidr(values), values.join(' ')).toEqual(wantCidrs)
        const got = range(values)
        expect(got.length, values.join(' ')).toBe(want.runs.length)
        got.forEach((entry, i) => {
          const [lo, hi] = want.runs[i]
          if (lo === hi) expect(entry).toBe(fam.text(lo))
          else if (!entry.includes('-')) {
            // Written as one block: it must cover exactly the run.
            const n = parseNet(entry)!
            const baseN = parseNet(fam.text(0))!.start
            expect([Number(n.start - baseN), Number(n.end - baseN)]).toEqual([lo, hi])
          } else expect(entry).toBe(`${fam.text(lo)}-${fam.text(hi)}`)
        })
      }
    })
  }
})
