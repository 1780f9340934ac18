import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { D1Database } from '@cloudflare/workers-types'

// The same bookkeeping table `wrangler d1 migrations apply` uses, so either tool can take over.
const TABLE = 'd1_migrations'

export interface Migration {
  name: string
  statements: string[]
}

/** Reads numbered drizzle-kit migrations (`NNNN_name.sql`, statements split by breakpoints). */
export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((name) => ({
      name,
      statements: readFileSync(path.join(dir, name), 'utf8')
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter(Boolean),
    }))
}

/**
 * Applies every migration not yet recorded, each in one D1 batch (all of it or none of it).
 * Idempotent: a second run applies nothing. Returns the names it applied.
 */
export async function applyMigrations(db: D1Database, dir: string): Promise<string[]> {
  await db
    .prepare(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)`,
    )
    .run()
  const done = new Set(
    (await db.prepare(`SELECT name FROM ${TABLE}`).all<{ name: string }>()).results.map((r) => r.name),
  )
  const applied: string[] = []
  for (const m of readMigrations(dir)) {
    if (done.has(m.name)) continue
    await db.batch([
      ...m.statements.map((s) => db.prepare(s)),
      db.prepare(`INSERT INTO ${TABLE} (name) VALUES (?)`).bind(m.name),
    ])
    applied.push(m.name)
  }
  return applied
}
