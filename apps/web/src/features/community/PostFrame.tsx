import { useMemo } from 'react'
import { MessageFrame, prepareMessageHtml } from '../tickets/MessageFrame.tsx'

/** A post's server-sanitized HTML in the conversation's sandboxed frame (no script, remote images blocked): customer HTML never enters the app's DOM. */
export function PostFrame({ html, title }: { html: string; title: string }) {
  const body = useMemo(() => prepareMessageHtml(html, window.location.origin).body, [html])
  return <MessageFrame body={body} title={title} />
}
