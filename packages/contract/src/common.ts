import { type Static, type TSchema, Type } from 'typebox'

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

export const Id = Type.Integer({ minimum: 1, maximum: 2147483647 })
export const IdParams = Type.Object({ id: Id })
export type IdParams = Static<typeof IdParams>

/** Epoch milliseconds. */
export const Timestamp = Type.Integer({ minimum: 0 })

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
})
export type ErrorBody = Static<typeof ErrorBody>

export const Ok = Type.Object({ ok: Type.Boolean() })

export const CursorQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
}

export const Page = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) })
export type PageOf<T> = { items: T[]; nextCursor: string | null }

export const CustomFieldValues = Type.Record(
  Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
  Type.Union([Type.String({ maxLength: 2000 }), Type.Number(), Type.Boolean(), Type.Null()]),
)
export type CustomFieldValues = Static<typeof CustomFieldValues>

export const Email = Type.String({ format: 'email', maxLength: 320 })
