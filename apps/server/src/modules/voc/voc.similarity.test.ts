import { describe, expect, it } from 'vitest'
import { clusterDocuments, cosine, inverseFrequencies, titleFromTerms, tokenize, vectorize } from './voc.similarity.ts'
import { CLUSTER_THRESHOLD, MIN_CLUSTER, proposeSuggestions } from './voc.suggestions.service.ts'

const DOCS = [
  { id: 1, text: 'Refund not showing up. I asked the merchant for a refund last week and it is still not in my account' },
  { id: 2, text: 'Where is my refund? The merchant says the refund was sent to my account' },
  { id: 3, text: 'Refund missing from account, merchant confirmed the refund days ago' },
  { id: 4, text: 'My refund from the merchant has not arrived in my account' },
  { id: 5, text: 'Contactless payments declined at the terminal, contactless does not work' },
  { id: 6, text: 'Contactless not working at the terminal in the supermarket' },
  { id: 7, text: 'Tapping my card for contactless payment fails at every terminal' },
  { id: 8, text: 'How do I change my PIN?' },
  { id: 9, text: 'Exchange rate on my card payment abroad looks wrong' },
  { id: 10, text: 'Please close my account' },
]

describe('TF-IDF and cosine clustering', () => {
  it('tokenizes without stop words, short words or numbers, folding plurals', () => {
    expect(tokenize('Hello, my 2 cards were declined at the shops!! PIN 1234')).toEqual(['card', 'declined', 'shop', 'pin'])
  })

  it('weighs rare words more and makes unit vectors; identical texts have cosine 1, unrelated 0', () => {
    const docs = [tokenize('refund merchant'), tokenize('refund card'), tokenize('card pin')]
    const idf = inverseFrequencies(docs)
    expect(idf.get('merchant')!).toBeGreaterThan(idf.get('refund')!)
    const a = vectorize(docs[0]!, idf)
    expect(cosine(a, a)).toBeCloseTo(1, 10)
    expect(cosine(a, vectorize(docs[2]!, idf))).toBe(0)
  })

  it('groups the crafted set into the same clusters every time, largest first, singles left out', () => {
    const clusters = clusterDocuments(DOCS, { threshold: CLUSTER_THRESHOLD, minSize: MIN_CLUSTER })
    expect(clusters.map((c) => c.ids)).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7],
    ])
    expect(clusters[0]!.terms.slice(0, 2).sort()).toEqual(['merchant', 'refund'])
    expect(clusters[1]!.terms[0]).toBe('contactless')
    // Same input in another order: same output.
    expect(clusterDocuments([...DOCS].reverse(), { threshold: CLUSTER_THRESHOLD, minSize: MIN_CLUSTER })).toEqual(clusters)
    expect(clusters[0]!.score).toBeGreaterThan(CLUSTER_THRESHOLD)
  })

  it('drops clusters below the minimum size and everything below the threshold', () => {
    expect(clusterDocuments(DOCS, { threshold: 0.99, minSize: 3 })).toEqual([])
    expect(clusterDocuments(DOCS.slice(4, 6), { threshold: CLUSTER_THRESHOLD, minSize: MIN_CLUSTER })).toEqual([])
  })

  it('titles a cluster from its top words', () => {
    expect(titleFromTerms(['contactless', 'terminal', 'payment', 'work'])).toBe('Contactless terminal payment')
    expect(titleFromTerms([])).toBe('Untitled')
  })

  it('proposes links to an existing item before clustering the rest into new items', () => {
    const proposals = proposeSuggestions(DOCS, [{ id: 42, text: 'Contactless payments fail at the terminal' }])
    expect(proposals.map((p) => ({ kind: p.kind, itemId: p.itemId, ticketIds: p.ticketIds }))).toEqual([
      { kind: 'link_item', itemId: 42, ticketIds: [5, 6, 7] },
      { kind: 'new_item', itemId: null, ticketIds: [1, 2, 3, 4] },
    ])
    expect(proposals[1]!.title.toLowerCase()).toContain('refund')
  })
})
