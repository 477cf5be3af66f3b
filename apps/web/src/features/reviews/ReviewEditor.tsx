import { useEditor } from '@tiptap/react'
import { useEffect } from 'react'
import { baseEditorExtensions, RichEditorFrame } from '../tickets/RichEditor.tsx'

/**
 * A held draft in the shared rich editor: read-only to show it (the editor's schema keeps only the
 * formatting it knows, so nothing foreign renders), editable for "Edit & approve".
 */
export function ReviewEditor({ html, editable, label, onChange }: { html: string; editable: boolean; label: string; onChange?: (html: string) => void }) {
  const editor = useEditor({
    extensions: baseEditorExtensions(),
    content: html,
    editable,
    editorProps: { attributes: { 'aria-label': label, 'aria-multiline': 'true', role: 'textbox', 'aria-readonly': String(!editable) } },
    onUpdate: ({ editor }) => onChange?.(editor.getHTML()),
  })
  useEffect(() => {
    if (editor && editor.getHTML() !== html && !editor.isFocused) editor.commands.setContent(html)
  }, [editor, html])
  useEffect(() => {
    editor?.setEditable(editable)
    if (editable) editor?.commands.focus('end')
  }, [editor, editable])
  return <RichEditorFrame editor={editor} toolbar={editable} />
}
