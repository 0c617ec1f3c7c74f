/**
 * PostgreSQL objects that give T-SQL's built-in functions and operators their SQL Server meaning.
 * They live in schema `tsql`, which sits before pg_catalog on the search path so that, e.g.,
 * `replace` and `len` resolve to the T-SQL versions. Session TimeZone is UTC.
 */
export const FUNCTIONS_SQL = String.raw`
CREATE SCHEMA tsql;
CREATE COLLATION tsql.tsql_ci (provider = icu, locale = 'und@colStrength=secondary', deterministic = false);
CREATE FUNCTION tsql.textplus(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT a || b';
CREATE OPERATOR tsql.+ (LEFTARG = text, RIGHTARG = text, FUNCTION = tsql.textplus);
CREATE FUNCTION tsql.booleq(a boolean, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT a = (b <> 0)';
CREATE FUNCTION tsql.boolne(a boolean, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT a <> (b <> 0)';
CREATE FUNCTION tsql.inteqbool(a integer, b boolean) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT (a <> 0) = b';
CREATE OPERATOR tsql.= (LEFTARG = boolean, RIGHTARG = integer, FUNCTION = tsql.booleq);
CREATE OPERATOR tsql.<> (LEFTARG = boolean, RIGHTARG = integer, FUNCTION = tsql.boolne);
CREATE OPERATOR tsql.= (LEFTARG = integer, RIGHTARG = boolean, FUNCTION = tsql.inteqbool);
CREATE FUNCTION tsql.tsplusdays(a timestamp, b double precision) RETURNS timestamp LANGUAGE sql IMMUTABLE AS 'SELECT a + make_interval(secs => b * 86400)';
CREATE FUNCTION tsql.tsminusdays(a timestamp, b double precision) RETURNS timestamp LANGUAGE sql IMMUTABLE AS 'SELECT a - make_interval(secs => b * 86400)';
CREATE OPERATOR tsql.+ (LEFTARG = timestamp, RIGHTARG = double precision, FUNCTION = tsql.tsplusdays);
CREATE OPERATOR tsql.- (LEFTARG = timestamp, RIGHTARG = double precision, FUNCTION = tsql.tsminusdays);
UPDATE pg_cast SET castcontext = 'a' WHERE castsource = 'int4'::regtype AND casttarget = 'bool'::regtype;

CREATE FUNCTION tsql.getdate() RETURNS timestamp LANGUAGE sql STABLE AS $$SELECT date_trunc('milliseconds', statement_timestamp() AT TIME ZONE 'UTC')$$;
CREATE FUNCTION tsql.sysdatetime() RETURNS timestamp LANGUAGE sql STABLE AS $$SELECT statement_timestamp() AT TIME ZONE 'UTC'$$;
CREATE FUNCTION tsql.getutcdate() RETURNS timestamp LANGUAGE sql STABLE AS $$SELECT date_trunc('milliseconds', statement_timestamp() AT TIME ZONE 'UTC')$$;
CREATE FUNCTION tsql.sysutcdatetime() RETURNS timestamp LANGUAGE sql STABLE AS $$SELECT statement_timestamp() AT TIME ZONE 'UTC'$$;
CREATE FUNCTION tsql.sysdatetimeoffset() RETURNS timestamptz LANGUAGE sql STABLE AS $$SELECT statement_timestamp()$$;

CREATE FUNCTION tsql.dateadd(part text, n double precision, d timestamp) RETURNS timestamp LANGUAGE sql IMMUTABLE AS $$
SELECT CASE part
  WHEN 'year' THEN d + make_interval(years => trunc(n)::int)
  WHEN 'quarter' THEN d + make_interval(months => 3 * trunc(n)::int)
  WHEN 'month' THEN d + make_interval(months => trunc(n)::int)
  WHEN 'week' THEN d + make_interval(days => 7 * trunc(n)::int)
  WHEN 'hour' THEN d + make_interval(hours => trunc(n)::int)
  WHEN 'minute' THEN d + make_interval(mins => trunc(n)::int)
  WHEN 'second' THEN d + make_interval(secs => trunc(n))
  WHEN 'millisecond' THEN d + make_interval(secs => trunc(n) / 1000.0)
  WHEN 'microsecond' THEN d + make_interval(secs => trunc(n) / 1000000.0)
  WHEN 'nanosecond' THEN d + make_interval(secs => trunc(n) / 1000000000.0)
  ELSE d + make_interval(days => trunc(n)::int) END$$;
CREATE FUNCTION tsql.dateadd(part text, n double precision, d date) RETURNS date LANGUAGE sql IMMUTABLE AS $$SELECT tsql.dateadd(part, n, d::timestamp)::date$$;
CREATE FUNCTION tsql.dateadd(part text, n double precision, d text) RETURNS timestamp LANGUAGE sql IMMUTABLE AS $$SELECT tsql.dateadd(part, n, d::timestamp)$$;
CREATE FUNCTION tsql.dateadd(part text, n double precision, d timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$SELECT tsql.dateadd(part, n, d AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'$$;

CREATE FUNCTION tsql.datediff(part text, a timestamp, b timestamp) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
SELECT (CASE part
  WHEN 'year' THEN extract(year FROM b) - extract(year FROM a)
  WHEN 'quarter' THEN (extract(year FROM b) * 4 + extract(quarter FROM b)) - (extract(year FROM a) * 4 + extract(quarter FROM a))
  WHEN 'month' THEN (extract(year FROM b) * 12 + extract(month FROM b)) - (extract(year FROM a) * 12 + extract(month FROM a))
  WHEN 'week' THEN ((b::date - extract(dow FROM b)::int) - (a::date - extract(dow FROM a)::int)) / 7
  WHEN 'hour' THEN (extract(epoch FROM date_trunc('hour', b)) - extract(epoch FROM date_trunc('hour', a))) / 3600
  WHEN 'minute' THEN (extract(epoch FROM date_trunc('minute', b)) - extract(epoch FROM date_trunc('minute', a))) / 60
  WHEN 'second' THEN extract(epoch FROM date_trunc('second', b)) - extract(epoch FROM date_trunc('second', a))
  WHEN 'millisecond' THEN round((extract(epoch FROM date_trunc('milliseconds', b)) - extract(epoch FROM date_trunc('milliseconds', a))) * 1000)
  WHEN 'microsecond' THEN round((extract(epoch FROM b) - extract(epoch FROM a)) * 1000000)
  ELSE b::date - a::date END)::integer$$;
CREATE FUNCTION tsql.datediff(part text, a timestamptz, b timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE AS $$SELECT tsql.datediff(part, a AT TIME ZONE 'UTC', b AT TIME ZONE 'UTC')$$;

CREATE FUNCTION tsql.datepart(part text, d timestamp) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
SELECT (CASE part
  WHEN 'year' THEN extract(year FROM d) WHEN 'quarter' THEN extract(quarter FROM d)
  WHEN 'month' THEN extract(month FROM d) WHEN 'dayofyear' THEN extract(doy FROM d)
  WHEN 'day' THEN extract(day FROM d) WHEN 'weekday' THEN extract(dow FROM d) + 1
  WHEN 'week' THEN tsql.datediff('week', date_trunc('year', d), d) + 1
  WHEN 'iso_week' THEN extract(week FROM d) WHEN 'hour' THEN extract(hour FROM d)
  WHEN 'minute' THEN extract(minute FROM d) WHEN 'second' THEN floor(extract(second FROM d))
  WHEN 'millisecond' THEN floor(extract(milliseconds FROM d))::int % 1000
  WHEN 'microsecond' THEN floor(extract(microseconds FROM d))::int % 1000000
  WHEN 'nanosecond' THEN (floor(extract(microseconds FROM d))::int % 1000000) * 1000
  ELSE 0 END)::integer$$;
CREATE FUNCTION tsql.datepart(part text, d timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE AS $$SELECT tsql.datepart(part, d AT TIME ZONE 'UTC')$$;
CREATE FUNCTION tsql.datename(part text, d timestamp) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT CASE part WHEN 'month' THEN to_char(d, 'FMMonth') WHEN 'weekday' THEN to_char(d, 'FMDay') ELSE tsql.datepart(part, d)::text END$$;
CREATE FUNCTION tsql.datename(part text, d timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT tsql.datename(part, d AT TIME ZONE 'UTC')$$;
CREATE FUNCTION tsql.datetrunc(part text, d timestamp) RETURNS timestamp LANGUAGE sql IMMUTABLE AS $$
SELECT CASE part WHEN 'week' THEN (d::date - extract(dow FROM d)::int)::timestamp
  WHEN 'dayofyear' THEN date_trunc('day', d) WHEN 'weekday' THEN date_trunc('day', d)
  WHEN 'iso_week' THEN date_trunc('week', d) ELSE date_trunc(part, d) END$$;
CREATE FUNCTION tsql.datetrunc(part text, d date) RETURNS date LANGUAGE sql IMMUTABLE AS $$SELECT tsql.datetrunc(part, d::timestamp)::date$$;
CREATE FUNCTION tsql.year(d timestamp) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT extract(year FROM d)::int';
CREATE FUNCTION tsql.month(d timestamp) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT extract(month FROM d)::int';
CREATE FUNCTION tsql.day(d timestamp) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT extract(day FROM d)::int';
CREATE FUNCTION tsql.year(d timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE AS $$SELECT extract(year FROM d AT TIME ZONE 'UTC')::int$$;
CREATE FUNCTION tsql.month(d timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE AS $$SELECT extract(month FROM d AT TIME ZONE 'UTC')::int$$;
CREATE FUNCTION tsql.day(d timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE AS $$SELECT extract(day FROM d AT TIME ZONE 'UTC')::int$$;
CREATE FUNCTION tsql.eomonth(d timestamp, n integer DEFAULT 0) RETURNS date LANGUAGE sql IMMUTABLE AS $$
SELECT (date_trunc('month', d + make_interval(months => n)) + interval '1 month' - interval '1 day')::date$$;

CREATE FUNCTION tsql.len(s text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$SELECT length(rtrim(s COLLATE "C", ' '))$$;
CREATE FUNCTION tsql.len(s anynonarray) RETURNS integer LANGUAGE sql IMMUTABLE AS $$SELECT length(rtrim(s::text, ' '))$$;
CREATE FUNCTION tsql.datalength(s text) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT length(s) * 2';
CREATE FUNCTION tsql.datalength(s bytea) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT length(s)';
CREATE FUNCTION tsql.charindex(sub text, s text, start integer DEFAULT 1) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN sub IS NULL OR s IS NULL THEN NULL
  WHEN coalesce(start, 1) <= 1 THEN strpos(lower(s COLLATE "C"), lower(sub COLLATE "C"))
  ELSE CASE WHEN strpos(lower(substr(s COLLATE "C", start)), lower(sub COLLATE "C")) = 0 THEN 0
    ELSE strpos(lower(substr(s COLLATE "C", start)), lower(sub COLLATE "C")) + start - 1 END END$$;
CREATE FUNCTION tsql.replace(s text, f text, r text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN f = '' THEN s ELSE regexp_replace(s COLLATE "C", regexp_replace(f COLLATE "C", '([.*+?^$()\[\]{}|\\])', '\\\1', 'g'), pg_catalog.replace(r COLLATE "C", '\', '\\'), 'gi') END$$;
CREATE FUNCTION tsql.quotename(s text, q text DEFAULT '[') RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT CASE q WHEN '"' THEN '"' || pg_catalog.replace(s COLLATE "C", '"', '""') || '"' WHEN '''' THEN '''' || pg_catalog.replace(s COLLATE "C", '''', '''''') || ''''
  ELSE '[' || pg_catalog.replace(s COLLATE "C", ']', ']]') || ']' END$$;
CREATE FUNCTION tsql.isnumeric(s text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN s COLLATE "C" ~ '^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$' THEN 1 ELSE 0 END$$;
CREATE FUNCTION tsql.isnumeric(s numeric) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 1';
CREATE FUNCTION tsql.try_cast(v text, t anyelement, typ text DEFAULT NULL) RETURNS anyelement LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF v IS NULL THEN RETURN NULL; END IF;
  EXECUTE format('SELECT %L::%s', v, COALESCE(typ, pg_typeof(t)::text)) INTO t;
  RETURN t;
EXCEPTION WHEN others THEN RETURN NULL;
END$$;
CREATE FUNCTION tsql.isdate(s text) RETURNS integer LANGUAGE sql STABLE AS $$SELECT CASE WHEN tsql.try_cast(s, NULL::timestamp) IS NULL THEN 0 ELSE 1 END$$;
CREATE FUNCTION tsql.style_format(style integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT CASE style WHEN 1 THEN 'MM/DD/YY' WHEN 101 THEN 'MM/DD/YYYY' WHEN 2 THEN 'YY.MM.DD' WHEN 102 THEN 'YYYY.MM.DD'
  WHEN 3 THEN 'DD/MM/YY' WHEN 103 THEN 'DD/MM/YYYY' WHEN 4 THEN 'DD.MM.YY' WHEN 104 THEN 'DD.MM.YYYY'
  WHEN 5 THEN 'DD-MM-YY' WHEN 105 THEN 'DD-MM-YYYY' WHEN 6 THEN 'DD Mon YY' WHEN 106 THEN 'DD Mon YYYY'
  WHEN 7 THEN 'Mon DD, YY' WHEN 107 THEN 'Mon DD, YYYY' WHEN 8 THEN 'HH24:MI:SS' WHEN 108 THEN 'HH24:MI:SS' WHEN 24 THEN 'HH24:MI:SS'
  WHEN 10 THEN 'MM-DD-YY' WHEN 110 THEN 'MM-DD-YYYY' WHEN 11 THEN 'YY/MM/DD' WHEN 111 THEN 'YYYY/MM/DD'
  WHEN 12 THEN 'YYMMDD' WHEN 112 THEN 'YYYYMMDD' WHEN 20 THEN 'YYYY-MM-DD HH24:MI:SS' WHEN 120 THEN 'YYYY-MM-DD HH24:MI:SS'
  WHEN 21 THEN 'YYYY-MM-DD HH24:MI:SS.MS' WHEN 121 THEN 'YYYY-MM-DD HH24:MI:SS.MS' WHEN 25 THEN 'YYYY-MM-DD HH24:MI:SS.MS'
  WHEN 23 THEN 'YYYY-MM-DD' WHEN 126 THEN 'YYYY-MM-DD"T"HH24:MI:SS.MS' WHEN 127 THEN 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'
  WHEN 13 THEN 'DD Mon YYYY HH24:MI:SS:MS' WHEN 113 THEN 'DD Mon YYYY HH24:MI:SS:MS' WHEN 14 THEN 'HH24:MI:SS:MS' WHEN 114 THEN 'HH24:MI:SS:MS'
  WHEN 9 THEN 'Mon DD YYYY HH12:MI:SS:MSAM' WHEN 109 THEN 'Mon DD YYYY HH12:MI:SS:MSAM'
  ELSE 'Mon DD YYYY HH12:MIAM' END$$;
CREATE FUNCTION tsql.convert_style(v timestamp, style integer) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT to_char(v, tsql.style_format(style))';
CREATE FUNCTION tsql.convert_style(v timestamptz, style integer) RETURNS text LANGUAGE sql STABLE AS 'SELECT to_char(v, tsql.style_format(style))';
CREATE FUNCTION tsql.convert_style(v date, style integer) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT to_char(v::timestamp, tsql.style_format(style))';
CREATE FUNCTION tsql.convert_style(v time, style integer) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT to_char(v, tsql.style_format(style))';
CREATE FUNCTION tsql.convert_style(v text, style integer) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT v';
CREATE FUNCTION tsql.convert_style(v numeric, style integer) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT v::text';
CREATE FUNCTION tsql.convert_style(v double precision, style integer) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT v::text';
CREATE FUNCTION tsql.parse_style(v text, style integer) RETURNS timestamp LANGUAGE sql STABLE AS $$
SELECT CASE WHEN style IN (1, 101, 3, 103, 4, 104, 5, 105, 10, 110, 11, 111, 12, 112, 2, 102) THEN to_timestamp(v, tsql.style_format(style))::timestamp ELSE v::timestamp END$$;
CREATE FUNCTION tsql.string_split(s text, sep text) RETURNS TABLE(value text) LANGUAGE sql IMMUTABLE AS $$SELECT unnest(string_to_array(s COLLATE "C", sep COLLATE "C"))$$;
CREATE FUNCTION tsql.string_split(s text, sep text, ordinal integer) RETURNS TABLE(value text, ordinal bigint) LANGUAGE sql IMMUTABLE AS $$SELECT * FROM unnest(string_to_array(s COLLATE "C", sep COLLATE "C")) WITH ORDINALITY$$;
CREATE FUNCTION tsql.json_value(j text, p text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE r jsonb;
BEGIN
  r := jsonb_path_query_first(j::jsonb, p::jsonpath);
  IF r IS NULL OR jsonb_typeof(r) IN ('object', 'array') THEN RETURN NULL; END IF;
  RETURN r #>> '{}';
EXCEPTION WHEN others THEN RETURN NULL;
END$$;
CREATE FUNCTION tsql.json_query(j text, p text DEFAULT '$') RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE r jsonb;
BEGIN
  r := jsonb_path_query_first(j::jsonb, p::jsonpath);
  IF r IS NULL OR jsonb_typeof(r) NOT IN ('object', 'array') THEN RETURN NULL; END IF;
  RETURN r::text;
EXCEPTION WHEN others THEN RETURN NULL;
END$$;
CREATE FUNCTION tsql.isjson(j text) RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN PERFORM j::jsonb; RETURN 1; EXCEPTION WHEN others THEN RETURN 0; END$$;
CREATE FUNCTION tsql.openjson(j text, p text DEFAULT '$') RETURNS TABLE(key text, value text, type integer) LANGUAGE sql IMMUTABLE AS $$
WITH doc AS (SELECT jsonb_path_query_first(j::jsonb, p::jsonpath) AS v)
SELECT (e.k - 1)::text, CASE WHEN jsonb_typeof(e.v) IN ('object', 'array') THEN e.v::text ELSE e.v #>> '{}' END,
  CASE jsonb_typeof(e.v) WHEN 'null' THEN 0 WHEN 'string' THEN 1 WHEN 'number' THEN 2 WHEN 'boolean' THEN 3 WHEN 'array' THEN 4 ELSE 5 END
FROM doc, jsonb_array_elements(CASE WHEN jsonb_typeof(doc.v) = 'array' THEN doc.v ELSE '[]'::jsonb END) WITH ORDINALITY AS e(v, k)
UNION ALL
SELECT e.key, CASE WHEN jsonb_typeof(e.value) IN ('object', 'array') THEN e.value::text ELSE e.value #>> '{}' END,
  CASE jsonb_typeof(e.value) WHEN 'null' THEN 0 WHEN 'string' THEN 1 WHEN 'number' THEN 2 WHEN 'boolean' THEN 3 WHEN 'array' THEN 4 ELSE 5 END
FROM doc, jsonb_each(CASE WHEN jsonb_typeof(doc.v) = 'object' THEN doc.v ELSE '{}'::jsonb END) AS e$$;
CREATE FUNCTION tsql.last_identity() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
BEGIN RETURN lastval(); EXCEPTION WHEN others THEN RETURN NULL; END$$;
CREATE FUNCTION tsql.scope_identity() RETURNS numeric LANGUAGE sql VOLATILE AS 'SELECT tsql.last_identity()::numeric';
CREATE FUNCTION tsql.row_count(rel oid) RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE n bigint;
BEGIN EXECUTE format('SELECT count(*) FROM %s', rel::regclass) INTO n; RETURN n;
EXCEPTION WHEN others THEN RETURN 0; END$$;
`;

/** SQL Server's integer aggregates return int (AVG truncates), where PostgreSQL widens to bigint/numeric. */
export const AGGREGATES_SQL = String.raw`
CREATE FUNCTION tsql.int_sum_step(s integer, v smallint) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT CASE WHEN v IS NULL THEN s WHEN s IS NULL THEN v ELSE s + v END';
CREATE FUNCTION tsql.int_avg_final(a bigint[]) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT CASE WHEN a[1] = 0 THEN NULL ELSE (a[2] / a[1])::integer END';
CREATE AGGREGATE tsql.sum(integer) (SFUNC = int4pl, STYPE = integer);
CREATE AGGREGATE tsql.sum(smallint) (SFUNC = tsql.int_sum_step, STYPE = integer);
CREATE AGGREGATE tsql.sum(bigint) (SFUNC = int8pl, STYPE = bigint);
CREATE AGGREGATE tsql.avg(integer) (SFUNC = int4_avg_accum, STYPE = bigint[], FINALFUNC = tsql.int_avg_final, INITCOND = '{0,0}');
CREATE AGGREGATE tsql.avg(smallint) (SFUNC = int2_avg_accum, STYPE = bigint[], FINALFUNC = tsql.int_avg_final, INITCOND = '{0,0}');
`;
