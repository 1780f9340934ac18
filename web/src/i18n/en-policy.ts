// Default lifetime per IOC type and the sanity mode for critical hits (English reference; he-policy.ts mirrors it).
export const enPolicy = {
  policy: {
    groups: {
      ip: 'IP addresses and networks',
      domain: 'Domains',
      url: 'URLs',
      email: 'Email addresses',
      hash: 'File hashes',
    },
    groupShort: { ip: 'IP', domain: 'domain', url: 'URL', email: 'email', hash: 'hash' },
    ttlByTypeTitle: 'Lifetime per type',
    ttlByTypeHint: 'A type left on “Default” gets the default lifetime above. File hashes are MD5, SHA-1 and SHA-256 alike. A lifetime the submitter chooses always wins. MISP pulls use the lifetimes of the MISP tab.',
    inherit: 'Default ({{ ttl }})',
    modeTitle: 'Critical sanity hits',
    mode: 'Who may confirm a critical hit',
    modes: {
      block_all: 'Nobody: block for everyone',
      block_non_admin: 'Admins only: block analysts (recommended)',
      warn_all: 'Anyone: a warning like the others',
    },
    modeHelp: {
      block_all: 'Critical values are refused on every path, admins included.',
      block_non_admin: 'Analysts, their API tokens and MISP pulls are refused; an admin sees a warning and may confirm.',
      warn_all: 'Critical values are ordinary warnings that any analyst may confirm.',
    },
    criticalList: 'Critical: registry zones (co.uk, gov.il), public DNS resolvers (8.8.8.8, 1.1.1.1) and networks holding one, 0.0.0.0, loopback, the broadcast address and hashes of an empty file. It applies to single submissions, API tokens, bulk imports and MISP pulls.',
    blockedTitle: 'Blocked by a critical sanity check',
    blockedBody: '{{ check }}: the sanity mode does not let analysts submit this value. Ask an admin if it really must be blocked.',
    blockedBodyAll: '{{ check }}: the sanity mode refuses this value for everyone.',
    blockedRow: 'Blocked: {{ check }} (only an admin can import it)',
    blockedRowAll: 'Blocked: {{ check }} (refused for everyone)',
    defaultFor: 'Default ({{ type }}): {{ ttl }}',
    defaultAny: 'Default lifetime ({{ ttl }})',
    bulkDefault: 'Default for each type',
    bulkDefaultHint: 'Default lifetimes: {{ list }}.',
    criticalNote: 'A critical hit: analysts cannot submit it; you may confirm as an admin.',
  },
}
