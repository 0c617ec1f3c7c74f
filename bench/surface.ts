/**
 * Benchmark 5: the tool surface a model pays for in every conversation (issue 8). Bytes of the
 * HTTP bodies of `initialize` (with instructions) and `tools/list`, and of the `list tables`
 * result (its structuredContent, the search output a model reads; the text item repeats it),
 * compared with the goals: initialize + tools/list ≤ 3 KB, list tables ≤ 150 bytes a table.
 */
export const SURFACE_GOALS = { initializeAndToolsList: 3_000, listTablesPerTable: 150 };

export interface SurfaceResult {
  initializeBytes: number;
  toolsListBytes: number;
  listTablesBytes: number;
  listTablesResponseBytes: number;
  tables: number;
}

export async function benchmarkSurface(mcpUrl: string, apiKey: string): Promise<SurfaceResult> {
  const headers = { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${apiKey}` };
  const post = async (
    id: number,
    method: string,
    params: unknown,
  ): Promise<{ bytes: number; body: { result?: { structuredContent?: { results?: unknown[] } } } }> => {
    const response = await fetch(mcpUrl, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id, method, params }) });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${method}: HTTP ${response.status} ${text.slice(0, 200)}`);
    return { bytes: Buffer.byteLength(text), body: JSON.parse(text) };
  };
  const init = await post(1, 'initialize', {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'bench', version: '1' },
  });
  const list = await post(2, 'tools/list', {});
  const tables = await post(3, 'tools/call', { name: 'search', arguments: { query: 'list tables' } });
  const content = tables.body.result?.structuredContent;
  return {
    initializeBytes: init.bytes,
    toolsListBytes: list.bytes,
    listTablesBytes: Buffer.byteLength(JSON.stringify(content ?? {})),
    listTablesResponseBytes: tables.bytes,
    tables: content?.results?.length ?? 0,
  };
}

/** The printed lines, each with its goal and whether it is met. */
export function surfaceLines(r: SurfaceResult): string[] {
  const total = r.initializeBytes + r.toolsListBytes;
  const perTable = r.tables > 0 ? r.listTablesBytes / r.tables : 0;
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  return [
    `initialize ${r.initializeBytes} B + tools/list ${r.toolsListBytes} B = ${total} B (goal ≤ ${SURFACE_GOALS.initializeAndToolsList} B): ${verdict(total <= SURFACE_GOALS.initializeAndToolsList)}`,
    `list tables: ${r.listTablesBytes} B for ${r.tables} tables = ${perTable.toFixed(0)} B a table (goal ≤ ${SURFACE_GOALS.listTablesPerTable} B): ${verdict(perTable <= SURFACE_GOALS.listTablesPerTable)}; whole tools/call response ${r.listTablesResponseBytes} B (content and structuredContent)`,
  ];
}
