import { type RefObject, useEffect, useRef } from 'react'

type Handler = (e: KeyboardEvent) => void
type Registration = { map: RefObject<Record<string, Handler>> }

/** Every shortcut the app answers to, shown by the `?` dialog. */
export const SHORTCUTS: { keys: string[]; description: string; scope: string }[] = [
  { keys: ['j'], description: 'Next ticket', scope: 'Ticket list' },
  { keys: ['k'], description: 'Previous ticket', scope: 'Ticket list' },
  { keys: ['Enter'], description: 'Open selected ticket', scope: 'Ticket list' },
  { keys: ['x'], description: 'Select / unselect ticket', scope: 'Ticket list' },
  { keys: ['r'], description: 'Reply', scope: 'Ticket' },
  { keys: ['n'], description: 'Internal note', scope: 'Ticket' },
  { keys: ['a'], description: 'Assign', scope: 'Ticket' },
  { keys: ['s'], description: 'Change status', scope: 'Ticket' },
  { keys: ['e'], description: 'Solve', scope: 'Ticket' },
  { keys: ['v'], description: 'Link to a voice-of-customer item', scope: 'Ticket' },
  { keys: ['t'], description: 'Take the next ticket', scope: 'Rotation queue' },
  { keys: ['j'], description: 'Next held reply', scope: 'Reviews' },
  { keys: ['k'], description: 'Previous held reply', scope: 'Reviews' },
  { keys: ['a'], description: 'Approve the held reply', scope: 'Reviews' },
  { keys: ['r'], description: 'Return the held reply with feedback', scope: 'Reviews' },
  { keys: ['/'], description: 'Focus search', scope: 'Anywhere' },
  { keys: ['g', 'i'], description: 'Go to inbox', scope: 'Anywhere' },
  { keys: ['g', 'r'], description: 'Go to reports', scope: 'Anywhere' },
  // issue 7 chat shortcuts
  { keys: ['g', 'c'], description: 'Go to chats', scope: 'Anywhere' },
  { keys: ['g', 'v'], description: 'Go to visitors', scope: 'Anywhere' },
  // issue 9 community shortcuts
  { keys: ['j'], description: 'Next topic', scope: 'Community desk' },
  { keys: ['k'], description: 'Previous topic', scope: 'Community desk' },
  { keys: ['Enter'], description: 'Open the selected topic', scope: 'Community desk' },
  { keys: ['Ctrl/⌘', 'K'], description: 'Command palette', scope: 'Anywhere' },
  { keys: ['?'], description: 'Show keyboard shortcuts', scope: 'Anywhere' },
  { keys: ['Esc'], description: 'Close dialog / leave editor', scope: 'Anywhere' },
]

const registrations: Registration[] = []
let pendingG = 0

/** True when the key press belongs to something the person is typing into. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  const tag = target.tagName
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true
  if (tag === 'INPUT') return !['checkbox', 'radio', 'button', 'submit'].includes((target as HTMLInputElement).type)
  return false
}

function keyName(e: KeyboardEvent): string {
  if (e.key === 'Enter') return 'enter'
  if (e.key === 'Escape') return 'escape'
  return e.key.length === 1 ? e.key.toLowerCase() : e.key
}

function onKeyDown(e: KeyboardEvent) {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return
  if (isTypingTarget(e.target)) return
  // A dialog owns the keyboard while it is open (it handles Escape itself).
  if (document.querySelector('[role="dialog"][aria-modal="true"]')) return
  const key = e.key === '?' ? '?' : keyName(e)
  const candidates = Date.now() - pendingG < 1200 ? [`g ${key}`, key] : [key]
  pendingG = key === 'g' ? Date.now() : 0
  for (const name of candidates) {
    for (let i = registrations.length - 1; i >= 0; i--) {
      const handler = registrations[i]!.map.current?.[name]
      if (handler) {
        e.preventDefault()
        handler(e)
        return
      }
    }
  }
}

if (typeof document !== 'undefined') document.addEventListener('keydown', onKeyDown)

/** Registers shortcuts while the component is mounted; later registrations win over earlier ones. */
export function useShortcuts(map: Record<string, Handler>) {
  const ref = useRef(map)
  ref.current = map
  useEffect(() => {
    const reg: Registration = { map: ref }
    registrations.push(reg)
    return () => {
      const i = registrations.indexOf(reg)
      if (i >= 0) registrations.splice(i, 1)
    }
  }, [])
}
