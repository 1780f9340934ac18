import type { IocType } from '../../../functions/domain/ioc'
import { isolate } from './format'
import { t, tryT } from './index'

/** Short type label: "IP", "Domain", "SHA-256". */
export const typeLabel = (type: string) => tryT(`ioc.types.${type}`) ?? type

export const statusLabel = (status: string) => tryT(`ioc.statuses.${status}`) ?? status

export const severityLabel = (severity: string) => tryT(`ioc.severities.${severity}`) ?? severity

export const eventLabel = (event: string) => tryT(`history.events.${event}`) ?? event

/** Parser error codes listed at the top of functions/domain/ioc.ts. */
export const IOC_ERROR_CODES = new Set([
  'empty',
  'too_long',
  'unrecognized',
  'type_mismatch',
  'invalid_ipv4',
  'ambiguous_leading_zero',
  'invalid_ipv6',
  'invalid_cidr',
  'cidr_host_bits',
  'invalid_port',
  'invalid_label',
  'invalid_tld',
  'invalid_domain',
  'file_name',
  'invalid_url',
  'invalid_email',
  'invalid_hash',
])

/**
 * A parser error in the active language: a translated title and, when the title alone does not
 * say it all, the parser's English detail ("octet 300 > 255"), which names the exact broken part.
 */
export function iocErrorParts(
  error: { code: string; message: string; part?: string },
  wanted?: IocType | '',
): { title: string; detail?: string } {
  if (error.code === 'empty') return { title: t('iocErrors.empty') }
  if (error.code === 'type_mismatch' && error.part && wanted) {
    return {
      title: t('iocErrors.type_mismatch', {
        detected: tryT(`ioc.typeNames.${error.part}`) ?? error.part,
        wanted: tryT(`ioc.typeNames.${wanted}`) ?? wanted,
      }),
    }
  }
  const title = tryT(`iocErrors.${error.code}`) ?? t('iocErrors.generic')
  return error.message ? { title, detail: error.message } : { title }
}

/** The same as one sentence (for alerts and field errors). */
export function iocErrorText(
  error: { code: string; message: string; part?: string },
  wanted?: IocType | '',
): string {
  const { title, detail } = iocErrorParts(error, wanted)
  return detail ? t('iocErrors.withDetail', { title, detail: isolate(detail) }) : title
}

/** A parser or sanity warning: translated title, English detail. */
export function warningTitle(code: string): string {
  return tryT(`iocWarnings.${code}`) ?? t('iocWarnings.generic')
}
