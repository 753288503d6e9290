import { isDatabaseUnreachable } from '../store/postgres/pg-unavailable';

// Which PostgreSQL failures mean "the database cannot be reached now" (call again shortly) rather
// than "this statement failed".

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

it('knows a database that is down, going down, starting up or cut off', () => {
  const unreachable = [
    withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
    withCode('terminating connection due to administrator command', '57P01'),
    withCode('the database system is starting up', '57P03'),
    withCode('connection failure', '08006'),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
    new Error('Client has encountered a connection error and is not queryable'),
  ];
  expect(unreachable.filter((e) => !isDatabaseUnreachable(e))).toEqual([]);
});

it('leaves statement failures and anything else alone', () => {
  const other = [
    withCode('duplicate key value violates unique constraint', '23505'),
    withCode('canceling statement due to statement timeout', '57014'),
    withCode('password authentication failed for user "postgres"', '28P01'),
    new Error('something else'),
    'a string',
    undefined,
  ];
  expect(other.filter((e) => isDatabaseUnreachable(e))).toEqual([]);
});
