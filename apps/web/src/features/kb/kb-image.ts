import { mergeAttributes, Node } from '@tiptap/react'

/**
 * Images in the article editor (`<img src alt>`, a block of its own). The server's sanitizer decides which sources
 * survive: https, data: images and the article's uploaded files (/help/files/…).
 */
export const KbImage = Node.create({
  name: 'image',
  group: 'block',
  atom: true,
  draggable: true,
  addAttributes() {
    return { src: { default: null }, alt: { default: null }, title: { default: null } }
  },
  parseHTML() {
    return [{ tag: 'img[src]' }]
  },
  renderHTML({ HTMLAttributes }) {
    return ['img', mergeAttributes(HTMLAttributes)]
  },
})
