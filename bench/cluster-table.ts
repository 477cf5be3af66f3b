import fs from 'node:fs'
import type { ClusterResult } from './cluster.ts'
import { clusterTable } from './cluster-report.ts'

// Prints the Markdown table of a saved cluster run: node --import tsx bench/cluster-table.ts bench/results/<date>-cluster.json
const file = process.argv[2]
if (!file) {
  console.error('Usage: node --import tsx bench/cluster-table.ts <date>-cluster.json')
  process.exit(2)
}
console.log(clusterTable(JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterResult))
