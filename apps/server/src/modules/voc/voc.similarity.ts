/**
 * Keyword overlap between short customer texts: TF-IDF vectors over words (stop words removed, plurals
 * folded), cosine similarity, and a deterministic grouping of documents into clusters. Pure functions,
 * no I/O: the same input always gives the same clusters in the same order.
 */

const STOP_WORDS = new Set(
  (
    'a about above after again against all also am an and any are aren as at be because been before being below between both but by ' +
    'can cannot could did didn do does doesn doing don down during each even ever every few for from further get gets getting got had ' +
    'has hasn have haven having he her here hers herself him himself his how however i if in into is isn it its itself just let like ' +
    'me more most much must my myself need needs no nor not now of off on once one only or other ought our ours ourselves out over own ' +
    'please same she should so some still such than thank thanks that the their theirs them themselves then there these they this those ' +
    'through to too under until up us very was wasn way we were weren what when where which while who whom why will with won would ' +
    'yet you your yours yourself yourselves hello hi dear regards best cheers team support help hey today yesterday tomorrow again ' +
    'since know want wanted trying tried try able really already back around anything something nothing thing things time times ' +
    'day days week weeks month months year years ago sent send see seems seem look looks looking going make made use used using ' +
    'ticket tickets issue issues problem problems question questions happened happen happens work working works worked think thought sure maybe'
  ).split(/\s+/),
)

/** Words worth comparing: lowercase letters and digits, at least three characters, no stop words; plurals folded. */
export function tokenize(text: string): string[] {
  const out: string[] = []
  for (const raw of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (raw.length < 3 || STOP_WORDS.has(raw) || /^\d+$/.test(raw)) continue
    out.push(stem(raw))
  }
  return out
}

/** Folds regular plurals only ("cards" → "card", "refunds" → "refund"), so suggested titles stay readable. */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`
  if (word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1)
  return word
}

export type Vector = Map<string, number>
export interface Doc {
  id: number
  text: string
}

/** Inverse document frequencies: log(1 + N / df), so a word in every document still counts a little. */
export function inverseFrequencies(docs: string[][]): Map<string, number> {
  const df = new Map<string, number>()
  for (const terms of docs) for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1)
  const idf = new Map<string, number>()
  for (const [t, n] of df) idf.set(t, Math.log(1 + docs.length / n))
  return idf
}

/**
 * A unit-length TF-IDF vector. Words unknown to `idf` weigh `unknownIdf` (as rare as can be) when given,
 * so a text compared against a corpus it is not part of (an item's words) keeps its own emphasis;
 * otherwise they are left out.
 */
export function vectorize(terms: string[], idf: Map<string, number>, unknownIdf?: number): Vector {
  const tf = new Map<string, number>()
  for (const t of terms) if (idf.has(t) || unknownIdf !== undefined) tf.set(t, (tf.get(t) ?? 0) + 1)
  const v: Vector = new Map()
  let norm = 0
  for (const [t, n] of tf) {
    const w = (1 + Math.log(n)) * (idf.get(t) ?? unknownIdf!)
    v.set(t, w)
    norm += w * w
  }
  norm = Math.sqrt(norm)
  if (norm > 0) for (const [t, w] of v) v.set(t, w / norm)
  return v
}

export function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let dot = 0
  for (const [t, w] of small) {
    const o = large.get(t)
    if (o !== undefined) dot += w * o
  }
  return dot
}

export interface Cluster {
  /** Document ids, ascending. */
  ids: number[]
  /** The words that weigh most across the cluster, heaviest first. */
  terms: string[]
  /** Mean similarity of the members to the cluster's seed. */
  score: number
}

export interface ClusterOptions {
  threshold: number
  minSize: number
  maxTerms?: number
}

export interface Corpus {
  idf: Map<string, number>
  vectors: Map<number, Vector>
}

export function buildCorpus(docs: Doc[]): Corpus {
  const terms = docs.map((d) => tokenize(d.text))
  const idf = inverseFrequencies(terms)
  return { idf, vectors: new Map(docs.map((d, i) => [d.id, vectorize(terms[i]!, idf)])) }
}

/**
 * For each document, the others at or above the threshold, found through an inverted index of shared
 * words. Words in more than half of the documents do not make candidates on their own (they weigh little
 * and would make every pair a candidate).
 */
export function neighbours(corpus: Corpus, threshold: number): Map<number, Map<number, number>> {
  const postings = new Map<string, number[]>()
  for (const [id, v] of corpus.vectors) for (const t of v.keys()) (postings.get(t) ?? postings.set(t, []).get(t)!).push(id)
  const common = Math.max(4, corpus.vectors.size / 2)
  const result = new Map<number, Map<number, number>>()
  for (const [id, v] of corpus.vectors) {
    const near = new Map<number, number>()
    const candidates = new Set<number>()
    for (const t of v.keys()) {
      const list = postings.get(t)!
      if (list.length > common) continue
      for (const other of list) if (other !== id) candidates.add(other)
    }
    for (const other of candidates) {
      const sim = cosine(v, corpus.vectors.get(other)!)
      if (sim >= threshold) near.set(other, sim)
    }
    result.set(id, near)
  }
  return result
}

/** The heaviest words of a set of vectors (summed weights; ties broken alphabetically). */
export function topTerms(vectors: Vector[], max: number): string[] {
  const sum = new Map<string, number>()
  for (const v of vectors) for (const [t, w] of v) sum.set(t, (sum.get(t) ?? 0) + w)
  return [...sum.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, max)
    .map(([t]) => t)
}

/**
 * Greedy, deterministic grouping: the document with the most similar neighbours (ties: lowest id) seeds
 * a cluster with all its still-unclustered neighbours; clusters smaller than `minSize` are dropped and
 * their documents stay available to later seeds. Clusters come out largest first.
 */
export function clusterDocuments(docs: Doc[], opts: ClusterOptions): Cluster[] {
  const corpus = buildCorpus(docs)
  const near = neighbours(corpus, opts.threshold)
  const order = [...near.entries()].sort((a, b) => b[1].size - a[1].size || a[0] - b[0]).map(([id]) => id)
  const taken = new Set<number>()
  const clusters: Cluster[] = []
  for (const seed of order) {
    if (taken.has(seed)) continue
    const members = [...near.get(seed)!.entries()].filter(([id]) => !taken.has(id))
    if (members.length + 1 < opts.minSize) continue
    const ids = [seed, ...members.map(([id]) => id)].sort((a, b) => a - b)
    for (const id of ids) taken.add(id)
    const score = (1 + members.reduce((s, [, sim]) => s + sim, 0)) / ids.length
    clusters.push({
      ids,
      terms: topTerms(
        ids.map((id) => corpus.vectors.get(id)!),
        opts.maxTerms ?? 5,
      ),
      score: Math.round(score * 1000) / 1000,
    })
  }
  return clusters.sort((a, b) => b.ids.length - a.ids.length || a.ids[0]! - b.ids[0]!)
}

/** A readable title from a cluster's top words: "Card declined abroad". */
export function titleFromTerms(terms: string[]): string {
  const words = terms.slice(0, 3)
  if (!words.length) return 'Untitled'
  const text = words.join(' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}
