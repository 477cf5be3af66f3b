import { Stack, Tabs, Title } from '@mantine/core'
import { useNavigate, useSearch } from '@tanstack/react-router'
import { CsatTab } from './CsatTab.tsx'
import { CustomSurveysTab } from './CustomSurveysTab.tsx'
import { PurchaseTab } from './PurchaseTab.tsx'

const TABS = ['satisfaction', 'custom', 'purchase'] as const
type Tab = (typeof TABS)[number]

/** Surveys: CSAT ratings and comments, custom surveys and their results, and why customers bought. */
export function SurveysPage() {
  const search = useSearch({ strict: false }) as { tab?: string; survey?: string }
  const navigate = useNavigate()
  const tab: Tab = TABS.includes(search.tab as Tab) ? (search.tab as Tab) : 'satisfaction'
  const surveyId = Number(search.survey) || null
  const go = (next: { tab?: Tab; survey?: number | null }) =>
    void navigate({ to: '/surveys', search: { tab: next.tab ?? tab, ...(next.survey ? { survey: String(next.survey) } : {}) } })
  return (
    <Stack p="md" gap="md">
      <Title order={1} size="h3">
        Surveys
      </Title>
      <Tabs value={tab} onChange={(v) => go({ tab: (v as Tab) ?? 'satisfaction' })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="satisfaction">Satisfaction</Tabs.Tab>
          <Tabs.Tab value="custom">Custom surveys</Tabs.Tab>
          <Tabs.Tab value="purchase">Why did you buy?</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="satisfaction" pt="md">
          <CsatTab />
        </Tabs.Panel>
        <Tabs.Panel value="custom" pt="md">
          <CustomSurveysTab surveyId={surveyId} onSelect={(id) => go({ tab: 'custom', survey: id })} />
        </Tabs.Panel>
        <Tabs.Panel value="purchase" pt="md">
          <PurchaseTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  )
}
