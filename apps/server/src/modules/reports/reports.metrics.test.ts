import { describe, expect, it } from 'vitest'
import { csvCell, toCsv } from './reports.csv.ts'
import { compareProportions, histogramMedian, wilson } from './reports.metrics.ts'

describe('report statistics', () => {
  it('computes Wilson 95 % intervals as by hand', () => {
    // 8 of 10: centre (0.8 + 1.96²/20) / (1 + 1.96²/10), margin 1.96·√(0.016 + 0.0096) / 1.38415
    const w = wilson(8, 10)
    expect(w.rate).toBe(0.8)
    expect(w.low).toBeCloseTo(0.4902, 4)
    expect(w.high).toBeCloseTo(0.9433, 4)
    const zero = wilson(0, 20)
    expect(zero.low).toBe(0)
    expect(zero.high).toBeCloseTo(0.1611, 4)
    expect(wilson(0, 0)).toEqual({ rate: null, low: null, high: null })
  })

  it('runs a pooled two-proportion z-test', () => {
    // 40/50 vs 30/50: pooled 0.7, se √(0.21 · 0.04) = 0.09165, z = 2.182, two-sided p = 0.0291
    const c = compareProportions({ k: 40, n: 50 }, { k: 30, n: 50 })
    expect(c.difference).toBeCloseTo(0.2, 10)
    expect(c.pValue).toBeCloseTo(0.0291, 3)
    expect(c.significant).toBe(true)
    expect(c.enoughData).toBe(true)
    const small = compareProportions({ k: 4, n: 5 }, { k: 3, n: 5 })
    expect(small.significant).toBe(false)
    expect(small.enoughData).toBe(false)
    expect(compareProportions({ k: 1, n: 2 }, { k: 0, n: 0 })).toMatchObject({ difference: null, pValue: null, significant: false })
  })

  it('estimates medians inside histogram buckets', () => {
    // buckets ≤300, ≤900, ≤1800 …: 2 in the first, 2 in the second → the middle (2 of 4) is the first bucket's top
    expect(histogramMedian([2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toBe(300)
    expect(histogramMedian([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toBe(600)
    expect(histogramMedian(new Array(12).fill(0))).toBeNull()
  })

  it('writes RFC 4180 CSV and neutralises formulas', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('-2')).toBe("'-2")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell(-0.25)).toBe('-0.25')
    expect(csvCell(null)).toBe('')
    expect(toCsv(['a', 'b'], [[1, 'x']])).toBe('a,b\r\n1,x\r\n')
  })
})
