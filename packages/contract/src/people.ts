import { type Static, Type } from 'typebox'
import { CustomFieldValues, Email, Id, Nullable, Timestamp } from './common.ts'
import { ParticipationDto, RiskLevelSchema, TrustLevelSchema } from './participation.ts'

export const ROLES = ['owner', 'admin', 'agent', 'contributor'] as const
export type Role = (typeof ROLES)[number]
export const RoleSchema = Type.Enum(ROLES)

export const UserDto = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  isActive: Type.Boolean(),
  teamIds: Type.Array(Id),
  trustLevel: TrustLevelSchema,
  clearance: RiskLevelSchema,
  createdAt: Timestamp,
})
export type UserDto = Static<typeof UserDto>

export const UserRef = Type.Object({ id: Id, name: Type.String() })
export type UserRef = Static<typeof UserRef>

export const Password = Type.String({ minLength: 8, maxLength: 200 })
export const PersonName = Type.String({ minLength: 1, maxLength: 200 })

export const CreateUserInput = Type.Object({
  email: Email,
  name: PersonName,
  role: RoleSchema,
  password: Password,
})
export type CreateUserInput = Static<typeof CreateUserInput>

export const UpdateUserInput = Type.Object({
  name: Type.Optional(PersonName),
  role: Type.Optional(RoleSchema),
  isActive: Type.Optional(Type.Boolean()),
  trustLevel: Type.Optional(TrustLevelSchema),
  clearance: Type.Optional(RiskLevelSchema),
})
export type UpdateUserInput = Static<typeof UpdateUserInput>

export const InviteInput = Type.Object({ email: Email, role: RoleSchema })
export type InviteInput = Static<typeof InviteInput>
export const InviteDto = Type.Object({
  id: Id,
  email: Type.String(),
  role: RoleSchema,
  expiresAt: Timestamp,
  acceptedAt: Nullable(Timestamp),
  url: Type.Optional(Type.String()),
})
export type InviteDto = Static<typeof InviteDto>
export const InviteTokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) })
export const AcceptInviteInput = Type.Object({ name: PersonName, password: Password })

export const TeamDto = Type.Object({ id: Id, name: Type.String(), memberIds: Type.Array(Id), createdAt: Timestamp })
export type TeamDto = Static<typeof TeamDto>
export const TeamInput = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) })
export const TeamMembersInput = Type.Object({ userIds: Type.Array(Id, { maxItems: 1000 }) })

export const LoginInput = Type.Object({ email: Type.String({ minLength: 3, maxLength: 320 }), password: Type.String({ minLength: 1, maxLength: 200 }) })
export type LoginInput = Static<typeof LoginInput>

export const SetupInput = Type.Object({
  workspaceName: Type.String({ minLength: 1, maxLength: 100 }),
  name: PersonName,
  email: Email,
  password: Password,
})
export type SetupInput = Static<typeof SetupInput>
export const SetupStatus = Type.Object({ needsSetup: Type.Boolean(), workspaceName: Nullable(Type.String()) })

export const MeDto = Type.Object({ user: UserDto, workspaceName: Type.String(), participation: ParticipationDto })
export type MeDto = Static<typeof MeDto>

export const OrganizationDto = Type.Object({
  id: Id,
  name: Type.String(),
  domain: Nullable(Type.String()),
  notes: Type.String(),
  customFields: CustomFieldValues,
  /** Safe routing: a tier such as "enterprise"; risk rules may treat some tiers as VIP. */
  tier: Nullable(Type.String()),
  contactCount: Type.Integer(),
  createdAt: Timestamp,
})
export type OrganizationDto = Static<typeof OrganizationDto>
export const OrganizationInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  domain: Type.Optional(Nullable(Type.String({ maxLength: 253 }))),
  notes: Type.Optional(Type.String({ maxLength: 20000 })),
  customFields: Type.Optional(CustomFieldValues),
  tier: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 40 }))),
})
export const OrganizationPatch = Type.Partial(OrganizationInput)

export const ContactDto = Type.Object({
  id: Id,
  name: Type.String(),
  emails: Type.Array(Type.String()),
  /** Phone numbers (digits and a leading +), e.g. from a CSV import. */
  phones: Type.Array(Type.String()),
  organizationId: Nullable(Id),
  organizationName: Nullable(Type.String()),
  notes: Type.String(),
  customFields: CustomFieldValues,
  /** Safe routing: tickets from a VIP contact are flagged by the VIP risk rule. */
  vip: Type.Boolean(),
  ticketCount: Type.Integer(),
  createdAt: Timestamp,
})
export type ContactDto = Static<typeof ContactDto>
export const ContactInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  emails: Type.Array(Email, { minItems: 0, maxItems: 20 }),
  organizationId: Type.Optional(Nullable(Id)),
  notes: Type.Optional(Type.String({ maxLength: 20000 })),
  customFields: Type.Optional(CustomFieldValues),
  vip: Type.Optional(Type.Boolean()),
})
export const ContactPatch = Type.Partial(ContactInput)
export const MergeContactInput = Type.Object({ intoContactId: Id })
