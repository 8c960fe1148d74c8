import { API_VERSION, ApiError } from '../../../shared/index';
import { jsonSchemaOf } from './json-schema';
import { OPERATIONS, type Operation } from './operations';

type Json = Record<string, unknown>;

const SECURITY: Record<Operation['security'], Json[] | undefined> = {
  bearer: [{ bearer: [] }],
  admin: [{ bearer: [] }],
  writeKey: [{ writeKey: [] }],
  signed: [],
  none: [],
};

const ERROR_MEANING: Record<number, string> = {
  400: 'Malformed input: bad JSON, wrong types, unknown site, bad signature, ... (`issues` lists every problem).',
  401: 'No, unknown or revoked credentials.',
  403: 'Not allowed: a rep token on an admin route, or an origin the site does not allow.',
  404: 'No such lead in this workspace.',
  409: 'Conflicts with existing data.',
  413: 'The body is too large.',
  422: 'The Idempotency-Key was already used for a different request.',
  429: 'Rate limited; retry after the Retry-After header (seconds).',
};

function operationObject(op: Operation): Json {
  const errorSchema = jsonSchemaOf(ApiError, 'output');
  const responses: Json = {
    [op.response.status]: {
      description: op.response.description,
      ...(op.response.schema ? { content: { [op.response.contentType ?? 'application/json']: { schema: jsonSchemaOf(op.response.schema, 'output') } } } : {}),
      ...(op.response.contentType && !op.response.schema ? { content: { [op.response.contentType]: {} } } : {}),
    },
  };
  for (const status of op.errors) responses[status] = { description: ERROR_MEANING[status], content: { 'application/json': { schema: errorSchema } } };
  return {
    tags: [op.tag],
    summary: op.summary,
    description: op.security === 'admin' ? `${op.description}\n\nNeeds an admin token.` : op.description,
    security: SECURITY[op.security],
    ...(op.params ? { parameters: op.params.map((p) => ({ name: p.name, in: p.in, required: p.required ?? false, description: p.description, schema: p.schema ?? {} })) } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { [op.body.contentType]: { schema: jsonSchemaOf(op.body.schema, 'input'), example: op.body.example } } } }
      : {}),
    responses,
    'x-example': op.example,
  };
}

/** The OpenAPI 3.1 document, generated from the zod schemas the routes validate with. */
export function openApiDocument(publicUrl: string): Json {
  const paths: Record<string, Json> = {};
  for (const op of OPERATIONS) paths[op.path] = { ...paths[op.path], [op.method]: operationObject(op) };
  return {
    openapi: '3.1.0',
    info: {
      title: 'leadscore',
      version: String(API_VERSION),
      description: 'Lead scoring: ingest engagement, score leads, and serve scores to reps. Every 4xx body is an ApiError: { error, message, issues? }.',
    },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A rep or admin token (ls_rep_... / ls_admin_...), made with `npm run leadscore -- token create`.' },
        writeKey: { type: 'http', scheme: 'basic', description: 'Segment style: the site key as user name, empty password.' },
      },
      schemas: { ApiError: jsonSchemaOf(ApiError, 'output') },
    },
    paths,
  };
}
