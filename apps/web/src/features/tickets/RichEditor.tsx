import '@mantine/tiptap/styles.css'
import { RichTextEditor } from '@mantine/tiptap'
import Link from '@tiptap/extension-link'
import type { Editor } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'

/** The formatting every rich editor of the app offers (the composer adds mentions on top). */
export const baseEditorExtensions = () => [StarterKit, Link.configure({ openOnClick: false })]

/** The editor with its toolbar, shared by the composer and the review editor. */
export function RichEditorFrame({ editor, toolbar = true }: { editor: Editor | null; toolbar?: boolean }) {
  return (
    <RichTextEditor editor={editor} variant="subtle">
      {toolbar && (
        <RichTextEditor.Toolbar>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Bold />
            <RichTextEditor.Italic />
            <RichTextEditor.Strikethrough />
            <RichTextEditor.Code />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.BulletList />
            <RichTextEditor.OrderedList />
            <RichTextEditor.Blockquote />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Link />
            <RichTextEditor.Unlink />
          </RichTextEditor.ControlsGroup>
        </RichTextEditor.Toolbar>
      )}
      <RichTextEditor.Content />
    </RichTextEditor>
  )
}
