import { and, eq, isNull, sql } from 'drizzle-orm'
import type { IocInput, IocPatch } from '../../schema/contracts/iocs'
import { auditLog, iocHistory, iocs, iocTags } from '../../schema/tables'
import { parseIoc, type IocType } from '../domain/ioc'
import { autoTicket } from '../domain/ticket'
import { expiryFromTtl } from '../domain/ttl'
import type { Db, Principal } from '../env'
import { ApiError, forbidden, notFound } from '../lib/errors'
import { countryForIoc } from '../lib/geoip'
import { createCampaign, getCampaignByName } from '../repos/campaigns'
import { bumpGeneration } from '../repos/generation'
import { getIocRow, getIocView, getLiveIoc, type IocRow } from '../repos/iocs'
import { getSetting } from '../repos/settings'
import { getUserById } from '../repos/users'
import { checkIocSafety } from './ioc-checks'
import { assertNotCritical, getIocPolicy, type IocPolicy } from './ioc-policy'
import { defaultTtlFor } from '../domain/ttl-policy'
import { criticalWarnings } from '../domain/sanity-policy'

export interface Actor {
  id: number
  username: string
  role: Principal['role']
  ip: string
}

const liveId = (type: IocType, value: string) =>
  sql<number>`(SELECT id FROM iocs WHERE type = ${type} AND value = ${value} AND deleted_at IS NULL)`

function historyStmt(db: Db, iocId: number | ReturnType<typeof liveId>, type: string, value: string, event: typeof iocHistory.$inferInsert.event, actor: Actor, diff: unknown) {
  return db.insert(iocHistory).values({ iocId: iocId as number, type, value, event, actorId: actor.id, actor: actor.username, diff })
}

function auditStmt(db: Db, action: string, actor: Actor, target: string, details: Record<string, unknown>) {
  return db.insert(auditLog).values({ action, outcome: 'success', actor: actor.username, actorId: actor.id, sourceIp: actor.ip, target, details })
}

/** Refuses an IOC value with the parser's reason, naming the field. */
export function parseOrThrow(value: string, type?: IocType) {
  const parsed = parseIoc(value, { type })
  if (!parsed.ok) {
    const e = parsed.error
    throw new ApiError(422, 'invalid_ioc', `value: ${e.message}`, {
      fields: [{ field: 'value', reason: e.message, code: e.code }],
      ...(e.suggestion ? { suggestion: e.suggestion } : {}),
      ...(e.part ? { part: e.part } : {}),
    })
  }
  return parsed
}

async function resolveCampaign(db: Db, name: string | null | undefined, actor: Actor): Promise<number | null | undefined> {
  if (name === undefined) return undefined
  if (name === null) return null
  const found = await getCampaignByName(db, name)
  if (found) return found.id
  return (await createCampaign(db, { name, createdBy: actor.id })).id
}

/** An explicit date or TTL wins; else the default lifetime of the IOC's type (`iocs.ttlByType`, then `iocs.defaultTtl`). */
async function expiryOf(db: Db, input: { ttl?: string; expiresAt?: string | null }, now: Date, type: IocType, policy?: IocPolicy) {
  if (input.expiresAt !== undefined && input.expiresAt !== null) {
    const at = new Date(input.expiresAt)
    if (at.getTime() <= now.getTime()) {
      throw new ApiError(422, 'validation_failed', 'expiresAt: must be in the future', {
        fields: [{ field: 'expiresAt', reason: 'must be in the future', code: 'in_past' }],
      })
    }
    return at.toISOString()
  }
  if (input.expiresAt === null) return null
  if (input.ttl !== undefined) return expiryFromTtl(input.ttl as Parameters<typeof expiryFromTtl>[0], now)
  const { ttlByType, defaultTtl } = policy ?? (await getIocPolicy(db))
  return expiryFromTtl(defaultTtlFor(type, ttlByType, defaultTtl), now)
}

/**
 * Creates an IOC through the one write pipeline: parse, allowlist, duplicate, sanity (needs
 * `confirm`), then one all-or-nothing batch (row, tags, history, generation, audit).
 */
export async function createIoc(db: Db, input: IocInput, actor: Actor, now: Date, source = 'ui') {
  const parsed = parseOrThrow(input.value, input.type)
  const verdict = await checkIocSafety(db, parsed)
  if (verdict.allowlisted) {
    const a = verdict.allowlisted
    throw new ApiError(422, 'allowlisted', `value: allowlisted by ${a.value} (reason: ${a.reason})`, {
      fields: [{ field: 'value', reason: `allowlisted by ${a.value} (reason: ${a.reason})`, code: 'allowlisted' }],
      entry: { id: a.id, kind: a.kind, value: a.value, reason: a.reason },
    })
  }
  // A critical hit the actor may not confirm is refused before anything else (even extending a duplicate).
  const policy = await getIocPolicy(db)
  const { sanityMode } = policy
  assertNotCritical(verdict.warnings, sanityMode, actor, parsed)
  const nowIso = now.toISOString()
  const existing = await getLiveIoc(db, parsed.type, parsed.value)
  if (existing) return onDuplicate(db, existing, input, actor, now, policy)
  if (verdict.confirmable.length && !input.confirm) {
    const critical = criticalWarnings(verdict.warnings)
    throw new ApiError(422, 'confirmation_required', `value: ${verdict.confirmable.map((w) => w.message).join('; ')}`, {
      warnings: verdict.warnings,
      type: parsed.type,
      value: parsed.value,
      // An admin confirming what analysts may not (block_non_admin): the UI says so.
      ...(sanityMode === 'block_non_admin' && critical.length ? { critical: critical.map((w) => w.code) } : {}),
    })
  }
  const expiresAt = await expiryOf(db, input, now, parsed.type, policy)
  const user = await getUserById(db, actor.id)
  const ticket = input.ticket || autoTicket(user?.displayName ?? actor.username, now, await getSetting(db, 'general.timezone'))
  const campaignId = await resolveCampaign(db, input.campaign, actor)
  const tags = [...new Set(input.tags ?? [])]
  const id = liveId(parsed.type, parsed.value)
  const values = {
    type: parsed.type,
    value: parsed.value,
    ...verdict.keys,
    expiresAt,
    ticket,
    comment: input.comment ?? '',
    campaignId: campaignId ?? null,
    tags,
    confidence: input.confidence ?? (await getSetting(db, 'iocs.defaultConfidence')),
    severity: input.severity ?? ((await getSetting(db, 'iocs.defaultSeverity')) as 'medium'),
    source,
    createdBy: actor.id,
    // GeoIP at write time (stats); left NULL when no database is reachable (the geoip job fills it).
    country: await countryForIoc(parsed.type, parsed.value),
    incarnation: sql<number>`(SELECT count(*) + 1 FROM iocs WHERE value = ${parsed.value} AND +type = ${parsed.type})`,
    createdAt: nowIso,
    updatedAt: nowIso,
  }
  delete (values as Record<string, unknown>).hostSuffixes
  try {
    await db.batch([
      db.insert(iocs).values(values),
      ...tags.map((tag) => db.insert(iocTags).values({ iocId: id as unknown as number, tag })),
      historyStmt(db, id, parsed.type, parsed.value, 'created', actor, {
        value: parsed.value, type: parsed.type, expiresAt, ticket, campaignId, tags, source,
        ...(verdict.warnings.length ? { warnings: verdict.warnings.map((w) => w.code) } : {}),
      }),
      bumpGeneration(db, [parsed.type]),
      auditStmt(db, 'ioc.create', actor, `${parsed.type}:${parsed.value}`, { source, warnings: verdict.warnings.map((w) => w.code) }),
    ])
  } catch (err) {
    if (/UNIQUE constraint failed/i.test(String(err))) {
      const dup = await getLiveIoc(db, parsed.type, parsed.value)
      if (dup) return onDuplicate(db, dup, input, actor, now, policy)
    }
    throw err
  }
  const row = await getLiveIoc(db, parsed.type, parsed.value)
  return { status: 201 as const, ioc: (await getIocView(db, row!.id, nowIso))!, warnings: verdict.warnings }
}

async function onDuplicate(db: Db, existing: IocRow, input: IocInput, actor: Actor, now: Date, policy: IocPolicy) {
  const nowIso = now.toISOString()
  if (input.onDuplicate !== 'extend') {
    throw new ApiError(409, 'duplicate', `value: already exists as IOC #${existing.id}`, {
      fields: [{ field: 'value', reason: `already exists as IOC #${existing.id}`, code: 'duplicate' }],
      ioc: await getIocView(db, existing.id, nowIso),
    })
  }
  const wanted = await expiryOf(db, input, now, existing.type as IocType, policy)
  // Extending never shortens: permanent stays permanent, a later expiry stays.
  const longer = existing.expiresAt === null ? null : wanted === null ? null : wanted > existing.expiresAt ? wanted : existing.expiresAt
  if (longer !== existing.expiresAt) await applyPatch(db, existing, { expiresAt: longer }, actor, now)
  return { status: 200 as const, ioc: (await getIocView(db, existing.id, nowIso))!, warnings: [], extended: longer !== existing.expiresAt }
}

function assertCanModify(row: IocRow, actor: Actor) {
  if (actor.role === 'admin') return
  if (actor.role === 'analyst' && row.createdBy === actor.id) return
  throw forbidden(actor.role === 'analyst' ? 'Analysts can change only the IOCs they submitted' : 'Viewers cannot change IOCs')
}

export async function loadLive(db: Db, id: number): Promise<IocRow> {
  const row = await getIocRow(db, id)
  if (!row || row.deletedAt) throw notFound('IOC')
  return row
}

async function applyPatch(db: Db, row: IocRow, patch: Partial<IocRow> & { tags?: string[] }, actor: Actor, now: Date) {
  const nowIso = now.toISOString()
  const diff: Record<string, [unknown, unknown]> = {}
  for (const [k, v] of Object.entries(patch)) {
    const old = (row as Record<string, unknown>)[k]
    if (JSON.stringify(old) !== JSON.stringify(v)) diff[k] = [old, v]
  }
  if (!Object.keys(diff).length) return false
  const wasExpired = row.expiresAt !== null && row.expiresAt <= nowIso
  const nowActive = patch.expiresAt === undefined ? !wasExpired : patch.expiresAt === null || patch.expiresAt > nowIso
  const set: Partial<typeof iocs.$inferInsert> = { ...patch, updatedBy: actor.id, updatedAt: nowIso }
  if ('expiresAt' in patch) set.expiryLogged = false
  const stmts = [
    db.update(iocs).set(set).where(eq(iocs.id, row.id)),
    ...(patch.tags ? [db.delete(iocTags).where(eq(iocTags.iocId, row.id)), ...patch.tags.map((tag) => db.insert(iocTags).values({ iocId: row.id, tag }))] : []),
    historyStmt(db, row.id, row.type, row.value, wasExpired && nowActive ? 'reactivated' : 'edited', actor, diff),
    bumpGeneration(db, [row.type as IocType]),
    auditStmt(db, 'ioc.edit', actor, `${row.type}:${row.value}`, { id: row.id, fields: Object.keys(diff) }),
  ]
  await db.batch(stmts as never)
  return true
}

export async function patchIoc(db: Db, id: number, input: IocPatch, actor: Actor, now: Date) {
  const row = await loadLive(db, id)
  assertCanModify(row, actor)
  const patch: Partial<IocRow> & { tags?: string[] } = {}
  if (input.ttl !== undefined || input.expiresAt !== undefined) patch.expiresAt = await expiryOf(db, input, now, row.type as IocType)
  if (input.ticket !== undefined) patch.ticket = input.ticket || row.ticket
  if (input.comment !== undefined) patch.comment = input.comment
  if (input.tags !== undefined) patch.tags = [...new Set(input.tags)]
  if (input.confidence !== undefined) patch.confidence = input.confidence
  if (input.severity !== undefined) patch.severity = input.severity
  const campaignId = await resolveCampaign(db, input.campaign, actor)
  if (campaignId !== undefined) patch.campaignId = campaignId
  await applyPatch(db, row, patch, actor, now)
  return (await getIocView(db, id, now.toISOString()))!
}

export async function deleteIoc(db: Db, id: number, actor: Actor, now: Date) {
  const row = await loadLive(db, id)
  assertCanModify(row, actor)
  const nowIso = now.toISOString()
  await db.batch([
    db.update(iocs).set({ deletedAt: nowIso, deletedBy: actor.id, updatedAt: nowIso }).where(and(eq(iocs.id, id), isNull(iocs.deletedAt))),
    historyStmt(db, id, row.type, row.value, 'deleted', actor, { value: row.value }),
    bumpGeneration(db, [row.type as IocType]),
    auditStmt(db, 'ioc.delete', actor, `${row.type}:${row.value}`, { id }),
  ])
}

/** Takes an IOC out of every feed without deleting it (any analyst; a false positive is urgent). */
export async function setExcluded(db: Db, id: number, excluded: boolean, reason: string | undefined, actor: Actor, now: Date) {
  const row = await loadLive(db, id)
  if (actor.role === 'viewer') throw forbidden('Viewers cannot exclude IOCs')
  if (Boolean(row.excludedAt) === excluded) {
    throw new ApiError(409, excluded ? 'already_excluded' : 'not_excluded', excluded ? 'The IOC is already excluded' : 'The IOC is not excluded')
  }
  const nowIso = now.toISOString()
  const set = excluded
    ? { excludedAt: nowIso, excludedBy: actor.id, excludeReason: reason ?? '', updatedAt: nowIso }
    : { excludedAt: null, excludedBy: null, excludeReason: null, updatedAt: nowIso }
  await db.batch([
    db.update(iocs).set(set).where(eq(iocs.id, id)),
    historyStmt(db, id, row.type, row.value, excluded ? 'excluded' : 'unexcluded', actor, { reason: reason ?? null }),
    bumpGeneration(db, [row.type as IocType]),
    auditStmt(db, excluded ? 'ioc.exclude' : 'ioc.unexclude', actor, `${row.type}:${row.value}`, { id, reason: reason ?? null }),
  ])
  return (await getIocView(db, id, nowIso))!
}
