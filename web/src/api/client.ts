// The only module that talks to the server. Components and pages call these functions (through
// web/src/data/), never fetch.
import { hc } from 'hono/client'
import type { AppType } from '../../../functions/app'
import type {
  Health,
  LoginResult,
  Me,
  MeResult,
  ProfileInput,
} from '../../../schema/contracts/auth'
import type { FieldIssue } from '../../../schema/contracts/common'
import type {
  AllowlistEntry as AllowlistEntrySchema,
  Campaign as CampaignSchema,
  HistoryEvent as HistoryEventSchema,
  Ioc,
  IocInput,
  IocPatch,
  Note as NoteSchema,
  Warning as WarningSchema,
} from '../../../schema/contracts/iocs'
import type {
  CatalogueEntry as CatalogueEntrySchema,
  Consumer as ConsumerSchema,
  ConsumerInput as ConsumerInputSchema,
  ConsumerPatch as ConsumerPatchSchema,
  FeedSettings as FeedSettingsSchema,
} from '../../../schema/contracts/feeds'
import type {
  AuditRecord as AuditRecordSchema,
  AuditSettings as AuditSettingsSchema,
  AuditSettingsInput as AuditSettingsInputSchema,
} from '../../../schema/contracts/audit'
import type {
  MispRun as MispRunSchema,
  MispSettingsInput as MispSettingsInputSchema,
  MispSettingsView as MispSettingsViewSchema,
  MispTestInput as MispTestInputSchema,
} from '../../../schema/contracts/misp'
import type { ApiToken as ApiTokenSchema, TokenInput as TokenInputSchema } from '../../../schema/contracts/tokens'
import type {
  AdminUser as AdminUserSchema,
  UserCreateInput as UserCreateSchema,
  UserPatch as UserPatchSchema,
} from '../../../schema/contracts/users'
import type {
  YaraCheck as YaraCheckSchema,
  YaraDiagnostic as YaraDiagnosticSchema,
  YaraFile as YaraFileSchema,
  YaraHistoryEvent as YaraHistoryEventSchema,
  YaraListItem as YaraListItemSchema,
  YaraPage as YaraPageSchema,
  YaraPatch as YaraPatchSchema,
  YaraScanResult as YaraScanResultSchema,
  YaraSettings as YaraSettingsSchema,
  YaraUpload as YaraUploadSchema,
} from '../../../schema/contracts/yara'
import type {
  CustomFeed as CustomFeedSchema,
  CustomFeedInput as CustomFeedInputSchema,
  CustomFeedPreview as CustomFeedPreviewSchema,
  CustomFeedPreviewInput as CustomFeedPreviewInputSchema,
} from '../../../schema/contracts/custom-feeds'
import type { z } from 'zod'

const CSRF_COOKIE = 'moat_csrf'

/** A non-2xx answer (or no answer: status 0, code `network`) in the API's error envelope. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiFailure'
  }

  /** Field problems from `details.fields`, if the server sent any. */
  get fields(): FieldIssue[] {
    const fields = (this.details as { fields?: unknown } | undefined)?.fields
    return Array.isArray(fields) ? (fields as FieldIssue[]) : []
  }

  /** Seconds to wait, from `details.retryAfter` (throttling and lockout). */
  get retryAfter(): number | undefined {
    const value = (this.details as { retryAfter?: unknown } | undefined)?.retryAfter
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined
  }
}

interface ClientHooks {
  /** The UI language, sent as Accept-Language so server messages can match it. */
  language: () => string
  /** Any 401 except from login: the session is gone. */
  onUnauthorized: (failure: ApiFailure) => void
  /** A 403 `password_change_required`: the user must change the password first. */
  onPasswordChangeRequired: (failure: ApiFailure) => void
  /** A 503 `database_unavailable` from any call (quiet ones too): the outage banner. */
  onDatabaseUnavailable: (failure: ApiFailure) => void
}

let hooks: ClientHooks = {
  language: () => document.documentElement.lang || 'en',
  onUnauthorized: () => {},
  onPasswordChangeRequired: () => {},
  onDatabaseUnavailable: () => {},
}

export function configureClient(next: Partial<ClientHooks>): void {
  hooks = { ...hooks, ...next }
}

// Kept from login/me answers in case the cookie cannot be read (normally it can: not HttpOnly).
let lastCsrfToken = ''

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return decodeURIComponent(rest.join('='))
  }
  return undefined
}

interface CallOptions {
  /** The caller handles 401/403 itself: no redirect. */
  quiet?: boolean
  /** Non-2xx statuses whose body is still a normal answer (e.g. /health's 503). */
  accept?: number[]
}

const FALLBACK_CODES: Record<number, string> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_attempts',
}

async function toFailure(res: Response): Promise<ApiFailure> {
  let body: unknown
  try {
    body = await res.json()
  } catch {
    body = undefined
  }
  type Envelope = { error?: { code?: unknown; message?: unknown; details?: unknown } }
  const error = (body as Envelope | undefined)?.error
  const code =
    typeof error?.code === 'string'
      ? error.code
      : (FALLBACK_CODES[res.status] ?? (res.status >= 500 ? 'internal' : 'http_error'))
  const message = typeof error?.message === 'string' ? error.message : res.statusText
  let details = error?.details
  const retryAfter = Number(res.headers.get('Retry-After'))
  if (retryAfter > 0 && (details === undefined || typeof details === 'object')) {
    details = { retryAfter, ...(details as object | undefined) }
  }
  return new ApiFailure(res.status, code, message, details)
}

/** Every request goes through here: same-origin cookies, language, CSRF echo, network errors. */
async function send(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  headers.set('Accept', 'application/json')
  headers.set('Accept-Language', hooks.language())
  const method = (init.method ?? 'GET').toUpperCase()
  if (method !== 'GET' && method !== 'HEAD') {
    const token = readCookie(CSRF_COOKIE) || lastCsrfToken
    if (token) headers.set('X-CSRF-Token', token)
  }
  try {
    return await fetch(input, { ...init, headers, credentials: 'same-origin', cache: 'no-store' })
  } catch (err) {
    throw new ApiFailure(0, 'network', (err as Error)?.message || 'Network error')
  }
}

// Typed by the server's routes (import type only): a renamed or removed route fails the build.
const client = hc<AppType>('/', { fetch: send })

/** Reads a 2xx answer as T; anything else becomes an ApiFailure (and a redirect unless quiet). */
async function call<T>(pending: Promise<{ status: number }>, options: CallOptions = {}) {
  // hc's typed ClientResponse is the Response that `send` returned.
  const res = (await pending) as unknown as Response
  if (res.ok || options.accept?.includes(res.status)) {
    if (res.status === 204) return undefined as T
    const text = await res.text()
    return (text ? JSON.parse(text) : undefined) as T
  }
  const failure = await toFailure(res)
  if (failure.status === 503 && failure.code === 'database_unavailable') hooks.onDatabaseUnavailable(failure)
  if (!options.quiet) {
    if (failure.status === 401) hooks.onUnauthorized(failure)
    else if (failure.status === 403 && failure.code === 'password_change_required') {
      hooks.onPasswordChangeRequired(failure)
    }
  }
  throw failure
}

export async function login(username: string, password: string): Promise<LoginResult> {
  const result = await call<LoginResult>(
    client.api.v1.auth.login.$post({ json: { username, password } }),
    { quiet: true },
  )
  lastCsrfToken = result.csrfToken
  return result
}

export function logout(): Promise<void> {
  return call<void>(client.api.v1.auth.logout.$post(), { quiet: true })
}

/** The signed-in user; rejects with a 401 ApiFailure (no redirect) when there is no session. */
export async function me(): Promise<MeResult> {
  const result = await call<MeResult>(client.api.v1.auth.me.$get(), { quiet: true })
  if (result.csrfToken) lastCsrfToken = result.csrfToken
  return result
}

export async function changePassword(current: string, next: string): Promise<{ user: Me }> {
  const result = await call<{ user: Me; csrfToken?: string }>(
    client.api.v1.auth.password.$post({ json: { current, new: next } }),
  )
  if (result.csrfToken) lastCsrfToken = result.csrfToken
  return { user: result.user }
}

export function updateProfile(patch: ProfileInput): Promise<{ user: Me }> {
  return call(client.api.v1.auth.me.$patch({ json: patch }))
}

export function uploadAvatar(file: File): Promise<{ user: Me }> {
  const form = new FormData()
  form.append('file', file, file.name)
  // The route reads multipart itself (no validator), so the body goes in as raw init.
  return call(client.api.v1.auth.me.avatar.$post(undefined, { init: { body: form } }))
}

export function deleteAvatar(): Promise<{ user: Me }> {
  return call(client.api.v1.auth.me.avatar.$delete())
}

/** `version` busts the browser cache after an upload or removal. */
export function avatarUrl(userId: number, version: string | number): string {
  const path = client.api.v1.users[':id'].avatar.$path({ param: { id: String(userId) } })
  return `${path}?v=${encodeURIComponent(version)}`
}

/** Health answers 503 with the same body when the database is down. */
export function health(): Promise<Health> {
  return call<Health>(client.health.$get(), { quiet: true, accept: [503] })
}

// ---- IOCs ----------------------------------------------------------------------------------

export type { Ioc, IocInput, IocPatch }
export type IocWarningItem = z.infer<typeof WarningSchema>
export type HistoryEvent = z.infer<typeof HistoryEventSchema>
export type Note = z.infer<typeof NoteSchema>
export type Campaign = z.infer<typeof CampaignSchema>
export type AllowlistEntry = z.infer<typeof AllowlistEntrySchema>
export type AllowlistKind = AllowlistEntry['kind']

/** Query-string filters of GET /api/v1/iocs, as strings (empty ones are left out). */
export interface IocSearch {
  q?: string
  match?: 'substring' | 'prefix' | 'exact'
  type?: string
  status?: string
  ticket?: string
  user?: string
  campaign?: string
  tag?: string
  from?: string
  to?: string
  sort?: string
  limit?: string
  cursor?: string
}

export interface IocPage {
  items: Ioc[]
  nextCursor: string | null
}

const idParam = (id: number) => ({ param: { id: String(id) } })

function compact<T extends object>(input: T): T {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(input)) {
    if (value !== undefined && value !== '') out[key] = value
  }
  return out as T
}

/** 201 created, or 200 when `onDuplicate: 'extend'` met an existing IOC. */
export function createIoc(
  input: IocInput,
): Promise<{ ioc: Ioc; warnings: IocWarningItem[]; extended?: boolean }> {
  return call(client.api.v1.iocs.$post({ json: input }))
}

export function searchIocs(search: IocSearch): Promise<IocPage> {
  return call(client.api.v1.iocs.$get({ query: compact(search) as never }))
}

/** A download link for every match of a search (a plain same-origin GET carries the session). */
export function iocExportUrl(search: IocSearch, format: 'csv' | 'json' | 'txt'): string {
  const { limit: _limit, cursor: _cursor, ...filters } = search
  const query = new URLSearchParams({ ...(compact(filters) as Record<string, string>), format })
  return `/api/v1/iocs/export?${query}`
}

export function getIoc(id: number): Promise<{ ioc: Ioc }> {
  return call(client.api.v1.iocs[':id'].$get(idParam(id)))
}

export function patchIoc(id: number, patch: IocPatch): Promise<{ ioc: Ioc }> {
  return call(client.api.v1.iocs[':id'].$patch({ ...idParam(id), json: patch }))
}

export function deleteIoc(id: number): Promise<void> {
  return call(client.api.v1.iocs[':id'].$delete(idParam(id)))
}

export function iocHistory(id: number): Promise<{ items: HistoryEvent[] }> {
  return call(client.api.v1.iocs[':id'].history.$get(idParam(id)))
}

export function excludeIoc(id: number, reason?: string): Promise<{ ioc: Ioc }> {
  const json = reason ? { reason } : {}
  return call(client.api.v1.iocs[':id'].exclude.$post({ ...idParam(id), json }))
}

export function unexcludeIoc(id: number): Promise<{ ioc: Ioc }> {
  return call(client.api.v1.iocs[':id'].unexclude.$post(idParam(id)))
}

// ---- Notes ---------------------------------------------------------------------------------

export function listNotes(type: Ioc['type'], value: string): Promise<{ items: Note[] }> {
  return call(client.api.v1.notes.$get({ query: { type, value } }))
}

export function addNote(type: Ioc['type'], value: string, body: string): Promise<{ note: Note }> {
  return call(client.api.v1.notes.$post({ json: { type, value, body } }))
}

// ---- Campaigns -----------------------------------------------------------------------------

export function listCampaigns(): Promise<{ items: Campaign[] }> {
  return call(client.api.v1.campaigns.$get())
}

export function createCampaign(input: {
  name: string
  description?: string
}): Promise<{ campaign: Campaign }> {
  return call(client.api.v1.campaigns.$post({ json: input }))
}

export function getCampaign(id: number): Promise<{ campaign: Campaign }> {
  return call(client.api.v1.campaigns[':id'].$get(idParam(id)))
}

export function patchCampaign(
  id: number,
  patch: { name?: string; description?: string },
): Promise<{ campaign: Campaign }> {
  return call(client.api.v1.campaigns[':id'].$patch({ ...idParam(id), json: patch }))
}

export function deleteCampaign(id: number): Promise<void> {
  return call(client.api.v1.campaigns[':id'].$delete(idParam(id)))
}

export function linkCampaignIocs(id: number, iocIds: number[]): Promise<{ linked: number }> {
  return call(client.api.v1.campaigns[':id'].iocs.$post({ ...idParam(id), json: { iocIds } }))
}

export function unlinkCampaignIoc(id: number, iocId: number): Promise<void> {
  const param = { id: String(id), iocId: String(iocId) }
  return call(client.api.v1.campaigns[':id'].iocs[':iocId'].$delete({ param }))
}

/** A plain download link (the session cookie authenticates it). */
export function campaignExportUrl(id: number): string {
  return client.api.v1.campaigns[':id']['export.csv'].$path(idParam(id))
}

// ---- Allowlist and MISP warninglists -------------------------------------------------------

export function listAllowlist(): Promise<{ items: AllowlistEntry[] }> {
  return call(client.api.v1.allowlist.$get())
}

export function addAllowlistEntry(input: {
  kind: AllowlistKind
  value: string
  reason: string
}): Promise<{ entry: AllowlistEntry }> {
  return call(client.api.v1.allowlist.$post({ json: input }))
}

export function deleteAllowlistEntry(id: number): Promise<void> {
  return call(client.api.v1.allowlist[':id'].$delete(idParam(id)))
}

export interface Warninglist {
  id: number
  name: string
  description: string
  version: number
  listType: 'cidr' | 'string' | 'hostname' | 'substring'
  entryCount: number
  enabled: boolean
  importedBy: number | null
  importedAt: string
}

export function listWarninglists(): Promise<{ items: Warninglist[] }> {
  return call(client.api.v1.warninglists.$get())
}

export function importWarninglist(file: File): Promise<{ warninglist: Warninglist; skipped: number }> {
  const form = new FormData()
  form.append('file', file, file.name)
  // Multipart, read by the route itself: the body goes in as raw init (as for the avatar).
  return call(client.api.v1.warninglists.$post(undefined, { init: { body: form } }))
}

export function setWarninglistEnabled(
  id: number,
  enabled: boolean,
): Promise<{ warninglist: Warninglist }> {
  return call(client.api.v1.warninglists[':id'].$patch({ ...idParam(id), json: { enabled } }))
}

export function deleteWarninglist(id: number): Promise<void> {
  return call(client.api.v1.warninglists[':id'].$delete(idParam(id)))
}

// ---- Feeds: catalogue, settings and consumers ----------------------------------------------

export type FeedCatalogueEntry = z.infer<typeof CatalogueEntrySchema>
export type FeedSettings = Required<z.infer<typeof FeedSettingsSchema>>
export type FeedSettingsPatch = z.input<typeof FeedSettingsSchema>
export type FeedConsumer = z.infer<typeof ConsumerSchema>
export type FeedConsumerInput = z.input<typeof ConsumerInputSchema>
export type FeedConsumerPatch = z.input<typeof ConsumerPatchSchema>

export function feedCatalogue(): Promise<{ items: FeedCatalogueEntry[]; settings: FeedSettings }> {
  return call(client.api.v1['feed-catalogue'].$get())
}

export function patchFeedSettings(patch: FeedSettingsPatch): Promise<{ settings: FeedSettings }> {
  return call(client.api.v1['feed-catalogue'].settings.$patch({ json: patch }))
}

export function listFeedConsumers(): Promise<{ items: FeedConsumer[] }> {
  return call(client.api.v1['feed-consumers'].$get())
}

/** The token comes back once, here and from rotate: the server keeps only its hash. */
export function createFeedConsumer(
  input: FeedConsumerInput,
): Promise<{ consumer: FeedConsumer; token: string }> {
  return call(client.api.v1['feed-consumers'].$post({ json: input }))
}

export function patchFeedConsumer(
  id: number,
  patch: FeedConsumerPatch,
): Promise<{ consumer: FeedConsumer }> {
  return call(client.api.v1['feed-consumers'][':id'].$patch({ ...idParam(id), json: patch }))
}

/** A new token; the previous one keeps working for `tokenGraceHours`. */
export function rotateFeedConsumer(id: number): Promise<{ consumer: FeedConsumer; token: string }> {
  return call(client.api.v1['feed-consumers'][':id'].rotate.$post(idParam(id)))
}

export function deleteFeedConsumer(id: number): Promise<void> {
  return call(client.api.v1['feed-consumers'][':id'].$delete(idParam(id)))
}

// ---- Bulk import ---------------------------------------------------------------------------

export type ImportStatus = 'new' | 'warning' | 'duplicate' | 'allowlisted' | 'invalid'
export interface ImportCounts {
  total: number
  selected: number
  new: number
  warning: number
  duplicate: number
  allowlisted: number
  invalid: number
}
export interface ImportBatch {
  id: number
  source: string
  format: string
  filename: string | null
  status: 'staged' | 'committed' | 'discarded'
  rowCount: number
  notes: string[]
  columns: { ioc: string[]; meta: Record<string, string> } | null
  options: { ttl?: string | null; campaign?: string | null; ticket?: string | null }
  result: { created: number } | null
  createdAt: string
  committedAt: string | null
  createdByName?: string | null
}
export interface ImportRow {
  idx: number
  line: number
  raw: string
  type: Ioc['type'] | null
  value: string | null
  status: ImportStatus
  reason: string | null
  error: { code: string; message: string; field?: string; part?: string } | null
  warnings: { code: string; message: string }[]
  listed: { list: string; entry: string } | null
  dupIocId: number | null
  dupOfLine: number | null
  allowlist: { id: number; kind: string; value: string; reason: string } | null
  selected: boolean
  edited: boolean
  meta: { ticket: string | null; comment: string | null; campaign: string | null; tags: string[] | null; ttl: string | null; expiresAt: string | null }
}
export interface StagedImport {
  id: number
  batch: ImportBatch
  counts: ImportCounts
  rows: ImportRow[]
  nextCursor: number | null
}
export type ImportRowPatch = {
  value?: string
  type?: Ioc['type'] | null
  selected?: boolean
  ticket?: string | null
  comment?: string | null
  campaign?: string | null
  tags?: string[] | null
  ttl?: '1w' | '1m' | '3m' | '1y' | 'permanent' | null
}
export type ImportOptionsInput = { ttl?: ImportRowPatch['ttl']; campaign?: string | null; ticket?: string | null }

/**
 * Uploads a file with upload progress (fetch cannot report it): same cookies, CSRF echo and
 * error envelope as every other call. `onProgress` gets 0..1 while bytes go out.
 */
export function stageImportFile(file: File, format: string, onProgress: (fraction: number) => void): Promise<StagedImport> {
  const form = new FormData()
  form.append('file', file, file.name)
  if (format) form.append('format', format)
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', '/api/v1/imports')
    xhr.withCredentials = true
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('Accept-Language', hooks.language())
    const token = readCookie(CSRF_COOKIE) || lastCsrfToken
    if (token) xhr.setRequestHeader('X-CSRF-Token', token)
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total)
    xhr.onerror = () => reject(new ApiFailure(0, 'network', 'Network error'))
    xhr.onload = () => {
      const res = new Response(xhr.responseText || null, {
        status: xhr.status,
        headers: { 'content-type': xhr.getResponseHeader('content-type') ?? 'application/json' },
      })
      call<StagedImport>(Promise.resolve(res)).then(resolve, reject)
    }
    xhr.send(form)
  })
}

export function stageImportText(text: string, format?: 'csv' | 'txt' | 'text' | 'stix'): Promise<StagedImport> {
  return call(client.api.v1.imports.$post(undefined, { init: { body: JSON.stringify({ text, ...(format ? { format } : {}) }), headers: { 'Content-Type': 'application/json' } } }))
}

export function listImports(): Promise<{ items: ImportBatch[] }> {
  return call(client.api.v1.imports.$get())
}

export function getImport(id: number): Promise<{ batch: ImportBatch; counts: ImportCounts }> {
  return call(client.api.v1.imports[':id'].$get(idParam(id)))
}

export function importRows(
  id: number,
  query: { status?: ImportStatus; selected?: 'true' | 'false'; q?: string; limit?: string; cursor?: string },
): Promise<{ items: ImportRow[]; nextCursor: number | null }> {
  return call(client.api.v1.imports[':id'].rows.$get({ ...idParam(id), query: compact(query) as never }))
}

export function patchImportRow(id: number, idx: number, patch: ImportRowPatch): Promise<{ row: ImportRow; counts: ImportCounts }> {
  return call(client.api.v1.imports[':id'].rows[':idx'].$patch({ param: { id: String(id), idx: String(idx) }, json: patch }))
}

export function selectImportRows(id: number, statuses: ('new' | 'warning')[], selected: boolean): Promise<{ counts: ImportCounts }> {
  return call(client.api.v1.imports[':id'].select.$post({ ...idParam(id), json: { statuses, selected } }))
}

export function setImportOptions(id: number, options: ImportOptionsInput): Promise<{ options: ImportBatch['options'] }> {
  return call(client.api.v1.imports[':id'].$patch({ ...idParam(id), json: options }))
}

export function commitImport(
  id: number,
  options: ImportOptionsInput = {},
): Promise<{ created: number; skipped: number; counts: ImportCounts; batch: ImportBatch }> {
  return call(client.api.v1.imports[':id'].commit.$post({ ...idParam(id), json: options }))
}

export function discardImport(id: number): Promise<void> {
  return call(client.api.v1.imports[':id'].$delete(idParam(id)))
}

// ---- Users, API tokens and audit (admin) ---------------------------------------------------

export type AdminUser = z.infer<typeof AdminUserSchema>
export type UserCreate = z.input<typeof UserCreateSchema>
export type UserChange = z.input<typeof UserPatchSchema>
export type ApiToken = z.infer<typeof ApiTokenSchema>
export type TokenCreate = z.input<typeof TokenInputSchema>
export type AuditRecord = z.infer<typeof AuditRecordSchema>
export type AuditSettings = z.infer<typeof AuditSettingsSchema>
export type AuditSettingsPatch = z.input<typeof AuditSettingsInputSchema>

export interface UserFilters {
  q?: string
  role?: string
  source?: string
  active?: string
}

export function listUsers(filters: UserFilters): Promise<{ items: AdminUser[] }> {
  return call(client.api.v1.users.$get({ query: compact(filters) as never }))
}

/** `password` is the one-time password: shown once. */
export function createUser(input: UserCreate): Promise<{ user: AdminUser; password: string }> {
  return call(client.api.v1.users.$post({ json: input }))
}

export function patchUser(id: number, patch: UserChange): Promise<{ user: AdminUser }> {
  return call(client.api.v1.users[':id'].$patch({ ...idParam(id), json: patch }))
}

export function resetUserPassword(id: number): Promise<{ user: AdminUser; password: string }> {
  return call(client.api.v1.users[':id']['reset-password'].$post(idParam(id)))
}

export function removeUserAvatar(id: number): Promise<{ user: AdminUser }> {
  return call(client.api.v1.users[':id'].avatar.$delete(idParam(id)))
}

/** Own tokens, or (admins) everyone's with `all`. */
export function listTokens(all = false): Promise<{ items: ApiToken[] }> {
  return call(client.api.v1.tokens.$get({ query: all ? { owner: 'all' } : {} }))
}

/** `secret` is the token itself: shown once, Moat keeps only its hash. */
export function createToken(input: TokenCreate): Promise<{ token: ApiToken; secret: string }> {
  return call(client.api.v1.tokens.$post({ json: input }))
}

export function revokeToken(id: number): Promise<void> {
  return call(client.api.v1.tokens[':id'].$delete(idParam(id)))
}

export interface AuditFilters {
  action?: string
  actor?: string
  outcome?: string
  from?: string
  to?: string
}

export function listAudit(filters: AuditFilters, cursor?: string, limit = 50): Promise<{ items: AuditRecord[]; nextCursor: string | null }> {
  return call(client.api.v1.audit.$get({ query: compact({ ...filters, cursor, limit: String(limit) }) as never }))
}

export function auditPreview(id: number): Promise<{ record: AuditRecord; cef: string; syslog: string }> {
  return call(client.api.v1.audit[':id'].$get(idParam(id)))
}

/** A plain download link (the session cookie authenticates it). */
export function auditExportUrl(filters: AuditFilters): string {
  const query = new URLSearchParams(compact(filters) as Record<string, string>)
  const path = client.api.v1.audit['export.csv'].$path()
  return query.size ? `${path}?${query}` : path
}

export function auditSettings(): Promise<{ settings: AuditSettings }> {
  return call(client.api.v1.audit.settings.$get())
}

export function patchAuditSettings(patch: AuditSettingsPatch): Promise<{ settings: AuditSettings }> {
  return call(client.api.v1.audit.settings.$patch({ json: patch }))
}

export function testSyslog(target: { host?: string; port?: number; facility?: AuditSettings['syslogFacility'] }): Promise<{ ok: boolean; target: string }> {
  return call(client.api.v1.audit.syslog.test.$post({ json: target }))
}

// ---- YARA Manager --------------------------------------------------------------------------

export type YaraFile = z.infer<typeof YaraFileSchema>
export type YaraListItem = z.infer<typeof YaraListItemSchema>
export type YaraFileFull = YaraFile & { content: string }
export type YaraDiagnostic = z.infer<typeof YaraDiagnosticSchema>
export type YaraCheck = z.infer<typeof YaraCheckSchema>
export type YaraPage = z.infer<typeof YaraPageSchema>
export type YaraHistoryEvent = z.infer<typeof YaraHistoryEventSchema>
export type YaraScanResult = z.infer<typeof YaraScanResultSchema>
export type YaraUpload = z.input<typeof YaraUploadSchema>
export type YaraPatch = z.input<typeof YaraPatchSchema>
export type YaraSettings = Required<z.infer<typeof YaraSettingsSchema>>

export interface YaraSearch {
  q?: string
  status?: 'pending' | 'approved' | 'rejected' | 'all'
  tag?: string
  campaign?: string
  user?: string
  limit?: string
  cursor?: string
}

export function listYara(search: YaraSearch): Promise<YaraPage> {
  return call(client.api.v1.yara.$get({ query: compact(search) as never }))
}

/** 201 pending; a compile failure is a 422 ApiFailure whose details carry `errors` at their lines. */
export function uploadYara(input: YaraUpload): Promise<{ rule: YaraFileFull; warnings: YaraDiagnostic[] }> {
  return call(client.api.v1.yara.$post(undefined, { init: { body: JSON.stringify(input), headers: { 'Content-Type': 'application/json' } } }))
}

export function validateYara(content: string): Promise<YaraCheck> {
  return call(client.api.v1.yara.validate.$post({ json: { content } }))
}

export function getYara(id: number): Promise<{ rule: YaraFileFull }> {
  return call(client.api.v1.yara[':id'].$get(idParam(id)))
}

export function patchYara(id: number, patch: YaraPatch): Promise<{ rule: YaraFileFull; warnings: YaraDiagnostic[] }> {
  return call(client.api.v1.yara[':id'].$patch({ ...idParam(id), json: patch }))
}

export function deleteYara(id: number): Promise<void> {
  return call(client.api.v1.yara[':id'].$delete(idParam(id)))
}

export function approveYara(id: number): Promise<{ rule: YaraFileFull }> {
  return call(client.api.v1.yara[':id'].approve.$post(idParam(id)))
}

export function rejectYara(id: number, reason: string): Promise<{ rule: YaraFileFull }> {
  return call(client.api.v1.yara[':id'].reject.$post({ ...idParam(id), json: { reason } }))
}

export function yaraHistory(id: number): Promise<{ items: YaraHistoryEvent[] }> {
  return call(client.api.v1.yara[':id'].history.$get(idParam(id)))
}

/** A plain download link (the session cookie authenticates it). */
export function yaraDownloadUrl(id: number): string {
  return client.api.v1.yara[':id'].download.$path(idParam(id))
}

/** The sample is sent once, scanned on the server and never stored. */
export function scanYara(sample: File, scope: 'library' | 'approved', ids?: number[]): Promise<YaraScanResult> {
  const form = new FormData()
  form.append('file', sample, sample.name)
  form.append('scope', scope)
  if (ids?.length) form.append('ids', ids.join(','))
  return call(client.api.v1.yara.scan.$post(undefined, { init: { body: form } }))
}

export interface YaraReviewerCandidate {
  id: number
  username: string
  displayName: string
}

/** `candidates` (active analysts) is filled for admins only. */
export function yaraSettings(): Promise<{ settings: YaraSettings; candidates: YaraReviewerCandidate[] }> {
  return call(client.api.v1.yara.settings.$get())
}

export function patchYaraSettings(patch: Partial<YaraSettings>): Promise<{ settings: YaraSettings }> {
  return call(client.api.v1.yara.settings.$patch({ json: patch }))
}

// ---- Live Stats, GeoIP, Champs, Reports ------------------------------------------------------

export type LiveStats = Awaited<ReturnType<typeof import('../../../functions/services/live-stats').liveStats>>
export interface GeoStatus {
  database: import('../../../functions/lib/geoip').GeoInfo | null
  available: boolean
  attribution: string | null
  pendingLookups: number
  relookup?: number
}
export type LeaderboardRow = import('../../../functions/services/champs').LeaderboardRow
export type GoalProgress = import('../../../functions/services/team-goals').GoalProgress
export interface Leaderboard {
  method: number
  timeZone: string
  generatedAt: string
  rows: LeaderboardRow[]
  goal: GoalProgress | null
}
export type ChampsConfig = ReturnType<typeof import('../../../functions/services/champs').champsConstants> & {
  settings: import('../../../functions/services/champs').ChampsSettings
}
export type Spotlight = NonNullable<Awaited<ReturnType<typeof import('../../../functions/services/champs').spotlight>>>
export type TickerItem = import('../../../functions/services/champs-feed').TickerItem
export type Velocity = Awaited<ReturnType<typeof import('../../../functions/services/champs-feed').velocity>>
export type Report = Awaited<ReturnType<typeof import('../../../functions/services/reports').buildReport>>
export type ChampsConfigPatch = import('../../../schema/contracts/stats').ChampsConfigPatch
export type TeamGoalInput = import('../../../schema/contracts/stats').TeamGoalInput

export function liveStats(): Promise<LiveStats> {
  return call(client.api.v1.stats.live.$get())
}

export function geoipStatus(): Promise<GeoStatus> {
  return call(client.api.v1.geoip.$get())
}

export function uploadGeoip(file: File): Promise<GeoStatus> {
  const form = new FormData()
  form.append('file', file, file.name)
  return call(client.api.v1.geoip.$post(undefined, { init: { body: form } }))
}

export function resetGeoip(): Promise<GeoStatus> {
  return call(client.api.v1.geoip.$delete())
}

export function champsLeaderboard(method?: number): Promise<Leaderboard> {
  return call(client.api.v1.champs.$get({ query: method ? { method: String(method) } : {} }))
}

export function champsConfig(): Promise<ChampsConfig> {
  return call(client.api.v1.champs.config.$get())
}

export function patchChampsConfig(patch: ChampsConfigPatch): Promise<ChampsConfig> {
  return call(client.api.v1.champs.config.$patch({ json: patch }))
}

export function champsSpotlight(userId: number): Promise<Spotlight> {
  return call(client.api.v1.champs.spotlight[':userId'].$get({ param: { userId: String(userId) } }))
}

export function champsTicker(): Promise<{ custom: boolean; items: TickerItem[] }> {
  return call(client.api.v1.champs.ticker.$get())
}

export function champsVelocity(): Promise<Velocity> {
  return call(client.api.v1.champs.velocity.$get())
}

export function createTeamGoal(input: TeamGoalInput): Promise<{ goal: GoalProgress | null }> {
  return call(client.api.v1.champs.goals.$post({ json: input }))
}

export function endTeamGoal(id: number): Promise<void> {
  return call(client.api.v1.champs.goals[':id'].$delete(idParam(id)))
}

export function intelligenceReport(q: { period: string; date?: string; from?: string; to?: string }): Promise<Report> {
  return call(client.api.v1.reports.$get({ query: compact(q) as never }))
}

// ---- MISP pull (admin) ---------------------------------------------------------------------

export type MispSettingsView = z.infer<typeof MispSettingsViewSchema>
export type MispSettings = MispSettingsView['settings']
export type MispState = MispSettingsView['state']
export type MispSettingsPatch = z.input<typeof MispSettingsInputSchema>
export type MispTestInput = z.input<typeof MispTestInputSchema>
export type MispRun = z.infer<typeof MispRunSchema>

export function mispSettings(): Promise<MispSettingsView> {
  return call(client.api.v1.misp.settings.$get())
}

export function patchMispSettings(patch: MispSettingsPatch): Promise<MispSettingsView> {
  return call(client.api.v1.misp.settings.$patch({ json: patch }))
}

/** Tests the saved connection, with any unsaved form values given here over it. */
export function testMisp(input: MispTestInput): Promise<{ ok: true; version: string; url: string; ms: number }> {
  return call(client.api.v1.misp.test.$post({ json: input }))
}

/** Runs a pull now and waits for it. */
export function pullMisp(input: { full?: boolean; reconcile?: boolean }): Promise<{ run: MispRun }> {
  return call(client.api.v1.misp.pull.$post({ json: input }))
}

export function mispRuns(limit = 20): Promise<{ items: MispRun[] }> {
  return call(client.api.v1.misp.runs.$get({ query: { limit: String(limit) } }))
}

// Server certificate (Admin > TLS). The private key goes up once and never comes back.
export type TlsStatus = z.infer<typeof import('../../../schema/contracts/tls').TlsStatus>
export type TlsUploadInput = z.infer<typeof import('../../../schema/contracts/tls').TlsUploadInput>

export function tlsStatus(): Promise<TlsStatus> {
  return call(client.api.v1.admin.tls.$get())
}

/** 200 with the new status; a 422 ApiFailure names the field (certificate, privateKey, chain, serverName). */
export function uploadTls(input: TlsUploadInput): Promise<TlsStatus> {
  return call(client.api.v1.admin.tls.$post({ json: input }))
}

// ---- LDAP / Active Directory sign-in (admin) ---------------------------------------------

export type LdapSettingsView = import('../../../schema/contracts/ldap').LdapSettingsView
export type LdapSettings = LdapSettingsView['settings']
export type LdapSettingsPatch = import('../../../schema/contracts/ldap').LdapSettingsInput
export type LdapTestInput = import('../../../schema/contracts/ldap').LdapTestInput
export type LdapTestResult = import('../../../schema/contracts/ldap').LdapTestResult

export function ldapSettings(): Promise<LdapSettingsView> {
  return call(client.api.v1.ldap.settings.$get())
}

export function patchLdapSettings(patch: LdapSettingsPatch): Promise<LdapSettingsView> {
  return call(client.api.v1.ldap.settings.$patch({ json: patch }))
}

/** Tests the saved settings with any unsaved form values over them; each step's outcome. */
export function testLdap(input: LdapTestInput): Promise<LdapTestResult> {
  return call(client.api.v1.ldap.test.$post({ json: input }))
}

// ---- General defaults (admin, Settings screen) ------------------------------------------

export type DefaultSettings = import('../../../schema/contracts/settings').DefaultSettings
export type DefaultSettingsPatch = import('../../../schema/contracts/settings').DefaultSettingsInput

export function defaultSettings(): Promise<{ settings: DefaultSettings }> {
  return call(client.api.v1.settings.defaults.$get())
}

export function patchDefaultSettings(patch: DefaultSettingsPatch): Promise<{ settings: DefaultSettings }> {
  return call(client.api.v1.settings.defaults.$patch({ json: patch }))
}

export type SubmissionDefaults = import('../../../schema/contracts/settings').SubmissionDefaults

/** Lifetimes and sanity mode a submission gets (any signed-in user). */
export function submissionDefaults(): Promise<{ settings: SubmissionDefaults }> {
  return call(client.api.v1.settings.submission.$get())
}

// ---- Custom feeds (admin) ------------------------------------------------------------------

export type CustomFeed = z.infer<typeof CustomFeedSchema>
export type CustomFeedInput = z.input<typeof CustomFeedInputSchema>
export type CustomFeedPreview = z.infer<typeof CustomFeedPreviewSchema>
export type CustomFeedPreviewInput = z.input<typeof CustomFeedPreviewInputSchema>

export function listCustomFeeds(): Promise<{ items: CustomFeed[] }> {
  return call(client.api.v1['custom-feeds'].$get())
}

export function createCustomFeed(input: CustomFeedInput): Promise<{ feed: CustomFeed }> {
  return call(client.api.v1['custom-feeds'].$post({ json: input as never }))
}

/** Replaces the whole definition (the server bumps its version). */
export function updateCustomFeed(id: number, input: CustomFeedInput): Promise<{ feed: CustomFeed }> {
  return call(client.api.v1['custom-feeds'][':id'].$patch({ ...idParam(id), json: input as never }))
}

export function deleteCustomFeed(id: number): Promise<void> {
  return call(client.api.v1['custom-feeds'][':id'].$delete(idParam(id)))
}

export function previewCustomFeed(input: CustomFeedPreviewInput): Promise<CustomFeedPreview> {
  return call(client.api.v1['custom-feeds'].preview.$post({ json: input as never }))
}

// ---- Feed Pulse and Hunter's Playbook --------------------------------------------------------

type PulseSvc = typeof import('../../../functions/services/pulse')
type PulseFeedsSvc = typeof import('../../../functions/services/pulse-feeds')
export type PulseWindow = import('../../../schema/contracts/pulse').PulseWindow
export type PulseSummary = Awaited<ReturnType<PulseSvc['pulseSummary']>>
export type PulseOutgoing = Awaited<ReturnType<PulseSvc['pulseOutgoing']>>
export type PulseAnomalies = Awaited<ReturnType<PulseSvc['pulseAnomalies']>>
export type PulseExclusions = Awaited<ReturnType<PulseSvc['pulseExclusions']>>
export type PulseFeeds = Awaited<ReturnType<PulseFeedsSvc['pulseFeeds']>>
export type PulseConsumers = Awaited<ReturnType<PulseFeedsSvc['pulseConsumers']>>
export type PlaybookLink = z.infer<typeof import('../../../schema/contracts/playbook').PlaybookLink>
export type PlaybookInput = import('../../../schema/contracts/playbook').PlaybookInput
export type PlaybookPatch = import('../../../schema/contracts/playbook').PlaybookPatch

const pageQuery = (window: PulseWindow, cursor?: string | null) => ({ query: { window, ...(cursor ? { cursor } : {}) } })

export function pulseSummary(window: PulseWindow): Promise<PulseSummary> {
  return call(client.api.v1.pulse.$get({ query: { window } }))
}

export function pulseIncoming(window: PulseWindow, cursor?: string | null): Promise<{ items: Ioc[]; nextCursor: string | null }> {
  return call(client.api.v1.pulse.incoming.$get(pageQuery(window, cursor)))
}

export function pulseOutgoing(window: PulseWindow, cursor?: string | null): Promise<PulseOutgoing> {
  return call(client.api.v1.pulse.outgoing.$get(pageQuery(window, cursor)))
}

export function pulseAnomalies(rule?: string, cursor?: string | null): Promise<PulseAnomalies> {
  return call(client.api.v1.pulse.anomalies.$get({ query: { ...(rule ? { rule } : {}), ...(cursor ? { cursor } : {}) } }))
}

export function pulseExclusions(window: PulseWindow, cursor?: string | null): Promise<PulseExclusions> {
  return call(client.api.v1.pulse.exclusions.$get(pageQuery(window, cursor)))
}

export function pulseFeeds(window: PulseWindow): Promise<PulseFeeds> {
  return call(client.api.v1.pulse.feeds.$get({ query: { window } }))
}

export function pulseConsumers(window: PulseWindow): Promise<PulseConsumers> {
  return call(client.api.v1.pulse.consumers.$get({ query: { window } }))
}

export function listPlaybook(): Promise<{ items: PlaybookLink[] }> {
  return call(client.api.v1.playbook.$get())
}

export function createPlaybookLink(input: PlaybookInput): Promise<{ link: PlaybookLink }> {
  return call(client.api.v1.playbook.$post({ json: input }))
}

export function patchPlaybookLink(id: number, patch: PlaybookPatch): Promise<{ link: PlaybookLink }> {
  return call(client.api.v1.playbook[':id'].$patch({ ...idParam(id), json: patch }))
}

export function deletePlaybookLink(id: number): Promise<void> {
  return call(client.api.v1.playbook[':id'].$delete(idParam(id)))
}

export function reorderPlaybook(ids: number[]): Promise<{ items: PlaybookLink[] }> {
  return call(client.api.v1.playbook.order.$post({ json: { ids } }))
}

// ---- Campaign Graph ------------------------------------------------------------------------

export type CampaignGraph = import('../../../functions/services/graph').Graph
export type GraphNode = import('../../../functions/services/graph').GraphNode
export interface GraphFilters {
  campaign?: string
  type?: string
  active?: '1'
  q?: string
}

export function campaignGraph(q: GraphFilters): Promise<CampaignGraph> {
  return call(client.api.v1.graph.$get({ query: compact(q) as never }))
}

export function graphExportUrl(q: GraphFilters): string {
  const query = new URLSearchParams(compact(q) as Record<string, string>).toString()
  return client.api.v1.graph['export.csv'].$path() + (query ? `?${query}` : '')
}

// ---- Backups (admin; Settings > Backups) ---------------------------------------------------

export type Backup = z.infer<typeof import('../../../schema/contracts/backups').Backup>
export type BackupList = z.infer<typeof import('../../../schema/contracts/backups').BackupList>
export type BackupCheck = z.infer<typeof import('../../../schema/contracts/backups').BackupCheck>
export type BackupSettingsInput = z.input<typeof import('../../../schema/contracts/backups').BackupSettingsInput>

export function listBackups(): Promise<BackupList> {
  return call(client.api.v1.admin.backups.$get())
}

export function patchBackupSettings(input: BackupSettingsInput): Promise<BackupList> {
  return call(client.api.v1.admin.backups.settings.$patch({ json: input }))
}

export function backUpNow(): Promise<{ backup: Backup }> {
  return call(client.api.v1.admin.backups.$post())
}

export function checkBackup(name: string): Promise<BackupCheck> {
  return call(client.api.v1.admin.backups[':name'].check.$get({ param: { name } }))
}

export function deleteBackup(name: string): Promise<void> {
  return call(client.api.v1.admin.backups[':name'].$delete({ param: { name } }))
}

/** A plain download link (the session cookie authenticates it). */
export function backupDownloadUrl(name: string): string {
  return client.api.v1.admin.backups[':name'].download.$path({ param: { name } })
}
