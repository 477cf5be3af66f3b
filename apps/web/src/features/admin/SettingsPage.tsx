import { Alert, Group, Loader, NavLink, Stack, Title } from '@mantine/core'
import { useNavigate, useParams } from '@tanstack/react-router'
import { lazy, Suspense } from 'react'
import { isAdmin, useCurrentUser } from '../../lib/queries.ts'
import { CustomFieldsSettings } from './CustomFieldsSettings.tsx'
import { InboxesSettings } from './InboxesSettings.tsx'
import { TeamsSettings } from './TeamsSettings.tsx'
import { TokensSettings } from './TokensSettings.tsx'
import { UsersSettings } from './UsersSettings.tsx'
import { WorkspaceSettings } from './WorkspaceSettings.tsx'

// issue 5 settings imports
const CategoriesSettings = lazy(() => import('../risk/CategoriesSettings.tsx').then((m) => ({ default: m.CategoriesSettings })))
const RiskRulesSettings = lazy(() => import('../risk/RiskRulesSettings.tsx').then((m) => ({ default: m.RiskRulesSettings })))
const QueueSettings = lazy(() => import('../queue/QueueSettings.tsx').then((m) => ({ default: m.QueueSettings })))
const ToneSettings = lazy(() => import('../tone/ToneSettings.tsx').then((m) => ({ default: m.ToneSettings })))
const ReviewPoliciesSettings = lazy(() => import('../reviews/ReviewPoliciesSettings.tsx').then((m) => ({ default: m.ReviewPoliciesSettings })))
const AuditLogSettings = lazy(() => import('./AuditLogSettings.tsx').then((m) => ({ default: m.AuditLogSettings })))
const ConsultSettings = lazy(() => import('../consults/ConsultSettings.tsx').then((m) => ({ default: m.ConsultSettings })))
const MailLogSettings = lazy(() => import('./MailLogSettings.tsx').then((m) => ({ default: m.MailLogSettings })))
// issue 6 surveys settings imports
const CsatSettings = lazy(() => import('../surveys/CsatSettings.tsx').then((m) => ({ default: m.CsatSettings })))
// issue 6 reports settings imports
// issue 6 voc settings imports
const VocSettings = lazy(() => import('../voc/VocSettings.tsx').then((m) => ({ default: m.VocSettings })))
// issue 10 macros settings imports
const MacrosSettings = lazy(() => import('../macros/MacrosSettings.tsx').then((m) => ({ default: m.MacrosSettings })))
// issue 8 background jobs settings imports
const BackgroundJobsSettings = lazy(() => import('../background-jobs/BackgroundJobsSettings.tsx').then((m) => ({ default: m.BackgroundJobsSettings })))
// issue 10 webhooks settings imports
const WebhooksSettings = lazy(() => import('../webhooks/WebhooksSettings.tsx').then((m) => ({ default: m.WebhooksSettings })))
// issue 10 security settings imports
// issue 10 automations settings imports
const AutomationsSettings = lazy(() => import('../automations/AutomationsSettings.tsx').then((m) => ({ default: m.AutomationsSettings })))
// issue 10 sla settings imports
const SlaSettings = lazy(() => import('../sla/SlaSettings.tsx').then((m) => ({ default: m.SlaSettings })))
// issue 10 notifications settings imports
const NotificationPreferencesSettings = lazy(() =>
  import('../notifications/NotificationPreferencesSettings.tsx').then((m) => ({ default: m.NotificationPreferencesSettings })),
)
// issue 10 import settings imports
const ImportsSettings = lazy(() => import('../imports/ImportsSettings.tsx').then((m) => ({ default: m.ImportsSettings })))
// issue 10 export settings imports
const ExportSettings = lazy(() => import('../exports/ExportSettings.tsx').then((m) => ({ default: m.ExportSettings })))
// issue 10 sso settings imports
const SsoSettings = lazy(() => import('../security/SsoSettings.tsx').then((m) => ({ default: m.SsoSettings })))
// issue 9 kb settings imports
const HelpCenterSettings = lazy(() => import('../kb/HelpCenterSettings.tsx').then((m) => ({ default: m.HelpCenterSettings })))
// issue 9 decision-trees settings imports
const DecisionTreesSettings = lazy(() => import('../decision-trees/DecisionTreesSettings.tsx').then((m) => ({ default: m.DecisionTreesSettings })))
// issue 9 community settings imports
const CommunitySettings = lazy(() => import('../community/CommunitySettings.tsx').then((m) => ({ default: m.CommunitySettings })))
const AccountSecuritySettings = lazy(() => import('../security/AccountSecuritySettings.tsx').then((m) => ({ default: m.AccountSecuritySettings })))
const SecuritySettings = lazy(() => import('../security/SecuritySettings.tsx').then((m) => ({ default: m.SecuritySettings })))
// issue 7 chat settings imports
const ChatSettings = lazy(() => import('../chat/ChatSettings.tsx').then((m) => ({ default: m.ChatSettings })))

const SECTIONS = [
  { id: 'workspace', label: 'Workspace', admin: true, component: WorkspaceSettings },
  { id: 'users', label: 'Users', admin: true, component: UsersSettings },
  { id: 'teams', label: 'Teams', admin: true, component: TeamsSettings },
  { id: 'inboxes', label: 'Inboxes', admin: true, component: InboxesSettings },
  { id: 'mail', label: 'Mail log', admin: true, component: MailLogSettings },
  { id: 'fields', label: 'Custom fields', admin: true, component: CustomFieldsSettings },
  // issue 5 settings sections
  { id: 'categories', label: 'Categories', admin: true, component: CategoriesSettings },
  { id: 'risk-rules', label: 'Risk rules', admin: true, component: RiskRulesSettings },
  { id: 'queue', label: 'Rotation queue', admin: true, component: QueueSettings },
  { id: 'tone-coach', label: 'Tone coach', admin: true, component: ToneSettings },
  { id: 'reviews', label: 'Review policies', admin: true, component: ReviewPoliciesSettings },
  { id: 'audit', label: 'Audit log', admin: true, component: AuditLogSettings },
  { id: 'consults', label: 'Consults', admin: true, component: ConsultSettings },
  { id: 'tokens', label: 'API tokens', admin: false, component: TokensSettings },
  // issue 6 surveys settings sections
  { id: 'surveys', label: 'Satisfaction surveys', admin: true, component: CsatSettings },
  // issue 6 reports settings sections
  // issue 6 voc settings sections
  { id: 'voice-of-customer', label: 'Voice of customer', admin: true, component: VocSettings },
  // issue 10 macros settings sections
  { id: 'macros', label: 'Macros', admin: false, component: MacrosSettings },
  // issue 8 background jobs settings sections
  { id: 'background-jobs', label: 'Background jobs', admin: true, component: BackgroundJobsSettings },
  // issue 10 webhooks settings sections
  { id: 'webhooks', label: 'Webhooks', admin: true, component: WebhooksSettings },
  // issue 10 security settings sections
  // issue 10 automations settings sections
  { id: 'automations', label: 'Automations', admin: true, component: AutomationsSettings },
  // issue 10 sla settings sections
  { id: 'sla', label: 'SLA policies', admin: true, component: SlaSettings },
  // issue 10 notifications settings sections
  { id: 'notifications', label: 'My notifications', admin: false, component: NotificationPreferencesSettings },
  // issue 10 import settings sections
  { id: 'import', label: 'Import', admin: true, component: ImportsSettings },
  // issue 10 export settings sections
  { id: 'export', label: 'Export', admin: true, component: ExportSettings },
  // issue 10 sso settings sections
  { id: 'single-sign-on', label: 'Single sign-on', admin: true, component: SsoSettings },
  // issue 9 kb settings sections
  { id: 'help-center', label: 'Help center', admin: true, component: HelpCenterSettings },
  // issue 9 decision-trees settings sections
  { id: 'decision-trees', label: 'Decision trees', admin: false, component: DecisionTreesSettings },
  // issue 9 community settings sections
  { id: 'community', label: 'Community', admin: true, component: CommunitySettings },
  { id: 'account-security', label: 'My account security', admin: false, component: AccountSecuritySettings },
  { id: 'security', label: 'Security', admin: true, component: SecuritySettings },
  // issue 7 chat settings sections
  { id: 'live-chat', label: 'Live chat', admin: true, component: ChatSettings },
] as const

export function SettingsPage() {
  const { section } = useParams({ strict: false }) as { section: string }
  const navigate = useNavigate()
  const user = useCurrentUser()
  const visible = SECTIONS.filter((s) => !s.admin || isAdmin(user.role))
  const current = visible.find((s) => s.id === section)
  const Section = current?.component
  return (
    <Group align="start" gap={0} wrap="nowrap">
      <Stack
        component="nav"
        aria-label="Settings sections"
        w={200}
        p="sm"
        gap={2}
        style={{ borderRight: '1px solid var(--mantine-color-default-border)', minHeight: 'calc(100vh - 56px)' }}
      >
        <Title order={1} size="h5" px="sm" py="xs">
          Settings
        </Title>
        {visible.map((s) => (
          <NavLink
            key={s.id}
            href={`/settings/${s.id}`}
            label={s.label}
            active={s.id === section}
            onClick={(e) => {
              e.preventDefault()
              void navigate({ to: '/settings/$section', params: { section: s.id } })
            }}
          />
        ))}
      </Stack>
      <Stack p="md" style={{ flex: 1, minWidth: 0 }} maw={960}>
        {Section ? (
          <Suspense fallback={<Loader size="sm" aria-label="Loading" />}>
            <Section />
          </Suspense>
        ) : (
          <Alert color="red">This settings page does not exist or needs an administrator.</Alert>
        )}
      </Stack>
    </Group>
  )
}
