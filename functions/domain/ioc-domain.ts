import punycode from 'punycode/punycode.js'
import { checkPort, portDropped } from './ioc-ip'
import { fail, pass, quote, type Normalized } from './ioc-result'
import type { IocWarning } from './ioc'

const DOMAIN_ERROR = 'not a valid domain'

// Every delegated two-letter TLD (ISO 3166 country codes in the root zone). Two letters are what
// AV detection names end in (`Spy.Agent.KT`, `Pterodo.GX`), so an unknown pair is not a domain.
const COUNTRY_TLDS = new Set(
  `ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo bq br bs
  bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee
  eg er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm
  hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc
  li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc
  ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa
  sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to
  tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw`.split(/\s+/),
)

// File extensions seen in IOC reports that are not delegated TLDs: `invoice.pdf` is a file name.
// A test checks this list against the root-zone TLDs in the MISP second-level-tlds warninglist.
export const FILE_EXTENSIONS = new Set(
  `exe dll sys drv ocx cpl scr pif msi msp mst lnk url hta chm jar class apk ipa dmg pkg deb
  rpm elf dylib bin dat tmp bak log ini cfg conf inf reg key pem crt cer der csr pfx pdf doc docx
  docm dotm xls xlsx xlsm xlsb xlam xll ppt pptx pptm pps ppsx ppsm rtf odt ods odp txt csv xml
  json yaml yml htm html xhtml php phtml asp aspx jsp cgi js jse vbs vbe wsf wsh bat cmd ps1 psm1
  psd1 bash pyc pyw rar gz tgz bz2 xz tar arj lzh ace 7z iso img vhd vhdx png jpg jpeg gif bmp svg
  ico tif tiff webp mp3 mp4 avi wav mkv ogg flac wmv webm mpeg mpg eml msg pst ost db sqlite mdb
  accdb dmp evtx pcap pcapng torrent plist iqy slk`.split(/\s+/),
)

// Delegated TLDs that are also common file extensions: accepted, with a warning to double-check.
export const FILE_EXTENSION_TLDS = new Set(['zip', 'mov', 'py', 'sh', 'one', 'cab', 'pub'])

function labelError(label: string, why: string): Normalized {
  return fail('invalid_label', `${DOMAIN_ERROR}: label ${quote(label)} ${why}`, { part: label })
}

/** Checks one DNS label (already lowercase ASCII); returns the rule it breaks, if any. */
function checkLabel(label: string): Normalized | null {
  if (label === '') {
    return fail('invalid_label', `${DOMAIN_ERROR}: empty label (two dots in a row)`, { part: '' })
  }
  if (label.length > 63) return labelError(label, `is ${label.length} characters (max 63)`)
  const bad = /[^a-z0-9-]/.exec(label)
  if (bad) return labelError(label, `contains '${bad[0]}'`)
  if (label.startsWith('-')) return labelError(label, "starts with '-'")
  if (label.endsWith('-')) return labelError(label, "ends with '-'")
  return null
}

function checkLabels(labels: string[]): Normalized | null {
  for (const label of labels) {
    const broken = checkLabel(label)
    if (broken) return broken
  }
  return null
}

/** Checks the last label; file extensions get their own code so the UI can say "file name". */
function checkTld(tld: string, domain: string): Normalized | null {
  if (tld.startsWith('xn--')) return null
  if (FILE_EXTENSIONS.has(tld)) {
    const message = `${quote(domain)} looks like a file name: '.${tld}' is not a TLD`
    return fail('file_name', message, { part: tld })
  }
  if (!/^[a-z]+$/.test(tld)) {
    return fail('invalid_tld', `${DOMAIN_ERROR}: TLD '${tld}' is not alphabetic`, { part: tld })
  }
  if (tld.length === 1) {
    return fail('invalid_tld', `${DOMAIN_ERROR}: TLD '${tld}' has one letter`, { part: tld })
  }
  if (tld.length === 2 && !COUNTRY_TLDS.has(tld)) {
    const message = `${DOMAIN_ERROR}: '.${tld}' is not a country-code TLD`
    return fail('invalid_tld', message, { part: tld })
  }
  return null
}

/** Lowercases, converts IDN to punycode, drops the root dot, then checks labels, TLD and length. */
export function normalizeDomain(input: string): Normalized {
  let domain = input.normalize('NFC').toLowerCase()
  if (domain.endsWith('.')) domain = domain.slice(0, -1)
  if (domain.startsWith('*.')) {
    return fail('invalid_label', `${DOMAIN_ERROR}: wildcard '*.' (submit the domain itself)`, {
      part: '*',
      suggestion: domain.slice(2),
    })
  }
  if (/[^\x00-\x7f]/.test(domain)) {
    try {
      domain = punycode.toASCII(domain)
    } catch {
      const message = `${DOMAIN_ERROR}: ${quote(domain)} cannot be converted to punycode`
      return fail('invalid_label', message)
    }
  }
  const labels = domain.split('.')
  if (labels.length < 2) {
    return fail('invalid_domain', `${DOMAIN_ERROR}: ${quote(domain)} needs at least two labels`, {
      part: domain,
    })
  }
  const tld = labels[labels.length - 1]
  // `Analyzer_sib.msi` is a file name first; the underscore is beside the point.
  const broken = (FILE_EXTENSIONS.has(tld) ? checkTld(tld, domain) : null) ?? checkLabels(labels)
  if (broken) return broken
  const badTld = checkTld(tld, domain)
  if (badTld) return badTld
  if (domain.length > 253) {
    return fail('invalid_domain', `${DOMAIN_ERROR}: ${domain.length} characters (max 253)`)
  }
  const warnings: IocWarning[] = []
  if (FILE_EXTENSION_TLDS.has(tld)) {
    warnings.push({
      code: 'file_extension_tld',
      message: `'.${tld}' is a real TLD but also a file extension: check ${domain} is not a file`,
    })
  }
  return pass(domain, warnings)
}

/** A `domain` IOC may carry a port (`c2.example.com:8443`), dropped like an IP's. */
export function normalizeDomainIoc(value: string): Normalized {
  const colon = value.lastIndexOf(':')
  if (colon < 0) return normalizeDomain(value)
  const port = value.slice(colon + 1)
  const domain = normalizeDomain(value.slice(0, colon))
  if (!domain.ok || port === '') return domain
  const checked = checkPort(port)
  if (!checked.ok) return checked
  return pass(domain.value, [...domain.warnings, portDropped(checked.value)])
}
