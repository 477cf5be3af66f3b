import { ApiError } from './api.ts'
import { h } from './dom.ts'
import type { Translate } from './texts.ts'

export interface FieldSpec {
  key: string
  label: string
  type: 'text' | 'email' | 'textarea'
  required: boolean
  value?: string
  autocomplete?: string
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** What to show for a failed request: the server's own message, or a generic one for network trouble. */
export function reasonOf(err: unknown, t: Translate): string {
  return err instanceof ApiError && err.status > 0 && err.status < 500 ? err.message : t('errorGeneric')
}

/**
 * A labelled form with our own validation (translated messages, focus on the first bad field). While
 * `onSubmit` runs the button is disabled; a thrown error is shown in the form's alert line.
 */
export function fieldsForm(options: {
  t: Translate
  title?: string
  intro?: string
  fields: FieldSpec[]
  submit: string
  extra?: Node
  onSubmit: (values: Record<string, string>) => Promise<void> | void
}): HTMLFormElement {
  const { t } = options
  const inputs: [FieldSpec, HTMLInputElement | HTMLTextAreaElement][] = options.fields.map((f) => {
    const attrs = {
      name: f.key,
      required: f.required,
      autocomplete: f.autocomplete ?? (f.type === 'email' ? 'email' : null),
      maxlength: f.type === 'textarea' ? 10_000 : 1000,
    }
    const input = f.type === 'textarea' ? h('textarea', { ...attrs, rows: 3 }) : h('input', { ...attrs, type: f.type === 'email' ? 'email' : 'text' })
    if (f.value) input.value = f.value
    return [f, input]
  })
  const error = h('p', { class: 'err', role: 'alert' })
  const button = h('button', { type: 'submit', class: 'btn' }, options.submit)
  const form = h(
    'form',
    { class: 'box', novalidate: true },
    options.title ? h('h3', {}, options.title) : null,
    options.intro ? h('p', {}, options.intro) : null,
    ...inputs.map(([f, input]) => h('label', { class: 'f' }, `${f.label}${f.required ? ' *' : ''}`, input)),
    options.extra,
    error,
    button,
  )
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    error.textContent = ''
    const values: Record<string, string> = {}
    for (const [f, input] of inputs) {
      const value = input.value.trim()
      const problem = f.required && !value ? t('requiredField', { field: f.label }) : f.type === 'email' && value && !EMAIL.test(value) ? t('invalidEmail') : ''
      input.setAttribute('aria-invalid', problem ? 'true' : 'false')
      if (problem) {
        error.textContent = problem
        input.focus()
        return
      }
      values[f.key] = value
    }
    button.disabled = true
    try {
      await options.onSubmit(values)
    } catch (err) {
      error.textContent = reasonOf(err, t)
    } finally {
      button.disabled = false
    }
  })
  return form
}

/** 1–5 stars as a native radio group (arrow keys move, Space picks), an optional comment and a send button. */
export function ratingForm(t: Translate, onSubmit: (rating: number, comment: string) => Promise<void>): HTMLFormElement {
  const stars: HTMLLabelElement[] = []
  const group = h('fieldset', { class: 'stars', role: 'radiogroup' }, h('legend', {}, t('rateTitle')))
  let picked = 0
  for (let n = 1; n <= 5; n++) {
    const input = h('input', { type: 'radio', name: 'rating', value: n, class: 'sr', 'aria-label': t('starLabel', { n }) })
    const label = h('label', {}, input, h('span', { 'aria-hidden': 'true' }, '★'))
    input.addEventListener('change', () => {
      picked = n
      stars.forEach((s, i) => {
        s.classList.toggle('on', i < n)
      })
    })
    stars.push(label)
    group.appendChild(label)
  }
  const form = fieldsForm({
    t,
    fields: [{ key: 'comment', label: t('commentLabel'), type: 'textarea', required: false }],
    submit: t('sendRating'),
    onSubmit: async (values) => {
      if (!picked) {
        group.querySelector('input')?.focus()
        throw new ApiError(400, t('requiredField', { field: t('rateTitle') }))
      }
      await onSubmit(picked, values.comment ?? '')
    },
  })
  form.insertBefore(group, form.firstChild)
  return form
}
