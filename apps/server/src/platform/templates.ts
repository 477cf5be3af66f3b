/**
 * Fills `{{ key }}` placeholders from `values` (auto-replies, survey emails, close-the-loop replies). An unknown
 * placeholder stays as written, so a typo shows in what the admin previews instead of vanishing. Only the given
 * keys are looked up (never inherited properties such as `constructor`).
 */
export function fillPlaceholders(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? values[key]! : whole))
}
