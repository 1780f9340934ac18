import { Hono } from 'hono'
import { z } from 'zod'
import * as auditC from '../../schema/contracts/audit'
import * as authC from '../../schema/contracts/auth'
import { ErrorBody } from '../../schema/contracts/common'
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
}

/** Every API route. A test compares this list with the routes the app really has. */
export const OPERATIONS: Operation[] = [
  { method: 'get', path: '/health', summary: 'Liveness, database and disk check, version, last job runs (no auth)', auth: false, response: authC.Health, errors: [503] },
  { method: 'post', path: '/api/v1/auth/login', summary: 'Sign in; sets the moat_session (HttpOnly) and moat_csrf cookies', auth: false, body: authC.LoginInput, response: authC.LoginResult, errors: [400, 401, 415, 429] },
  { method: 'post', path: '/api/v1/auth/logout', summary: 'Sign out everywhere (ends every session of the user)', auth: true, status: 204, errors: [401, 403] },
  { method: 'get', path: '/api/v1/auth/me', summary: 'The signed-in user and the CSRF token of this session', auth: true, response: authC.MeResult, errors: [401] },
  { method: 'patch', path: '/api/v1/auth/me', summary: 'Update own profile (display name, email, role description, language, theme)', auth: true, body: authC.ProfileInput, response: z.object({ user: authC.Me }), errors: [400, 401, 403, 415] },
  { method: 'post', path: '/api/v1/auth/password', summary: 'Change own password (ends other sessions)', auth: true, body: authC.PasswordChangeInput, response: authC.MeResult, errors: [400, 401, 403, 409, 422] },
  { method: 'post', path: '/api/v1/auth/me/avatar', summary: 'Upload own avatar: multipart field `file`, PNG/JPEG/GIF/WebP by content, at most 1 MiB', auth: true, body: 'multipart', response: z.object({ user: authC.Me }), errors: [400, 401, 403, 413, 415] },
  { method: 'delete', path: '/api/v1/auth/me/avatar', summary: 'Remove own avatar', auth: true, response: z.object({ user: authC.Me }), errors: [401, 403] },
  { method: 'get', path: '/api/v1/users/{id}/avatar', summary: "A user's avatar image", auth: true, errors: [401, 404] },
  { method: 'get', path: '/api/v1/audit', summary: 'Audit records, newest first (admin); query: limit, cursor, action', auth: true, query: auditC.AuditQuery, response: auditC.AuditPage, errors: [400, 401, 403] },
  { method: 'get', path: '/api/v1/openapi.json', summary: 'This document', auth: true, errors: [401] },
]

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input: details.fields names each field and the reason',
  401: 'Not signed in, session expired or revoked, or wrong credentials',
  403: 'Role not allowed, CSRF token missing, or password change required',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Body too large',
  415: 'Wrong content type',
  422: 'Understood but refused (see error.code)',
  429: 'Too many attempts; see Retry-After',
  503: 'Database unavailable',
}

const schemaOf = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' })

export function buildOpenApi(version: string) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const op of OPERATIONS) {
    const responses: Record<string, unknown> = {}
    responses[String(op.status ?? 200)] = op.response
      ? { description: 'OK', content: { 'application/json': { schema: schemaOf(op.response) } } }
      : { description: 'OK' }
    for (const code of op.errors) {
      responses[String(code)] = { description: ERROR_TEXT[code], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
    }
    const requestBody =
      op.body === 'multipart'
        ? { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } } } }
        : op.body
          ? { required: true, content: { 'application/json': { schema: schemaOf(op.body) } } }
          : undefined
    const parameters = [
      ...[...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'integer' } })),
      ...Object.entries(op.query?.shape ?? {}).map(([name, s]) => ({ name, in: 'query', required: false, schema: schemaOf(s as z.ZodType) })),
    ]
    paths[op.path] ??= {}
    paths[op.path][op.method] = {
      summary: op.summary,
      security: op.auth ? [{ cookieSession: [] }] : [],
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Moat API',
      version,
      description:
        'Errors are {"error":{"code","message","details"}}. Cookie-authenticated writes must send X-CSRF-Token equal to the moat_csrf cookie.',
    },
    servers: [{ url: '/' }],
    components: {
      schemas: { Error: schemaOf(ErrorBody) },
      securitySchemes: {
        cookieSession: { type: 'apiKey', in: 'cookie', name: 'moat_session' },
        csrfHeader: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
      },
    },
    paths,
  }
}

export const openapi = new Hono<AppEnv>()
  .use('/*', requireAuth)
  .get('/', (c) => c.json(buildOpenApi(c.env.MOAT_VERSION ?? 'dev')))
