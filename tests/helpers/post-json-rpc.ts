/**
 * POSTs a JSON-RPC body (one message or a batch) to an MCP endpoint as a 2025-06-18 client with a
 * bearer key, asking for plain JSON: the raw exchange the edge tests count and limit.
 */
export function postJsonRpc(url: string | URL, key: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'mcp-protocol-version': '2025-06-18',
    },
    body: JSON.stringify(body),
  });
}
