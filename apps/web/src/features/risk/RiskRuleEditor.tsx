import { DETECTABLE_LANGUAGES, type RiskLevel, type RiskRuleConfig, type RiskRuleDto, type RiskRuleInput, type RiskRuleType } from '@allhands/contract'
import { Button, Group, Modal, MultiSelect, NumberInput, SegmentedControl, Select, Stack, Switch, TagsInput, Text, TextInput } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { priorityOptions } from '../../lib/format.ts'
import { queryClient } from '../../lib/queries.ts'
import { riskApi, riskKeys } from './risk.api.ts'

export const RULE_TYPE_LABEL: Record<RiskRuleType, string> = {
  keywords: 'Topic keywords',
  vip: 'VIP requester',
  anger: 'Anger and frustration',
  repeat_contact: 'Repeated contact',
  sla_breach: 'No first response in time',
  priority: 'Priority',
  language: 'Language',
}
const TYPE_HELP: Record<RiskRuleType, string> = {
  keywords: 'Matches when the subject or the latest customer messages contain one of these words or phrases (whole words, any case).',
  vip: 'Matches when the requester is marked VIP on their contact page, or their organization is on one of these tiers.',
  anger: 'Counts signals in the latest customer messages: words from the lexicon, text mostly in capitals, runs of !!! or ???.',
  repeat_contact: 'Matches when the requester opened this many tickets, or wrote this many messages, within the window.',
  sla_breach: 'Matches a waiting ticket nobody has answered after this many hours (checked every five minutes).',
  priority: 'Matches tickets with one of these priorities.',
  language: 'Matches messages detected as another language than this one (English, German, French, Spanish, Italian, Dutch, Portuguese, Swedish).',
}
const LANGUAGE_LABEL: Record<(typeof DETECTABLE_LANGUAGES)[number], string> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  nl: 'Dutch',
  pt: 'Portuguese',
  sv: 'Swedish',
}
const DEFAULT_CONFIG: Record<RiskRuleType, RiskRuleConfig> = {
  keywords: { words: [] },
  vip: { tiers: ['enterprise'] },
  anger: { words: [], capsRatio: 0.6, punctuationRun: 3, minSignals: 1 },
  repeat_contact: { tickets: 3, messages: 5, hours: 24 },
  sla_breach: { hours: 24 },
  priority: { priorities: ['urgent'] },
  language: { defaultLanguage: 'en' },
}
const num = (v: string | number) => (typeof v === 'number' ? v : undefined)

/** Creates a rule or edits one (the type of an existing rule is fixed; its settings follow the type). */
export function RiskRuleEditor({ rule, opened, onClose }: { rule: RiskRuleDto | null; opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={rule ? `Edit “${rule.name}”` : 'New risk rule'} size="lg">
      {opened && <RuleForm key={rule?.id ?? 'new'} rule={rule} onDone={onClose} />}
    </Modal>
  )
}

function RuleForm({ rule, onDone }: { rule: RiskRuleDto | null; onDone: () => void }) {
  const [name, setName] = useState(rule?.name ?? '')
  const [type, setType] = useState<RiskRuleType>(rule?.type ?? 'keywords')
  const [level, setLevel] = useState<RiskLevel>(rule?.level ?? 'medium')
  const [enabled, setEnabled] = useState(rule?.enabled ?? true)
  const [config, setConfig] = useState<RiskRuleConfig>(rule?.config ?? DEFAULT_CONFIG.keywords)
  const set = (patch: Partial<RiskRuleConfig>) => setConfig({ ...config, ...patch })
  const save = useMutation({
    mutationFn: () => {
      const input: RiskRuleInput = { name: name.trim(), type, level, enabled, config }
      return rule ? riskApi.updateRule(rule.id, { name: input.name, level, enabled, config }) : riskApi.createRule(input)
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: riskKeys.rules })
      onDone()
    },
  })
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        save.mutate()
      }}
    >
      <Stack>
        <TextInput label="Name" required maxLength={100} value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
        <Select
          label="Kind of rule"
          disabled={!!rule}
          allowDeselect={false}
          data={Object.entries(RULE_TYPE_LABEL).map(([value, label]) => ({ value, label }))}
          value={type}
          onChange={(v) => {
            if (!v) return
            setType(v as RiskRuleType)
            setConfig(DEFAULT_CONFIG[v as RiskRuleType])
          }}
        />
        <Text size="sm" c="dimmed">
          {TYPE_HELP[type]}
        </Text>
        {(type === 'keywords' || type === 'anger') && (
          <TagsInput
            label={type === 'keywords' ? 'Words and phrases' : 'Angry words (lexicon)'}
            description="Press Enter after each one"
            required={type === 'keywords'}
            value={config.words ?? []}
            onChange={(words) => set({ words })}
            clearable
          />
        )}
        {type === 'anger' && (
          <Group grow>
            <NumberInput
              label="Share of capitals"
              description="0.3–1 of the letters"
              min={0.3}
              max={1}
              step={0.05}
              decimalScale={2}
              value={config.capsRatio ?? 0.6}
              onChange={(v) => set({ capsRatio: num(v) })}
            />
            <NumberInput label="Run of ! or ?" min={2} max={10} value={config.punctuationRun ?? 3} onChange={(v) => set({ punctuationRun: num(v) })} />
            <NumberInput label="Signals needed" min={1} max={3} value={config.minSignals ?? 1} onChange={(v) => set({ minSignals: num(v) })} />
          </Group>
        )}
        {type === 'vip' && <TagsInput label="Organization tiers that count as VIP" value={config.tiers ?? []} onChange={(tiers) => set({ tiers })} clearable />}
        {type === 'repeat_contact' && (
          <Group grow>
            <NumberInput label="Tickets opened" min={2} value={config.tickets ?? ''} onChange={(v) => set({ tickets: num(v) })} />
            <NumberInput label="Messages written" min={2} value={config.messages ?? ''} onChange={(v) => set({ messages: num(v) })} />
            <NumberInput label="Within hours" required min={0.1} step={1} value={config.hours ?? 24} onChange={(v) => set({ hours: num(v) })} />
          </Group>
        )}
        {type === 'sla_breach' && (
          <NumberInput label="Hours without a first response" required min={0.1} value={config.hours ?? 24} onChange={(v) => set({ hours: num(v) })} />
        )}
        {type === 'priority' && (
          <MultiSelect
            label="Priorities"
            required
            data={priorityOptions}
            value={config.priorities ?? []}
            onChange={(v) => set({ priorities: v as RiskRuleConfig['priorities'] })}
          />
        )}
        {type === 'language' && (
          <Select
            label="The workspace's language"
            allowDeselect={false}
            data={DETECTABLE_LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_LABEL[l] }))}
            value={config.defaultLanguage ?? 'en'}
            onChange={(v) => v && set({ defaultLanguage: v as RiskRuleConfig['defaultLanguage'] })}
          />
        )}
        <div>
          <Text size="sm" fw={500} mb={4} id="rule-level-label">
            Risk when it matches
          </Text>
          <SegmentedControl
            aria-labelledby="rule-level-label"
            data={[
              { value: 'low', label: 'Low' },
              { value: 'medium', label: 'Medium' },
              { value: 'high', label: 'High' },
            ]}
            value={level}
            onChange={(v) => setLevel(v as RiskLevel)}
          />
        </div>
        <Switch label="Enabled" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
        <Text size="xs" c="dimmed">
          Saving reassesses open tickets in the background.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!name.trim()}>
            {rule ? 'Save rule' : 'Add rule'}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
