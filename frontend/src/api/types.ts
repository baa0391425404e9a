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
export type Import = Schemas['Import'];
export type ImportStatus = Import['status'];
export type ImportColumn = Schemas['ImportColumn'];
export type ImportOptions = Schemas['ImportOptions'];
export type ImportOptionsWrite = Schemas['ImportOptionsWrite'];
export type ImportCounts = Schemas['ImportCounts'];
export type ImportProgress = Schemas['ImportProgress'];
export type ImportIssue = Schemas['ImportIssue'];
export type ImportRowError = Schemas['ImportRowError'];
export type ImportTemplate = Schemas['ImportTemplate'];
export type ImportFields = Schemas['ImportFields'];
export type ImportField = ImportFields['fields'][number];

/** Every list endpoint answers this shape. */
export interface ListOf<T> {
  data: T[];
  meta: ListMeta;
}

export type Webhook = Schemas['Webhook'];
export type WebhookWithSecret = Schemas['WebhookWithSecret'];
export type WebhookCreate = Schemas['WebhookCreate'];
export type WebhookUpdate = Schemas['WebhookUpdate'];
export type WebhookEventType = Schemas['WebhookEventType'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookDeliveryDetail = Schemas['WebhookDeliveryDetail'];
export type WebhookAttempt = Schemas['WebhookAttempt'];
export type DocumentInfo = Schemas['Document'];
export type PortalDocument = Schemas['PortalDocument'];
