import {
  CSV_CONTACT_FIELDS,
  CSV_ORGANIZATION_FIELDS,
  type CustomFieldDto,
  type CustomFieldValues,
  IMPORT_LIMITS,
  type ImportMapping,
  type ImportPreview,
} from '@allhands/contract'
import { parse } from 'csv-parse'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { AppError } from '../../platform/errors.ts'
import { createContact, updateContact } from '../contacts/contacts.service.ts'
import { listCustomFields } from '../custom-fields/custom-fields.service.ts'
import { createOrganization, updateOrganization } from '../organizations/organizations.service.ts'
import { type ImportRow, readMapping } from './imports.queries.ts'
import { type ImportProcessor, importActor, RowError, type Unit } from './imports.source.ts'

type Cells = Record<string, string>

/** Streams the CSV: the first record is the header; every later record (or unreadable line) is one unit. */
export async function* readCsv(ctx: Ctx, imp: Pick<ImportRow, 'blobHash'>): AsyncGenerator<Unit<Cells> & { headers: string[] }> {
  const skipped: RowError[] = []
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      skipped.push(new RowError(null, `Unreadable CSV: ${err?.message ?? 'malformed row'}`))
      return undefined
    },
  })
  const input = ctx.blobs.stream(imp.blobHash)
  input.on('error', (err) => parser.destroy(err))
  input.pipe(parser)
  let headers: string[] | null = null
  let index = 0
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!headers) {
        headers = record.map((h) => h.trim())
        continue
      }
      while (skipped.length) yield { index: ++index, error: skipped.shift()!, headers }
      const cells: Cells = {}
      headers.forEach((h, i) => {
        if (h) cells[h] = (record[i] ?? '').trim()
      })
      yield { index: ++index, value: cells, headers }
    }
    while (skipped.length) yield { index: ++index, error: skipped.shift()!, headers: headers ?? [] }
  } finally {
    // A reader that stops early (the preview) closes the file too.
    input.destroy()
  }
}

const SYNONYMS: Record<string, string[]> = {
  name: ['name', 'fullname', 'contactname', 'contact', 'displayname', 'organization name', 'organizationname', 'companyname', 'company name'],
  email: ['email', 'emailaddress', 'mail', 'e-mail', 'primaryemail'],
  emails: ['emails', 'otheremails', 'additionalemails', 'secondaryemails'],
  phone: ['phone', 'phonenumber', 'telephone', 'tel', 'mobile'],
  organization: ['organization', 'organisation', 'company', 'org', 'account'],
  notes: ['notes', 'note', 'comments', 'description', 'details'],
  vip: ['vip'],
  domain: ['domain', 'website', 'domainname', 'emaildomain'],
  tier: ['tier', 'plan', 'level', 'segment'],
}
const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '')

export const fieldsOf = (kind: string) => (kind === 'csv-organizations' ? CSV_ORGANIZATION_FIELDS : CSV_CONTACT_FIELDS) as readonly string[]
const requiredOf = (kind: string) => (kind === 'csv-organizations' ? ['name'] : ['email'])
const entityOf = (kind: string) => (kind === 'csv-organizations' ? 'organization' : 'contact') as 'organization' | 'contact'

/** Header names → fields: by common names, then custom fields by key or label. */
export function suggestMapping(kind: string, headers: string[], custom: CustomFieldDto[]): ImportMapping {
  const mapping: ImportMapping = {}
  const used = new Set<string>()
  for (const header of headers) {
    const n = norm(header)
    const field =
      fieldsOf(kind).find((f) => !used.has(f) && SYNONYMS[f]?.some((s) => norm(s) === n)) ??
      custom.filter((c) => !used.has(`custom:${c.key}`) && (norm(c.key) === n || norm(c.label) === n)).map((c) => `custom:${c.key}`)[0]
    mapping[header] = field ?? ''
    if (field) used.add(field)
  }
  return mapping
}

/** The header, the first rows and a suggested mapping. */
export async function previewCsv(ctx: Ctx, imp: ImportRow): Promise<ImportPreview> {
  const custom = await listCustomFields(ctx.db, entityOf(imp.kind))
  let headers: string[] = []
  const rows: string[][] = []
  for await (const unit of readCsv(ctx, imp)) {
    headers = unit.headers
    if (unit.value) rows.push(headers.map((h) => unit.value![h] ?? ''))
    if (rows.length >= IMPORT_LIMITS.previewRows) break
  }
  if (!headers.length) {
    // A file with a header only still has columns to map.
    for await (const unit of readCsv(ctx, imp)) headers = unit.headers
  }
  const saved = readMapping(imp.mapping)
  const required = requiredOf(imp.kind)
  return {
    headers,
    rows,
    suggestedMapping: Object.keys(saved).length ? saved : suggestMapping(imp.kind, headers, custom),
    fields: [
      ...fieldsOf(imp.kind).map((f) => ({ value: f, label: FIELD_LABELS[f] ?? f, required: required.includes(f) })),
      ...custom.map((c) => ({ value: `custom:${c.key}`, label: `Custom field: ${c.label}`, required: false })),
    ],
  }
}

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  email: 'Email',
  emails: 'Other emails (separated by ; or ,)',
  phone: 'Phone',
  organization: 'Organization (name or domain)',
  notes: 'Notes',
  vip: 'VIP (yes/no)',
  domain: 'Domain',
  tier: 'Tier',
}

/** Checks that a mapping names known fields, each once, and covers the required ones. */
export function validateMapping(kind: string, mapping: ImportMapping, headers: string[], custom: CustomFieldDto[]): string[] {
  const problems: string[] = []
  const targets = Object.entries(mapping).filter(([, f]) => f)
  const allowed = new Set([...fieldsOf(kind), ...custom.map((c) => `custom:${c.key}`)])
  const seen = new Set<string>()
  for (const [header, field] of targets) {
    if (!headers.includes(header)) problems.push(`There is no column "${header}" in the file`)
    if (!allowed.has(field)) problems.push(`Column "${header}": unknown field "${field}"`)
    if (seen.has(field)) problems.push(`More than one column is mapped to ${field}`)
    seen.add(field)
  }
  for (const r of requiredOf(kind)) if (!seen.has(r)) problems.push(`Map a column to the required field "${r}"`)
  return problems
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/
const DOMAIN = /^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/

/** A CSV cell as the custom field's type, or the reason it is not one. */
function customValue(def: CustomFieldDto, raw: string): string | number | boolean | null {
  if (raw === '') return null
  const fail = (why: string) => new RowError(`custom:${def.key}`, `${def.label}: ${why} (got "${raw.slice(0, 60)}")`)
  switch (def.type) {
    case 'number': {
      const n = Number(raw.replace(/,/g, ''))
      if (!Number.isFinite(n)) throw fail('must be a number')
      return n
    }
    case 'checkbox': {
      const v = raw.toLowerCase()
      if (['yes', 'y', 'true', '1', 'x'].includes(v)) return true
      if (['no', 'n', 'false', '0'].includes(v)) return false
      throw fail('must be yes or no')
    }
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) throw fail('must be a date YYYY-MM-DD')
      return raw
    case 'select': {
      const option = def.options.find((o) => o.toLowerCase() === raw.toLowerCase())
      if (!option) throw fail(`must be one of ${def.options.join(', ')}`)
      return option
    }
    default:
      return raw.slice(0, 2000)
  }
}

type Mapped = { fields: Map<string, string>; custom: CustomFieldValues }
function applyMapping(cells: Cells, mapping: ImportMapping, defs: Map<string, CustomFieldDto>): Mapped {
  const fields = new Map<string, string>()
  const custom: CustomFieldValues = {}
  for (const [header, field] of Object.entries(mapping)) {
    if (!field) continue
    const raw = cells[header] ?? ''
    if (field.startsWith('custom:')) {
      const def = defs.get(field.slice(7))
      if (!def) throw new RowError(field, `There is no custom field ${field.slice(7)} any more`)
      const v = customValue(def, raw)
      if (v !== null) custom[def.key] = v
    } else if (raw !== '') fields.set(field, raw)
  }
  return { fields, custom }
}

/** AppErrors of the services (conflicts, validation) become the row's error; anything else stops the batch. */
async function asRowError<T>(field: string | null, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (err instanceof AppError && err.status < 500) throw new RowError(field, err.message)
    throw err
  }
}

type CsvState = { actor: Actor; mapping: ImportMapping; defs: Map<string, CustomFieldDto>; orgCache: Map<string, number> }

async function prepare(ctx: Ctx, imp: ImportRow): Promise<CsvState> {
  const defs = await listCustomFields(ctx.db, entityOf(imp.kind))
  return { actor: await importActor(ctx, imp), mapping: readMapping(imp.mapping), defs: new Map(defs.map((d) => [d.key, d])), orgCache: new Map() }
}

/** The organization a contact row names, by domain or by name, created when missing. */
async function organizationFor(ctx: Ctx, state: CsvState, value: string, report: Record<string, number>): Promise<number> {
  const key = value.toLowerCase()
  const cached = state.orgCache.get(key)
  if (cached) return cached
  const isDomain = DOMAIN.test(key)
  const found = await ctx.db
    .selectFrom('organizations')
    .select('id')
    .where(isDomain ? 'domain' : 'name', '=', isDomain ? key : value)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
  let id = found?.id
  if (!id) {
    id = (await asRowError('organization', () => createOrganization(ctx, state.actor, { name: value, domain: isDomain ? key : null }))).id
    report.organizations = (report.organizations ?? 0) + 1
  }
  state.orgCache.set(key, id)
  return id
}

const yes = (v: string | undefined) => (v === undefined ? undefined : ['yes', 'y', 'true', '1', 'x', 'vip'].includes(v.toLowerCase()))

async function importContactRow(ctx: Ctx, state: CsvState, cells: Cells) {
  const { fields, custom } = applyMapping(cells, state.mapping, state.defs)
  // A cell may list several addresses ("a@x.example; b@x.example"): the first is the main one.
  const emails = [
    ...new Set(
      [fields.get('email'), fields.get('emails')]
        .flatMap((cell) => cell?.split(/[;,\s]+/) ?? [])
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
    ),
  ]
  if (!fields.get('email')) throw new RowError('email', 'Email is required')
  for (const e of emails) if (!EMAIL.test(e) || e.length > 320) throw new RowError('email', `"${e.slice(0, 80)}" is not a valid email address`)
  const name = (fields.get('name') ?? '').slice(0, 200)
  const notes = fields.get('notes')?.slice(0, 10_000)
  const vip = yes(fields.get('vip'))
  const report: Record<string, number> = {}
  const organizationId = fields.get('organization') ? await organizationFor(ctx, state, fields.get('organization')!.slice(0, 200), report) : undefined
  const owners = await ctx.db.selectFrom('contactIdentities').select(['contactId', 'value']).where('kind', '=', 'email').where('value', 'in', emails).execute()
  const ownerIds = [...new Set(owners.map((o) => o.contactId))]
  if (ownerIds.length > 1) throw new RowError('email', `These emails belong to different contacts (${ownerIds.join(', ')}); merge them first`)
  let contactId: number
  let result: 'imported' | 'updated'
  if (ownerIds[0]) {
    const existing = await ctx.db
      .selectFrom('contactIdentities')
      .select('value')
      .where('contactId', '=', ownerIds[0])
      .where('kind', '=', 'email')
      .orderBy('id')
      .execute()
    const all = [...new Set([...existing.map((e) => e.value), ...emails])]
    const updated = await asRowError(null, () =>
      updateContact(ctx, state.actor, ownerIds[0]!, {
        ...(name ? { name } : {}),
        ...(all.length !== existing.length ? { emails: all } : {}),
        ...(organizationId !== undefined ? { organizationId } : {}),
        ...(notes !== undefined ? { notes } : {}),
        ...(Object.keys(custom).length ? { customFields: custom } : {}),
        ...(vip !== undefined ? { vip } : {}),
      }),
    )
    contactId = updated.id
    result = 'updated'
  } else {
    const created = await asRowError(null, () =>
      createContact(ctx, state.actor, {
        name: name || emails[0]!.split('@')[0]!,
        emails,
        ...(organizationId !== undefined ? { organizationId } : {}),
        notes: notes ?? '',
        customFields: custom,
        vip: vip ?? false,
      }),
    )
    contactId = created.id
    result = 'imported'
    report.contacts = 1
  }
  const phone = fields.get('phone')?.replace(/[^\d+]/g, '')
  if (phone) {
    if (phone.length < 4 || phone.length > 20) throw new RowError('phone', `"${fields.get('phone')!.slice(0, 40)}" is not a phone number`)
    await ctx.db
      .insertInto('contactIdentities')
      .values({ contactId, kind: 'phone', value: phone, createdAt: now() })
      .onConflict((oc) => oc.columns(['kind', 'value']).doNothing())
      .execute()
  }
  return { result, report }
}

async function importOrganizationRow(ctx: Ctx, state: CsvState, cells: Cells) {
  const { fields, custom } = applyMapping(cells, state.mapping, state.defs)
  const name = fields.get('name')?.slice(0, 200)
  if (!name) throw new RowError('name', 'Name is required')
  const domain = fields
    .get('domain')
    ?.toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/.*$/, '')
  if (domain && !DOMAIN.test(domain)) throw new RowError('domain', `"${fields.get('domain')!.slice(0, 80)}" is not a domain name`)
  const input = {
    name,
    ...(domain ? { domain } : {}),
    ...(fields.get('notes') !== undefined ? { notes: fields.get('notes')!.slice(0, 10_000) } : {}),
    ...(fields.get('tier') !== undefined ? { tier: fields.get('tier')!.slice(0, 40) } : {}),
    ...(Object.keys(custom).length ? { customFields: custom } : {}),
  }
  // The same organization is the one with the same domain, or without a domain the same name.
  const existing = await ctx.db
    .selectFrom('organizations')
    .select('id')
    .where(domain ? 'domain' : 'name', '=', domain ?? name)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
  if (existing) {
    await asRowError(null, () => updateOrganization(ctx, state.actor, existing.id, input))
    return { result: 'updated' as const }
  }
  await asRowError(null, () => createOrganization(ctx, state.actor, input))
  return { result: 'imported' as const, report: { organizations: 1 } }
}

export const csvProcessor: ImportProcessor<Cells, CsvState> = {
  read: readCsv,
  prepare,
  process: (ctx, imp, state, unit) =>
    imp.kind === 'csv-organizations' ? importOrganizationRow(ctx, state, unit.value) : importContactRow(ctx, state, unit.value),
}
