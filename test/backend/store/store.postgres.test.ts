import { describe } from 'vitest';
import { PostgresStore } from '../../../backend/src/store/postgres/postgres-store';
import { hasPostgres } from '../../support/env';
import { testSchema } from '../support/postgres-schema';
import { describeStoreContract } from '../support/store-contract';

// The whole storage suite, each test on a fresh schema of its own.
describe.runIf(await hasPostgres())('PostgreSQL', () => {
  describeStoreContract('postgres', async () => {
    const schema = testSchema();
    const store = await PostgresStore.open(schema.url);
    return {
      store,
      dump: () => schema.dump(),
      close: async () => {
        await store.close();
        await schema.drop();
      },
    };
  });
});
