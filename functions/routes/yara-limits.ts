import { ApiError, fieldError } from '../lib/errors'

/** A `bodyLimit` onError (or a direct throw): 413 with the limit in `details.maxBytes`. */
export const tooLarge = (max: number, what: string) => (): never => {
  throw new ApiError(413, 'payload_too_large', `${what} may be at most ${max} bytes`, { maxBytes: max })
}

/** UTF-8 text of an uploaded file (a BOM dropped); 413 over the limit, 422 when it is not text. */
export async function readTextFile(file: File, field: string, max: number, what: string): Promise<string> {
  if (file.size > max) tooLarge(max, what)()
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer())
  } catch {
    throw fieldError(422, field, 'is not UTF-8 text', 'not_text')
  }
}
