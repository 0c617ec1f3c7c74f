import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyQuery } from '../../../src/research/forms.ts';
import { loadCorpus } from '../../helpers/corpus.ts';

describe('classifyQuery', () => {
  const cases: Array<[string, ReturnType<typeof classifyQuery>]> = [
    ['list tables', { form: 'list_tables', schema: undefined }],
    ['  LIST TABLES in sales ', { form: 'list_tables', schema: 'sales' }],
    ['show tables in schema hr', { form: 'list_tables', schema: 'hr' }],
    ['show tables in the hr schema', { form: 'list_tables', schema: 'hr' }],
    ['list the tables of schema sales', { form: 'list_tables', schema: 'sales' }],
    ['list views', { form: 'list_tables', schema: undefined, views: true }],
    ['show all views in dbo', { form: 'list_tables', schema: 'dbo', views: true }],
    ['list tables and views', { form: 'list_tables', schema: undefined }],
    ['describe sales.Orders', { form: 'describe', table: 'sales.Orders' }],
    ['describe [sales].[Order Lines]', { form: 'describe', table: '[sales].[Order Lines]' }],
    ['sample Orders', { form: 'sample', table: 'Orders', limit: undefined }],
    ['sample sales.Orders limit 5', { form: 'sample', table: 'sales.Orders', limit: 5 }],
    ['SELECT TOP 5 * FROM sales.Orders', { form: 'sql', sql: 'SELECT TOP 5 * FROM sales.Orders' }],
    ['with x as (select 1 a) select * from x', { form: 'sql', sql: 'with x as (select 1 a) select * from x' }],
    ['(SELECT 1)', { form: 'sql', sql: '(SELECT 1)' }],
    ['late delivery complaints', { form: 'natural_language', text: 'late delivery complaints' }],
    ['open tickets about refunds', { form: 'natural_language', text: 'open tickets about refunds' }],
    ['withdrawn orders', { form: 'natural_language', text: 'withdrawn orders' }],
    ['customers in Norway?', { form: 'natural_language', text: 'customers in Norway?' }],
  ];
  for (const [query, expected] of cases)
    it(`reads ${JSON.stringify(query)} as ${expected.form}`, () => assert.deepEqual(classifyQuery(query), expected));

  it('sends every statement of the refuse corpus to the guard, never to word search', () => {
    const notSql = loadCorpus('refuse').filter((c) => classifyQuery(c.sql).form !== 'sql');
    assert.deepEqual(
      notSql.map((c) => c.id),
      [],
    );
  });

  it('sends every statement of the valid corpus to the guard', () => {
    const notSql = loadCorpus('valid').filter((c) => classifyQuery(c.sql).form !== 'sql');
    assert.deepEqual(
      notSql.map((c) => c.id),
      [],
    );
  });
});

describe('an e-mail address alone', () => {
  it('is searched as words, not judged as a multi-part procedure name', () => {
    assert.equal(classifyQuery('theo.sanchez57@mail.example').form, 'natural_language');
    assert.equal(classifyQuery('dbo.usp_Purge').form, 'sql');
  });
});
