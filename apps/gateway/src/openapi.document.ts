import { Channel, Outcome, PaymentMethod, ReasonKind, StepUpMethod, StepUpOutcome } from '@argus/contracts';
import { FieldErrorCode, FIELD_MAX_LENGTH } from '@argus/transaction';
import { GatewayErrorCode } from './gateway.errors';

// The OpenAPI 3.1 description of the gateway, written by hand (no generator is installed) and typed, so
// that the enums come from the contracts and a renamed code cannot leave the document behind.

type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/** The JSON Schema 2020-12 keywords this document uses. */
export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: JsonType | readonly JsonType[];
  readonly format?: string;
  readonly description?: string;
  readonly enum?: readonly (string | null)[];
  readonly const?: JsonValue;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly examples?: readonly JsonValue[];
}

interface MediaType {
  readonly schema: JsonSchema;
  readonly example?: JsonValue;
}

interface Response {
  readonly description: string;
  readonly headers?: Readonly<Record<string, { readonly description: string; readonly schema: JsonSchema }>>;
  readonly content?: Readonly<Record<string, MediaType>>;
}

interface Operation {
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
  readonly requestBody?: { readonly required: boolean; readonly content: Readonly<Record<string, MediaType>> };
  readonly responses: Readonly<Record<string, Response | ResponseRef>>;
}

/** A response described once under components.responses. */
interface ResponseRef {
  readonly $ref: `#/components/responses/${string}`;
}

export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly servers: readonly { readonly url: string; readonly description: string }[];
  readonly security: readonly Readonly<Record<string, readonly string[]>>[];
  readonly tags: readonly { readonly name: string; readonly description: string }[];
  readonly paths: Readonly<Record<string, Readonly<Partial<Record<'get' | 'post', Operation>>>>>;
  readonly components: {
    readonly securitySchemes: Readonly<
      Record<
        string,
        {
          readonly type: string;
          readonly scheme?: string;
          readonly in?: string;
          readonly name?: string;
          readonly description: string;
        }
      >
    >;
    readonly schemas: Readonly<Record<string, JsonSchema>>;
    readonly responses: Readonly<Record<string, Response>>;
  };
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema, example?: JsonValue): Readonly<Record<string, MediaType>> => ({
  'application/json': example === undefined ? { schema } : { schema, example },
});
const errorResponse = (description: string, example: JsonValue): Response => ({
  description,
  content: json(ref('Error'), example),
});
const optionalText = (maxLength: number, description: string): JsonSchema => ({
  type: ['string', 'null'],
  maxLength,
  description,
});

const exampleDecision = {
  transaction_id: 'txn-20261123-000042',
  outcome: 'REVIEW',
  score: null,
  risk_tier: null,
  reasons: [
    {
      kind: 'RULE',
      code: 'ecommerce-high-amount',
      message: 'Amount 1899.00 EUR above e-commerce review threshold of 1,500',
      value: null,
    },
    { kind: 'POLICY', code: 'RULE_REVIEW', message: 'A REVIEW rule fired', value: null },
  ],
  degraded: ['MODEL_UNAVAILABLE', 'SCORE_UNAVAILABLE'],
  model_version: null,
  rule_set_version: 'default@3f2a9c1d7e4b',
  policy_version: 'default@2026.11.1+9a0c41d2e3f4',
  step_up: { required: true, methods: ['THREE_DS', 'OTP'] },
  latency_ms: 1.842,
} as const;

export const OPENAPI_DOCUMENT: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Argus decision gateway',
    version: '1.0.0',
    description:
      'Synchronous fraud decisions for card-present and other inline authorisations: one transaction in, ' +
      'APPROVE / REVIEW / BLOCK with its reasons out, decided by the same rules, features, model and policy ' +
      'as the Kafka path. Every decision is also published on the `decisions` topic for audit and the ' +
      'analyst case queue. Rate limits are per client and per gateway replica.',
  },
  servers: [{ url: 'http://127.0.0.1:18106', description: 'local (argus services up)' }],
  security: [{ bearerKey: [] }, { apiKeyHeader: [] }],
  tags: [
    { name: 'decisions', description: 'Ask for a decision (scope `decisions`)' },
    { name: 'step-up', description: 'Report how a REVIEW step-up ended (scope `step-up`)' },
    { name: 'meta', description: 'This document' },
  ],
  paths: {
    '/v1/decisions': {
      post: {
        operationId: 'decide',
        summary: 'Decide one transaction',
        description:
          'Validates and normalises the transaction exactly as the ingestion webhook does (a clear `pan` is ' +
          'tokenised at once and never stored, logged or published), then decides it in process. A retry with ' +
          'the same `transaction_id` from the same client returns the first answer unchanged (kept 24 h) and ' +
          'is not counted twice. A REVIEW asks for a step-up (3-D Secure or OTP); report its outcome to ' +
          '`POST /v1/step-up-results`.',
        tags: ['decisions'],
        requestBody: { required: true, content: json(ref('TransactionRequest'), exampleRequest()) },
        responses: {
          '200': { description: 'The decision', content: json(ref('DecisionResponse'), exampleDecision) },
          '400': {
            description: 'Invalid transaction: every invalid field is named',
            content: json(ref('ValidationError'), {
              error: 'INVALID_TRANSACTION',
              message:
                'invalid transaction (2 field errors): currency UNKNOWN_CURRENCY, merchant_country INVALID_COUNTRY',
              field_errors: [
                { field: 'currency', code: 'UNKNOWN_CURRENCY', message: 'is not an active ISO 4217 currency code' },
                { field: 'merchant_country', code: 'INVALID_COUNTRY', message: 'must be an ISO 3166-1 alpha-2 code' },
              ],
            }),
          },
          '401': { $ref: '#/components/responses/Unauthenticated' },
          '403': { $ref: '#/components/responses/Forbidden' },
          '409': errorResponse(
            'The transaction id was already decided for another client, through Kafka, or with other content',
            {
              error: 'DUPLICATE_TRANSACTION',
              message: 'transaction txn-20261123-000042 was already decided for another client',
            },
          ),
          '429': { $ref: '#/components/responses/RateLimited' },
          '503': { $ref: '#/components/responses/Backpressure' },
        },
      },
    },
    '/v1/step-up-results': {
      post: {
        operationId: 'reportStepUpResult',
        summary: 'Report how a step-up challenge ended',
        description:
          'Published as a StepUpResult on `step-up-results`; PASSED becomes a LEGITIMATE label and FAILED a FRAUD ' +
          'label on `labels` (ABANDONED is no evidence either way: no label). The transaction must be one the ' +
          'gateway decided REVIEW; one it did not decide (or whose answer expired) is accepted when `card_id` is given.',
        tags: ['step-up'],
        requestBody: {
          required: true,
          content: json(ref('StepUpResultRequest'), {
            transaction_id: 'txn-20261123-000042',
            method: 'THREE_DS',
            outcome: 'PASSED',
            completed_at: '2026-11-23T10:15:42Z',
          }),
        },
        responses: {
          '202': {
            description: 'Accepted and queued for Kafka',
            content: json(ref('StepUpResultAccepted'), { transaction_id: 'txn-20261123-000042', label: 'LEGITIMATE' }),
          },
          '400': {
            description: 'Invalid body: every invalid field is named',
            content: json(ref('ValidationError'), {
              error: 'INVALID_STEP_UP_RESULT',
              message: 'invalid step-up result (1 field error): outcome INVALID_FORMAT',
              field_errors: [
                { field: 'outcome', code: 'INVALID_FORMAT', message: 'must be one of PASSED, FAILED, ABANDONED' },
              ],
            }),
          },
          '401': { $ref: '#/components/responses/Unauthenticated' },
          '403': { $ref: '#/components/responses/Forbidden' },
          '404': errorResponse('The gateway did not decide this transaction and no card_id was given', {
            error: 'UNKNOWN_TRANSACTION',
            message: 'transaction txn-1 was not decided here (or its answer expired); send its card_id',
          }),
          '409': errorResponse('The transaction was not decided REVIEW', {
            error: 'NOT_A_REVIEW',
            message: 'transaction txn-1 was decided APPROVE: no step-up was asked for',
          }),
          '429': { $ref: '#/components/responses/RateLimited' },
          '503': { $ref: '#/components/responses/Backpressure' },
        },
      },
    },
    '/v1/openapi.json': {
      get: {
        operationId: 'openApiDocument',
        summary: 'This document',
        description: 'The OpenAPI 3.1 description of the gateway. No API key needed.',
        tags: ['meta'],
        security: [],
        responses: { '200': { description: 'OpenAPI 3.1 document', content: json({ type: 'object' }) } },
      },
    },
  },
  components: {
    securitySchemes: {
      bearerKey: {
        type: 'http',
        scheme: 'bearer',
        description:
          'The client API key: `Authorization: Bearer <key>`. Keys are per client, with scopes and a rate limit.',
      },
      apiKeyHeader: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Api-Key',
        description: 'The same key, for clients that cannot set Authorization.',
      },
    },
    responses: {
      Unauthenticated: errorResponse('No API key, or an unknown one', {
        error: 'UNAUTHENTICATED',
        message: 'unknown API key',
      }),
      Forbidden: errorResponse('The client lacks the scope of this operation', {
        error: 'FORBIDDEN',
        message: 'client step-up-only does not have the decisions scope',
      }),
      RateLimited: {
        description: "Above the client's rate (per gateway replica); retry after the time given",
        headers: {
          'Retry-After': { description: 'Seconds until a retry can succeed (rounded up)', schema: { type: 'integer' } },
        },
        content: json(ref('Error'), {
          error: 'RATE_LIMITED',
          message: 'client demo is above its rate of 5000/s (burst 5000)',
          retry_after_ms: 1,
        }),
      },
      Backpressure: errorResponse(
        'BACKPRESSURE: Kafka is not keeping up, the gateway refuses to decide rather than lose decisions; OVERLOADED: this replica is at its in-flight limit (load shedding, Retry-After). Retry shortly, or on another replica',
        {
          error: 'BACKPRESSURE',
          message: 'decisions cannot be published as fast as they are asked for; retry shortly',
        },
      ),
    },
    schemas: {
      TransactionRequest: {
        type: 'object',
        description:
          'One transaction, as the ingestion webhook accepts it. Give either `amount_minor` (integer minor units) ' +
          'or `amount` (decimal major units), and either `card_id` (a token or account id) or `pan` (a clear card ' +
          'number, tokenised on arrival).',
        additionalProperties: false,
        required: ['transaction_id', 'event_time', 'customer_id', 'currency', 'merchant_id'],
        properties: {
          transaction_id: {
            type: 'string',
            minLength: 1,
            maxLength: FIELD_MAX_LENGTH.transaction_id,
            description: 'Unique per transaction: the idempotency key',
          },
          event_time: {
            oneOf: [
              { type: 'integer', description: 'UTC epoch milliseconds' },
              { type: 'string', format: 'date-time', description: 'ISO-8601 with an offset' },
            ],
          },
          card_id: optionalText(FIELD_MAX_LENGTH.card_id, 'Card token or account id (never a clear card number)'),
          pan: {
            type: ['string', 'null'],
            description: 'Clear card number (PCI-scoped callers only); tokenised at once',
          },
          customer_id: { type: 'string', minLength: 1 },
          account_id: { type: ['string', 'null'] },
          amount_minor: { type: 'integer', minimum: 1, description: 'Amount in minor units (cents)' },
          amount: {
            type: ['string', 'number'],
            description: 'Amount in major units, e.g. "18.99"; no more decimals than the currency has',
          },
          currency: { type: 'string', pattern: '^[A-Za-z]{3}$', description: 'ISO 4217 alphabetic code' },
          merchant_id: { type: 'string', minLength: 1 },
          merchant_category_code: { type: ['string', 'null'], pattern: '^\\d{4}$', description: 'ISO 18245 MCC' },
          merchant_country: { type: ['string', 'null'], description: 'ISO 3166-1 alpha-2' },
          terminal_id: { type: ['string', 'null'] },
          channel: { enum: Object.values(Channel), description: 'Default UNKNOWN' },
          payment_method: { enum: Object.values(PaymentMethod), description: 'Default OTHER' },
          device_fingerprint: { type: ['string', 'null'] },
          ip_address: { type: ['string', 'null'], description: 'IPv4 or IPv6' },
          geo: {
            type: ['object', 'null'],
            additionalProperties: false,
            required: ['lat', 'lon'],
            properties: {
              lat: { type: 'number', minimum: -90, maximum: 90 },
              lon: { type: 'number', minimum: -180, maximum: 180 },
              country: { type: ['string', 'null'] },
              city: { type: ['string', 'null'] },
            },
          },
          attributes: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      DecisionResponse: {
        type: 'object',
        required: [
          'transaction_id',
          'outcome',
          'score',
          'risk_tier',
          'reasons',
          'degraded',
          'model_version',
          'rule_set_version',
          'policy_version',
          'step_up',
          'latency_ms',
        ],
        properties: {
          transaction_id: { type: 'string' },
          outcome: {
            enum: Object.values(Outcome),
            description: 'REVIEW: run the step-up, then authorise on its result',
          },
          score: {
            type: ['integer', 'null'],
            minimum: 0,
            maximum: 100,
            description: 'Model score when a model took part',
          },
          risk_tier: { type: ['string', 'null'], examples: ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] },
          reasons: { type: 'array', items: ref('Reason'), description: 'Why, most decisive first' },
          degraded: {
            type: 'array',
            items: { type: 'string' },
            description: 'What was missing when deciding (e.g. SCORE_TIMEOUT, STATE_UNAVAILABLE): the decision says so',
          },
          model_version: { type: ['string', 'null'] },
          rule_set_version: { type: 'string' },
          policy_version: { type: 'string' },
          step_up: {
            oneOf: [
              {
                type: 'object',
                required: ['required', 'methods'],
                properties: {
                  required: { const: true },
                  methods: { type: 'array', items: { enum: ['THREE_DS', 'OTP'] } },
                },
              },
              { type: 'null' },
            ],
          },
          latency_ms: { type: 'number', description: 'Time spent in the gateway on the first answer' },
        },
      },
      Reason: {
        type: 'object',
        required: ['kind', 'code', 'message', 'value'],
        properties: {
          kind: { enum: Object.values(ReasonKind) },
          code: { type: 'string', description: 'Rule id, feature name or policy code' },
          message: { type: 'string' },
          value: { type: ['number', 'null'], description: 'Feature value or contribution where relevant' },
        },
      },
      StepUpResultRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['transaction_id', 'method', 'outcome', 'completed_at'],
        properties: {
          transaction_id: { type: 'string', minLength: 1, maxLength: FIELD_MAX_LENGTH.transaction_id },
          card_id: optionalText(
            FIELD_MAX_LENGTH.card_id,
            'Needed only for a transaction the gateway did not decide; the decided card wins otherwise',
          ),
          method: { enum: Object.values(StepUpMethod) },
          outcome: { enum: Object.values(StepUpOutcome) },
          completed_at: { type: 'string', format: 'date-time', description: 'ISO-8601 with an offset' },
        },
      },
      StepUpResultAccepted: {
        type: 'object',
        required: ['transaction_id', 'label'],
        properties: {
          transaction_id: { type: 'string' },
          label: { enum: ['FRAUD', 'LEGITIMATE', null], description: 'null for ABANDONED' },
        },
      },
      Error: {
        type: 'object',
        required: ['error', 'message'],
        properties: {
          error: { enum: [...Object.values(GatewayErrorCode), 'INVALID_TRANSACTION'] },
          message: { type: 'string' },
          retry_after_ms: { type: 'integer', description: 'RATE_LIMITED only' },
        },
      },
      ValidationError: {
        type: 'object',
        required: ['error', 'message', 'field_errors'],
        properties: {
          error: { enum: ['INVALID_TRANSACTION', GatewayErrorCode.INVALID_STEP_UP_RESULT] },
          message: { type: 'string' },
          field_errors: { type: 'array', minItems: 1, items: ref('FieldError') },
        },
      },
      FieldError: {
        type: 'object',
        required: ['field', 'code', 'message'],
        properties: {
          field: { type: 'string', description: 'e.g. currency, geo.lat, attributes.channel_ref' },
          code: { enum: Object.values(FieldErrorCode) },
          message: { type: 'string' },
        },
      },
    },
  },
};

function exampleRequest(): JsonValue {
  return {
    transaction_id: 'txn-20261123-000042',
    event_time: '2026-11-23T10:15:30.250Z',
    pan: '4111 1111 1111 1111',
    customer_id: 'cus-1042',
    amount: '1899.00',
    currency: 'EUR',
    merchant_id: 'mer-77',
    merchant_category_code: '5732',
    merchant_country: 'DE',
    channel: 'ECOMMERCE',
    payment_method: 'CARD',
    device_fingerprint: 'dev-9f1c',
    ip_address: '203.0.113.7',
    geo: { lat: 52.52, lon: 13.405, country: 'DE', city: 'Berlin' },
  };
}
