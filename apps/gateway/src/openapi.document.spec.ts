import { WEBHOOK_BODY_FIELDS } from '@argus/transaction';
import { OPENAPI_DOCUMENT, type JsonSchema } from './openapi.document';

describe('OPENAPI_DOCUMENT', () => {
  it('describes both endpoints and the API key schemes, as OpenAPI 3.1', () => {
    expect(OPENAPI_DOCUMENT.openapi).toBe('3.1.0');
    expect(Object.keys(OPENAPI_DOCUMENT.paths)).toEqual(['/v1/decisions', '/v1/step-up-results', '/v1/openapi.json']);
    expect(Object.keys(OPENAPI_DOCUMENT.components.securitySchemes)).toEqual(['bearerKey', 'apiKeyHeader']);
    const decide = OPENAPI_DOCUMENT.paths['/v1/decisions']!.post!;
    expect(Object.keys(decide.responses)).toEqual(['200', '400', '401', '403', '409', '429', '503']);
  });

  it('resolves every $ref it holds', () => {
    const text = JSON.stringify(OPENAPI_DOCUMENT);
    const refs = [...text.matchAll(/"\$ref":"#\/components\/(schemas|responses)\/(\w+)"/g)];
    expect(refs.length).toBeGreaterThan(10);
    for (const [, section, name] of refs) {
      const components = OPENAPI_DOCUMENT.components[section as 'schemas' | 'responses'] as Record<string, unknown>;
      expect({ ref: `${section}/${name}`, found: components[name!] !== undefined }).toEqual({
        ref: `${section}/${name}`,
        found: true,
      });
    }
  });

  it('lists every field the webhook parser accepts, and requires what it requires', () => {
    const request = OPENAPI_DOCUMENT.components.schemas['TransactionRequest'] as JsonSchema;
    expect(Object.keys(request.properties!).sort()).toEqual([...WEBHOOK_BODY_FIELDS].sort());
  });
});
