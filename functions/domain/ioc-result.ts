import type { IocError, IocWarning } from './ioc'

/** What a per-type normalizer returns: the canonical value, or the first rule the input broke. */
export type Normalized =
  | { ok: true; value: string; warnings: IocWarning[] }
  | { ok: false; error: IocError }

export function pass(value: string, warnings: IocWarning[] = []): Normalized {
  return { ok: true, value, warnings }
}

export function fail(
  code: string,
  message: string,
  extra: { part?: string; suggestion?: string } = {},
): Normalized & { ok: false } {
  const error: IocError = { code, message }
  if (extra.part !== undefined) error.part = extra.part
  if (extra.suggestion !== undefined) error.suggestion = extra.suggestion
  return { ok: false, error }
}

/** Quotes user input inside a message, cut short so a pasted megabyte does not end up in the UI. */
export function quote(text: string): string {
  return `'${text.length > 80 ? `${text.slice(0, 77)}...` : text}'`
}
