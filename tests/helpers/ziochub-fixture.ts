/**
 * Builds a small ZIoCHub 2.x installation (migration.md section 2 schema, section 7 checklist) and
 * a ThreatGate v1 Main/ folder in a temporary folder at test time. The database is left in WAL
 * mode with its last rows still in the `-wal` file (the connection stays open, as ZIoCHub's
 * would), so the importer's WAL replay is exercised.
 */
import Database from 'better-sqlite3'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const SECRETS = { ldap: 'S3cr3t-Bind-Pa55word', misp: 'MISPKEY-9f8e7d6c5b4a39281706', fireeye: 'FE-API-KEY-1234567890' }
export const SHA512 = 'ab'.repeat(64)
export const SHA256 = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B856'.replace('E3B0', 'D3B0')
// A real 1x1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

const SCHEMA = `
CREATE TABLE users (id INTEGER PRIMARY KEY, username VARCHAR(80) UNIQUE NOT NULL, password_hash VARCHAR(255), source VARCHAR(16),
  is_admin BOOLEAN, is_active BOOLEAN, must_change_password BOOLEAN, created_at DATETIME, updated_at DATETIME, last_login_at DATETIME);
CREATE TABLE user_profiles (id INTEGER PRIMARY KEY, user_id INTEGER UNIQUE REFERENCES users(id), display_name VARCHAR(120), role_description VARCHAR(255),
  avatar_path VARCHAR(255), email VARCHAR(255), mute_sound BOOLEAN, ambition_popup_disabled BOOLEAN, achievement_popup_disabled BOOLEAN);
CREATE TABLE user_sessions (id INTEGER PRIMARY KEY, user_id INTEGER, login_at DATETIME, logout_at DATETIME, ip_address VARCHAR(45));
CREATE TABLE campaigns (id INTEGER PRIMARY KEY, name VARCHAR(255) UNIQUE NOT NULL, description TEXT, dir VARCHAR(8), created_by INTEGER REFERENCES users(id), created_at DATETIME);
CREATE TABLE iocs (id INTEGER PRIMARY KEY, type VARCHAR(50) NOT NULL, value VARCHAR(1024) NOT NULL, analyst VARCHAR(255) NOT NULL, ticket_id VARCHAR(255),
  comment TEXT, expiration_date DATETIME, created_at DATETIME, campaign_id INTEGER REFERENCES campaigns(id), user_id INTEGER REFERENCES users(id),
  tags TEXT DEFAULT '[]', submission_method VARCHAR(16) DEFAULT 'single', country_code VARCHAR(8), tld VARCHAR(32), email_domain VARCHAR(255),
  rare_find_type VARCHAR(32), UNIQUE (type, value));
CREATE TABLE ioc_history (id INTEGER PRIMARY KEY, ioc_type VARCHAR(50) NOT NULL, ioc_value VARCHAR(1024) NOT NULL, event_type VARCHAR(32) NOT NULL,
  username VARCHAR(255), at DATETIME NOT NULL, payload TEXT);
CREATE TABLE ioc_notes (id INTEGER PRIMARY KEY, ioc_type VARCHAR(50), ioc_value VARCHAR(1024), user_id INTEGER NOT NULL REFERENCES users(id),
  content TEXT NOT NULL, created_at DATETIME);
CREATE TABLE yara_rules (id INTEGER PRIMARY KEY, filename VARCHAR(255) UNIQUE NOT NULL, analyst VARCHAR(255) NOT NULL, ticket_id VARCHAR(255),
  comment TEXT, uploaded_at DATETIME, campaign_id INTEGER REFERENCES campaigns(id), quality_points INTEGER, status VARCHAR(32) NOT NULL DEFAULT 'approved');
CREATE TABLE system_settings (id INTEGER PRIMARY KEY, key VARCHAR(128) UNIQUE, value TEXT, updated_at DATETIME);
CREATE TABLE sanity_exclusions (id INTEGER PRIMARY KEY, value VARCHAR(1024), ioc_type VARCHAR(50), anomaly_type VARCHAR(80), excluded_by VARCHAR(255),
  excluded_at DATETIME, UNIQUE (value, ioc_type, anomaly_type));
CREATE TABLE team_goals (id INTEGER PRIMARY KEY, title VARCHAR(512), description TEXT, target_value INTEGER, current_value INTEGER, unit VARCHAR(32),
  goal_type VARCHAR(32), period VARCHAR(16), is_active BOOLEAN, created_at DATETIME, updated_at DATETIME);
CREATE TABLE activity_events (id INTEGER PRIMARY KEY, event_type VARCHAR(64), user_id INTEGER, payload TEXT, created_at DATETIME);
CREATE TABLE champ_rank_snapshots (id INTEGER PRIMARY KEY, user_id INTEGER, rank INTEGER, score INTEGER, snapshot_date DATE, UNIQUE (user_id, snapshot_date));
CREATE TABLE champ_scores (id INTEGER PRIMARY KEY, user_id INTEGER, score INTEGER);
`

type Row = Record<string, unknown>

function insert(db: Database.Database, table: string, rows: Row[]) {
  for (const row of rows) {
    const cols = Object.keys(row)
    db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => row[c]))
  }
}

const WERKZEUG = 'scrypt:32768:8:1$abcdefgh12345678$' + '0f'.repeat(64)

export const IOCS: Row[] = [
  { id: 1, type: 'IP', value: '185.220.101.4', analyst: 'guyzw', ticket_id: 'INC-1', comment: 'tor exit', created_at: '2025-01-10 08:00:00', campaign_id: 1, user_id: 2, tags: '["tor","c2"]', submission_method: 'single' },
  { id: 2, type: 'IP', value: '2A0B:4140:0001::0005', analyst: 'guyzw', ticket_id: 'INC-2', comment: 'txt era v6', created_at: '2025-01-11 09:00:00', user_id: 2, submission_method: 'txt' },
  { id: 3, type: 'IP', value: '10.0.0.0/8', analyst: 'admin', ticket_id: 'INC-3', comment: 'whole internal net', created_at: '2025-01-12 09:00:00', user_id: 1 },
  { id: 4, type: 'Domain', value: 'Evil-Payload.COM', analyst: 'guyzw', ticket_id: 'INC-4', comment: 'first sighting', expiration_date: '2099-01-01 00:00:00', created_at: '2025-02-01 10:00:00', campaign_id: 1, user_id: 2, tags: '["apt"]' },
  { id: 5, type: 'Domain', value: 'evil-payload.com.', analyst: 'dana', ticket_id: 'INC-5', comment: 'second sighting', created_at: '2025-01-15 10:00:00.250000', user_id: 3, tags: '["phish","APT"]', submission_method: 'csv' },
  { id: 6, type: 'URL', value: 'HTTP://Phish.Example-Bad.TOP:80/Login', analyst: 'guyzw', ticket_id: 'INC-6', created_at: '2025-02-02 10:00:00', user_id: 2 },
  { id: 7, type: 'URL', value: 'HTTP://X.Y/a', analyst: 'guyzw', ticket_id: 'INC-7', created_at: '2025-02-03 10:00:00', user_id: 2 },
  { id: 8, type: 'URL', value: 'hxxp://c2.bad-actor[.]xyz/gate.php', analyst: 'dana', ticket_id: 'INC-8', created_at: '2025-02-04 10:00:00', user_id: 3 },
  { id: 9, type: 'Hash', value: SHA512, analyst: 'guyzw', ticket_id: 'INC-9', created_at: '2025-02-05 10:00:00', user_id: 2 },
  { id: 10, type: 'Hash', value: SHA256, analyst: 'guyzw', ticket_id: 'INC-10', created_at: '2025-02-06 10:00:00', user_id: 2 },
  { id: 11, type: 'Domain', value: 'expired-stage.top', analyst: 'guyzw', ticket_id: 'INC-11', expiration_date: '2025-03-01 00:00:00', created_at: '2025-02-07 10:00:00', user_id: 2 },
  { id: 12, type: 'Domain', value: 'ghost-analyst.top', analyst: 'Mallory', ticket_id: 'INC-12', created_at: '2025-02-08 10:00:00', user_id: 2, tags: 'not json', submission_method: 'txt' },
  { id: 13, type: 'Email', value: 'Boss@Phish-Corp.TOP', analyst: 'unknown', created_at: '2024-12-01 10:00:00', user_id: 1, submission_method: 'import' },
  { id: 14, type: 'Domain', value: 'misp-fed.top', analyst: 'misp_sync', ticket_id: 'MISP-1', created_at: '2025-02-09 10:00:00', user_id: 4, submission_method: 'misp' },
]
/** Written last, left in the WAL. */
export const WAL_IOC: Row = { id: 15, type: 'Hash', value: '44d88612fea8a8f36de82e1278abb02f', analyst: 'dana', ticket_id: 'INC-15', created_at: '2025-02-10 10:00:00', user_id: 3 }

export interface Fixture {
  root: string
  dataDir: string
  dbFile: string
  threatgateDir: string
  /** Closes the still-open "ZIoCHub" connection and removes the folder. */
  cleanup(): void
}

export function buildFixture(): Fixture {
  const root = mkdtempSync(path.join(tmpdir(), 'ziochub-fixture-'))
  const dataDir = path.join(root, 'data')
  for (const d of ['data/YARA', 'data/YARA_pending', 'static/avatars', 'tg/Main', 'tg/YARA']) mkdirSync(path.join(root, d), { recursive: true })
  const dbFile = path.join(dataDir, 'ziochub.db')
  const db = new Database(dbFile)
  db.pragma('journal_mode = WAL')
  db.exec(SCHEMA)
  insert(db, 'users', [
    { id: 1, username: 'admin', password_hash: WERKZEUG, source: 'local', is_admin: 1, is_active: 1, must_change_password: 0, created_at: '2024-11-01 08:00:00' },
    { id: 2, username: 'guyzw', password_hash: WERKZEUG, source: 'local', is_admin: 0, is_active: 1, must_change_password: 0, created_at: '2024-11-02 08:00:00', last_login_at: '2025-02-10 07:00:00' },
    { id: 3, username: 'Dana', password_hash: null, source: 'ldap', is_admin: 1, is_active: 1, must_change_password: 0, created_at: '2024-11-03 08:00:00' },
    { id: 4, username: 'misp_sync', password_hash: null, source: 'system', is_admin: 0, is_active: 1, must_change_password: 0 },
    { id: 5, username: 'oldtimer', password_hash: WERKZEUG, source: 'local', is_admin: 0, is_active: 0, must_change_password: 1 },
  ])
  insert(db, 'user_profiles', [
    { user_id: 2, display_name: 'Guy Zwerd', role_description: 'Threat hunter', avatar_path: 'avatars/2.png', mute_sound: 1, ambition_popup_disabled: 0, achievement_popup_disabled: 1 },
    { user_id: 3, display_name: 'Dana Levi', role_description: 'SOC lead', avatar_path: '../../etc/passwd' },
  ])
  insert(db, 'user_sessions', [{ user_id: 2, login_at: '2025-02-10 07:00:00', ip_address: '10.1.1.1' }])
  insert(db, 'campaigns', [
    { id: 1, name: 'Op Lantern', description: 'Lantern phishing wave', dir: 'rtl', created_by: 2, created_at: '2025-01-01 00:00:00' },
    { id: 2, name: 'Winter Phish', description: '', dir: 'ltr', created_by: 3, created_at: '2025-01-02 00:00:00' },
  ])
  insert(db, 'iocs', IOCS)
  insert(db, 'ioc_history', [
    { ioc_type: 'Domain', ioc_value: 'deleted-domain.top', event_type: 'created', username: 'guyzw', at: '2025-01-05 09:00:00', payload: '{"ticket_id":"INC-0","comment":"gone now"}' },
    { ioc_type: 'Domain', ioc_value: 'deleted-domain.top', event_type: 'deleted', username: 'admin', at: '2025-01-20 09:00:00', payload: '{"was_expired":false}' },
    { ioc_type: 'Domain', ioc_value: 'evil-payload.com.', event_type: 'created', username: 'dana', at: '2025-01-15 10:00:00', payload: '{"ticket_id":"INC-5"}' },
    { ioc_type: 'Domain', ioc_value: 'Evil-Payload.COM', event_type: 'edited', username: 'guyzw', at: '2025-02-01 10:00:00', payload: '{"comment":["","first sighting"]}' },
    { ioc_type: 'Hash', ioc_value: SHA512, event_type: 'created', username: 'guyzw', at: '2025-02-05 10:00:00', payload: null },
  ])
  insert(db, 'ioc_notes', [
    { ioc_type: 'Domain', ioc_value: 'deleted-domain.top', user_id: 2, content: 'Sinkholed by the registrar', created_at: '2025-01-21 09:00:00' },
    { ioc_type: 'Domain', ioc_value: 'EVIL-PAYLOAD.com', user_id: 3, content: 'Seen in **two** waves', created_at: '2025-02-02 09:00:00' },
  ])
  insert(db, 'yara_rules', [
    { filename: 'approved_rule.yar', analyst: 'guyzw', ticket_id: 'Y-1', comment: 'approved one', uploaded_at: '2025-01-03 00:00:00', campaign_id: 1, quality_points: 3, status: 'approved' },
    { filename: 'pending_rule.yar', analyst: 'dana', ticket_id: 'Y-2', comment: 'waiting', uploaded_at: '2025-01-04 00:00:00', status: 'pending' },
    { filename: 'missing.yar', analyst: 'guyzw', ticket_id: 'Y-3', uploaded_at: '2025-01-05 00:00:00', status: 'approved' },
    { filename: 'broken.yar', analyst: 'guyzw', ticket_id: 'Y-4', uploaded_at: '2025-01-06 00:00:00', status: 'approved' },
  ])
  insert(db, 'system_settings', [
    { key: 'auth_mode', value: 'ldap_with_local_fallback' },
    { key: 'ldap_url', value: 'ldaps://dc.corp.example:636' },
    { key: 'ldap_bind_password', value: SECRETS.ldap },
    { key: 'ldap_user_filter', value: '(sAMAccountName=%(user)s)' },
    { key: 'misp_url', value: 'https://misp.corp.example' },
    { key: 'misp_api_key', value: SECRETS.misp },
    { key: 'automation_fireeye_appliances', value: JSON.stringify([{ name: 'fe1', base_url: 'https://fe1', path: '/x', api_key: SECRETS.fireeye }]) },
    { key: 'misp_last_sync', value: '2025-02-10 00:00:00' },
    { key: 'champs_ticker_messages', value: '[{"text":"Go team","color":"#fff","dir":"ltr"}]' },
  ])
  insert(db, 'sanity_exclusions', [{ value: '185.220.101.4', ioc_type: 'IP', anomaly_type: 'stale_ioc', excluded_by: 'guyzw', excluded_at: '2025-02-01 00:00:00' }])
  insert(db, 'team_goals', [{ title: '50 IOCs a week', target_value: 50, current_value: 0, unit: 'iocs', goal_type: 'ioc_add', period: 'weekly', is_active: 1, created_at: '2025-01-01 00:00:00' }])
  insert(db, 'activity_events', [
    { event_type: 'ioc_submit', user_id: 2, payload: '{"count":1}', created_at: '2025-01-10 08:00:00' },
    { event_type: 'ioc_note_add', user_id: 3, payload: '{"length":21}', created_at: '2025-02-02 09:00:00' },
  ])
  insert(db, 'champ_rank_snapshots', [{ user_id: 2, rank: 1, score: 120, snapshot_date: '2025-02-01' }])
  // The last write stays in the WAL: no checkpoint while this connection is open.
  db.pragma('wal_autocheckpoint = 0')
  insert(db, 'iocs', [WAL_IOC])

  writeFileSync(path.join(dataDir, 'allowlist.txt'), '# critical assets\ndomain:google.com\ncidr:10.0.0.0/8\ntld:gov\ncorp.example\ncidr:192.168.1.7/24\nbad value !!\n')
  writeFileSync(
    path.join(dataDir, 'playbook_custom.json'),
    JSON.stringify({
      custom: [
        { id: 'g1', type: 'group', name: 'Recon' },
        {
          id: 's1',
          type: 'site',
          name: 'VT <b>lookup</b>',
          url: 'https://www.virustotal.com/gui/search/{ioc}',
          isEssential: true,
          tags: ['IP', 'Hash'],
          description: 'Look it up <img src=x onerror=alert(1)> then [click](javascript:alert(2)) or [docs](https://docs.example/vt)',
          groupId: 'g1',
        },
        { id: 's2', type: 'site', name: 'Evil', url: 'javascript:alert(3)', description: '<a href="javascript:alert(5)">x</a>' },
        { id: 'w1', type: 'workflow', name: 'Triage', description: '<script>alert(4)</script><p>1. check</p>', dir: 'rtl' },
      ],
    }),
  )
  const rule = (name: string) => `rule ${name}\n{\n  strings:\n    $a = "evil{"\n  condition:\n    $a\n}\n`
  writeFileSync(path.join(dataDir, 'YARA', 'approved_rule.yar'), rule('approved_rule'))
  writeFileSync(path.join(dataDir, 'YARA', 'broken.yar'), 'rule broken {\n  strings: $a = "x"\n  condition: $a\n')
  writeFileSync(path.join(dataDir, 'YARA', 'orphan rule.yar'), rule('orphan'))
  writeFileSync(path.join(dataDir, 'YARA_pending', 'pending_rule.yar'), rule('pending_rule'))
  writeFileSync(path.join(root, 'static', 'avatars', '2.png'), PNG)

  const main = path.join(root, 'tg', 'Main')
  writeFileSync(
    path.join(main, 'ip.txt'),
    [
      '1.2.3.5 # Date:2026-01-26T06:42:13 | User:guyzw | Ref:12345 | Comment:x | EXP:NEVER',
      '45.9.148.108 # User:Dana | EXP:2099-12-31',
      '203.0.113.77',
      '# a comment line',
      '',
      '91.92.109.33 # Comment:reordered fields | Date:2026-01-20T10:00:00Z | Ref:INC-9 | User:nobody',
    ].join('\n'),
  )
  writeFileSync(path.join(main, 'domain.txt'), 'tg-evil.top # Date:2026-01-02T00:00:00 | User: | Ref: | Comment:empty user | EXP:2020-01-01\nTG-Evil.top\n')
  writeFileSync(path.join(main, 'hash.txt'), `${SHA512} # User:guyzw\n098f6bcd4621d373cade4e832627b4f6 # Date:not-a-date | User:guyzw | EXP:soon\n`)
  writeFileSync(path.join(main, 'yara.txt'), 'tg_rule.yar # Date:2026-01-03T00:00:00 | User:guyzw | Ref:5 | Comment:tg rule\nreadme.txt # User:x\n')
  writeFileSync(path.join(root, 'tg', 'YARA', 'tg_rule.yar'), rule('tg_rule'))

  return {
    root,
    dataDir,
    dbFile,
    threatgateDir: path.join(root, 'tg'),
    cleanup() {
      db.close()
      rmSync(root, { recursive: true, force: true })
    },
  }
}
