export { mispRuns, mispSettings, patchMispSettings, pullMisp, testMisp } from '../api/client'
export type { MispRun, MispSettings, MispSettingsPatch, MispSettingsView, MispState } from '../api/client'
