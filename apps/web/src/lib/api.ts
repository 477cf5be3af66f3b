import type {
  AttachmentDto,
  BulkUpdateInput,
  ComposeInput,
  ContactDto,
  CreateTicketInput,
  CreateUserInput,
  CustomFieldDto,
  CustomFieldValues,
  EmailSettingsInput,
  InboundEmailDto,
  InboundEmailResult,
  InboxDto,
  InviteDto,
  MeDto,
  MessageDto,
  NotificationDto,
  OrganizationDto,
  PageOf,
  SearchResultDto,
  SettingsDto,
  SetupInput,
  TeamDto,
  TicketDto,
  TicketListQuery,
  UpdateTicketInput,
  UpdateUserInput,
  UserDto,
  ViewDto,
  ViewInput,
} from '@allhands/contract'

/** An error answered by the API in its `{error:{code,message,details}}` shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

export const isStaleDraft = (err: unknown): err is ApiError =>
  err instanceof ApiError && err.status === 409 && (err.details as { code?: string } | undefined)?.code === 'stale_draft'

type Query = Record<string, string | number | boolean | null | undefined>

function withQuery(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

export async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } }
  if (body instanceof FormData) init.body = body
  else if (body !== undefined) {
    init.body = JSON.stringify(body)
    init.headers = { ...init.headers, 'content-type': 'application/json' }
  }
  let res: Response
  try {
    res = await fetch(withQuery(`/api/v1${path}`, query), init)
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection.')
  }
  const text = await res.text()
  const data = text ? safeJson(text) : undefined
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error
    throw new ApiError(res.status, e?.code ?? 'http_error', e?.message ?? `Request failed (${res.status})`, e?.details)
  }
  return data as T
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const get = <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query)
const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {})
const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body)
const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body)
const del = <T>(path: string) => request<T>('DELETE', path)

type Ok = { ok: boolean }
export type ContactSummary = SearchResultDto['contacts'][number]
export type NotificationPage = PageOf<NotificationDto> & { unreadCount: number }
export type BulkResult = { updated: number[]; failed: { id: number; code: string; message: string }[] }
export type ContactInput = { name: string; emails: string[]; organizationId?: number | null; notes?: string; customFields?: CustomFieldValues }
export type ConnectionCheck = { ok: boolean; error: string | null }
export type ConnectionTest = { smtp: ConnectionCheck; imap: ConnectionCheck | null }
export type InboundEmailQuery = { status?: InboundEmailDto['status']; disposition?: string; limit?: number }
/** Where an admin downloads the stored original of an inbound email (a plain link: the browser keeps the session cookie). */
export const inboundEmailRawUrl = (id: number) => `/api/v1/inbound-emails/${id}/raw`
export type OrganizationInput = { name: string; domain?: string | null; notes?: string; customFields?: CustomFieldValues }

export const api = {
  setupStatus: () => get<{ needsSetup: boolean; workspaceName: string | null }>('/setup'),
  setup: (input: SetupInput) => post<MeDto>('/setup', input),
  login: (email: string, password: string) => post<MeDto>('/auth/login', { email, password }),
  logout: () => post<Ok>('/auth/logout'),
  me: () => get<MeDto>('/auth/me'),
  describeInvite: (token: string) => get<InviteDto>(`/invites/${encodeURIComponent(token)}`),
  acceptInvite: (token: string, name: string, password: string) => post<MeDto>(`/invites/${encodeURIComponent(token)}/accept`, { name, password }),

  views: () => get<ViewDto[]>('/views'),
  createView: (input: ViewInput) => post<ViewDto>('/views', input),
  updateView: (id: string, input: Partial<ViewInput>) => patch<ViewDto>(`/views/${id}`, input),
  deleteView: (id: string) => del<Ok>(`/views/${id}`),

  tickets: (query: TicketListQuery) => get<PageOf<TicketDto>>('/tickets', query as Query),
  ticket: (id: number) => get<TicketDto>(`/tickets/${id}`),
  createTicket: (input: CreateTicketInput) => post<TicketDto>('/tickets', input),
  updateTicket: (id: number, input: UpdateTicketInput) => patch<TicketDto>(`/tickets/${id}`, input),
  bulkUpdate: (input: BulkUpdateInput) => post<BulkResult>('/tickets/bulk', input),
  mergeTicket: (id: number, intoTicketId: number) => post<TicketDto>(`/tickets/${id}/merge`, { intoTicketId }),
  follow: (id: number, on: boolean) => (on ? post<TicketDto>(`/tickets/${id}/follow`) : del<TicketDto>(`/tickets/${id}/follow`)),
  messages: (id: number) => get<{ items: MessageDto[] }>(`/tickets/${id}/messages`),
  reply: (id: number, input: ComposeInput) => post<MessageDto>(`/tickets/${id}/replies`, input),
  note: (id: number, input: ComposeInput) => post<MessageDto>(`/tickets/${id}/notes`, input),
  upload: (file: File) => {
    const form = new FormData()
    form.append('file', file)
    return request<AttachmentDto>('POST', '/attachments', form)
  },

  users: () => get<UserDto[]>('/users'),
  createUser: (input: CreateUserInput) => post<UserDto>('/users', input),
  updateUser: (id: number, input: UpdateUserInput) => patch<UserDto>(`/users/${id}`, input),
  invites: () => get<InviteDto[]>('/invites'),
  invite: (email: string, role: UserDto['role']) => post<InviteDto>('/invites', { email, role }),

  teams: () => get<TeamDto[]>('/teams'),
  createTeam: (name: string) => post<TeamDto>('/teams', { name }),
  renameTeam: (id: number, name: string) => patch<TeamDto>(`/teams/${id}`, { name }),
  deleteTeam: (id: number) => del<Ok>(`/teams/${id}`),
  setTeamMembers: (id: number, userIds: number[]) => put<TeamDto>(`/teams/${id}/members`, { userIds }),

  inboxes: () => get<InboxDto[]>('/inboxes'),
  createInbox: (input: { name: string; type?: 'api' | 'web_form' | 'email' | 'chat'; teamId?: number | null; email?: EmailSettingsInput }) =>
    post<InboxDto>('/inboxes', input),
  updateInbox: (id: number, input: Partial<Pick<InboxDto, 'name' | 'teamId' | 'autoReply'>> & { email?: EmailSettingsInput }) =>
    patch<InboxDto>(`/inboxes/${id}`, input),
  testInboxConnection: (id: number) => post<ConnectionTest>(`/inboxes/${id}/test-connection`),

  inboundEmails: (query: InboundEmailQuery) => get<{ items: InboundEmailDto[] }>('/inbound-emails', query),
  retryInboundEmail: (id: number) => post<InboundEmailResult>(`/inbound-emails/${id}/retry`),
  retryDelivery: (messageId: number) => post<Ok>(`/messages/${messageId}/retry-delivery`),

  settings: () => get<SettingsDto>('/settings'),
  updateSettings: (input: Partial<SettingsDto>) => patch<SettingsDto>('/settings', input),

  customFields: () => get<CustomFieldDto[]>('/custom-fields'),
  createCustomField: (input: Omit<CustomFieldDto, 'id'>) => post<CustomFieldDto>('/custom-fields', input),
  updateCustomField: (id: number, input: { label?: string; options?: string[] }) => patch<CustomFieldDto>(`/custom-fields/${id}`, input),
  deleteCustomField: (id: number) => del<Ok>(`/custom-fields/${id}`),

  contacts: (query: { q?: string; organization?: number; cursor?: string; limit?: number }) => get<PageOf<ContactDto>>('/contacts', query),
  contact: (id: number) => get<ContactDto>(`/contacts/${id}`),
  createContact: (input: ContactInput) => post<ContactDto>('/contacts', input),
  updateContact: (id: number, input: Partial<ContactInput>) => patch<ContactDto>(`/contacts/${id}`, input),
  mergeContact: (id: number, intoContactId: number) => post<ContactDto>(`/contacts/${id}/merge`, { intoContactId }),
  organizations: (query: { q?: string; cursor?: string; limit?: number }) => get<PageOf<OrganizationDto>>('/organizations', query),
  organization: (id: number) => get<OrganizationDto>(`/organizations/${id}`),
  createOrganization: (input: OrganizationInput) => post<OrganizationDto>('/organizations', input),
  updateOrganization: (id: number, input: Partial<OrganizationInput>) => patch<OrganizationDto>(`/organizations/${id}`, input),

  search: (q: string, type: 'all' | 'tickets' | 'contacts' | 'organizations' = 'all', limit = 20) => get<SearchResultDto>('/search', { q, type, limit }),
}
