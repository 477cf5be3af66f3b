/**
 * Fills `{{ key }}` placeholders from `values` (auto-replies, survey emails, close-the-loop replies). An unknown
 * placeholder stays as written, so a typo shows in what the admin previews instead of vanishing.
 */
export function fillPlaceholders(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole)
}
