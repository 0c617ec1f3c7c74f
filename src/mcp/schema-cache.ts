import type { McpServer, StandardSchemaWithJSON } from '@modelcontextprotocol/server';

type Converter = StandardSchemaWithJSON['~standard']['jsonSchema'];
type ConverterOptions = Parameters<Converter['input']>[0];

const wrappers = new WeakMap<object, StandardSchemaWithJSON>();

/**
 * The same schema, its JSON Schema conversion computed once per target and reused. The SDK
 * converts a tool's schemas when a server lists or calls it, memoised only per registration, and
 * the server is built per request: zod's `toJSONSchema` per call was the largest single cost of a
 * cached `fetch` (issue 9, item 5). Validation is the schema's own. One wrapper per schema object,
 * so the cache outlives every server built from it.
 */
export function withCachedJsonSchema<S extends StandardSchemaWithJSON>(schema: S): S {
  const known = wrappers.get(schema);
  if (known) return known as S;
  const standard = schema['~standard'];
  const memo = new Map<string, Record<string, unknown>>();
  const once = (io: 'input' | 'output', options: ConverterOptions): Record<string, unknown> => {
    const key = `${io} ${options.target} ${options.libraryOptions ? JSON.stringify(options.libraryOptions) : ''}`;
    let json = memo.get(key);
    if (json === undefined) {
      json = Object.freeze(standard.jsonSchema[io](options)) as Record<string, unknown>;
      memo.set(key, json);
    }
    return json;
  };
  const jsonSchema: Converter = { input: (options) => once('input', options), output: (options) => once('output', options) };
  const wrapper = Object.create(schema, { '~standard': { value: { ...standard, jsonSchema }, enumerable: false } }) as S;
  wrappers.set(schema, wrapper);
  return wrapper;
}

type RegisterTool = (name: string, config: { inputSchema?: unknown; outputSchema?: unknown }, handler: unknown) => unknown;

function isStandardWithJson(value: unknown): value is StandardSchemaWithJSON {
  return (
    typeof value === 'object' && value !== null && typeof (value as StandardSchemaWithJSON)['~standard']?.jsonSchema?.output === 'function'
  );
}

/** Makes every `registerTool` on this server use schemas with cached JSON Schema conversions. */
export function cacheToolSchemas(server: McpServer): McpServer {
  const register = server.registerTool.bind(server) as unknown as RegisterTool;
  const cached: RegisterTool = (name, config, handler) =>
    register(
      name,
      {
        ...config,
        ...(isStandardWithJson(config.inputSchema) ? { inputSchema: withCachedJsonSchema(config.inputSchema) } : {}),
        ...(isStandardWithJson(config.outputSchema) ? { outputSchema: withCachedJsonSchema(config.outputSchema) } : {}),
      },
      handler,
    );
  (server as unknown as { registerTool: RegisterTool }).registerTool = cached;
  return server;
}
