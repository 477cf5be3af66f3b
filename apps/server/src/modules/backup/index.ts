/** Backup and restore of a deployment's data: the SQLite database and the blob store (PostgreSQL: blobs + pg_dump guidance). */
export { runBackupCommand } from './backup.cli.ts'
export type { BackupManifest } from './backup.manifest.ts'
export { createBackup, type RestoreResult, restoreBackup } from './backup.service.ts'
