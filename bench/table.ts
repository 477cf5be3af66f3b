import fs from 'node:fs'
import { type DbResult, table } from './report.ts'

// Prints the Markdown table of saved results: node --import tsx bench/table.ts bench/results/<date>-sqlite.json bench/results/<date>-postgres.json
const files = process.argv.slice(2)
if (!files.length) {
  console.error('Usage: node --import tsx bench/table.ts <result.json>...')
  process.exit(2)
}
console.log(table(files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as DbResult)))
