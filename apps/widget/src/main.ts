import type { WidgetIdentity } from '@allhands/contract'
import { Widget } from './widget.ts'

/**
 * Entry point of widget.js: `<script src="https://<host>/widget.js" data-inbox="<id>" async></script>`.
 * The server is the origin the script came from. A site may set `window.AllhandsChat = { identity }` before
 * the script loads, and later call `AllhandsChat.open()`, `.close()` or `.identify({...})`.
 */
interface AllhandsChatApi {
  identity?: WidgetIdentity
  open(): void
  close(): void
  identify(identity: WidgetIdentity): Promise<void>
}

declare global {
  interface Window {
    AllhandsChat?: Partial<AllhandsChatApi> & { loaded?: boolean }
  }
}

function validIdentity(value: unknown): WidgetIdentity | null {
  const v = value as Partial<WidgetIdentity> | null | undefined
  if (!v || typeof v !== 'object') return null
  if (typeof v.userId !== 'string' || typeof v.email !== 'string' || typeof v.signature !== 'string') {
    console.warn('[allhands] AllhandsChat.identity needs userId, email and signature strings; ignored')
    return null
  }
  return { userId: v.userId, email: v.email, signature: v.signature, ...(typeof v.name === 'string' ? { name: v.name } : {}) }
}

function boot(script: HTMLScriptElement): void {
  const inboxId = Number(script.getAttribute('data-inbox'))
  let origin: string
  try {
    origin = new URL(script.src, location.href).origin
  } catch {
    return
  }
  if (!Number.isInteger(inboxId) || inboxId <= 0) {
    console.warn('[allhands] the widget script tag needs data-inbox="<inbox id>"')
    return
  }
  const api = window.AllhandsChat ?? {}
  if (api.loaded) return
  const widget = new Widget(origin, inboxId, validIdentity(api.identity))
  Object.assign(api, {
    loaded: true,
    open: () => widget.open(),
    close: () => widget.close(),
    identify: (identity: WidgetIdentity) => {
      const valid = validIdentity(identity)
      return valid ? widget.identify(valid) : Promise.resolve()
    },
  })
  window.AllhandsChat = api
  const go = () => void widget.start()
  if (document.body) go()
  else document.addEventListener('DOMContentLoaded', go, { once: true })
}

// currentScript is only set while this file runs for the first time (async scripts included).
const current = document.currentScript as HTMLScriptElement | null
const script = current?.src ? current : document.querySelector<HTMLScriptElement>('script[data-inbox][src*="widget.js"]')
if (script) boot(script)
