const map: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
/** Escapes text for HTML built in the browser (links inserted into the composer). */
export const escapeText = (s: string) => s.replace(/[&<>"']/g, (c) => map[c] ?? c)
