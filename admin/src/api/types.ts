/** Short names for the API's shapes (generated in schema.d.ts from the OpenAPI document). */
import type { components } from './schema'

export type Schemas = components['schemas']
export type Conversation = Schemas['Conversation']
export type Message = Schemas['Message']
export type Contact = Schemas['Contact']
export type Team = Schemas['Team']
export type User = Schemas['User']
