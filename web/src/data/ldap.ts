export { ldapSettings, patchLdapSettings, testLdap } from '../api/client'
export type { LdapSettings, LdapSettingsPatch, LdapSettingsView, LdapTestInput, LdapTestResult } from '../api/client'
export { defaultSettings, patchDefaultSettings } from '../api/client'
export type { DefaultSettings, DefaultSettingsPatch } from '../api/client'
