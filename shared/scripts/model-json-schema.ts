import { z } from 'zod';
import { ScoringModel } from '../schemas/model';

export const SCHEMA_PATH = new URL('../../docs/scoring-model.schema.json', import.meta.url);

/** The JSON Schema editors validate model files against, as the text written to docs/. */
export function modelJsonSchemaText(): string {
  const schema = z.toJSONSchema(ScoringModel, { io: 'input' });
  return `${JSON.stringify({ ...schema, title: 'leadscore scoring model' }, null, 2)}\n`;
}
