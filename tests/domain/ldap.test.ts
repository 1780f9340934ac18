import { describe, expect, it } from 'vitest'
import { escapeFilterValue, normalizeDn, roleFromGroups, userFilter } from '../../functions/domain/ldap'
import { LdapConfig, LdapFilter } from '../../schema/contracts/ldap'

describe('RFC 4515 escaping', () => {
  it('escapes the filter metacharacters and NUL', () => {
    expect(escapeFilterValue('*)(uid=*')).toBe('\\2a\\29\\28uid=\\2a')
    expect(escapeFilterValue('a\\b')).toBe('a\\5cb')
    expect(escapeFilterValue('x\0y')).toBe('x\\00y')
    expect(escapeFilterValue('דנה.כהן')).toBe('דנה.כהן')
  })

  it('fills every {username} placeholder', () => {
    expect(userFilter('(|(uid={username})(mail={username}))', 'a*')).toBe('(|(uid=a\\2a)(mail=a\\2a))')
  })
})

describe('group → role', () => {
  const groups = [
    { dn: 'cn=Viewers,ou=g,dc=x', role: 'viewer' as const },
    { dn: 'cn=Admins,ou=g,dc=x', role: 'admin' as const },
    { dn: 'cn=SOC,ou=g,dc=x', role: 'analyst' as const },
  ]

  it('takes the highest role whatever the order of the mappings, comparing DNs loosely', () => {
    expect(roleFromGroups(groups, ['CN=admins, OU=g, DC=x', 'cn=viewers,ou=g,dc=x'])).toBe('admin')
    expect(roleFromGroups(groups, ['cn=viewers,ou=g,dc=x', 'cn=soc,ou=g,dc=x'])).toBe('analyst')
    expect(roleFromGroups(groups, ['cn=viewers,ou=g,dc=x'])).toBe('viewer')
    expect(roleFromGroups(groups, ['cn=finance,ou=g,dc=x'])).toBeNull()
    expect(normalizeDn(' CN=A , DC=B ')).toBe('cn=a,dc=b')
  })
})

describe('settings validation', () => {
  it('needs the placeholder and one balanced filter', () => {
    expect(LdapFilter.safeParse('(uid={username})').success).toBe(true)
    expect(LdapFilter.safeParse('(uid=alice)').success).toBe(false)
    expect(LdapFilter.safeParse('(uid={username}').success).toBe(false)
    expect(LdapFilter.safeParse('uid={username}').success).toBe(false)
  })

  it('accepts ldap:// and ldaps:// only', () => {
    const url = LdapConfig.shape.url
    expect(url.safeParse('ldaps://dc1.corp.example:636').success).toBe(true)
    expect(url.safeParse('ldap://10.0.0.5').success).toBe(true)
    expect(url.safeParse('https://dc1.corp.example').success).toBe(false)
    expect(url.safeParse('ldap://u:p@dc1.corp.example').success).toBe(false)
    expect(url.safeParse('ldap://dc1/dc=x').success).toBe(false)
  })
})
