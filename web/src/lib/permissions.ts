import type { Me } from '../../../schema/contracts/auth'

type Who = Pick<Me, 'id' | 'role'> | null | undefined

// The server enforces all of this; the UI only hides controls that would answer 403.

/** Admins and analysts submit, exclude and write notes; viewers only read. */
export const canWrite = (me: Who) => me?.role === 'admin' || me?.role === 'analyst'

/** Edit and delete: admins on any IOC, analysts on their own. */
export const canModify = (me: Who, ioc: { createdBy: { id: number } }) =>
  me?.role === 'admin' || (me?.role === 'analyst' && ioc.createdBy.id === me.id)

export const isAdmin = (me: Who) => me?.role === 'admin'
