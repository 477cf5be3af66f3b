export { escapeHtml, type HelpCenterPage, readHelpCenterTheme, renderHelpCenterPage } from './help-center.layout.ts'
export { helpCenterPages } from './kb.pages.ts'
export { kbRoutes } from './kb.routes.ts'
export { insertKbArticle, insertKbCategory, insertKbSection } from './kb.seed.ts'
