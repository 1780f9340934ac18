import { Hono } from 'hono'
import { z } from 'zod'
import * as auditC from '../../schema/contracts/audit'
import * as backupC from '../../schema/contracts/backups'
import * as authC from '../../schema/contracts/auth'
import * as feedC from '../../schema/contracts/feeds'
import * as customC from '../../schema/contracts/custom-feeds'
import * as graphC from '../../schema/contracts/graph'
import * as importC from '../../schema/contracts/imports'
import * as iocC from '../../schema/contracts/iocs'
import * as ldapC from '../../schema/contracts/ldap'
import * as mispC from '../../schema/contracts/misp'
import * as settingsC from '../../schema/contracts/settings'
import * as playbookC from '../../schema/contracts/playbook'
import * as pulseC from '../../schema/contracts/pulse'
import * as statsC from '../../schema/contracts/stats'
import * as tlsC from '../../schema/contracts/tls'
import * as tokenC from '../../schema/contracts/tokens'
import * as userC from '../../schema/contracts/users'
import * as yaraC from '../../schema/contracts/yara'
import { ErrorBody } from '../../schema/contracts/common'
import { FEEDS } from '../domain/feed-catalogue'
import type { AppEnv } from '../env'
import { requireAuth } from '../lib/auth'

interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete'
  path: string
  summary: string
  auth: boolean
  body?: z.ZodType | 'multipart'
  query?: z.ZodObject
  response?: z.ZodType
  status?: number
  errors: number[]
  /** Feed-like routes: public or a feed consumer token (Basic, Bearer, Token, ?token=), per feeds.access. */
  feed?: boolean
  /** Response media type when not JSON. */
  media?: string
}

const TAXII = 'application/taxii+json;version=2.1'
const TAXII_ERRORS = [400, 401, 403, 404, 406, 503]
const COL = '/taxii2/{root}/collections/{collection}'
const POLL_XML = 'TAXII 1.1 XML message binding (POST application/xml with X-TAXII-Content-Type, X-TAXII-Protocol, X-TAXII-Services); errors are Status_Message'

/** TAXII 2.1 (read-only; errors are TAXII error messages), TAXII 1.1 and STIX bundles. */
const TAXII_OPERATIONS: Operation[] = [
  { method: 'get', path: '/taxii2/', summary: 'TAXII 2.1 discovery: API roots (absolute from feeds.publicUrl, else relative)', auth: false, feed: true, media: TAXII, errors: [401, 403, 406, 503] },
  { method: 'get', path: '/taxii2/{root}/', summary: 'TAXII 2.1 API root (moat; ziochub = compatibility root with one collection `indicators`)', auth: false, feed: true, media: TAXII, errors: [401, 404, 406] },
  { method: 'get', path: '/taxii2/{root}/collections/', summary: 'Collections: all (with the Moat identity) and one per IOC type; can_read reflects the consumer', auth: false, feed: true, media: TAXII, errors: [401, 404, 406] },
  { method: 'get', path: `${COL}/`, summary: 'One collection', auth: false, feed: true, media: TAXII, errors: [401, 404, 406] },
  { method: 'get', path: `${COL}/objects/`, summary: 'STIX 2.1 envelope in date_added order; limit (max 10000), next, added_after, match[id|type|version|spec_version]; X-TAXII-Date-Added-First/Last', auth: false, feed: true, media: TAXII, errors: TAXII_ERRORS },
  { method: 'get', path: `${COL}/manifest/`, summary: 'Manifest records (id, date_added, version, media_type); same filters as objects', auth: false, feed: true, media: TAXII, errors: TAXII_ERRORS },
  { method: 'get', path: `${COL}/objects/{object}/`, summary: 'One object by id (an index hit); match[version] picks versions (default last)', auth: false, feed: true, media: TAXII, errors: TAXII_ERRORS },
  { method: 'get', path: `${COL}/objects/{object}/versions/`, summary: "An object's versions (modified timestamps), paged", auth: false, feed: true, media: TAXII, errors: TAXII_ERRORS },
  { method: 'get', path: '/taxii2/{root}/status/{status}/', summary: 'Always 404: the server accepts no writes', auth: false, feed: true, media: TAXII, errors: [404] },
  { method: 'post', path: '/taxii/discovery', summary: `TAXII 1.1 Discovery_Request -> Discovery_Response. ${POLL_XML}`, auth: false, feed: true, media: 'application/xml', errors: [401, 403] },
  { method: 'post', path: '/taxii/collections', summary: `TAXII 1.1 Collection_Information_Request -> one DATA_FEED per IOC type, moat-hash, moat-all. ${POLL_XML}`, auth: false, feed: true, media: 'application/xml', errors: [401, 403] },
  { method: 'post', path: '/taxii/poll', summary: `TAXII 1.1 Poll_Request (Exclusive_Begin_Timestamp, Inclusive_End_Timestamp, FULL|COUNT_ONLY) and Poll_Fulfillment -> STIX 1.1.1 packages. ${POLL_XML}`, auth: false, feed: true, media: 'application/xml', errors: [401, 403, 503] },
  { method: 'get', path: '/feed/custom/{slug}', summary: 'A custom feed (admin-defined format, filters and policy); query n (entries) and s (offset) slice it like the built-in feeds; ETag/304, gzip, 503 on failure (or when empty and policy.onEmpty = unavailable)', auth: false, feed: true, errors: [400, 401, 403, 404, 503] },
  { method: 'get', path: '/feed/stix', summary: 'STIX 2.1 bundle of every active indicator (ZIoCHub URL)', auth: false, feed: true, media: 'application/stix+json;version=2.1', errors: [401, 403, 503] },
  { method: 'get', path: '/feed/stix/{type}', summary: 'STIX 2.1 bundle of one IOC type (ip, domain, url, email, md5, sha1, sha256, hash)', auth: false, feed: true, media: 'application/stix+json;version=2.1', errors: [401, 403, 404, 503] },
  { method: 'get', path: '/api/v1/export/stix', summary: 'STIX 2.1 bundle of the active indicators (streamed); query: type', auth: true, media: 'application/stix+json;version=2.1', errors: [400, 401] },
]

/** Every API route. A test compares this list with the routes the app really has. */
export const OPERATIONS: Operation[] = [
  { method: 'get', path: '/health', summary: 'Liveness, database and disk check, version, last job runs (no auth)', auth: false, response: authC.Health, errors: [503] },
  { method: 'post', path: '/api/v1/auth/login', summary: 'Sign in; sets the moat_session (HttpOnly) and moat_csrf cookies. Local accounts by password; other names through the directory when LDAP is on (403 ldap_no_role: in no mapped group; 503 ldap_unavailable: the directory cannot be reached)', auth: false, body: authC.LoginInput, response: authC.LoginResult, errors: [400, 401, 403, 415, 429, 503] },
  { method: 'post', path: '/api/v1/auth/logout', summary: 'Sign out everywhere (ends every session of the user)', auth: true, status: 204, errors: [401, 403] },
  { method: 'get', path: '/api/v1/auth/me', summary: 'The signed-in user and the CSRF token of this session', auth: true, response: authC.MeResult, errors: [401] },
  { method: 'patch', path: '/api/v1/auth/me', summary: 'Update own profile (display name, email, role description, language, theme)', auth: true, body: authC.ProfileInput, response: z.object({ user: authC.Me }), errors: [400, 401, 403, 415] },
  { method: 'post', path: '/api/v1/auth/password', summary: 'Change own password (ends other sessions)', auth: true, body: authC.PasswordChangeInput, response: authC.MeResult, errors: [400, 401, 403, 409, 422] },
  { method: 'post', path: '/api/v1/auth/me/avatar', summary: 'Upload own avatar: multipart field `file`, PNG/JPEG/GIF/WebP by content, at most 1 MiB', auth: true, body: 'multipart', response: z.object({ user: authC.Me }), errors: [400, 401, 403, 413, 415] },
  { method: 'delete', path: '/api/v1/auth/me/avatar', summary: 'Remove own avatar', auth: true, response: z.object({ user: authC.Me }), errors: [401, 403] },
  { method: 'get', path: '/api/v1/users/{id}/avatar', summary: "A user's avatar image", auth: true, errors: [401, 404] },
  { method: 'delete', path: '/api/v1/users/{id}/avatar', summary: "Remove a user's avatar (admin)", auth: true, response: z.object({ user: userC.AdminUser }), errors: [401, 403, 404] },
  { method: 'get', path: '/api/v1/users', summary: 'Users (admin): q (username, name, email), role, source, active; with last sign-in and live token count', auth: true, query: userC.UserQuery, response: userC.UserList, errors: [400, 401, 403] },
  { method: 'post', path: '/api/v1/users', summary: 'Create a local user (admin); the answer holds a one-time password, shown once, to be changed at the first sign-in', auth: true, body: userC.UserCreateInput, response: userC.UserWithPassword, status: 201, errors: [400, 401, 403, 409, 415] },
  { method: 'get', path: '/api/v1/users/{id}', summary: 'One user (admin)', auth: true, response: z.object({ user: userC.AdminUser }), errors: [401, 403, 404] },
  { method: 'patch', path: '/api/v1/users/{id}', summary: 'Edit display name, email, role, role description, active (admin). Deactivation ends sessions and stops tokens at once; 409 self_change (own role or deactivation), last_admin', auth: true, body: userC.UserPatch, response: z.object({ user: userC.AdminUser }), errors: [400, 401, 403, 404, 409, 422] },
  { method: 'post', path: '/api/v1/users/{id}/reset-password', summary: 'New one-time password (admin): must be changed at the next sign-in; unlocks the account and ends its sessions; local accounts only', auth: true, response: userC.UserWithPassword, errors: [401, 403, 404, 409] },
  { method: 'get', path: '/api/v1/tokens', summary: 'API tokens: your own; admins owner=all (or userId) for everyone\'s. Never the token itself', auth: true, query: tokenC.TokenQuery, response: tokenC.TokenList, errors: [400, 401, 403] },
  { method: 'post', path: '/api/v1/tokens', summary: 'Create an API token (signed-in session only): name, scopes read|write|admin (not above your role), optional expiresAt; the secret is in this answer only', auth: true, body: tokenC.TokenInput, response: tokenC.TokenCreated, status: 201, errors: [400, 401, 403, 409, 415, 422] },
  { method: 'delete', path: '/api/v1/tokens/{id}', summary: 'Revoke a token (your own; admins any); it stops working at once', auth: true, status: 204, errors: [401, 403, 404] },
  { method: 'get', path: '/api/v1/audit', summary: 'Audit records, newest first (admin): action (exact, or prefix ending in . or *), actor, outcome, from, to; keyset paging with limit and cursor', auth: true, query: auditC.AuditQuery, response: auditC.AuditPage, errors: [400, 401, 403] },
  { method: 'get', path: '/api/v1/audit/export.csv', summary: 'Audit records as CSV (admin), same filters, at most 100 000 rows; formula cells neutralised', auth: true, query: auditC.AuditFilter, errors: [400, 401, 403] },
  { method: 'get', path: '/api/v1/audit/settings', summary: 'Syslog target, audit retention and delivery state (admin)', auth: true, response: z.object({ settings: auditC.AuditSettings }), errors: [401, 403] },
  { method: 'patch', path: '/api/v1/audit/settings', summary: 'Change the syslog target (host, port 1-65535, facility, enabled) or the retention (admin)', auth: true, body: auditC.AuditSettingsInput, response: z.object({ settings: auditC.AuditSettings }), errors: [400, 401, 403, 415] },
  { method: 'post', path: '/api/v1/audit/syslog/test', summary: 'Send one test message to the syslog collector (admin); fields override the saved target', auth: true, body: auditC.SyslogTestInput, response: z.object({ ok: z.boolean(), target: z.string() }), errors: [400, 401, 403, 502, 503] },
  { method: 'get', path: '/api/v1/audit/{id}', summary: 'One audit record with its CEF line and RFC 5424 frame (admin)', auth: true, response: auditC.AuditPreview, errors: [401, 403, 404] },
  { method: 'post', path: '/api/v1/iocs/parse', summary: 'Run the IOC rules over each non-empty, non-# line; stores nothing (paste up to 5 MB)', auth: true, body: iocC.ParseInput, errors: [400, 401, 413, 415] },
  { method: 'post', path: '/api/v1/iocs', summary: 'Submit one IOC (analyst/admin). 201 with warnings; 409 duplicate (or 200 with onDuplicate=extend); 422 invalid_ioc, allowlisted, critical_blocked (a critical sanity hit the sanity mode does not let this user confirm; details.check names it), confirmation_required (resend with confirm=true)', auth: true, body: iocC.IocInput, response: iocC.IocCreated, status: 201, errors: [400, 401, 403, 409, 415, 422] },
  { method: 'get', path: '/api/v1/iocs', summary: 'Search IOCs: q (substring, prefix or exact), type, status, ticket, user, campaign, tag, from, to, sort, limit, cursor', auth: true, query: iocC.IocQuery, response: iocC.IocPage, errors: [400, 401] },
  { method: 'get', path: '/api/v1/iocs/export', summary: 'Every IOC a search matches (same filters as the search, no paging), streamed as format=csv (formula cells neutralised), json or txt', auth: true, query: iocC.ExportQuery, errors: [400, 401] },
  { method: 'get', path: '/api/v1/iocs/{id}', summary: 'One IOC', auth: true, response: z.object({ ioc: iocC.Ioc }), errors: [401, 404] },
  { method: 'patch', path: '/api/v1/iocs/{id}', summary: 'Edit expiry, ticket, comment, campaign, tags, confidence, severity (own IOCs; admins any)', auth: true, body: iocC.IocPatch, response: z.object({ ioc: iocC.Ioc }), errors: [400, 401, 403, 404, 422] },
  { method: 'delete', path: '/api/v1/iocs/{id}', summary: 'Delete (soft; history and notes stay) — own IOCs; admins any', auth: true, status: 204, errors: [401, 403, 404] },
  { method: 'get', path: '/api/v1/iocs/{id}/history', summary: 'Append-only history of the IOC', auth: true, response: iocC.HistoryPage, errors: [401, 404] },
  { method: 'post', path: '/api/v1/iocs/{id}/exclude', summary: 'Exclude from every feed without deleting', auth: true, body: iocC.ExcludeInput, response: z.object({ ioc: iocC.Ioc }), errors: [401, 403, 404, 409] },
  { method: 'post', path: '/api/v1/iocs/{id}/unexclude', summary: 'Undo an exclusion', auth: true, response: z.object({ ioc: iocC.Ioc }), errors: [401, 403, 404, 409] },
  { method: 'post', path: '/api/v1/imports', summary: 'Stage a bulk import for preview (analyst/admin): multipart `file` (+ optional `format` csv|txt|text|stix, `type`) up to 50 MB, or JSON {text, format?, filename?, type?}; a STIX 2.1 bundle (.json, or format=stix) stages the values of its indicator patterns. 201 {id, batch, counts, rows (first 200), nextCursor}; every row classified new / warning / duplicate / allowlisted / invalid with a reason. 413 above 50 MB or 500,000 indicators; 422 binary or non-UTF-8 file, or no indicators', auth: true, body: 'multipart', status: 201, errors: [400, 401, 403, 413, 415, 422] },
  { method: 'get', path: '/api/v1/imports', summary: 'Your recent import batches (admins: all=true for everyone)', auth: true, errors: [401] },
  { method: 'get', path: '/api/v1/imports/{id}', summary: 'One import batch with its counts by status', auth: true, errors: [401, 404] },
  { method: 'get', path: '/api/v1/imports/{id}/rows', summary: 'Preview rows in line order: status, selected, q (raw or value contains), limit, cursor', auth: true, query: importC.ImportRowsQuery, errors: [400, 401, 404] },
  { method: 'patch', path: '/api/v1/imports/{id}/rows/{idx}', summary: 'Edit one preview row (value, type, ticket, comment, campaign, tags, ttl) or (de)select it; the row is parsed and classified again', auth: true, body: importC.ImportRowPatch, errors: [400, 401, 403, 404, 409, 422] },
  { method: 'post', path: '/api/v1/imports/{id}/select', summary: 'Select or deselect every new and/or warning row', auth: true, body: importC.ImportSelectInput, errors: [400, 401, 403, 404, 409] },
  { method: 'patch', path: '/api/v1/imports/{id}', summary: 'Batch-level TTL, campaign and ticket (they fill what a row does not set)', auth: true, body: importC.ImportOptions, errors: [400, 401, 403, 404, 409] },
  { method: 'post', path: '/api/v1/imports/{id}/commit', summary: 'Commit every selected new/warning row in one transaction (all or nothing), minus `exclude` lines; rows are classified again first. {created, skipped, counts, batch}; 409 when already committed or discarded. A migration batch (`moat import ziochub|threatgate`, admin only) also applies its users, campaigns, allowlist, history, notes and playbook links, keyed so a repeat adds nothing', auth: true, body: importC.ImportCommitInput, errors: [400, 401, 403, 404, 409] },
  { method: 'delete', path: '/api/v1/imports/{id}', summary: 'Discard a staged batch', auth: true, status: 204, errors: [401, 403, 404, 409] },
  { method: 'get', path: '/api/v1/notes', summary: 'Notes (Markdown) of an indicator by type and value; they survive delete and re-create', auth: true, query: iocC.NoteQuery, response: iocC.NotePage, errors: [400, 401, 422] },
  { method: 'post', path: '/api/v1/notes', summary: 'Add a note to an indicator', auth: true, body: iocC.NoteInput, response: z.object({ note: iocC.Note }), status: 201, errors: [400, 401, 403, 422] },
  { method: 'get', path: '/api/v1/campaigns', summary: 'Campaigns with IOC counts', auth: true, response: iocC.CampaignList, errors: [401] },
  { method: 'post', path: '/api/v1/campaigns', summary: 'Create a campaign', auth: true, body: iocC.CampaignInput, response: z.object({ campaign: iocC.Campaign }), status: 201, errors: [400, 401, 403, 409] },
  { method: 'get', path: '/api/v1/campaigns/{id}', summary: 'One campaign', auth: true, response: z.object({ campaign: iocC.Campaign }), errors: [401, 404] },
  { method: 'patch', path: '/api/v1/campaigns/{id}', summary: 'Rename or describe a campaign', auth: true, body: iocC.CampaignPatch, response: z.object({ campaign: iocC.Campaign }), errors: [400, 401, 403, 404, 409] },
  { method: 'delete', path: '/api/v1/campaigns/{id}', summary: 'Delete a campaign (admin); its IOCs stay, unlinked', auth: true, status: 204, errors: [401, 403, 404] },
  { method: 'post', path: '/api/v1/campaigns/{id}/iocs', summary: 'Link IOCs to the campaign', auth: true, body: iocC.CampaignLinkInput, errors: [400, 401, 403, 404] },
  { method: 'delete', path: '/api/v1/campaigns/{id}/iocs/{iocId}', summary: 'Unlink one IOC', auth: true, status: 204, errors: [401, 403, 404] },
  { method: 'get', path: '/api/v1/campaigns/{id}/export.csv', summary: "CSV of the campaign's IOCs (formula cells neutralised)", auth: true, errors: [401, 404] },
  { method: 'get', path: '/api/v1/allowlist', summary: 'Allowlist entries with the number of IOCs each covers', auth: true, response: iocC.AllowlistList, errors: [401] },
  { method: 'post', path: '/api/v1/allowlist', summary: 'Add an entry (admin): exact value, domain suffix or CIDR; covered IOCs leave the feeds at once', auth: true, body: iocC.AllowlistInput, response: z.object({ entry: iocC.AllowlistEntry }), status: 201, errors: [400, 401, 403, 409, 422] },
  { method: 'delete', path: '/api/v1/allowlist/{id}', summary: 'Remove an entry (admin)', auth: true, status: 204, errors: [401, 403, 404] },
  { method: 'get', path: '/api/v1/admin/tls', summary: 'Server certificate (admin): subject, SANs, validity, SHA-256 fingerprint, what is served now and whether a restart is needed; never the key', auth: true, response: tlsC.TlsStatus, errors: [401, 403, 503] },
  { method: 'post', path: '/api/v1/admin/tls', summary: 'Upload certificate + private key (+ chain) as PEM (admin): key must match, valid now, issued for serverName (default: host of feeds.publicUrl); 422 names the field. Served after a restart', auth: true, body: tlsC.TlsUploadInput, response: tlsC.TlsStatus, errors: [400, 401, 403, 422, 502, 503] },
  { method: 'get', path: '/api/v1/admin/backups', summary: 'Backups in <data>/backups (admin), newest first: name, kind (daily, pre-upgrade, pre-restore, manual), time, size, migration level and the `moat restore` command; the daily schedule and its next run, backup.enabled/backup.keep, free space of the data folder', auth: true, response: backupC.BackupList, errors: [401, 403, 503] },
  { method: 'patch', path: '/api/v1/admin/backups/settings', summary: 'Daily backups on/off and how many are kept (admin; keep is a whole number 1..365, 422 names the field); audited as settings.change', auth: true, body: backupC.BackupSettingsInput, response: backupC.BackupList, errors: [400, 401, 403, 415, 422] },
  { method: 'post', path: '/api/v1/admin/backups', summary: 'Back up now (admin): a consistent VACUUM INTO snapshot as moat-manual-<UTC time>.sqlite, kept until deleted (not pruned by backup.keep); 409 while another is being written', auth: true, response: z.object({ backup: backupC.Backup }), status: 201, errors: [401, 403, 409, 502, 503] },
  { method: 'get', path: '/api/v1/admin/backups/{name}/download', summary: 'Download a backup file (admin; streamed as an attachment; audited). name must be exactly moat-<kind>-<UTC time>.sqlite (400 names the field)', auth: true, media: 'application/vnd.sqlite3', errors: [400, 401, 403, 404] },
  { method: 'get', path: '/api/v1/admin/backups/{name}/check', summary: 'Check a backup as `moat restore` does (admin): PRAGMA integrity_check, Moat tables, no migration unknown to this version; migrations it has and still lacks', auth: true, response: backupC.BackupCheck, errors: [400, 401, 403, 404] },
  { method: 'delete', path: '/api/v1/admin/backups/{name}', summary: 'Delete a backup file (admin; audited)', auth: true, status: 204, errors: [400, 401, 403, 404] },
  { method: 'get', path: '/api/v1/warninglists', summary: 'Imported MISP warninglists', auth: true, errors: [401] },
  { method: 'post', path: '/api/v1/warninglists', summary: 'Import a MISP warninglist JSON file (admin; JSON body or multipart file, up to 16 MB); replaces a list of the same name', auth: true, body: 'multipart', status: 201, errors: [400, 401, 403, 413, 415, 422] },
  { method: 'patch', path: '/api/v1/warninglists/{id}', summary: 'Enable or disable a warninglist (admin)', auth: true, body: z.object({ enabled: z.boolean() }), errors: [400, 401, 403, 404] },
  { method: 'delete', path: '/api/v1/warninglists/{id}', summary: 'Remove a warninglist (admin)', auth: true, status: 204, errors: [401, 403, 404] },
  { method: 'get', path: '/api/v1/feed-consumers', summary: 'Feed consumers (admin): devices, their allowed feeds and sources, last poll', auth: true, response: feedC.ConsumerList, errors: [401, 403] },
  { method: 'post', path: '/api/v1/feed-consumers', summary: 'Create a consumer (admin); the token is shown once (HTTP Basic password, Bearer or ?token=)', auth: true, body: feedC.ConsumerInput, response: feedC.ConsumerWithToken, status: 201, errors: [400, 401, 403, 409] },
  { method: 'patch', path: '/api/v1/feed-consumers/{id}', summary: 'Edit a consumer (admin): name, description, allowedFeeds, allowedSources, active', auth: true, body: feedC.ConsumerPatch, errors: [400, 401, 403, 404, 409] },
  { method: 'post', path: '/api/v1/feed-consumers/{id}/rotate', summary: 'New token (admin); the previous one stays valid for feeds.tokenGraceHours', auth: true, response: feedC.ConsumerWithToken, errors: [401, 403, 404] },
  { method: 'delete', path: '/api/v1/feed-consumers/{id}', summary: 'Delete a consumer (admin)', auth: true, status: 204, errors: [401, 403, 404] },
  { method: 'get', path: '/api/v1/custom-feeds', summary: 'Custom feeds (admin) with their URL and last published size', auth: true, response: customC.CustomFeedList, errors: [401, 403] },
  { method: 'post', path: '/api/v1/custom-feeds', summary: 'Create a custom feed (admin) at /feed/custom/<slug>: format (plain, pa-ip, pa-domain, pa-url, cp, cp-network, esa, csv, json, stix), CSV columns, filters (types, tags any/all/none, campaigns, minConfidence, sources analyst/import/misp, analysts, createdWithinDays, expiringWithinDays) and policy (collapse none/cidr/range, maxPrefixV4/V6, refuseTld, maxEntries, headerComment, wildcard, onEmpty)', auth: true, body: customC.CustomFeedInput, status: 201, errors: [400, 401, 403, 409] },
  { method: 'post', path: '/api/v1/custom-feeds/preview', summary: 'Render an unsaved feed definition (admin): the first `lines` lines, entry count, total before the maximum, body size in bytes, dropped counts and warnings', auth: true, body: customC.CustomFeedPreviewInput, response: customC.CustomFeedPreview, errors: [400, 401, 403] },
  { method: 'get', path: '/api/v1/custom-feeds/{id}', summary: 'One custom feed (admin)', auth: true, errors: [401, 403, 404] },
  { method: 'patch', path: '/api/v1/custom-feeds/{id}', summary: 'Replace a custom feed definition (admin; send the whole definition); its version is bumped, so the next poll serves the new shape', auth: true, body: customC.CustomFeedInput, errors: [400, 401, 403, 404, 409] },
  { method: 'delete', path: '/api/v1/custom-feeds/{id}', summary: 'Delete a custom feed (admin); its URL answers 404', auth: true, status: 204, errors: [401, 403, 404] },
  { method: 'get', path: '/api/v1/feed-catalogue', summary: 'Every feed URL with its format and last published size, plus feed settings', auth: true, response: feedC.Catalogue, errors: [401] },
  { method: 'patch', path: '/api/v1/feed-catalogue/settings', summary: 'Feed settings (admin): access public|token, PAN-OS domain wildcard, Check Point IPv6, shrink alert share, token grace hours', auth: true, body: feedC.FeedSettings, errors: [400, 401, 403] },
  { method: 'get', path: '/api/v1/yara', summary: 'YARA rule files, newest first, with counts per status; query: q (file, rule names, ticket, comment, tags), status, tag, campaign, user, limit, cursor', auth: true, query: yaraC.YaraQuery, response: yaraC.YaraPage, errors: [400, 401] },
  { method: 'post', path: '/api/v1/yara', summary: 'Upload a rule file (analyst/admin): multipart `file` (.yar/.yara, at most 1 MiB; fields ticket, comment, campaignId, tags as a comma list, filename) or JSON {filename?, content, ticket?, comment?, campaignId?, tags?}. Compiled by YARA-X: 422 yara_compile_failed with details.errors [{line, column, code, message}]; 409 duplicate name or content; 201 pending with lint warnings and quality score', auth: true, body: yaraC.YaraUpload, response: yaraC.YaraFileWithContent, status: 201, errors: [400, 401, 403, 409, 413, 415, 422, 503] },
  { method: 'post', path: '/api/v1/yara/validate', summary: 'Compile, lint and score rules without storing them (always 200; ok=false with errors at their lines)', auth: true, body: yaraC.YaraValidate, response: yaraC.YaraCheck, errors: [400, 401, 413, 415, 503] },
  { method: 'post', path: '/api/v1/yara/scan', summary: 'Test scan: multipart `file` (a sample, at most 16 MiB, never stored) scanned with the library (scope=library: pending and approved; scope=approved) or the files in ids=1,2; returns the matching rules and strings', auth: true, body: 'multipart', response: yaraC.YaraScanResult, errors: [400, 401, 413, 415, 422, 503] },
  { method: 'get', path: '/api/v1/yara/settings', summary: 'Lint settings (required meta keys, rule name pattern, minimum atom bytes) and reviewers; for admins also the analysts they may name as reviewers (candidates)', auth: true, errors: [401] },
  { method: 'patch', path: '/api/v1/yara/settings', summary: 'Change lint settings or the reviewers (admin); reviewers must be active analysts or admins', auth: true, body: yaraC.YaraSettings, errors: [400, 401, 403, 422] },
  { method: 'get', path: '/api/v1/yara/{id}', summary: 'One rule file with its content, warnings, quality breakdown and what the caller may do with it', auth: true, response: yaraC.YaraFileWithContent, errors: [401, 404] },
  { method: 'patch', path: '/api/v1/yara/{id}', summary: 'Edit content, file name, ticket, comment, campaign or tags (own files; admins any). New content is compiled like an upload and sends an approved or rejected file back to pending', auth: true, body: yaraC.YaraPatch, response: yaraC.YaraFileWithContent, errors: [400, 401, 403, 404, 409, 413, 422, 503] },
  { method: 'delete', path: '/api/v1/yara/{id}', summary: 'Delete a rule file (own files; admins any); an approved one leaves the feeds at once', auth: true, status: 204, errors: [401, 403, 404] },
  { method: 'post', path: '/api/v1/yara/{id}/approve', summary: 'Approve a pending file (admins, or reviewers for files they did not upload); 409 when the bundle would no longer compile', auth: true, response: yaraC.YaraFileWithContent, errors: [401, 403, 404, 409, 503] },
  { method: 'post', path: '/api/v1/yara/{id}/reject', summary: 'Reject a pending or approved file with a reason (admins and reviewers)', auth: true, body: yaraC.YaraReject, response: yaraC.YaraFileWithContent, errors: [400, 401, 403, 404, 409] },
  { method: 'get', path: '/api/v1/yara/{id}/history', summary: 'Append-only history: uploads, edits, metadata changes and review decisions', auth: true, response: z.object({ items: z.array(yaraC.YaraHistoryEvent) }), errors: [401, 404] },
  { method: 'get', path: '/api/v1/yara/{id}/download', summary: 'The rule file as text/plain (attachment)', auth: true, errors: [401, 404] },
  { method: 'get', path: '/api/v1/misp/settings', summary: 'MISP pull settings (admin): URL, TLS, schedule, filters, import policy; the API key only as set/masked; sync state', auth: true, response: mispC.MispSettingsView, errors: [401, 403] },
  { method: 'patch', path: '/api/v1/misp/settings', summary: 'Change MISP pull settings (admin). apiKey is write-only (stored encrypted; empty removes it); enabling needs url and apiKey; a new url resets the cursor', auth: true, body: mispC.MispSettingsInput, response: mispC.MispSettingsView, errors: [400, 401, 403, 415] },
  { method: 'post', path: '/api/v1/misp/test', summary: 'Test the MISP connection (admin): GET /servers/getVersion with the saved settings or the values given; 502 misp_test_failed with details.reason auth|tls|timeout|connect|dns|http|bad_response', auth: true, body: mispC.MispTestInput, response: mispC.MispTestResult, errors: [400, 401, 403, 415, 502, 503] },
  { method: 'post', path: '/api/v1/misp/pull', summary: 'Pull from MISP now and wait for the result (admin); full ignores the cursor, reconcile checks linked attributes for removal. 409 pull_running; 502 misp_pull_failed', auth: true, body: mispC.MispPullInput, response: z.object({ run: mispC.MispRun }), errors: [400, 401, 403, 409, 415, 502] },
  { method: 'get', path: '/api/v1/misp/runs', summary: 'Recent MISP pulls, newest first (admin), with counts, skips by reason and MISP type, samples and errors', auth: true, query: mispC.MispRunsQuery, response: z.object({ items: z.array(mispC.MispRun) }), errors: [400, 401, 403] },
  { method: 'get', path: '/api/v1/ldap/settings', summary: 'LDAP / Active Directory sign-in settings (admin): auth mode (local|both|ldap), URL, StartTLS, CA, bind DN, search base and filter, group → role mappings; the bind password only as set/unset (never any part of it)', auth: true, response: ldapC.LdapSettingsView, errors: [401, 403] },
  { method: 'patch', path: '/api/v1/ldap/settings', summary: 'Change LDAP settings (admin). bindPassword is write-only (stored encrypted; empty removes it); mode both|ldap needs url, searchBase, a group mapping and, with a bind DN, a bind password', auth: true, body: ldapC.LdapSettingsInput, response: ldapC.LdapSettingsView, errors: [400, 401, 403, 415] },
  { method: 'post', path: '/api/v1/ldap/test', summary: 'Test the directory (admin) with the saved settings or the values given: connect, StartTLS, service bind, search for username, mapped groups, and a user bind when password is given; each step with its outcome', auth: true, body: ldapC.LdapTestInput, response: ldapC.LdapTestResult, errors: [400, 401, 403, 415, 503] },
  { method: 'get', path: '/api/v1/settings/defaults', summary: 'General defaults (admin): TTL (defaultTtl, and ttlByType per IOC type ip|domain|url|email|hash over it), confidence and severity a new IOC gets when left out, the sanity mode for critical hits (block_all|block_non_admin|warn_all), and the time zone for day boundaries and ticket ids', auth: true, response: settingsC.DefaultSettingsView, errors: [401, 403] },
  { method: 'patch', path: '/api/v1/settings/defaults', summary: 'Change the general defaults (admin); ttlByType replaces the whole map (a type left out takes defaultTtl; 400 naming ttlByType.<type> for an unknown type or a bad TTL); audited as settings.change with the old and new values', auth: true, body: settingsC.DefaultSettingsInput, response: settingsC.DefaultSettingsView, errors: [400, 401, 403, 415] },
  { method: 'get', path: '/api/v1/settings/submission', summary: 'What a submission gets when left out (any signed-in user): defaultTtl, ttlByType, sanityMode, defaultConfidence, defaultSeverity', auth: true, response: z.object({ settings: settingsC.SubmissionDefaults }), errors: [401] },
  { method: 'get', path: '/api/v1/stats/live', summary: 'Live Stats from roll-ups (no table scan): active IOCs per type, top 10 countries, TLDs and email domains, the newest 50 active IOCs, the GeoIP database in use', auth: true, errors: [401] },
  { method: 'get', path: '/api/v1/geoip', summary: 'The GeoIP country database in use (bundled or replaced), its attribution, and how many ip IOCs still await a lookup', auth: true, errors: [401] },
  { method: 'post', path: '/api/v1/geoip', summary: 'Replace the GeoIP database (admin): a .mmdb country database (e.g. MaxMind GeoLite2-Country) as multipart `file` or application/octet-stream, up to 128 MB; validated by reading it; every ip IOC is looked up again by the geoip job', auth: true, body: 'multipart', status: 201, errors: [400, 401, 403, 413, 415, 422, 503] },
  { method: 'delete', path: '/api/v1/geoip', summary: 'Go back to the bundled GeoIP database (admin)', auth: true, errors: [401, 403, 503] },
  { method: 'get', path: '/api/v1/champs', summary: 'Champs leaderboard under the configured scoring method (admins: method=1..8 to preview another): score, rank, trend vs yesterday, level, nickname, badges, streak, team goal', auth: true, query: statsC.ChampsQuery, errors: [400, 401, 403] },
  { method: 'get', path: '/api/v1/champs/config', summary: 'Scoring constants in use, the 8 methods, level thresholds, badges, and the Champs settings', auth: true, errors: [401] },
  { method: 'patch', path: '/api/v1/champs/config', summary: 'Champs settings (admin): scoring method 1..8, excludeSystem, weekendDays, custom ticker messages (at most 5)', auth: true, body: statsC.ChampsConfigPatch, errors: [400, 401, 403] },
  { method: 'get', path: '/api/v1/champs/spotlight/{userId}', summary: "One analyst's activity spotlight: leaderboard row, score under every method, 14 days of activity, IOC kinds, recent IOCs, rare finds", auth: true, errors: [400, 401, 404] },
  { method: 'get', path: '/api/v1/champs/ticker', summary: 'News ticker: the custom messages, or the last 10 activity events (template kind + params)', auth: true, errors: [401] },
  { method: 'get', path: '/api/v1/champs/velocity', summary: 'Threat velocity (IOCs per day, team and system, last 30 days) and the analyst activity split', auth: true, errors: [401] },
  { method: 'get', path: '/api/v1/champs/goals', summary: 'The active team goal with this period’s progress and last period’s count', auth: true, errors: [401] },
  { method: 'post', path: '/api/v1/champs/goals', summary: 'Create a team goal (admin); deactivates the previous one', auth: true, body: statsC.TeamGoalInput, status: 201, errors: [400, 401, 403] },
  { method: 'delete', path: '/api/v1/champs/goals/{id}', summary: 'End the active team goal (admin)', auth: true, status: 204, errors: [401, 403, 404] },
  { method: 'get', path: '/api/v1/reports', summary: 'Intelligence report: period=day|week|month (date=YYYY-MM-DD, default today) or custom (from, to; at most 366 days): KPIs and the previous period’s, feed health score, operations, analysts, available periods', auth: true, query: statsC.ReportQuery as unknown as z.ZodObject, errors: [400, 401] },
  { method: 'get', path: '/api/v1/pulse', summary: 'Feed Pulse summary for window=24h|7d|30d (from the hourly roll-ups): IOCs added by type and source (analyst, import, misp), deleted and expired by type (unswept expiries included), net change, active total, hourly or daily series', auth: true, query: pulseC.PulseQuery, errors: [400, 401] },
  { method: 'get', path: '/api/v1/pulse/incoming', summary: 'Feed Pulse incoming: IOCs created in the window that are still active, newest first; limit (max 200), cursor', auth: true, query: pulseC.PulsePageQuery, errors: [400, 401] },
  { method: 'get', path: '/api/v1/pulse/outgoing', summary: 'Feed Pulse outgoing: deletions and expiries in the window with their reason, newest first, net of values active again now; limit, cursor', auth: true, query: pulseC.PulsePageQuery, errors: [400, 401] },
  { method: 'get', path: '/api/v1/pulse/anomalies', summary: 'Anomalies over every active, unexcluded IOC (the report rules of repos/report-anomalies.ts, allowlisted included): counts per rule and a page of IOCs with their rules and sanity warnings; rule, limit, cursor. Exclude with POST /api/v1/iocs/{id}/exclude', auth: true, query: pulseC.AnomalyQuery, errors: [400, 401] },
  { method: 'get', path: '/api/v1/pulse/exclusions', summary: 'Exclusions made in the window (newest first, max 200 a page) and exclusionsCount (every excluded live IOC)', auth: true, query: pulseC.PulsePageQuery, errors: [400, 401] },
  { method: 'get', path: '/api/v1/pulse/feeds', summary: 'Feed size trend: per built feed its current entries and bytes, hourly samples over the window, change, and the shrink and other feed alerts of the window', auth: true, query: pulseC.PulseQuery, errors: [400, 401] },
  { method: 'get', path: '/api/v1/pulse/consumers', summary: 'Per feed consumer: last poll (time, address, feed, status), polls and bytes in the window, usual interval, stopped (last poll older than 3 intervals), 401 streak; anonymous pollers by address', auth: true, query: pulseC.PulseQuery, errors: [400, 401] },
  { method: 'get', path: '/api/v1/playbook', summary: "Hunter's Playbook entries in display order (every signed-in user): sites with URL templates ({value}, {type}), groups, workflows, IOC types they apply to", auth: true, response: playbookC.PlaybookList, errors: [401] },
  { method: 'post', path: '/api/v1/playbook', summary: 'Create a playbook entry (admin): url is an http(s) template with a fixed host and only {value}/{type} placeholders (filled URL-encoded); description and examples lose any HTML', auth: true, body: playbookC.PlaybookInput, response: z.object({ link: playbookC.PlaybookLink }), status: 201, errors: [400, 401, 403, 415, 422] },
  { method: 'post', path: '/api/v1/playbook/order', summary: 'Reorder the playbook (admin): ids top to bottom', auth: true, body: playbookC.PlaybookOrder, response: playbookC.PlaybookList, errors: [400, 401, 403, 422] },
  { method: 'patch', path: '/api/v1/playbook/{id}', summary: 'Edit a playbook entry (admin); the same URL rules', auth: true, body: playbookC.PlaybookPatch, response: z.object({ link: playbookC.PlaybookLink }), errors: [400, 401, 403, 404, 415, 422] },
  { method: 'delete', path: '/api/v1/playbook/{id}', summary: "Delete a playbook entry (admin); a group's members move to the top level", auth: true, status: 204, errors: [401, 403, 404] },
  { method: 'get', path: '/api/v1/graph', summary: 'Campaign Graph: campaigns (campaign=1,2), their live IOCs and YARA rule files as nodes and edges; filters type=ip,domain,…,yara, active=1 (served IOCs, approved rules), q (value, file or campaign name); at most limit (default and max 5000) nodes, children taken round-robin across campaigns, truncated=true when more matched', auth: true, query: graphC.GraphQuery as unknown as z.ZodObject, errors: [400, 401] },
  { method: 'get', path: '/api/v1/graph/export.csv', summary: 'The same graph’s nodes as CSV (kind, id, value, type, country, status, campaign_id, campaign); formula-looking cells neutralised', auth: true, query: graphC.GraphQuery as unknown as z.ZodObject, errors: [400, 401], media: 'text/csv' },
  { method: 'get', path: '/api/v1/openapi.json', summary: 'This document', auth: true, errors: [401] },
  ...TAXII_OPERATIONS,
]

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input: details.fields names each field and the reason',
  401: 'Not signed in, session expired or revoked, or wrong credentials',
  403: 'Role not allowed, CSRF token missing, or password change required',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Body too large',
  415: 'Wrong content type',
  406: 'The Accept header allows no media type this route answers with',
  422: 'Understood but refused (see error.code)',
  429: 'Too many attempts; see Retry-After',
  502: 'An outside system (syslog collector, MISP) could not be reached or refused',
  503: 'Database or launcher unavailable',
}

const schemaOf = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' })

export function buildOpenApi(version: string) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const op of OPERATIONS) {
    const responses: Record<string, unknown> = {}
    responses[String(op.status ?? 200)] = op.response
      ? { description: 'OK', content: { 'application/json': { schema: schemaOf(op.response) } } }
      : op.media
        ? { description: 'OK', content: { [op.media]: {} } }
        : { description: 'OK' }
    for (const code of op.errors) {
      responses[String(code)] =
        op.feed && op.media
          ? { description: `${ERROR_TEXT[code]} (in the protocol's own error format)`, content: { [op.media.startsWith('application/stix') ? 'text/plain' : op.media]: {} } }
          : { description: ERROR_TEXT[code], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
    }
    const requestBody =
      op.body === 'multipart'
        ? { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } } } }
        : op.body
          ? { required: true, content: { 'application/json': { schema: schemaOf(op.body) } } }
          : undefined
    const parameters = [
      ...[...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: /^(id|iocId)$/.test(m[1]) ? 'integer' : 'string' } })),
      ...Object.entries(op.query?.shape ?? {}).map(([name, s]) => ({ name, in: 'query', required: false, schema: schemaOf(s as z.ZodType) })),
    ]
    paths[op.path] ??= {}
    paths[op.path][op.method] = {
      summary: op.summary,
      security: op.auth ? [{ cookieSession: [] }, { bearerToken: [] }] : op.feed ? [{}, { feedBasic: [] }, { feedBearer: [] }, { feedToken: [] }] : [],
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
    }
  }
  for (const feed of FEEDS.values()) {
    paths[feed.path] = {
      get: {
        summary: `${feed.title}${feed.deprecated ? ' (compatibility route)' : ''}`,
        tags: ['feeds'],
        security: [{}, { feedBasic: [] }, { feedToken: [] }],
        parameters: [
          { name: 'n', in: 'query', required: false, schema: { type: 'integer', minimum: 0 }, description: 'at most this many lines' },
          { name: 's', in: 'query', required: false, schema: { type: 'integer', minimum: 0 }, description: 'skip this many lines first' },
          ...(feed.format === 'pa-domain' ? [{ name: 'wild', in: 'query', required: false, schema: { enum: ['0', '1'] }, description: 'emit *.domain before domain' }] : []),
        ],
        responses: {
          200: { description: 'The list (ETag, Last-Modified, gzip; X-Moat-Total, X-Moat-Returned, X-Moat-Dropped, X-Moat-Built headers)', content: { 'text/plain': { schema: { type: 'string' } } } },
          304: { description: 'Not modified (If-None-Match)' },
          401: { description: 'Feed token required or wrong (WWW-Authenticate: Basic)' },
          403: { description: 'Consumer not allowed this feed or this source address' },
          503: { description: 'Database unavailable; retry after Retry-After seconds (never a partial list)' },
        },
      },
    }
  }
  paths['/feed/yara-content/{filename}'] = {
    get: {
      summary: 'YARA: one approved rule file by name (as listed by /feed/yara-list)',
      tags: ['feeds'],
      security: [{}, { feedBasic: [] }, { feedToken: [] }],
      parameters: [{ name: 'filename', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' } }],
      responses: {
        200: { description: 'The rule file (ETag, Last-Modified, gzip)', content: { 'text/plain': { schema: { type: 'string' } } } },
        304: { description: 'Not modified (If-None-Match)' },
        401: { description: 'Feed token required or wrong (WWW-Authenticate: Basic)' },
        403: { description: 'Consumer not allowed this feed or this source address' },
        404: { description: 'No approved rule file of that name' },
        503: { description: 'Database unavailable; retry after Retry-After seconds' },
      },
    },
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Moat API',
      version,
      description:
        'Errors are {"error":{"code","message","details"}}. Cookie-authenticated writes must send X-CSRF-Token equal to the moat_csrf cookie; requests with Authorization: Bearer <API token> need no CSRF token. Any route may answer 503 database_unavailable (with Retry-After) when the database cannot be read or written; nothing was changed then.',
    },
    servers: [{ url: '/' }],
    components: {
      schemas: { Error: schemaOf(ErrorBody) },
      securitySchemes: {
        cookieSession: { type: 'apiKey', in: 'cookie', name: 'moat_session' },
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'Personal API token (moat_…): read scope GET only; write adds analyst writes; admin adds admin routes (admins only). No CSRF header needed.',
        },
        csrfHeader: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        feedBasic: { type: 'http', scheme: 'basic', description: 'feed consumer token as the password' },
        feedToken: { type: 'apiKey', in: 'query', name: 'token' },
        feedBearer: { type: 'http', scheme: 'bearer', description: 'feed consumer token (also `Authorization: Token <token>`)' },
      },
    },
    paths,
  }
}

export const openapi = new Hono<AppEnv>()
  .use('/*', requireAuth)
  .get('/', (c) => c.json(buildOpenApi(c.env.MOAT_VERSION ?? 'dev')))
