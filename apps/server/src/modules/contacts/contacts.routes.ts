import {
  ContactDto,
  ContactInput,
  ContactPatch,
  CursorQuery,
  IdParams,
  MergeContactInput,
  OrganizationDto,
  OrganizationInput,
  OrganizationPatch,
  Page,
} from '@allhands/contract'
import { Type } from 'typebox'
import { actorOf, type App } from '../../platform/http.ts'
import { createOrganization, getOrganization, listOrganizations, updateOrganization } from '../organizations/organizations.service.ts'
import { createContact, getContact, listContacts, mergeContacts, updateContact } from './contacts.service.ts'

export async function contactsRoutes(app: App) {
  const ctx = app.ctx
  const ListQuery = Type.Object({
    q: Type.Optional(Type.String({ maxLength: 200 })),
    organization: Type.Optional(Type.Integer({ minimum: 1 })),
    ...CursorQuery,
  })
  app.get('/contacts', { schema: { tags: ['contacts'], querystring: ListQuery, response: { 200: Page(ContactDto) } } }, async (req) =>
    listContacts(ctx, actorOf(req), req.query),
  )
  app.post('/contacts', { schema: { tags: ['contacts'], body: ContactInput, response: { 201: ContactDto } } }, async (req, reply) =>
    reply.code(201).send(await createContact(ctx, actorOf(req), req.body)),
  )
  app.get('/contacts/:id', { schema: { tags: ['contacts'], params: IdParams, response: { 200: ContactDto } } }, async (req) =>
    getContact(ctx, actorOf(req), req.params.id),
  )
  app.patch('/contacts/:id', { schema: { tags: ['contacts'], params: IdParams, body: ContactPatch, response: { 200: ContactDto } } }, async (req) =>
    updateContact(ctx, actorOf(req), req.params.id, req.body),
  )
  app.post('/contacts/:id/merge', { schema: { tags: ['contacts'], params: IdParams, body: MergeContactInput, response: { 200: ContactDto } } }, async (req) =>
    mergeContacts(ctx, actorOf(req), req.params.id, req.body.intoContactId),
  )

  const OrgQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), ...CursorQuery })
  app.get('/organizations', { schema: { tags: ['organizations'], querystring: OrgQuery, response: { 200: Page(OrganizationDto) } } }, async (req) =>
    listOrganizations(ctx, actorOf(req), req.query),
  )
  app.post('/organizations', { schema: { tags: ['organizations'], body: OrganizationInput, response: { 201: OrganizationDto } } }, async (req, reply) =>
    reply.code(201).send(await createOrganization(ctx, actorOf(req), req.body)),
  )
  app.get('/organizations/:id', { schema: { tags: ['organizations'], params: IdParams, response: { 200: OrganizationDto } } }, async (req) =>
    getOrganization(ctx, actorOf(req), req.params.id),
  )
  app.patch(
    '/organizations/:id',
    { schema: { tags: ['organizations'], params: IdParams, body: OrganizationPatch, response: { 200: OrganizationDto } } },
    async (req) => updateOrganization(ctx, actorOf(req), req.params.id, req.body),
  )
}
