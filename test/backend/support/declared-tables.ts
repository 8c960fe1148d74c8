import type { Database } from '../../../backend/src/store/sql/schema';

/** The tables of the schema (backend/src/store/sql/schema.ts), sorted; `satisfies` fails the build when one is missing here. */
const TABLES = {
  accounts: true,
  attribute_history: true,
  challengers: true,
  console_sessions: true,
  events: true,
  identities: true,
  idempotency_keys: true,
  jobs: true,
  leads: true,
  models: true,
  settings: true,
  sites: true,
  stage_changes: true,
  tokens: true,
  webhook_deliveries: true,
  webhook_endpoints: true,
  webhook_messages: true,
  workspaces: true,
} satisfies Record<keyof Database, true>;

export const DECLARED_TABLES = Object.keys(TABLES).sort();
