import { TsqlError } from './errors.ts';
import type { PgError } from './pg.ts';

/** What the statement was doing, to word errors as SQL Server would. */
export interface ErrorContext {
  verb: string;
  database: string;
  /** The statement's target as written: [schema, object]. */
  target?: [string, string] | undefined;
  /** Identifier spellings from the statement, by lower-case name. */
  spell(name: string): string;
}

/** Maps a PostgreSQL error (SQLSTATE and fields) to the SQL Server error a client expects. */
export function mapPgError(err: PgError, ctx: ErrorContext): TsqlError {
  const quoted = /"([^"]+)"/.exec(err.message)?.[1] ?? '';
  const spellPath = (n: string): string =>
    n
      .split('.')
      .map((p) => ctx.spell(p))
      .join('.');
  const opts = { cause: err };
  switch (err.code) {
    case '42P01':
      return new TsqlError(208, `Invalid object name '${spellPath(quoted)}'.`, opts);
    case '42703': {
      const col = quoted || (/column (\S+) does not exist/.exec(err.message)?.[1] ?? '');
      return new TsqlError(207, `Invalid column name '${ctx.spell(col.split('.').pop() ?? col)}'.`, opts);
    }
    case '42702':
      return new TsqlError(209, `Ambiguous column name '${ctx.spell(quoted)}'.`, opts);
    case '42883': {
      const fn = /function ([\w."]+)\(/.exec(err.message)?.[1]?.replaceAll('"', '') ?? quoted;
      if (/operator does not exist/.test(err.message))
        return new TsqlError(
          402,
          `The data types in the operator are incompatible (${err.message.replace(/^operator does not exist: /, '')}).`,
          opts,
        );
      return new TsqlError(195, `'${fn.replace(/^tsql\./, '')}' is not a recognized built-in function name.`, {
        ...opts,
        severity: 15,
        state: 10,
      });
    }
    case '22012':
      return new TsqlError(8134, 'Divide by zero error encountered.', opts);
    case '23505': {
      const key = /Key \((.+)\)=\((.*)\) already exists/.exec(err.detail ?? '');
      const obj = `${ctx.spell(err.schema ?? 'dbo')}.${ctx.spell(err.table ?? '')}`;
      const pk = /^pk/i.test(err.constraint ?? '') || (err.constraint ?? '').endsWith('_pkey');
      return pk
        ? new TsqlError(
            2627,
            `Violation of PRIMARY KEY constraint '${ctx.spell(err.constraint ?? '')}'. Cannot insert duplicate key in object '${obj}'. The duplicate key value is (${key?.[2] ?? ''}).`,
            { ...opts, severity: 14 },
          )
        : new TsqlError(
            2601,
            `Cannot insert duplicate key row in object '${obj}' with unique index '${ctx.spell(err.constraint ?? '')}'. The duplicate key value is (${key?.[2] ?? ''}).`,
            { ...opts, severity: 14 },
          );
    }
    case '23503': {
      const ref =
        /is not present in table "([^"]+)"/.exec(err.detail ?? '')?.[1] ??
        /is still referenced from table "([^"]+)"/.exec(err.detail ?? '')?.[1] ??
        err.table ??
        '';
      const col = /Key \(([^)]+)\)/.exec(err.detail ?? '')?.[1] ?? '';
      return new TsqlError(
        547,
        `The ${ctx.verb} statement conflicted with the ${ctx.verb === 'DELETE' ? 'REFERENCE' : 'FOREIGN KEY'} constraint "${ctx.spell(err.constraint ?? '')}". The conflict occurred in database "${ctx.database}", table "${ctx.spell(err.schema ?? 'dbo')}.${ctx.spell(ref)}", column '${ctx.spell(col)}'.`,
        opts,
      );
    }
    case '23502':
      return new TsqlError(
        515,
        `Cannot insert the value NULL into column '${ctx.spell(err.column ?? '')}', table '${ctx.database}.${ctx.spell(err.schema ?? 'dbo')}.${ctx.spell(err.table ?? '')}'; column does not allow nulls. ${ctx.verb === 'UPDATE' ? 'UPDATE' : 'INSERT'} fails.`,
        { ...opts, state: 2 },
      );
    case '23514':
      return new TsqlError(
        547,
        `The ${ctx.verb} statement conflicted with the CHECK constraint "${ctx.spell(err.constraint ?? '')}". The conflict occurred in database "${ctx.database}", table "${ctx.spell(err.schema ?? 'dbo')}.${ctx.spell(err.table ?? '')}".`,
        opts,
      );
    case '22P02':
    case '22018': {
      const value = /: "(.*)"$/.exec(err.message)?.[1] ?? '';
      const type = /type (\w+)/.exec(err.message)?.[1] ?? 'int';
      return new TsqlError(
        245,
        `Conversion failed when converting the varchar value '${value}' to data type ${type === 'integer' ? 'int' : type}.`,
        opts,
      );
    }
    case '22007':
    case '22008':
      return new TsqlError(241, 'Conversion failed when converting date and/or time from character string.', opts);
    case '22003':
      return new TsqlError(
        8115,
        `Arithmetic overflow error converting expression to data type ${/type (\w+)/.exec(err.message)?.[1] ?? 'numeric'}.`,
        opts,
      );
    case '22001':
      return new TsqlError(
        2628,
        `String or binary data would be truncated in table '${ctx.database}.${ctx.target ? ctx.target.join('.') : ''}'.`,
        opts,
      );
    case '42501': {
      if (/schema|database/.test(err.message) && ['CREATE', 'ALTER', 'DROP'].includes(ctx.verb)) {
        return new TsqlError(262, `${ctx.verb} permission denied in database '${ctx.database}'.`, { ...opts, severity: 14 });
      }
      const rel = /for (?:table|view|relation|sequence) (\S+)/.exec(err.message)?.[1];
      const [schema, object] =
        rel && (!ctx.target || rel !== ctx.target[1].toLowerCase()) ? ['dbo', ctx.spell(rel)] : (ctx.target ?? ['dbo', rel ?? '']);
      const verb = ['INSERT', 'UPDATE', 'DELETE', 'SELECT', 'MERGE'].includes(ctx.verb) ? ctx.verb : 'ALTER';
      return new TsqlError(
        229,
        `The ${verb} permission was denied on the object '${object}', database '${ctx.database}', schema '${schema}'.`,
        { ...opts, severity: 14, state: 5 },
      );
    }
    case '42P07':
      return new TsqlError(2714, `There is already an object named '${ctx.spell(quoted)}' in the database.`, opts);
    case '42P06':
      return new TsqlError(2714, `There is already an object named '${ctx.spell(quoted)}' in the database.`, opts);
    case '42803': {
      const col = /column "([^"]+)"/.exec(err.message)?.[1] ?? quoted;
      return new TsqlError(
        8120,
        `Column '${spellPath(col)}' is invalid in the select list because it is not contained in either an aggregate function or the GROUP BY clause.`,
        opts,
      );
    }
    case '42601': {
      const near = /at or near "([^"]*)"/.exec(err.message)?.[1];
      return new TsqlError(
        102,
        near === undefined ? 'Incorrect syntax near the end of the statement.' : `Incorrect syntax near '${ctx.spell(near)}'.`,
        { ...opts, severity: 15 },
      );
    }
    case '42804':
    case '42846':
      return new TsqlError(206, `Operand type clash: ${err.message}.`, opts);
    case '2BP01':
      return new TsqlError(3729, `Cannot drop '${ctx.spell(quoted)}' because it is being referenced by another object.`, opts);
    case '3F000':
      return new TsqlError(
        2760,
        `The specified schema name "${ctx.spell(quoted)}" either does not exist or you do not have permission to use it.`,
        opts,
      );
    case '21000':
      return new TsqlError(
        512,
        'Subquery returned more than 1 value. This is not permitted when the subquery follows =, !=, <, <= , >, >= or when the subquery is used as an expression.',
        opts,
      );
    case '0A000':
      if (/cannot truncate/.test(err.message))
        return new TsqlError(
          4712,
          `Cannot truncate table '${ctx.target ? ctx.target.join('.') : quoted}' because it is being referenced by a FOREIGN KEY constraint.`,
          opts,
        );
      return new TsqlError(40019, `Not supported by the sandbox: ${err.message}`, opts);
    case 'TSQLE': {
      // Raised by the engine's own PL/pgSQL (tsql.ft_fail): `number|severity|state|text`.
      const [num, sev, state, ...text] = err.message.split('|');
      return new TsqlError(Number(num), text.join('|'), { ...opts, severity: Number(sev), state: Number(state) });
    }
    case '57014':
      return new TsqlError(3617, 'The query was cancelled.', { ...opts, severity: 11 });
    default:
      return new TsqlError(50000, `Sandbox engine error ${err.code}: ${err.message}`, opts);
  }
}
