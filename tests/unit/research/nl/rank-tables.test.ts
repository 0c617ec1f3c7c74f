import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Catalog } from '../../../../src/db/types.ts';
import { jointCover, NAMED_BONUS, relatedTables, tableResults, withRelated } from '../../../../src/research/nl/rank-tables.ts';
import { tableIndex } from '../../../../src/research/nl/table-bm25.ts';
import { rankTables } from '../../../../src/research/ranking.ts';
import { tableId } from '../../../../src/research/ids.ts';
import type { Thesaurus } from '../../../../src/research/nl/thesaurus.ts';
import { understand } from '../../../../src/research/nl/understand.ts';
import { col, sampleCatalog, table } from '../catalog-fixture.ts';

const all = () => true;
const ctx = { principal: 'test', publicBase: 'http://127.0.0.1' };
const none: Thesaurus = { groups: [] };
const ids = (catalog: Catalog, query: string, thesaurus = none): string[] =>
  tableResults(catalog, understand(query, thesaurus), all, ctx).map((s) => s.item.id);

const shop: Catalog = {
  database: 'Shop',
  loadedAt: 0,
  tables: [
    table('sales', 'OrderLines', [
      col('OrderLineID', 'int', { description: 'Key of the order line.' }),
      col('OrderID', 'int', { description: 'Order the line belongs to.' }),
      col('Qty', 'int', { description: 'Units of the order line.' }),
    ]),
    table('sales', 'Orders', [col('OrderID', 'int'), col('Status', 'nvarchar(20)')], { description: 'Customer orders.' }),
    table('sales', 'Payments', [
      col('PaymentID', 'int'),
      col('TransactionRef', 'uniqueidentifier', { description: 'Reference the payment provider returned.' }),
    ]),
    table('sales', 'Refunds', [col('RefundID', 'int'), col('Reason', 'nvarchar(200)', { description: 'Why the money was paid back.' })]),
    table('sales', 'Credits', [
      col('CreditID', 'int'),
      col('Note', 'nvarchar(200)', { description: 'Reimbursement granted as store credit.' }),
    ]),
    table('hr', 'Employees', [col('EmployeeID', 'int'), col('LastName', 'nvarchar(50)')]),
  ],
};

describe('table BM25 index', () => {
  it('scores a table whose column description alone holds a rare query word, and no other', () => {
    const scores = tableIndex(shop, all).scores([{ word: 'provider', weight: 1 }]);
    assert.deepEqual(
      [...scores.keys()].map((t) => t.name),
      ['Payments'],
    );
    assert.ok((scores.values().next().value ?? 0) > 0);
  });

  it('meets words by stem and in either spelling, in names split into words', () => {
    const index = tableIndex(shop, all);
    assert.ok(index.scores([{ word: 'refunded', weight: 1 }]).size > 0, 'refunded ~ Refunds');
    assert.ok(index.scores([{ word: 'quantity', weight: 1 }]).size > 0, 'quantity ~ Qty (abbreviation spelled out)');
    assert.ok(index.scores([{ word: 'lines', weight: 1 }]).size > 0, 'lines ~ OrderLines');
  });

  it('weighs a word by its weight: a synonym at half weight adds half', () => {
    const index = tableIndex(shop, all);
    const full = index.scores([{ word: 'reimbursement', weight: 1 }]);
    const half = index.scores([{ word: 'reimbursement', weight: 0.5 }]);
    const credits = shop.tables.find((t) => t.name === 'Credits');
    assert.ok(credits);
    assert.ok(Math.abs((half.get(credits) ?? 0) * 2 - (full.get(credits) ?? 0)) < 1e-9);
  });

  it('never scores a table the policy hides', () => {
    const scores = tableIndex(shop, (t) => t.name !== 'Payments').scores([{ word: 'provider', weight: 1 }]);
    assert.equal(scores.size, 0);
  });

  it('is built once per catalog and visible set', () => {
    assert.equal(tableIndex(shop, all), tableIndex(shop, all));
    assert.notEqual(tableIndex(shop, all), tableIndex({ ...shop }, all));
  });
});

describe('tableResults (heuristic fused with BM25)', () => {
  it('finds the table whose description alone holds a rare query word', () => {
    assert.equal(ids(shop, 'which table has the payment provider reference')[0], 'table:sales.Payments');
  });

  it('keeps the head-noun preference: "orders" is Orders before OrderLines, though OrderLines says "order" more often', () => {
    const out = ids(shop, 'where are orders stored');
    assert.ok(out.indexOf('table:sales.Orders') < out.indexOf('table:sales.OrderLines'), out.join(' '));
  });

  it("ranks the user's own word before a thesaurus expansion of it", () => {
    const thesaurus: Thesaurus = { groups: [[['refund'], ['reimbursement']]] };
    const u = understand('which table records refunds', thesaurus);
    assert.ok(
      u.terms.some((t) => t.source === 'synonym' && t.words[0] === 'reimbursement'),
      'the expansion is searched',
    );
    const out = ids(shop, 'which table records refunds', thesaurus);
    assert.deepEqual(out.slice(0, 2), ['table:sales.Refunds', 'table:sales.Credits']);
  });

  it('keeps scores on the 0…1 scale rows are merged on', () => {
    for (const query of ['customer orders', 'complaints', 'late deliveries', 'product reviews rating'])
      for (const s of tableResults(sampleCatalog(), understand(query, none), all, ctx))
        assert.ok(s.score >= 0 && s.score <= 1.05, `${query}: ${s.item.id} ${s.score}`);
  });

  it("keeps the heuristic's order and shares for a query describing content (rows first), BM25 left out", () => {
    const u = understand('customers complaining about late deliveries', none);
    assert.equal(u.intent, 'rows');
    const out = tableResults(sampleCatalog(), u, all, ctx);
    const heuristic = rankTables(sampleCatalog(), u.words, all).map((m) => tableId(m.table.schema, m.table.name));
    assert.deepEqual(
      out.map((s) => s.item.id),
      heuristic,
    );
  });

  it('leaves out tables the configuration hides', () => {
    const out = tableResults(shop, understand('payment provider reference', none), (t) => t.name !== 'Payments', ctx);
    assert.ok(!out.some((s) => s.item.id === 'table:sales.Payments'));
  });

  const hr: Catalog = {
    database: 'Hr',
    loadedAt: 0,
    tables: [
      table('hr', 'Departments', [col('DepartmentID', 'int'), col('Name', 'nvarchar(100)')]),
      table('hr', 'Employees', [col('EmployeeID', 'int'), col('DepartmentID', 'int'), col('ManagerID', 'int')], {
        description: 'Staff; ManagerID forms the reporting hierarchy.',
        foreignKeys: [
          { name: 'FK_E_D', columns: ['DepartmentID'], refSchema: 'hr', refTable: 'Departments', refColumns: ['DepartmentID'] },
        ],
      }),
      table('hr', 'SalaryHistory', [col('SalaryHistoryID', 'int'), col('EmployeeID', 'int')], {
        foreignKeys: [{ name: 'FK_S_E', columns: ['EmployeeID'], refSchema: 'hr', refTable: 'Employees', refColumns: ['EmployeeID'] }],
      }),
      table('sales', 'Products', [col('ProductID', 'int'), col('Name', 'nvarchar(100)')]),
      table('hr', 'vw_Directory', [col('EmployeeID', 'int'), col('ManagerName', 'nvarchar(100)')], { kind: 'view', primaryKey: [] }),
    ],
  };

  it('follows a where-is answer with the tables around it: views holding its key, then children, then parents', () => {
    const out = ids(hr, 'which table says who reports to whom');
    assert.deepEqual(out, ['table:hr.Employees', 'table:hr.vw_Directory', 'table:hr.SalaryHistory', 'table:hr.Departments']);
  });

  it('adds no related tables to a query describing content, and none the policy hides', () => {
    assert.deepEqual(ids(hr, 'reporting hierarchy'), ['table:hr.Employees']);
    const employees = hr.tables[1];
    assert.ok(employees);
    assert.deepEqual(
      relatedTables(hr, employees, (t) => t.name !== 'SalaryHistory').map((t) => t.name),
      ['vw_Directory', 'Departments'],
    );
  });

  it('appends the tables around the best-scored table of any list (a query describing tables), once each, after the list', () => {
    const scored = tableResults(hr, understand('reporting hierarchy', none), all, ctx);
    const out = withRelated(hr, scored, (t) => t.name !== 'Departments', ctx);
    assert.deepEqual(
      out.map((s) => s.item.id),
      ['table:hr.Employees', 'table:hr.vw_Directory', 'table:hr.SalaryHistory'],
    );
    assert.deepEqual(
      out.slice(1).map((s) => [s.score, s.describes]),
      [
        [0, false],
        [0, false],
      ],
    );
    assert.deepEqual(withRelated(hr, [], all, ctx), [], 'nothing scored: nothing to relate to');
  });

  const chain: Catalog = {
    database: 'Chain',
    loadedAt: 0,
    tables: [
      table('s', 'A', [col('AID', 'int')], { description: 'Alpha records.' }),
      table('s', 'B', [col('BID', 'int'), col('AID', 'int')], {
        foreignKeys: [{ name: 'FK_B_A', columns: ['AID'], refSchema: 's', refTable: 'A', refColumns: ['AID'] }],
      }),
      table('s', 'C', [col('CID', 'int'), col('BID', 'int')], {
        foreignKeys: [{ name: 'FK_C_B', columns: ['BID'], refSchema: 's', refTable: 'B', refColumns: ['BID'] }],
      }),
      table('s', 'D', [col('DID', 'int')], { description: 'Delta records.' }),
      table('s', 'E', [col('EID', 'int'), col('DID', 'int')], {
        foreignKeys: [{ name: 'FK_E_D', columns: ['DID'], refSchema: 's', refTable: 'D', refColumns: ['DID'] }],
      }),
      table('s', 'Lone', [col('LoneID', 'int')]),
    ],
  };
  const scoredOf = (...pairs: Array<[string, number]>) =>
    pairs.map(([name, score]) => ({ item: { id: tableId('s', name), title: name, url: '', text: '' }, score }));

  it('relates the tables around each of the best `around` tables, the best first', () => {
    const scored = scoredOf(['A', 0.9], ['D', 0.5]);
    assert.deepEqual(
      withRelated(chain, scored, all, ctx).map((s) => s.item.id),
      ['table:s.A', 'table:s.D', 'table:s.B'],
      'by default the best one only',
    );
    assert.deepEqual(
      withRelated(chain, scored, all, ctx, 2).map((s) => s.item.id),
      ['table:s.A', 'table:s.D', 'table:s.B', 'table:s.E'],
    );
  });

  it('fills a where-is answer with the tables further out, nearest first, never one nothing connects', () => {
    const out = withRelated(chain, scoredOf(['A', 0.9]), all, ctx, 1, 10).map((s) => s.item.id);
    assert.deepEqual(out, ['table:s.A', 'table:s.B', 'table:s.C']);
    assert.deepEqual(
      withRelated(chain, scoredOf(['A', 0.9]), all, ctx, 1, 2).map((s) => s.item.id),
      ['table:s.A', 'table:s.B'],
      'stops once it holds `fill` tables',
    );
    assert.deepEqual(
      withRelated(chain, scoredOf(['A', 0.9]), (t) => t.name !== 'B', ctx, 1, 10).map((s) => s.item.id),
      ['table:s.A'],
      'a hidden table is neither shown nor walked through',
    );
  });

  const parts: Catalog = {
    database: 'Parts',
    loadedAt: 0,
    tables: [
      table('dbo', 'Products', [col('ProductID', 'int'), col('Name', 'nvarchar(100)')], { description: 'Items for sale.' }),
      table('dbo', 'Suppliers', [col('SupplierID', 'int'), col('Name', 'nvarchar(100)')], { description: 'Firms we buy from.' }),
      table('dbo', 'Invoices', [col('InvoiceID', 'int')]),
    ],
  };

  it('puts first a table whose own name or column name the query wrote as it is, asked where or not', () => {
    const where = understand('which table has cost', none);
    assert.equal(tableResults(shop, where, all, ctx)[0]?.item.id !== 'table:sales.Payments', true);
    const named = tableResults(shop, understand('where is transaction ref', none), all, ctx, ['transactionref']);
    assert.equal(named[0]?.item.id, 'table:sales.Payments');
    assert.ok((named[0]?.score ?? 0) >= NAMED_BONUS);
    const content = tableResults(shop, understand('qty problems', none), all, ctx, ['qty']);
    assert.equal(content[0]?.item.id, 'table:sales.OrderLines');
    const unmatched = tableResults(shop, understand('zebra', none), all, ctx, ['transactionref']);
    assert.deepEqual(
      unmatched.map((s) => s.item.id),
      ['table:sales.Payments'],
      'named even when no word matched',
    );
  });

  it('finds a few tables named in a query that describe it between them when no one table does', () => {
    const matches = rankTables(parts, ['products', 'suppliers'], all);
    const cover = jointCover(matches, ['products', 'suppliers']).map((i) => matches[i]?.table.name);
    assert.deepEqual([...cover].sort(), ['Products', 'Suppliers']);
    assert.deepEqual(jointCover(rankTables(parts, ['products', 'weather'], all), ['products', 'weather']), [], 'a word no table holds');
    assert.deepEqual(jointCover(rankTables(parts, ['products'], all), ['products']), [], 'one table is not a joint cover');
    assert.deepEqual(
      jointCover(rankTables(parts, ['products', 'firms'], all), ['products', 'firms']),
      [],
      'a table only its description matches is not named by the query',
    );
    const out = tableResults(parts, understand('products together with their suppliers', none), all, ctx);
    assert.deepEqual(
      out
        .filter((s) => s.describes)
        .map((s) => s.item.id)
        .sort(),
      ['table:dbo.Products', 'table:dbo.Suppliers'],
    );
  });
});
