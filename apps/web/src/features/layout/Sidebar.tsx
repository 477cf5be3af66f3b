import { Badge, Divider, ScrollArea, Skeleton, Stack, Text } from '@mantine/core'
import { IconAddressBook, IconBuilding, IconHome, IconInbox, IconSettings, IconStack2 } from '@tabler/icons-react'
import { useLocation } from '@tanstack/react-router'
import { IconBulb, IconMessageQuestion } from '@tabler/icons-react'
import { IconSchool } from '@tabler/icons-react'
import { formatCount } from '../../lib/format.ts'
import { MonitoringNavLink } from '../monitoring/MonitoringNavLink.tsx'
import { ReportsNavLink } from '../reports/ReportsNavLink.tsx'
import { RideAlongNavLink } from '../ride-along/RideAlongNavLink.tsx'
import { RouterNavLink } from '../../lib/links.tsx'
import { ReviewsNavLink } from '../reviews/ReviewsNavLink.tsx'
import { QueueNavLink } from '../queue/QueueNavLink.tsx'
import { RotationsNavLink } from '../rotations/RotationsNavLink.tsx'
import { isAdmin, useCurrentUser, useViews } from '../../lib/queries.ts'
import { VocNavLink } from '../voc/VocNavLink.tsx'
import { SurveysNavLink } from '../surveys/SurveysNavLink.tsx'
// issue 7 chat navigation import
import { ChatNavLinks } from '../chat/ChatNavLinks.tsx'
import { KbNavLink } from '../kb/KbNavLink.tsx'

const SKELETONS = ['s1', 's2', 's3', 's4', 's5', 's6']

export function Sidebar({ onNavigate }: { onNavigate: () => void }) {
  const views = useViews()
  const user = useCurrentUser()
  const { pathname } = useLocation()
  const builtin = views.data?.filter((v) => v.builtin) ?? []
  const custom = views.data?.filter((v) => !v.builtin) ?? []
  const viewLink = (v: { id: string; name: string; count: number }, icon: React.ReactNode) => (
    <RouterNavLink
      key={v.id}
      to="/views/$viewId"
      params={{ viewId: v.id }}
      label={v.name}
      leftSection={icon}
      active={pathname === `/views/${v.id}`}
      onClick={onNavigate}
      aria-label={`${v.name}: ${formatCount(v.count)} tickets`}
      rightSection={
        <Badge size="sm" variant="light" color={v.count ? 'indigo' : 'gray'} data-testid={`view-count-${v.id}`}>
          {formatCount(v.count)}
        </Badge>
      }
    />
  )
  return (
    <ScrollArea p="xs">
      <Stack gap={2}>
        <RouterNavLink to="/home" label="Home" leftSection={<IconHome size={16} aria-hidden />} active={pathname === '/home'} onClick={onNavigate} />
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" py={6}>
          Views
        </Text>
        {views.isPending && SKELETONS.map((k) => <Skeleton key={k} h={32} my={2} />)}
        {builtin.map((v) => viewLink(v, <IconInbox size={16} aria-hidden />))}
        {custom.length > 0 && (
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="md" pb={6}>
            Saved views
          </Text>
        )}
        {custom.map((v) => viewLink(v, <IconStack2 size={16} aria-hidden />))}
        <Divider my="sm" />
        {/* issue 7 chat navigation */}
        <ChatNavLinks onNavigate={onNavigate} />
        {/* issue 6 surveys navigation */}
        <SurveysNavLink onNavigate={onNavigate} />
        {/* issue 6 reports navigation */}
        <ReportsNavLink onNavigate={onNavigate} />
        {/* issue 6 voc navigation */}
        <VocNavLink onNavigate={onNavigate} />
        {/* issue 9 knowledge base navigation */}
        <KbNavLink onNavigate={onNavigate} />
        {/* issue 9 community navigation */}
        {user.role !== 'contributor' && (
          <RouterNavLink
            to="/community-desk"
            label="Community"
            leftSection={<IconMessageQuestion size={16} aria-hidden />}
            active={pathname.startsWith('/community-desk')}
            onClick={onNavigate}
          />
        )}
        {/* issue 5 navigation */}
        <RotationsNavLink onNavigate={onNavigate} />
        <QueueNavLink onNavigate={onNavigate} />
        <RouterNavLink
          to="/training"
          label="Training"
          leftSection={<IconSchool size={16} aria-hidden />}
          active={pathname.startsWith('/training')}
          onClick={onNavigate}
        />
        <ReviewsNavLink onNavigate={onNavigate} />
        <RideAlongNavLink onNavigate={onNavigate} />
        <MonitoringNavLink onNavigate={onNavigate} />
        <RouterNavLink
          to="/consults"
          label="Consults"
          leftSection={<IconMessageQuestion size={16} aria-hidden />}
          active={pathname.startsWith('/consults')}
          onClick={onNavigate}
        />
        <RouterNavLink
          to="/experts"
          label="Who knows this?"
          leftSection={<IconBulb size={16} aria-hidden />}
          active={pathname === '/experts'}
          onClick={onNavigate}
        />
        <RouterNavLink
          to="/contacts"
          label="Contacts"
          leftSection={<IconAddressBook size={16} aria-hidden />}
          active={pathname.startsWith('/contacts')}
          onClick={onNavigate}
        />
        <RouterNavLink
          to="/organizations"
          label="Organizations"
          leftSection={<IconBuilding size={16} aria-hidden />}
          active={pathname.startsWith('/organizations')}
          onClick={onNavigate}
        />
        {isAdmin(user.role) && (
          <RouterNavLink
            to="/settings/$section"
            params={{ section: 'workspace' }}
            label="Settings"
            leftSection={<IconSettings size={16} aria-hidden />}
            active={pathname.startsWith('/settings')}
            onClick={onNavigate}
          />
        )}
      </Stack>
    </ScrollArea>
  )
}
