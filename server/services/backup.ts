/**
 * Backups that can be trusted: the database through SQLite's online backup API (a consistent
 * snapshot while the portal keeps writing, never a file copy), the uploads copied and checked
 * against their recorded SHA-256, a manifest, and a verification of every backup taken.
 *
 * The names callers import, gathered from where they live: backup-manifest (what a backup holds
 * and how it is found), backup-take and backup-retention (taking one, what is kept),
 * backup-schedule, backup-verify, backup-restore and backup-restore-marker.
 */
export { backupAuditHeads, backupDir, backupTime, listBackups, newestBackupAge, newestBackupTime, readManifest, suspectReason } from './backup-manifest'
export type { BackupManifest } from './backup-manifest'
export { BackupNotPrunedError, takeBackup } from './backup-take'
export { backupKeep, removeStalePartials } from './backup-retention'
export { backupDue, backupSchedule } from './backup-schedule'
export { verifyBackup } from './backup-verify'
export type { VerifyResult } from './backup-verify'
export { defaultRestoreTarget, restoreBackup } from './backup-restore'
export type { RestoreResult } from './backup-restore'
export { refuseDuringRestore, restoreMarker } from './backup-restore-marker'

// still imported from here by scripts/restore.ts
export { uploadDir } from './disk'
