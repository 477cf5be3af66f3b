import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { list, Pack, type ReadEntry } from 'tar'
import { type BackupManifest, classifyEntry, DATABASE_ENTRY, MANIFEST_ENTRY, parseManifest } from './backup.manifest.ts'

const FANOUT = /^[a-f0-9]{2}$/
/** Blobs queued in the tar stream ahead of what it has written: bounds memory however many files DATA_DIR holds. */
const MAX_QUEUED = 256
const MAX_MANIFEST_BYTES = 1024 * 1024
/**
 * Bytes of the archive read at a time. Everything one read decompresses to is parsed at once, into entries that wait
 * for their files to be written: tar's default of 16 MB held most of a 140 MB archive in memory (660 MB RSS), this
 * keeps a restore under 200 MB whatever the archive's size.
 */
const READ_CHUNK = 256 * 1024

/** A reason an archive is refused; the caller says which archive. */
export class ArchiveError extends Error {}

/** tar remembers every stat it made; with a million blobs that is a lot of memory for nothing. */
class NoCache<K, V> extends Map<K, V> {
  override set(): this {
    return this
  }
}

/** Every finished blob file under blobsDir (BlobStore's layout and its earlier two-level one), as paths relative to it. */
async function* blobFiles(blobsDir: string, rel = '', depth = 0): AsyncGenerator<{ rel: string; hash: string }> {
  // Half-written blobs are `<hash>.<pid>.<time>.tmp` until renamed: the name pattern leaves them out.
  for await (const entry of await fs.promises.opendir(path.join(blobsDir, rel))) {
    const child = rel ? `${rel}/${entry.name}` : entry.name
    if (entry.isDirectory() && FANOUT.test(entry.name) && depth < 2) yield* blobFiles(blobsDir, child, depth + 1)
    else if (entry.isFile() && classifyEntry(`blobs/${child}`)?.kind === 'blob') yield { rel: child, hash: entry.name }
  }
}

/**
 * Writes `target` (gzipped tar): `staging/allhands.db` when includeDatabase, every blob of blobsDir, then the manifest
 * that `describe` builds from what was archived. Written under a temporary name and renamed when complete.
 */
export async function writeArchive(opts: {
  target: string
  staging: string
  blobsDir: string
  includeDatabase: boolean
  describe: (blobs: BackupManifest['blobs']) => BackupManifest
}): Promise<BackupManifest> {
  const { staging, target } = opts
  // tar packs paths under one directory: the blobs are reached through a link from the staging directory.
  if (fs.existsSync(opts.blobsDir)) await fs.promises.symlink(path.resolve(opts.blobsDir), path.join(staging, 'blobs'), 'dir')
  let queued = 0
  let written = 0
  let wake: (() => void) | null = null
  let failure: unknown = null
  const pack = new Pack({
    cwd: staging,
    gzip: true,
    portable: true,
    strict: true,
    statCache: new NoCache(),
    onWriteEntry: (entry) =>
      entry.on('end', () => {
        written++
        wake?.()
      }),
  })
  const partial = `${target}.${process.pid}.partial`
  const done = pipeline(pack, fs.createWriteStream(partial, { flags: 'wx' })).catch((err) => {
    failure = err
    wake?.()
  })
  try {
    const add = async (entry: string) => {
      pack.add(entry)
      queued++
      while (queued - written > MAX_QUEUED && !failure) await new Promise<void>((resolve) => (wake = resolve))
      if (failure) throw failure
    }
    if (opts.includeDatabase) await add(DATABASE_ENTRY)
    const blobs = { count: 0, bytes: 0 }
    const digest = createHash('sha256')
    if (fs.existsSync(opts.blobsDir)) {
      for await (const blob of blobFiles(opts.blobsDir)) {
        const { size } = await fs.promises.stat(path.join(opts.blobsDir, blob.rel))
        blobs.count++
        blobs.bytes += size
        digest.update(`${blob.hash}\n`)
        await add(`blobs/${blob.rel}`)
      }
    }
    const manifest = opts.describe({ ...blobs, sha256: digest.digest('hex') })
    await fs.promises.writeFile(path.join(staging, MANIFEST_ENTRY), `${JSON.stringify(manifest, null, 2)}\n`)
    pack.end(MANIFEST_ENTRY)
    await done
    if (failure) throw failure
    const handle = await fs.promises.open(partial, 'r+')
    await handle.sync()
    await handle.close()
    await fs.promises.rename(partial, target)
    return manifest
  } catch (err) {
    pack.destroy?.()
    await fs.promises.rm(partial, { force: true })
    throw err
  }
}

/** Copies an entry's bytes to `dest` and returns their SHA-256. */
async function saveEntry(entry: ReadEntry, dest: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256')
  let bytes = 0
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk)
      bytes += chunk.length
      cb(null, chunk)
    },
  })
  await pipeline(entry, tap, fs.createWriteStream(dest))
  return { sha256: hash.digest('hex'), bytes }
}

async function readText(entry: ReadEntry): Promise<string> {
  if (entry.size > MAX_MANIFEST_BYTES) throw new ArchiveError('its manifest.json is too large')
  const chunks: Buffer[] = []
  for await (const chunk of entry) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Where readArchive puts what it reads: each on the file system it will be renamed into place on. */
export interface ArchiveDestination {
  /** Receives `allhands.db`. */
  databaseDir: string
  /** Receives `<2 hex>/<hash>` for every blob; created when the first blob arrives. */
  blobsDir: string
}

/** Refusals listed in the error; a hostile archive can hold a million bad entries, the message needs a few. */
const MAX_PROBLEMS = 5

/**
 * Reads `file` into `dest`, checking each blob against its name while it is written, then everything against the
 * manifest. Throws an ArchiveError for an archive that is not a complete, intact Allhands backup; `dest` then holds
 * partial files for the caller to remove.
 */
export async function readArchive(file: string, dest: ArchiveDestination): Promise<BackupManifest> {
  const problems: string[] = []
  const problem = (why: string) => void (problems.length < MAX_PROBLEMS && problems.push(why))
  const saves: Promise<unknown>[] = []
  const inFlight = new Set<ReadEntry>()
  const madeDirs = new Set<string>()
  // A repeated blob is caught by the count and digest below, without remembering a million names here.
  const blobs = { count: 0, bytes: 0, digest: createHash('sha256') }
  let database: { sha256: string; bytes: number } | null = null
  let sawDatabase = false
  let manifestText: string | null = null
  let sawManifest = false
  // Entries arrive one at a time and the next only once this one is consumed: a refused entry is drained, not left.
  const onEntry = (entry: ReadEntry) => {
    const kind = classifyEntry(entry.path)
    const isFile = entry.type === 'File' || entry.type === 'OldFile'
    const refuse = (why: string) => {
      problem(why)
      entry.resume()
    }
    if (sawManifest) return refuse(`${entry.path} comes after manifest.json`)
    if (!kind || (kind.kind === 'directory') === isFile) return refuse(`it contains ${entry.path}, which no Allhands backup holds`)
    if (kind.kind === 'directory') return void entry.resume()
    if (kind.kind === 'database' && sawDatabase) return refuse('it contains allhands.db twice')
    sawDatabase ||= kind.kind === 'database'
    sawManifest ||= kind.kind === 'manifest'
    // In archive order, here: saves finish in any order.
    if (kind.kind === 'blob') blobs.digest.update(`${kind.hash}\n`)
    inFlight.add(entry)
    const work = (async () => {
      if (kind.kind === 'manifest') manifestText = await readText(entry)
      else if (kind.kind === 'database') database = await saveEntry(entry, path.join(dest.databaseDir, DATABASE_ENTRY))
      else {
        // Blobs land in BlobStore's current layout whatever layout the archive kept.
        const dir = path.join(dest.blobsDir, kind.hash.slice(0, 2))
        if (!madeDirs.has(dir)) {
          fs.mkdirSync(dir, { recursive: true })
          madeDirs.add(dir)
        }
        const saved = await saveEntry(entry, path.join(dir, kind.hash))
        if (saved.sha256 !== kind.hash) problem(`${entry.path} is damaged: its bytes do not match its name`)
        blobs.count++
        blobs.bytes += saved.bytes
      }
    })()
      .catch((err: Error) => {
        problem(`${entry.path} could not be read: ${err.message}`)
        entry.resume()
      })
      .finally(() => inFlight.delete(entry))
    saves.push(work)
  }
  try {
    await list({ file, strict: true, noResume: true, maxReadSize: READ_CHUNK, onReadEntry: onEntry })
  } catch (err) {
    // The file being written when the archive broke off never ends by itself: end it, so that nothing is still
    // writing into the destination when the caller removes it.
    for (const entry of inFlight) entry.destroy(new Error('the archive broke off in this file'))
    await Promise.all(saves)
    throw new ArchiveError(`it is corrupt or truncated (${err instanceof Error ? err.message : String(err)})`)
  }
  await Promise.all(saves)
  if (problems.length) throw new ArchiveError(problems.join('; '))
  if (manifestText === null) throw new ArchiveError('it has no manifest.json (truncated, or not made by `allhands backup`)')
  let manifest: BackupManifest
  try {
    manifest = parseManifest(manifestText)
  } catch (err) {
    throw new ArchiveError((err as Error).message)
  }
  const db = database as { sha256: string; bytes: number } | null
  if (manifest.database && !db) throw new ArchiveError('allhands.db is missing')
  if (!manifest.database && db) throw new ArchiveError('it holds an allhands.db its manifest does not list')
  if (manifest.database && db && (db.sha256 !== manifest.database.sha256 || db.bytes !== manifest.database.bytes)) {
    throw new ArchiveError('allhands.db does not match the checksum in the manifest')
  }
  if (blobs.count !== manifest.blobs.count || blobs.bytes !== manifest.blobs.bytes || blobs.digest.digest('hex') !== manifest.blobs.sha256) {
    throw new ArchiveError(`its files do not match the manifest (${blobs.count} files in the archive, ${manifest.blobs.count} listed)`)
  }
  return manifest
}
