/** HTTP calls to the Allhands server the widget was loaded from (cross-origin, never with cookies). */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

function errorOf(status: number, body: string): ApiError {
  let message = `HTTP ${status}`
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } }
    if (parsed.error?.message) message = parsed.error.message
  } catch {}
  return new ApiError(status, message)
}

/** POSTs JSON (the routes take the visitor token in the body). Throws ApiError (status 0 = network). */
export async function postJson<T>(origin: string, path: string, body: unknown): Promise<T> {
  const headers = { 'content-type': 'application/json' }
  let res: Response
  try {
    res = await fetch(origin + path, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'omit', mode: 'cors' })
  } catch {
    throw new ApiError(0, 'network')
  }
  const text = await res.text()
  if (!res.ok) throw errorOf(res.status, text)
  return (text ? JSON.parse(text) : undefined) as T
}

/** Uploads one file as multipart/form-data (XHR, because fetch cannot report upload progress). */
export function upload<T>(
  origin: string,
  path: string,
  token: string,
  file: File,
  extra: Record<string, string>,
  onProgress: (fraction: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', origin + path)
    xhr.setRequestHeader('X-Visitor-Token', token)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total)
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T)
        } catch {
          reject(new ApiError(xhr.status, 'invalid response'))
        }
      } else reject(errorOf(xhr.status, xhr.responseText))
    }
    xhr.onerror = () => reject(new ApiError(0, 'network'))
    const form = new FormData()
    for (const [name, value] of Object.entries(extra)) form.append(name, value)
    form.append('file', file, file.name)
    xhr.send(form)
  })
}

/** localStorage / sessionStorage that never throws (blocked storage in private modes and sandboxed frames). */
export function store(kind: 'local' | 'session') {
  const backend = (): Storage | null => {
    try {
      return kind === 'local' ? window.localStorage : window.sessionStorage
    } catch {
      return null
    }
  }
  return {
    get(key: string): string | null {
      try {
        return backend()?.getItem(key) ?? null
      } catch {
        return null
      }
    },
    set(key: string, value: string | null): void {
      try {
        const s = backend()
        if (value === null) s?.removeItem(key)
        else s?.setItem(key, value)
      } catch {}
    },
  }
}

/** A random id for a message the widget sends (resends carry the same id, so the server can drop duplicates). */
export function randomId(): string {
  const c = window.crypto
  if (typeof c?.randomUUID === 'function') return c.randomUUID()
  const bytes = new Uint8Array(16)
  c.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
