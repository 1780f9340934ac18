import type { RouteDefinition } from '@solidjs/router'
import { lazy } from 'solid-js'
import { RequireAuth } from './components/RequireAuth'

// Signed-in screens live under the guard; later issues add their pages here and in nav.ts.
export const routes: RouteDefinition[] = [
  { path: '/login', component: lazy(() => import('./pages/LoginPage')) },
  {
    path: '/',
    component: RequireAuth,
    children: [
      { path: '/', component: lazy(() => import('./pages/OverviewPage')) },
      { path: '/submit', component: lazy(() => import('./pages/SubmitPage')) },
      { path: '/search', component: lazy(() => import('./pages/SearchPage')) },
      { path: '/campaigns', component: lazy(() => import('./pages/CampaignsPage')) },
      { path: '/campaigns/:id', component: lazy(() => import('./pages/CampaignPage')) },
      { path: '/admin/allowlist', component: lazy(() => import('./pages/AllowlistPage')) },
      { path: '/feeds', component: lazy(() => import('./pages/FeedsPage')) },
      { path: '/yara', component: lazy(() => import('./pages/YaraPage')) },
      { path: '/yara/new', component: lazy(() => import('./pages/YaraNewPage')) },
      { path: '/yara/:id', component: lazy(() => import('./pages/YaraRulePage')) },
      { path: '/stats', component: lazy(() => import('./pages/StatsPage')) },
      { path: '/champs', component: lazy(() => import('./pages/ChampsPage')) },
      { path: '/reports', component: lazy(() => import('./pages/ReportsPage')) },
      { path: '/pulse', component: lazy(() => import('./pages/PulsePage')) },
      { path: '/admin/playbook', component: lazy(() => import('./pages/PlaybookPage')) },
      { path: '/graph', component: lazy(() => import('./pages/GraphPage')) },
      {
        path: '/admin/feed-consumers',
        component: lazy(() => import('./pages/FeedConsumersPage')),
      },
      { path: '/admin/custom-feeds', component: lazy(() => import('./pages/CustomFeedsPage')) },
      { path: '/admin/users', component: lazy(() => import('./pages/UsersPage')) },
      { path: '/admin/audit', component: lazy(() => import('./pages/AuditPage')) },
      { path: '/admin/misp', component: lazy(() => import('./pages/MispPage')) },
      { path: '/admin/tls', component: lazy(() => import('./pages/TlsPage')) },
      { path: '/admin/settings', component: lazy(() => import('./pages/SettingsPage')) },
      { path: '/profile', component: lazy(() => import('./pages/ProfilePage')) },
      { path: '/change-password', component: lazy(() => import('./pages/ChangePasswordPage')) },
      { path: '*404', component: lazy(() => import('./pages/NotFoundPage')) },
    ],
  },
]
