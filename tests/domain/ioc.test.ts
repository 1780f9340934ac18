import { describe, expect, it } from 'vitest'
import {
  cleanIoc,
  detectIocType,
  isCidr,
  IOC_TYPES,
  MAX_IOC_LENGTH,
  parseIoc,
  parseIocLines,
  refang,
  type IocType,
  type IocWarning,
  type ParsedIoc,
} from '../../functions/domain/ioc'

const DROPPED = 'dropped: the indicator covers the host on every port'

/** The canonical value, or the error code, so tables read as input -> outcome. */
function outcome(parsed: ParsedIoc): string {
  return parsed.ok ? `${parsed.type} ${parsed.value}` : `error ${parsed.error.code}`
}

describe('cleanIoc (rule 1)', () => {
  it.each([
    ['  evil.com \t', 'evil.com'],
    ['"evil.com"', 'evil.com'],
    ["'evil.com'", 'evil.com'],
    ['`evil.com`', 'evil.com'],
    ['<http://x.com/y>', 'http://x.com/y'],
    ['(https://x.com)', 'https://x.com'],
    ['evil.com,', 'evil.com'],
    ['evil.com;', 'evil.com'],
    ['evil.com,;,', 'evil.com'],
    ['"  1.2.3.4 ",', '1.2.3.4'],
    ["'https://x.com/a.ps1');", 'https://x.com/a.ps1'],
    ['(evil.com', 'evil.com'],
    ['evil[.]com)', 'evil[.]com'],
    ['`+dfgqdsd[.]ru+`', 'dfgqdsd[.]ru'],
    ['`++clickcease[.]app++`', 'clickcease[.]app'],
    ['("`evil.com`")', 'evil.com'],
  ])('strips the wrapping of %j', (raw, cleaned) => {
    expect(cleanIoc(raw)).toBe(cleaned)
  })

  it.each([
    'evil(.)com',
    'http://x.com/wiki/Foo_(bar)',
    'http://x.com/a?q=1+2',
    "http://x.com/o'reilly'",
  ])('keeps brackets and quotes that balance inside %j', (raw) => {
    expect(cleanIoc(raw)).toBe(raw)
  })

  it('returns an empty string for blank input', () => {
    expect(cleanIoc('  ""  ')).toBe('')
  })
})

describe('refang (rule 2)', () => {
  it.each([
    ['hxxp://evil[.]com', 'http://evil.com'],
    ['hXXps://evil(.)com', 'https://evil.com'],
    ['HXXPS[:]//evil{.}com[/]a', 'https://evil.com/a'],
    ['hxxps[://]evil[.]com', 'https://evil.com'],
    ['fxp://files[.]evil[.]com', 'ftp://files.evil.com'],
    ['FXP://x.com', 'ftp://x.com'],
    ['evil[dot]com', 'evil.com'],
    ['evil(DOT)com', 'evil.com'],
    ['evil{dot}com', 'evil.com'],
    ['evil[ . ]com', 'evil.com'],
    ['user[@]evil.com', 'user@evil.com'],
    ['user(@)evil.com', 'user@evil.com'],
    ['user[at]evil.com', 'user@evil.com'],
    ['user(AT)evil.com', 'user@evil.com'],
    ['user{at}evil.com', 'user@evil.com'],
    ['1.2.3[:]443', '1.2.3:443'],
    ['see hxxp://a[.]b and hxxp://c[.]d', 'see http://a.b and http://c.d'],
  ])('refangs %j', (text, refanged) => {
    expect(refang(text)).toBe(refanged)
  })

  it.each([
    'fxpro.com',
    'evil.myfxp:8080',
    'myhxxp:80',
    'hxxpdomain.com',
    'a[b]c',
    '(.*)',
    'evil[.com',
  ])('leaves %j alone: hxxp and fxp are only rewritten as a scheme', (text) => {
    expect(refang(text)).toBe(text)
  })
})

describe('detectIocType (rule 3)', () => {
  it.each<[string, IocType | null]>([
    ['http://evil.com', 'url'],
    ['ftp://1.2.3.4/x', 'url'],
    ['tcp://1.2.3.4:4444', 'url'],
    ['evil.com/gate.php', 'url'],
    ['evil.com?id=1', 'url'],
    ['evil.com:8080/x', 'url'],
    ['1.2.3.4/gate.php', 'url'],
    ['[2001:db8::1]/x', 'url'],
    ['user@evil.com', 'email'],
    ['mailto:user@evil.com', 'email'],
    ['1.2.3.4', 'ip'],
    ['1.2.3.4:443', 'ip'],
    ['10.0.0.0/8', 'ip'],
    ['2001:db8::1', 'ip'],
    ['2001:db8::/32', 'ip'],
    ['[2001:db8::1]:443', 'ip'],
    ['010.1.1.1', 'ip'],
    ['d41d8cd98f00b204e9800998ecf8427e', 'md5'],
    ['da39a3ee5e6b4b0d3255bfef95601890afd80709', 'sha1'],
    ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'sha256'],
    ['evil.com', 'domain'],
    ['evil.com.', 'domain'],
    ['c2.evil.com:8443', 'domain'],
    ['bücher.de', 'domain'],
    ['invoice.pdf', 'domain'],
    ['Win32/Pterodo.A', null],
    ['T1059.001', null],
    ['1.2.3.4.5', null],
    ['localhost', null],
    ['/index.php?x=1', null],
    ['[...]', null],
    ['', null],
  ])('detects %j as %s', (value, type) => {
    expect(detectIocType(value)).toBe(type)
  })

  it('puts a URL before an email: a URL with userinfo is a URL', () => {
    expect(detectIocType('http://user@evil.com/')).toBe('url')
  })
})

describe('parseIoc: ip normalization', () => {
  it.each([
    ['1.2.3.4', 'ip 1.2.3.4'],
    ['0.0.0.0', 'ip 0.0.0.0'],
    ['185.82.216[.]102', 'ip 185.82.216.102'],
    ['5[.]101.6.132', 'ip 5.101.6.132'],
    ['1.2.3.4/32', 'ip 1.2.3.4'],
    ['10.1.2.0/24', 'ip 10.1.2.0/24'],
    ['10.1.2.0/024', 'ip 10.1.2.0/24'],
    ['0.0.0.0/0', 'ip 0.0.0.0/0'],
    ['2001:DB8:0:0:0:0:0:1', 'ip 2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', 'ip 2001:db8::1:0:0:1'],
    ['2001:0db8::0001', 'ip 2001:db8::1'],
    ['[2001:db8::1]', 'ip 2001:db8::1'],
    ['2001:db8::1/128', 'ip 2001:db8::1'],
    ['2001:DB8::/32', 'ip 2001:db8::/32'],
    ['::ffff:1.2.3.4', 'ip ::ffff:1.2.3.4'],
    ['::', 'ip ::'],
  ])('normalizes %j to %j', (raw, expected) => {
    expect(outcome(parseIoc(raw))).toBe(expected)
  })

  it.each([
    ['1.2.3.4:443', '1.2.3.4', '443'],
    ['[2001:DB8::1]:8443', '2001:db8::1', '8443'],
    ['146.70.86[.]6:1433', '146.70.86.6', '1433'],
  ])('drops the port of %j with a warning', (raw, value, port) => {
    const parsed = parseIoc(raw)
    expect(parsed).toMatchObject({ ok: true, type: 'ip', value })
    expect(parsed.ok && parsed.warnings.map((w) => w.code)).toEqual(['port_dropped'])
    expect(parsed.ok && parsed.warnings[0].message).toContain(port)
  })

  it('rejects a CIDR with host bits set and suggests the network', () => {
    expect(parseIoc('10.1.2.3/24')).toEqual({
      ok: false,
      error: {
        code: 'cidr_host_bits',
        message: 'host bits set in 10.1.2.3/24: the network is 10.1.2.0/24',
        part: '10.1.2.3',
        suggestion: '10.1.2.0/24',
      },
    })
    const v6 = parseIoc('2001:db8::1/32')
    expect(!v6.ok && v6.error.suggestion).toBe('2001:db8::/32')
  })

  it('rejects a leading-zero octet as ambiguous, naming the octet', () => {
    const parsed = parseIoc('010.1.1.1')
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.error).toMatchObject({
      code: 'ambiguous_leading_zero',
      part: '010',
    })
  })

  it('names the octet over 255', () => {
    const parsed = parseIoc('1.2.3.300')
    expect(!parsed.ok && parsed.error.message).toBe('not a valid IPv4 address: octet 300 > 255')
    expect(!parsed.ok && parsed.error.part).toBe('300')
  })
})

describe('parseIoc: domain normalization', () => {
  it.each([
    ['Evil.COM', 'domain evil.com'],
    ['evil.com.', 'domain evil.com'],
    ['evil[.]com', 'domain evil.com'],
    ['ok.ru', 'domain ok.ru'],
    ['a-b.c-d.example', 'domain a-b.c-d.example'],
    ['bücher.de', 'domain xn--bcher-kva.de'],
    ['BÜCHER.DE', 'domain xn--bcher-kva.de'],
    ['пример.рф', 'domain xn--e1afmkfd.xn--p1ai'],
    ['例子.测试', 'domain xn--fsqu00a.xn--0zwm56d'],
    ['xn--e1afmkfd.xn--p1ai', 'domain xn--e1afmkfd.xn--p1ai'],
    ['evil.onion', 'domain evil.onion'],
    [`${'a'.repeat(63)}.com`, `domain ${'a'.repeat(63)}.com`],
  ])('normalizes %j to %j', (raw, expected) => {
    expect(outcome(parseIoc(raw))).toBe(expected)
  })

  it('drops the port of a domain with a warning', () => {
    const parsed = parseIoc('s2.fikofiko[.]top:5673')
    expect(parsed).toEqual({
      ok: true,
      type: 'domain',
      value: 's2.fikofiko.top',
      warnings: [{ code: 'port_dropped', message: `port 5673 ${DROPPED}` }],
    })
  })

  it.each(['archive.zip', 'movie.mov', 'rev.py', 'run.sh', 'notes.one'])(
    'accepts %j (a real TLD that is also a file extension) with a warning',
    (raw) => {
      const parsed = parseIoc(raw)
      expect(parsed.ok && parsed.type).toBe('domain')
      expect(parsed.ok && parsed.warnings.map((w) => w.code)).toEqual(['file_extension_tld'])
    },
  )

  it('does not warn on ordinary TLDs', () => {
    const parsed = parseIoc('evil.com')
    expect(parsed.ok && parsed.warnings).toEqual([])
  })

  it('accepts 253 characters and rejects 254', () => {
    const label = 'a'.repeat(49)
    const ok = `${[label, label, label, label, label].join('.')}.co` // 5*50 + 2 = 252 + 1
    expect(ok.length).toBe(252)
    expect(outcome(parseIoc(`${ok}m`))).toBe(`domain ${ok}m`)
    expect(outcome(parseIoc(`a${ok}m`))).toBe('error invalid_domain')
  })
})

describe('parseIoc: url normalization', () => {
  it.each([
    ['hxxps://evil[.]com/a[.]php?x=1#frag', 'url https://evil.com/a.php?x=1'],
    ['HTTP://EVIL.COM/Path/To?Q=A', 'url http://evil.com/Path/To?Q=A'],
    ['http://evil.com', 'url http://evil.com'],
    ['http://evil.com:80/', 'url http://evil.com/'],
    ['https://evil.com:443/x', 'url https://evil.com/x'],
    ['http://evil.com:443/x', 'url http://evil.com:443/x'],
    ['https://evil.com:8443/x', 'url https://evil.com:8443/x'],
    ['ftp://evil.com:21/x', 'url ftp://evil.com/x'],
    ['evil.com/gate.php', 'url http://evil.com/gate.php'],
    ['evil.com?id=1', 'url http://evil.com?id=1'],
    ['1.2.3.4:8080/x', 'url http://1.2.3.4:8080/x'],
    ['http://[2001:DB8::1]:8080/x', 'url http://[2001:db8::1]:8080/x'],
    ['http://bücher.de/straße', 'url http://xn--bcher-kva.de/straße'],
    ['http://evil.com/a%20b/%7e?x=%41&y=<z>', 'url http://evil.com/a%20b/%7e?x=%41&y=<z>'],
    ['http://evil.com/a/../b/./c', 'url http://evil.com/a/../b/./c'],
    ['http://User:Pass@Evil.com/x', 'url http://User:Pass@evil.com/x'],
    ['http://evil.com./x', 'url http://evil.com/x'],
    ['http://evil.com#only-fragment', 'url http://evil.com'],
    ['`+http://www.cowp.or[.]kr/html/main.asp+`', 'url http://www.cowp.or.kr/html/main.asp'],
  ])('normalizes %j to %j', (raw, expected) => {
    expect(outcome(parseIoc(raw))).toBe(expected)
  })
})

describe('parseIoc: email and hash normalization', () => {
  it.each([
    ['User.Name+tag@Evil.COM', 'email user.name+tag@evil.com'],
    ['decservice@ukr[.]net', 'email decservice@ukr.net'],
    ['user[at]evil[dot]com', 'email user@evil.com'],
    ['mailto:Boss@Corp-Mail.com', 'email boss@corp-mail.com'],
    ['boss@bücher.de', 'email boss@xn--bcher-kva.de'],
    ['D41D8CD98F00B204E9800998ECF8427E', 'md5 d41d8cd98f00b204e9800998ecf8427e'],
    ['DA39A3EE5E6B4B0D3255BFEF95601890AFD80709', 'sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    [
      '`+E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855+`',
      'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ],
  ])('normalizes %j to %j', (raw, expected) => {
    expect(outcome(parseIoc(raw))).toBe(expected)
  })
})

describe('parseIoc: errors (rule 6)', () => {
  // [input, explicit type, code, part]
  it.each<[string, IocType | undefined, string, string | undefined]>([
    ['   ', undefined, 'empty', undefined],
    ['Win32/Pterodo.A', undefined, 'unrecognized', undefined],
    ['1.2.3.4.5', 'ip', 'invalid_ipv4', undefined],
    ['1.2.3.256', undefined, 'invalid_ipv4', '256'],
    ['0x7f.0.0.1', undefined, 'invalid_ipv4', '0x7f'],
    ['http://0x7f.0.0.1/', undefined, 'invalid_ipv4', '0x7f'],
    ['http://1.2.3/', undefined, 'invalid_ipv4', undefined],
    ['01.2.3.4', undefined, 'ambiguous_leading_zero', '01'],
    ['http://010.1.1.1/x', undefined, 'ambiguous_leading_zero', '010'],
    ['2001:db8::1::2', undefined, 'invalid_ipv6', '::'],
    ['2001:db8::12345', undefined, 'invalid_ipv6', '12345'],
    ['fe80::1%eth0', undefined, 'invalid_ipv6', '%eth0'],
    ['1:2:3:4:5:6:7:8:9', undefined, 'invalid_ipv6', undefined],
    ['::ffff:300.1.1.1', undefined, 'invalid_ipv4', '300'],
    ['10.0.0.0/33', undefined, 'invalid_cidr', '33'],
    ['2001:db8::/129', undefined, 'invalid_cidr', '129'],
    ['2001:db8::/x', 'ip', 'invalid_cidr', 'x'],
    ['10.1.2.3/24', undefined, 'cidr_host_bits', '10.1.2.3'],
    ['1.2.3.4:70000', undefined, 'invalid_port', '70000'],
    ['[2001:db8::1]:0', undefined, 'invalid_port', '0'],
    ['http://evil.com:99999/', undefined, 'invalid_port', '99999'],
    ['evil.com:65536', undefined, 'invalid_port', '65536'],
    ['-evil.com', undefined, 'invalid_label', '-evil'],
    ['evil-.com', undefined, 'invalid_label', 'evil-'],
    ['exa_mple.com', undefined, 'invalid_label', 'exa_mple'],
    ['evil..com', undefined, 'invalid_label', ''],
    [`${'a'.repeat(64)}.com`, undefined, 'invalid_label', 'a'.repeat(64)],
    ['server-{1,30}[.]0d2.ru', undefined, 'invalid_label', 'server-{1,30}'],
    ['*.evil.com', undefined, 'invalid_label', '*'],
    ['evil.c0m', undefined, 'invalid_tld', 'c0m'],
    ['Pterodo.A', undefined, 'invalid_tld', 'a'],
    ['NukeSped.KT', undefined, 'invalid_tld', 'kt'],
    ['T1059.001', 'domain', 'invalid_tld', '001'],
    ['localhost', 'domain', 'invalid_domain', 'localhost'],
    ['http://intranet/x', undefined, 'invalid_domain', 'intranet'],
    ['invoice.pdf', undefined, 'file_name', 'pdf'],
    ['Analyzer_sib.msi', undefined, 'file_name', 'msi'],
    ['http://update.exe/x', undefined, 'file_name', 'exe'],
    ['index.php?id=1', undefined, 'file_name', 'php'],
    ['http:///x', undefined, 'invalid_url', undefined],
    ['http://evil.com/a b', undefined, 'invalid_url', ' '],
    ['http://[2001:db8::1/x', undefined, 'invalid_url', '[2001:db8::1'],
    ['.user@evil.com', undefined, 'invalid_email', '.user'],
    ['us"er@evil.com', undefined, 'invalid_email', 'us"er'],
    ['user@evil', undefined, 'invalid_domain', 'evil'],
    ['user@-evil.com', undefined, 'invalid_label', '-evil'],
    ['d41d8cd98f00b204e9800998ecf8427', 'md5', 'invalid_hash', undefined],
    ['z41d8cd98f00b204e9800998ecf8427e', 'md5', 'invalid_hash', 'z'],
    [`${'0C9B448D9F5F'.repeat(6)}CCDC`, undefined, 'invalid_hash', undefined],
    ['http://evil.com/a', 'domain', 'type_mismatch', 'url'],
  ])('rejects %j (type %s) with %s', (raw, type, code, part) => {
    const parsed = parseIoc(raw, { type })
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.error.code).toBe(code)
    expect(parsed.error.part).toBe(part)
    expect(parsed.error.message.length).toBeGreaterThan(5)
  })

  it('rejects input longer than the maximum with too_long', () => {
    const parsed = parseIoc(`http://evil.com/${'a'.repeat(MAX_IOC_LENGTH)}`)
    expect(!parsed.ok && parsed.error.code).toBe('too_long')
  })

  it('says which rule failed on which part', () => {
    const messages = ['-evil.com', 'evil.c0m', 'localhost'].map((raw) => {
      const parsed = parseIoc(raw, { type: 'domain' })
      return parsed.ok ? '' : parsed.error.message
    })
    expect(messages).toEqual([
      "not a valid domain: label '-evil' starts with '-'",
      "not a valid domain: TLD 'c0m' is not alphabetic",
      "not a valid domain: 'localhost' needs at least two labels",
    ])
  })

  it('suggests the address when an IPv4 address ends with a sentence dot', () => {
    const parsed = parseIoc('1.2.3.4.')
    expect(!parsed.ok && parsed.error).toMatchObject({
      code: 'unrecognized',
      suggestion: '1.2.3.4',
    })
  })

  it('suggests the domain for a wildcard', () => {
    const parsed = parseIoc('*.evil.com')
    expect(!parsed.ok && parsed.error.suggestion).toBe('evil.com')
  })

  it('mentions SHA-512 when 128 hex characters are given', () => {
    const parsed = parseIoc('ab'.repeat(64))
    expect(!parsed.ok && parsed.error.code).toBe('invalid_hash')
    expect(!parsed.ok && parsed.error.message).toContain('SHA-512')
  })
})

describe('parseIoc: false positives the predecessor accepted', () => {
  it.each([
    ['invoice.pdf', 'file_name'],
    ['update.exe', 'file_name'],
    ['document.docx', 'file_name'],
    ['payload.ps1', 'file_name'],
    ['gate.php', 'file_name'],
    ['cred64.dll', 'file_name'],
    ['Win32/Pterodo.A', 'unrecognized'],
    ['W64/BURNTCIGAR.CA!tr', 'unrecognized'],
    ['MSIL/Bladabindi.AZ', 'unrecognized'],
    ['T1059.001', 'unrecognized'],
    ['T1566', 'unrecognized'],
    ['1.2.3.4.5', 'unrecognized'],
    ['1.2.3', 'unrecognized'],
    ['2.6.5', 'unrecognized'],
    ['Glupteba.AY', 'invalid_tld'],
    ['/plugins/cred.dll', 'unrecognized'],
    ['%APPDATA%\\Explorer\\browsms.exe', 'unrecognized'],
    ['hello world', 'unrecognized'],
  ])('rejects %j with %s', (raw, code) => {
    expect(outcome(parseIoc(raw))).toBe(`error ${code}`)
  })

  it('explains what an unrecognized value looks like', () => {
    const message = (raw: string) => {
      const parsed = parseIoc(raw)
      return parsed.ok ? '' : parsed.error.message
    }
    expect(message('T1059.001')).toContain('ATT&CK technique id')
    expect(message('1.2.3.4.5')).toContain('version number (5 parts; IPv4 has 4)')
    expect(message('Win32/Pterodo.A')).toContain('AV detection name')
    expect(message('/gate.php')).toContain('path without a host')
  })

  it('keeps a boundary: a mailbox is an email, not the domain inside it', () => {
    expect(outcome(parseIoc('boss@corp-mail.com'))).toBe('email boss@corp-mail.com')
  })
})

describe('parseIoc: explicit type (rule 5)', () => {
  it.each<[string, IocType, string]>([
    ['http://evil.com/a', 'domain', 'looks like a URL, not a domain'],
    ['evil.com', 'url', 'looks like a domain, not a URL'],
    ['1.2.3.4', 'domain', 'looks like an IP address, not a domain'],
    ['user@evil.com', 'domain', 'looks like an email address, not a domain'],
    ['evil.com', 'ip', 'looks like a domain, not an IP address'],
    ['da39a3ee5e6b4b0d3255bfef95601890afd80709', 'md5', 'looks like a SHA-1 hash, not an MD5 hash'],
    ['d41d8cd98f00b204e9800998ecf8427e', 'sha256', 'looks like an MD5 hash, not a SHA-256 hash'],
    ['10.0.0.0/8', 'url', 'looks like an IP address, not a URL'],
  ])('rejects %j submitted as %s', (raw, type, message) => {
    expect(parseIoc(raw, { type })).toEqual({
      ok: false,
      error: { code: 'type_mismatch', message, part: detectIocType(refang(raw)) },
    })
  })

  it.each<[string, IocType, string]>([
    ['hxxp://evil[.]com/x', 'url', 'url http://evil.com/x'],
    ['evil[.]com', 'domain', 'domain evil.com'],
    ['1.2.3.4', 'ip', 'ip 1.2.3.4'],
    ['D41D8CD98F00B204E9800998ECF8427E', 'md5', 'md5 d41d8cd98f00b204e9800998ecf8427e'],
  ])('accepts %j submitted as its own type %s', (raw, type, expected) => {
    expect(outcome(parseIoc(raw, { type }))).toBe(expected)
  })

  it('gives the rule of the named type when the value matches no type', () => {
    const parsed = parseIoc('1.2.3.4.5', { type: 'ip' })
    expect(!parsed.ok && parsed.error.message).toBe(
      'not a valid IPv4 address: expected 4 octets, got 5',
    )
  })

  it('accepts every declared type name', () => {
    expect(IOC_TYPES).toEqual(['ip', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256'])
  })
})

describe('isCidr', () => {
  it.each([
    ['10.0.0.0/8', true],
    ['2001:db8::/32', true],
    ['10.0.0.1', false],
    ['2001:db8::1', false],
    ['evil.com/x', false],
  ])('says %j is a network: %s', (value, expected) => {
    expect(isCidr(value)).toBe(expected)
  })

  it('agrees with parseIoc: /32 becomes an address, /24 stays a network', () => {
    const host = parseIoc('1.2.3.4/32')
    const net = parseIoc('1.2.3.0/24')
    expect(host.ok && isCidr(host.value)).toBe(false)
    expect(net.ok && isCidr(net.value)).toBe(true)
  })
})

describe('parseIocLines', () => {
  it('parses each non-empty, non-comment line with 1-based input line numbers', () => {
    const warnings: IocWarning[] = []
    const text = '# head\r\n\r\nhxxp://evil[.]com/x\r\n \r\n1.2.3.4:80\r\nnot an ioc\n#c\nevil.com'
    expect(parseIocLines(text)).toEqual([
      { line: 3, raw: 'hxxp://evil[.]com/x', type: 'url', value: 'http://evil.com/x', warnings },
      {
        line: 5,
        raw: '1.2.3.4:80',
        type: 'ip',
        value: '1.2.3.4',
        warnings: [{ code: 'port_dropped', message: `port 80 ${DROPPED}` }],
      },
      {
        line: 6,
        raw: 'not an ioc',
        error: {
          code: 'unrecognized',
          message: "not an IOC: 'not an ioc' contains whitespace (one indicator per line)",
        },
      },
      { line: 8, raw: 'evil.com', type: 'domain', value: 'evil.com', warnings: [] },
    ])
  })

  it('drops a trailing " # comment" but keeps a URL fragment mark', () => {
    const items = parseIocLines('1.2.3.4\t# scanner\nevil.com # c2\nhttp://x.com/#a')
    expect(items.map((item) => ('value' in item ? item.value : item.error.code))).toEqual([
      '1.2.3.4',
      'evil.com',
      'http://x.com/',
    ])
    expect(items[0].raw).toBe('1.2.3.4\t# scanner')
  })

  it('applies an explicit type to every line', () => {
    const items = parseIocLines('evil.com\nhttp://evil.com/', { type: 'domain' })
    expect(items.map((item) => ('error' in item ? item.error.code : item.type))).toEqual([
      'domain',
      'type_mismatch',
    ])
  })

  it('returns nothing for blank or comment-only text', () => {
    expect(parseIocLines('\n  \n# only\n\t#x\n')).toEqual([])
  })
})

describe('linear time on pathological input', () => {
  const big = 5 * 1024 * 1024
  it.each([
    ['letters', 'a'.repeat(big)],
    ['opening brackets', '('.repeat(big)],
    ['quotes', '"'.repeat(big)],
    ['spaces then a dot', `${' '.repeat(big)}.`],
    ['dotted digits', '1.'.repeat(big / 2)],
    ['colons', ':'.repeat(big)],
    ['at signs', 'a@'.repeat(big / 2)],
    ['defang brackets', '[ '.repeat(big / 2)],
    ['hex', 'a'.repeat(big)],
    ['commas', `x${','.repeat(big)}`],
    ['percent runs', `%${'a'.repeat(big)}`],
  ])('returns an error for a 5 MB line of %s', { timeout: 10_000 }, (_name, line) => {
    const parsed = parseIoc(line)
    expect(parsed.ok).toBe(false)
    const items = parseIocLines(`${line} #${' '.repeat(1000)}#`)
    expect(items).toHaveLength(1)
    expect(refang(line).length).toBeGreaterThan(0)
    expect([null, 'url', 'ip', 'email', 'domain', 'md5']).toContain(detectIocType(line))
  })
})
