import { describe, expect, it } from 'vitest'
import { appliesTo, fillTemplate, playbookHref, templateProblem } from '../../functions/domain/playbook'

describe('playbook URL templates', () => {
  it('accepts http(s) templates with {value} and {type} in the path or query, and static links', () => {
    for (const url of ['https://www.virustotal.com/gui/search/{value}', 'http://siem.corp:8443/s?q={value}&t={type}', 'https://otx.alienvault.com/', 'https://x.example/#/{type}/{value}']) {
      expect(templateProblem(url), url).toBeNull()
    }
  })

  it('names what is wrong with an unsafe template', () => {
    expect(templateProblem('javascript:alert(1)')?.code).toBe('unsafe_scheme')
    expect(templateProblem(' data:text/html,x')?.code).toBe('unsafe_scheme')
    expect(templateProblem('https://{value}.evil/')?.code).toBe('placeholder_in_host')
    expect(templateProblem('https://a.example/%7Bvalue%7D')?.code).toBe('encoded_placeholder')
    expect(templateProblem('https://a.example/{VALUE}')?.code).toBe('unknown_placeholder')
    expect(templateProblem('https://a.example/{value}}')?.code).toBe('unbalanced_brace')
    expect(templateProblem('https://u@a.example/{value}')?.code).toBe('credentials')
  })

  it('encodes the value, so an IOC cannot add query parameters, leave the path or change the site', () => {
    expect(fillTemplate('https://a.example/s?q={value}&t={type}', 'url', 'http://x.test/a?b=1&c=2#f')).toBe('https://a.example/s?q=http%3A%2F%2Fx.test%2Fa%3Fb%3D1%26c%3D2%23f&t=url')
    expect(fillTemplate('https://a.example/p/{value}', 'domain', '../../admin')).toBe('https://a.example/p/..%2F..%2Fadmin')
    expect(playbookHref('https://a.example/{value}', 'email', 'a@b.test')).toBe('https://a.example/a%40b.test')
    expect(playbookHref('javascript:alert(1)', 'ip', '1.2.3.4')).toBeNull()
    expect(playbookHref(null, 'ip', '1.2.3.4')).toBeNull()
  })

  it('applies to every type when no type is chosen', () => {
    expect(appliesTo([], 'sha256')).toBe(true)
    expect(appliesTo(['ip', 'domain'], 'domain')).toBe(true)
    expect(appliesTo(['ip'], 'url')).toBe(false)
  })
})
