/** `npm run schema`: regenerates docs/scoring-model.schema.json from the zod ScoringModel. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { modelJsonSchemaText, SCHEMA_PATH } from './model-json-schema';

writeFileSync(SCHEMA_PATH, modelJsonSchemaText());
console.log(`wrote ${fileURLToPath(SCHEMA_PATH)}`);
