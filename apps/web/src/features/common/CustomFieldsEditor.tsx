import type { CustomFieldDto, CustomFieldValues } from '@allhands/contract'
import { Checkbox, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core'
import { useEffect, useState } from 'react'

type Value = CustomFieldValues[string]
type Props = { fields: CustomFieldDto[]; values: CustomFieldValues; disabled?: boolean; onChange: (patch: CustomFieldValues) => void }

/** Edits custom field values in place; text-like fields save on blur so typing does not send a request per key. */
export function CustomFieldsEditor({ fields, values, disabled, onChange }: Props) {
  if (!fields.length)
    return (
      <Text size="sm" c="dimmed">
        No custom fields defined.
      </Text>
    )
  return (
    <Stack gap="xs">
      {fields.map((f) => (
        <FieldInput key={f.id} field={f} value={values[f.key] ?? null} disabled={disabled} onSave={(v) => onChange({ [f.key]: v })} />
      ))}
    </Stack>
  )
}

function FieldInput({ field, value, disabled, onSave }: { field: CustomFieldDto; value: Value; disabled?: boolean; onSave: (v: Value) => void }) {
  const [draft, setDraft] = useState<Value>(value)
  useEffect(() => setDraft(value), [value])
  const commit = (v: Value) => {
    if (v !== value) onSave(v)
  }
  switch (field.type) {
    case 'checkbox':
      return <Checkbox label={field.label} checked={value === true} disabled={disabled} onChange={(e) => onSave(e.currentTarget.checked)} />
    case 'select':
      return (
        <Select
          label={field.label}
          size="xs"
          data={field.options}
          value={typeof value === 'string' ? value : null}
          disabled={disabled}
          clearable
          onChange={(v) => onSave(v)}
        />
      )
    case 'number':
      return (
        <NumberInput
          label={field.label}
          size="xs"
          value={typeof draft === 'number' ? draft : ''}
          disabled={disabled}
          onChange={(v) => setDraft(typeof v === 'number' ? v : null)}
          onBlur={() => commit(draft)}
        />
      )
    case 'date':
      return (
        <TextInput
          type="date"
          label={field.label}
          size="xs"
          value={typeof value === 'string' ? value : ''}
          disabled={disabled}
          onChange={(e) => onSave(e.currentTarget.value || null)}
        />
      )
    default:
      return (
        <TextInput
          label={field.label}
          size="xs"
          value={typeof draft === 'string' ? draft : ''}
          disabled={disabled}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onBlur={() => commit(draft === '' ? null : draft)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.currentTarget.blur()
          }}
        />
      )
  }
}
