import type { SurveyDto, SurveySegment } from '@allhands/contract'
import { Button, Group, Modal, MultiSelect, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { keys, queryClient, useCustomFields } from '../../lib/queries.ts'
import { surveyKeys, surveysApi } from './surveys.api.ts'

/** Invites a segment of contacts: organizations, VIPs and/or a contact field value; nobody is invited twice. */
export function SendSurveyDialog({ survey, onClose }: { survey: SurveyDto; onClose: () => void }) {
  const orgs = useQuery({ queryKey: [...keys.organizations, 'all'], queryFn: () => api.organizations({ limit: 200 }) })
  const fields = useCustomFields()
  const contactFields = (fields.data ?? []).filter((f) => f.entity === 'contact')
  const [organizationIds, setOrganizationIds] = useState<string[]>([])
  const [vip, setVip] = useState<string>('any')
  const [fieldKey, setFieldKey] = useState<string | null>(null)
  const [fieldValue, setFieldValue] = useState('')
  const [limit, setLimit] = useState<number | string>(200)
  const segment: SurveySegment = {
    ...(organizationIds.length ? { organizationIds: organizationIds.map(Number) } : {}),
    ...(vip !== 'any' ? { vip: vip === 'yes' } : {}),
    ...(fieldKey && fieldValue.trim() ? { customField: { key: fieldKey, value: fieldValue.trim() } } : {}),
    limit: Number(limit) || 200,
  }
  const hasFilter = Object.keys(segment).length > 1
  const send = useMutation({
    mutationFn: () => surveysApi.send(survey.id, segment),
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: surveyKeys.all })
      notifications.show({
        color: 'green',
        message: `${r.queued} invitation${r.queued === 1 ? '' : 's'} queued${r.alreadyInvited ? `, ${r.alreadyInvited} already invited` : ''}.`,
      })
      onClose()
    },
  })
  return (
    <Modal opened onClose={onClose} title={`Send "${survey.title}"`}>
      <Stack>
        <Text size="sm" c="dimmed">
          Contacts matching every filter you set get a personal link by email (automated and bouncing addresses are skipped).
        </Text>
        <MultiSelect
          label="Organizations"
          searchable
          data={(orgs.data?.items ?? []).map((o) => ({ value: String(o.id), label: o.name }))}
          value={organizationIds}
          onChange={setOrganizationIds}
          data-autofocus
        />
        <Select
          label="VIP contacts"
          data={[
            { value: 'any', label: 'Any contact' },
            { value: 'yes', label: 'Only VIPs' },
            { value: 'no', label: 'Everyone but VIPs' },
          ]}
          value={vip}
          onChange={(v) => setVip(v ?? 'any')}
          allowDeselect={false}
        />
        <Group grow align="end">
          <Select label="Contact field" clearable data={contactFields.map((f) => ({ value: f.key, label: f.label }))} value={fieldKey} onChange={setFieldKey} />
          <TextInput label="equals" value={fieldValue} onChange={(e) => setFieldValue(e.currentTarget.value)} disabled={!fieldKey} />
        </Group>
        <NumberInput label="At most this many contacts" min={1} max={500} allowDecimal={false} value={limit} onChange={setLimit} w={220} />
        <Group justify="end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => send.mutate()} loading={send.isPending} disabled={!hasFilter}>
            Send invitations
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
