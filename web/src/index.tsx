import '@fontsource/rubik/400.css'
import '@fontsource/rubik/500.css'
import '@fontsource/rubik/700.css'
import './styles/base.css'
import './styles/layout.css'
import './styles/components.css'
import './styles/pages.css'
import './styles/iocs.css'
import './styles/feeds.css'
import './styles/imports.css'
import './styles/admin.css'
import './styles/analytics.css'
import { Router } from '@solidjs/router'
import { render } from 'solid-js/web'
import { App } from './app'
import { applyLocale } from './i18n'
import { applyTheme } from './lib/theme'
import { routes } from './routes'

// Before the first render, so the page never flashes the wrong theme or direction.
applyTheme()
applyLocale()

const root = document.getElementById('root')
if (root) render(() => <Router root={App}>{routes}</Router>, root)
