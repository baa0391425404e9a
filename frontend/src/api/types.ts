// Names for the generated OpenAPI types (schema.d.ts is generated from
// ../openapi.yaml by `npm run gen:api`; never edit it by hand).
import type { components } from './schema';

type Schemas = components['schemas'];

export type Me = Schemas['Me'];
export type User = Schemas['User'];
export type Company = Schemas['Company'];
export type Client = Schemas['Client'];
export type ClientFull = Schemas['ClientFull'];
export type ClientWrite = Schemas['ClientWrite'];
export type ClientStatus = Schemas['ClientStatus'];
export type Address = Schemas['Address'];
export type AddressWrite = Schemas['AddressWrite'];
export type Contact = Schemas['Contact'];
export type ClientContactWrite = Schemas['ClientContactWrite'];
export type Event = Schemas['Event'];
export type ListMeta = Schemas['ListMeta'];
export type Pagination = ListMeta['pagination'];
export type ErrorBody = Schemas['Error'];
export type FieldError = Schemas['FieldError'];
export type EffectiveSettings = Schemas['EffectiveSettings'];
export type EffectiveSetting = Schemas['EffectiveSetting'];
export type SettingsPatch = Schemas['SettingsPatch'];
export type Group = Schemas['Group'];
export type Token = Schemas['Token'];
export type TokenCreated = Schemas['TokenCreated'];
export type UserSummary = Schemas['UserSummary'];
export type Profile = Schemas['Profile'];
export type LedgerKind = Schemas['LedgerKind'];
export type LedgerKindRule = Schemas['LedgerKindRule'];
export type LedgerEntry = Schemas['LedgerEntry'];
export type LedgerEntryWrite = Schemas['LedgerEntryWrite'];
export type LedgerRange = Schemas['LedgerRange'];
export type LedgerSummary = Schemas['LedgerSummary'];

/** Every list endpoint answers this shape. */
export interface ListOf<T> {
  data: T[];
  meta: ListMeta;
}
