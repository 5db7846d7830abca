/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (the server does it on start too). */
import { applyMigrations, openDatabase } from '../db/client'

const conn = openDatabase()
applyMigrations(conn, 'db/migrations')
console.log(`migrations applied to ${conn.path}`)
conn.sqlite.close()
